package lessons_test

import (
	"fmt"
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestChineseLessonText holds every Chinese string of the lessons (titles,
// summaries, step text, checks, the plain output's labels, close-code and
// length-form names) to the rules of package zhcheck: full-width
// punctuation, the glossary's terms, and wrapping that never splits a term
// or starts a line with closing punctuation.
func TestChineseLessonText(t *testing.T) {
	cat, err := lessons.Catalog("zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cat {
		zhcheck.Test(t, l.File+" title and summary", l.Title, l.Summary)
		for i, s := range l.Steps {
			where := fmt.Sprintf("%s step %d", l.File, i+1)
			zhcheck.Test(t, where, s.Title, s.Text)
			if c := s.Check; c != nil {
				zhcheck.Test(t, where+" check", append([]string{c.Question, c.Right, c.Wrong}, c.Choices...)...)
			}
		}
	}
	for _, k := range lessons.LabelKeys() {
		zhcheck.Test(t, "label "+k, lessons.Label("zh", k))
	}
	for c := protocol.CloseCode(0); c < 5000; c++ {
		zhcheck.Test(t, "close code name", lessons.CloseCodeName("zh", c))
	}
	for _, f := range []protocol.LengthForm{protocol.Length7Bit, protocol.Length16Bit, protocol.Length64Bit} {
		zhcheck.Test(t, "length form", lessons.LengthFormName("zh", f))
	}
}
