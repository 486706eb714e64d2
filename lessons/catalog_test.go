package lessons

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// wantLessons is the number of lessons issue 4 asks for.
const wantLessons = 13

// loadBoth loads both catalogs or stops the test.
func loadBoth(t *testing.T) (en, zh []Lesson) {
	t.Helper()
	en, err := Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	zh, err = Catalog("zh")
	if err != nil {
		t.Fatal(err)
	}
	return en, zh
}

func TestCatalogParsesEveryLesson(t *testing.T) {
	en, zh := loadBoth(t)
	if len(en) < wantLessons {
		t.Errorf("English has %d lessons, want the %d of issue 4", len(en), wantLessons)
	}
	for _, cat := range [][]Lesson{en, zh} {
		for i, l := range cat {
			if l.Number != i+1 {
				t.Errorf("%s: number %d, want %d (no gaps)", l.File, l.Number, i+1)
			}
			if n := len(l.Steps); n < 5 || n > 10 {
				t.Errorf("%s: %d steps, want 5-10", l.File, n)
			}
			checks := 0
			for _, s := range l.Steps {
				if s.Check != nil {
					checks++
				}
				if strings.Contains(s.Text, "{{") {
					t.Errorf("%s:%d: unevaluated template in text", l.File, s.Line)
				}
				if strings.TrimSpace(s.Text) == "" {
					t.Errorf("%s:%d: step %q has no text", l.File, s.Line, s.Title)
				}
			}
			if checks == 0 {
				t.Errorf("%s: no check", l.File)
			}
		}
	}
}

// TestLanguagesMatch: the Chinese lessons are translations, not different
// lessons. Same files, same steps, and per step the same actions and the
// same kind of check with the same right answer, so progress (kept per
// step) carries over when the learner switches language.
func TestLanguagesMatch(t *testing.T) {
	en, zh := loadBoth(t)
	if len(en) != len(zh) {
		t.Fatalf("en has %d lessons, zh %d", len(en), len(zh))
	}
	for i := range en {
		e, z := en[i], zh[i]
		if e.Number != z.Number || e.Slug != z.Slug {
			t.Errorf("lesson %d: en %s, zh %s: number and slug must match", i+1, e.File, z.File)
			continue
		}
		if len(e.Steps) != len(z.Steps) {
			t.Errorf("%s has %d steps, %s has %d", e.File, len(e.Steps), z.File, len(z.Steps))
			continue
		}
		for j := range e.Steps {
			es, zs := e.Steps[j], z.Steps[j]
			if !sameActions(es.Actions, zs.Actions) {
				t.Errorf("%s:%d and %s:%d: actions differ", e.File, es.Line, z.File, zs.Line)
			}
			switch {
			case (es.Check == nil) != (zs.Check == nil):
				t.Errorf("%s:%d and %s:%d: one has a check, the other not", e.File, es.Line, z.File, zs.Line)
			case es.Check == nil:
			case len(es.Check.Choices) != len(zs.Check.Choices) || es.Check.Correct != zs.Check.Correct:
				t.Errorf("%s:%d and %s:%d: checks differ in options or right option", e.File, es.Check.Line, z.File, zs.Check.Line)
			case !es.Check.IsChoice() && !reflect.DeepEqual(es.Check.Answers, zs.Check.Answers):
				// Typed answers are numbers, hex and RFC names: the same
				// in both languages.
				t.Errorf("%s:%d and %s:%d: typed answers differ: %q vs %q", e.File, es.Check.Line, z.File, zs.Check.Line, es.Check.Answers, zs.Check.Answers)
			}
		}
	}
}

// sameActions compares actions ignoring where they are written.
func sameActions(a, b []Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Line, y.Line = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestFind(t *testing.T) {
	en, _ := loadBoth(t)
	l, ok := Find(en, 3)
	if !ok || l.Number != 3 {
		t.Fatalf("Find(3) = %d, %v", l.Number, ok)
	}
	if _, ok := Find(en, 999); ok {
		t.Error("Find(999) found a lesson")
	}
	if _, err := Catalog("fr"); err == nil {
		t.Error("Catalog(fr) did not fail")
	}
}

// TestParseErrorsNameFileAndLine feeds broken lessons and checks that the
// error points a teacher at the right line.
func TestParseErrorsNameFileAndLine(t *testing.T) {
	good := "# T\nSummary.\n\n## S\nText.\n"
	tests := []struct {
		name, src, want string
	}{
		{"unknown action", good + "```action\nclient text \"a\"\nclient shout \"hi\"\n```\n", "en/01-x.md:8: action"},
		{"unknown function", good + "{{nosuch 1}}\n", "en/01-x.md:6:"},
		{"bad close code", good + "```action\nclose 1005\n```\n", "en/01-x.md:7:"},
		{"no correct option", good + "```check\nquestion: q\n- a\n- b\nright: r\nwrong: w\n```\n", "en/01-x.md:6:"},
		{"two checks", good + "```check\nquestion: q\nanswer: 1\nright: r\nwrong: w\n```\n```check\n", "en/01-x.md:12:"},
		{"unclosed block", good + "```action\nclient text \"a\"\n", "en/01-x.md:6:"},
		{"no summary", "# T\n\n## S\nText.\n", "en/01-x.md:1:"},
		{"actor missing", good + "```action\ntext \"a\"\n```\n", "en/01-x.md:7:"},
		{"fragment size", good + "```action\nclient fragments text \"abc\" 0\n```\n", "en/01-x.md:7:"},
		// Messages that name a line by its key say "line" after it, so
		// they read as a sentence and do not end in the key's colon.
		{"no question", good + "```check\nanswer: 1\nright: r\nwrong: w\n```\n", "en/01-x.md:6: check has no question: line"},
		{"no options or answer", good + "```check\nquestion: q\nright: r\nwrong: w\n```\n", "en/01-x.md:6: check has neither options nor answer: lines"},
		{"ambiguous option", good + "```check\nquestion: q\n+ 2\n- 3\nright: r\nwrong: w\n```\n", "en/01-x.md:6:"},
		{"bad handshake option", good + "```action\nhandshake colour=red\n```\n", "en/01-x.md:7:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"en/01-x.md": {Data: []byte(tt.src)}}
			_, err := catalogFS(fsys, "en")
			if err == nil {
				t.Fatalf("no error for %q", tt.src)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
	// And the good one parses.
	if _, err := catalogFS(fstest.MapFS{"en/01-x.md": {Data: []byte(good)}}, "en"); err != nil {
		t.Errorf("good lesson: %v", err)
	}
}
