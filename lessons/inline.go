package lessons

import (
	"regexp"
	"strings"
)

// A terminal has no italics to trust and bold that some themes hide, so
// the screens show emphasis as plain text: the words stay, the asterisks
// (and underscores) that Markdown uses to mark them go. Code is left as
// written: `*` in a code span or a fenced block is code.
var (
	strong = regexp.MustCompile(`\*\*([^*\s](?:[^*]*[^*\s])?)\*\*|__([^_\s](?:[^_]*[^_\s])?)__`)
	em     = regexp.MustCompile(`(^|[^\w*])\*([^*\s](?:[^*]*[^*\s])?)\*($|[^\w*])`)
)

// PlainEmphasis removes the emphasis marks of Markdown text (**strong**,
// *em*, __strong__) outside code, keeping the words. List items ("* item")
// and arithmetic ("2 * 3") are not emphasis and stay.
func PlainEmphasis(md string) string {
	lines := strings.Split(md, "\n")
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		// Outside code spans only: the even pieces between backticks.
		parts := strings.Split(l, "`")
		for j := 0; j < len(parts); j += 2 {
			p := strong.ReplaceAllString(parts[j], "$1$2")
			for k := 0; k < 2; k++ { // twice: "*a* *b*" share a space
				p = em.ReplaceAllString(p, "$1$2$3")
			}
			parts[j] = p
		}
		lines[i] = strings.Join(parts, "`")
	}
	return strings.Join(lines, "\n")
}
