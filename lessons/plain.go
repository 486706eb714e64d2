package lessons

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Labels of the plain output, per language. The lesson text is translated in
// its files; these few words are the only ones the engine writes itself.
var labels = map[string]map[string]string{
	"en": {
		"lesson":   "Lesson %d: %s",
		"step":     "%d/%d. %s",
		"run":      "Live demo (run in the TUI: wsanatomy lessons %d):",
		"check":    "Check:",
		"answer":   "Answer: %s",
		"listhead": "wsanatomy lessons (open one with: wsanatomy lessons N)",
	},
	"zh": {
		"lesson":   "第 %d 课：%s",
		"step":     "%d/%d. %s",
		"run":      "现场演示（在 TUI 中运行：wsanatomy lessons %d）：",
		"check":    "小测验：",
		"answer":   "答案：%s",
		"listhead": "wsanatomy 课程（打开一课：wsanatomy lessons N）",
	},
}

// Label returns the engine's word for key in lang, for the TUI to reuse.
func Label(lang, key string) string {
	if m, ok := labels[lang]; ok {
		return m[key]
	}
	return labels["en"][key]
}

// LabelKeys returns the keys of the engine's words, sorted, so that a
// test can check each of them in every language.
func LabelKeys() []string {
	var keys []string
	for k := range labels["en"] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteList prints the lessons of a language, one per line: number, title
// and one-line summary. It is what `wsanatomy lessons --list` prints.
func WriteList(w io.Writer, lang string) error {
	cat, err := Catalog(lang)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, Label(lang, "listhead")); err != nil {
		return err
	}
	for _, l := range cat {
		if _, err := fmt.Fprintf(w, "%2d  %s\n    %s\n", l.Number, l.Title, l.Summary); err != nil {
			return err
		}
	}
	return nil
}

// WritePlain prints a whole lesson as text wrapped to width columns: what
// `wsanatomy lessons N --plain` prints. Actions are listed (a demo needs the
// TUI to run), and each check is printed with its answer and feedback.
func WritePlain(w io.Writer, l Lesson, width int) error {
	lang := strings.Split(l.File, "/")[0]
	var b strings.Builder
	title := fmt.Sprintf(Label(lang, "lesson"), l.Number, l.Title)
	para := func(s string) {
		b.WriteString(Wrap(s, width))
		b.WriteString("\n")
	}
	para(title)
	b.WriteString(strings.Repeat("=", min(Width(title), width)) + "\n")
	para(l.Summary)
	for i, s := range l.Steps {
		b.WriteString("\n")
		head := fmt.Sprintf(Label(lang, "step"), i+1, len(l.Steps), s.Title)
		para(head)
		b.WriteString(strings.Repeat("-", min(Width(head), width)) + "\n")
		// Bold marks mean nothing on a plain terminal.
		para(PlainEmphasis(s.Text))
		if len(s.Actions) > 0 {
			b.WriteString("\n")
			para(fmt.Sprintf(Label(lang, "run"), l.Number))
			for _, a := range s.Actions {
				para("  > " + a.Source)
			}
		}
		if c := s.Check; c != nil {
			b.WriteString("\n")
			para(joinSoft(Label(lang, "check"), c.Question))
			for j, ch := range c.Choices {
				opt := wrapParagraph(ch, width, fmt.Sprintf("  %c) ", 'a'+j), "     ")
				b.WriteString(strings.Join(opt, "\n") + "\n")
			}
			para(fmt.Sprintf(Label(lang, "answer"), c.Expected()))
			para(c.Right)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
