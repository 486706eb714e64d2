package lessons

import (
	"strings"
	"unicode/utf8"
)

// Why our own wrapper: Chinese text has no spaces, and a wrapper that only
// breaks at spaces (glamour v1, glamour#185) leaves a Chinese paragraph as
// one line that the terminal then cuts anywhere. Mixed text needs the
// rules of both scripts:
//
//   - a line may break between two Chinese characters, and between Chinese
//     and Latin text;
//   - a Latin word (FIN, Sec-WebSocket-Key, 0x81) is never split, unless it
//     alone is wider than the line, and neither is a term of the glossary
//     (掩码密钥, 握手: ZhTerms);
//   - closing punctuation (，。、；：？！）」) never starts a line, and opening
//     punctuation （「 never ends one: the kinsoku rules every Chinese
//     typesetter applies;
//   - an inline `code span` is not broken at its spaces;
//   - fenced code blocks are kept as written: their columns mean something.

// noLineStart are characters that must stay on the line of what precedes
// them; noLineEnd must stay with what follows.
const (
	noLineStart = "，。、；：？！）」』》】〉”’…,.;:?!)]}%"
	noLineEnd   = "（「『《【〈“‘([{"
)

// Wrap wraps Markdown text to width columns. Paragraphs are re-flowed, list
// items get a hanging indent, block quotes keep their "> ", tables are laid
// out (stacked when too wide, see table.go) and fenced code is left alone.
func Wrap(md string, width int) string {
	if width < 10 {
		width = 10 // below this nothing useful fits; avoid endless splitting
	}
	var out []string
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			// Copy the fenced block through its closing fence.
			out = append(out, line)
			for i++; i < len(lines); i++ {
				out = append(out, lines[i])
				if strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
					break
				}
			}
			i++
		case trimmed == "":
			out = append(out, "")
			i++
		case strings.HasPrefix(trimmed, "|"):
			var rows []string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				rows = append(rows, strings.TrimSpace(lines[i]))
			}
			out = append(out, renderTable(rows, width)...)
		case strings.HasPrefix(trimmed, "#"):
			out = append(out, wrapParagraph(trimmed, width, "", "")...)
			i++
		default:
			first, rest, body := blockPrefix(line)
			// Gather continuation lines: until a blank line, a fence, a
			// table, a heading or the next list item.
			for i++; i < len(lines); i++ {
				next := lines[i]
				t := strings.TrimSpace(next)
				if t == "" || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "|") ||
					strings.HasPrefix(t, "#") || isListItem(t) {
					break
				}
				if strings.HasPrefix(first, ">") {
					if !strings.HasPrefix(t, ">") {
						break
					}
					t = strings.TrimSpace(strings.TrimPrefix(t, ">"))
				} else if strings.HasPrefix(t, ">") {
					break
				}
				body = joinSoft(body, t)
			}
			out = append(out, wrapParagraph(body, width, first, rest)...)
		}
	}
	return strings.Join(out, "\n")
}

// blockPrefix splits a paragraph's first line into the prefix of its first
// line, the prefix of its continuation lines, and its text: "- " and
// "  " for a list item, "> " twice for a quote.
func blockPrefix(line string) (first, rest, body string) {
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	t := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(t, ">"):
		return indent + "> ", indent + "> ", strings.TrimSpace(t[1:])
	case isListItem(t):
		marker, text, _ := strings.Cut(t, " ")
		pad := strings.Repeat(" ", Width(marker)+1)
		return indent + marker + " ", indent + pad, strings.TrimSpace(text)
	}
	return indent, indent, t
}

// isListItem reports whether a trimmed line starts a list item: "- ",
// "* ", "+ " or "12. ".
func isListItem(t string) bool {
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ ") {
		return true
	}
	digits := 0
	for digits < len(t) && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	return digits > 0 && strings.HasPrefix(t[digits:], ". ")
}

// joinSoft joins two lines of one paragraph. Markdown turns a line break
// into a space, but between two Chinese characters a space would be a
// visible gap, so there it joins them directly.
func joinSoft(a, b string) string {
	if a == "" {
		return b
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if isWide(last) && isWide(first) || isCJKPunct(last) || isCJKPunct(first) {
		return a + b
	}
	return a + " " + b
}

// isCJKPunct reports whether r is fullwidth punctuation (，。：（）「」),
// which carries its own spacing: no space goes next to it, even before a
// Latin word ("协议：HTTP", not "协议： HTTP").
func isCJKPunct(r rune) bool {
	return isWide(r) && (strings.ContainsRune(noLineStart, r) || strings.ContainsRune(noLineEnd, r) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF0F) || (r >= 0xFF1A && r <= 0xFF20))
}

// atom is a piece of text that is never broken inside (unless it alone is
// wider than a line): a Latin word, one Chinese character or glossary
// term, or any of them glued to its punctuation.
type atom struct {
	text  string
	width int
	space bool // whitespace came before it: a break there drops the space
}

