package lessons

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestWriteList(t *testing.T) {
	for _, lang := range Languages {
		var buf bytes.Buffer
		if err := WriteList(&buf, lang); err != nil {
			t.Fatal(err)
		}
		cat, _ := Catalog(lang)
		for _, l := range cat {
			if !strings.Contains(buf.String(), fmt.Sprintf("%2d  %s\n    %s\n", l.Number, l.Title, l.Summary)) {
				t.Errorf("%s: list lacks lesson %d %q", lang, l.Number, l.Title)
			}
		}
	}
	if err := WriteList(&bytes.Buffer{}, "fr"); err == nil {
		t.Error("WriteList(fr) did not fail")
	}
}

func TestWritePlainContent(t *testing.T) {
	en, zh := loadBoth(t)
	for _, cat := range [][]Lesson{en, zh} {
		for _, l := range cat {
			var buf bytes.Buffer
			if err := WritePlain(&buf, l, 1000); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, s := range l.Steps {
				if !strings.Contains(out, s.Title) {
					t.Errorf("%s: plain output lacks step %q", l.File, s.Title)
				}
				for _, a := range s.Actions {
					if !strings.Contains(out, a.Source) {
						t.Errorf("%s: plain output lacks action %q", l.File, a.Source)
					}
				}
				if s.Check != nil && !strings.Contains(out, s.Check.Expected()) {
					t.Errorf("%s: plain output lacks the answer %q", l.File, s.Check.Expected())
				}
			}
			if strings.Contains(out, "{{") || strings.Contains(out, "```action") || strings.Contains(out, "```check") {
				t.Errorf("%s: plain output shows lesson syntax", l.File)
			}
		}
	}
}