// atoms cuts a paragraph into atoms.
func atoms(s string) []atom {
	var out []atom
	space := false
	inWord := false // the last atom is a Latin word still being built
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := termAt(s[i:]); n > 0 {
			// A glossary term (掩码密钥, 握手) is one word: one atom.
			out = append(out, atom{text: s[i : i+n], width: Width(s[i : i+n]), space: space})
			space, inWord = false, false
			i += n
			continue
		}
		if r == '`' {
			// An inline code span is one word: `1000 0001` is not cut at
			// its space.
			if j := strings.IndexByte(s[i+1:], '`'); j >= 0 {
				span := s[i : i+j+2]
				if inWord {
					out[len(out)-1].text += span
					out[len(out)-1].width += Width(span)
				} else {
					out = append(out, atom{text: span, width: Width(span), space: space})
				}
				space, inWord = false, true
				i += len(span)
				continue
			}
		}
		i += size
		w := RuneWidth(r)
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			space, inWord = true, false
			continue
		case isWide(r) || strings.ContainsRune(noLineStart, r) || strings.ContainsRune(noLineEnd, r):
			// Punctuation is an atom of its own so the glue step can
			// attach it to the right neighbour.
			out = append(out, atom{text: string(r), width: w, space: space})
			inWord = false
		case inWord:
			out[len(out)-1].text += string(r)
			out[len(out)-1].width += w
		default:
			out = append(out, atom{text: string(r), width: w, space: space})
			inWord = true
		}
		space = false
	}
	return glue(out)
}

// glue applies the punctuation rules: an atom of closing punctuation with
// no space before it joins the atom before; an opening punctuation atom
// joins the one after. Narrow punctuation inside a Latin word (a comma
// after "Hello") joins the same way, which keeps "Hello," whole.
func glue(in []atom) []atom {
	var out []atom
	for i := 0; i < len(in); i++ {
		a := in[i]
		r, _ := utf8.DecodeRuneInString(a.text)
		if len(out) > 0 && !a.space && utf8.RuneCountInString(a.text) == 1 && strings.ContainsRune(noLineStart, r) {
			prev := &out[len(out)-1]
			prev.text += a.text
			prev.width += a.width
			continue
		}
		// Attach the following atoms while this one ends in opening
		// punctuation: "（" + "opcode" + "）".
		for i+1 < len(in) && !in[i+1].space && endsWithOpening(a.text) {
			i++
			a.text += in[i].text
			a.width += in[i].width
		}
		// A Latin word directly followed by narrow text without a space
		// stays whole: "0x1," was split only to classify the comma.
		if len(out) > 0 && !a.space && !startsWide(a.text) && !endsWide(out[len(out)-1].text) {
			prev := &out[len(out)-1]
			prev.text += a.text
			prev.width += a.width
			continue
		}
		out = append(out, a)
	}
	return out
}

func endsWithOpening(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(noLineEnd, r)
}

func startsWide(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWide(r)
}

func endsWide(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWide(r)
}

// wrapParagraph fills lines greedily with atoms. first prefixes the first
// line and rest the others; both count toward the width.
func wrapParagraph(text string, width int, first, rest string) []string {
	var lines []string
	prefix := first
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(prefix+cur.String(), " "))
		cur.Reset()
		curW = 0
		prefix = rest
	}
	avail := func() int { return max(width-Width(prefix), 1) }
	var list []atom
	for _, a := range atoms(text) {
		if a.width > avail() && strings.Contains(a.text, " ") {
			// A code span wider than a line breaks at its spaces after
			// all, rather than inside a word.
			for k, part := range strings.Split(a.text, " ") {
				if part != "" {
					list = append(list, atom{text: part, width: Width(part), space: a.space || k > 0})
				}
			}
			continue
		}
		list = append(list, a)
	}
	for _, a := range list {
		sep := 0
		if a.space && curW > 0 {
			sep = 1
		}
		if curW+sep+a.width <= avail() {
			if sep == 1 {
				cur.WriteByte(' ')
			}
			cur.WriteString(a.text)
			curW += sep + a.width
			continue
		}
		if curW > 0 {
			flush()
		}
		// The atom alone is wider than a line: the break is unavoidable,
		// so cut it at the column limit; but closing punctuation glued to
		// the atom ("`permessage-deflate`，") takes the character before
		// it along, so that it never starts a line.
		for _, r := range a.text {
			w := RuneWidth(r)
			if curW+w > avail() && curW > 0 {
				var carry string
				if strings.ContainsRune(noLineStart, r) {
					// Carry characters until the carried text starts
					// with one that may start a line.
					line := cur.String()
					for utf8.RuneCountInString(line) > 1 {
						c, size := utf8.DecodeLastRuneInString(line)
						carry, line = string(c)+carry, line[:len(line)-size]
						if !strings.ContainsRune(noLineStart, c) {
							break
						}
					}
					cur.Reset()
					cur.WriteString(line)
				}
				flush()
				cur.WriteString(carry)
				curW = Width(carry)
			}
			cur.WriteRune(r)
			curW += w
		}
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}
