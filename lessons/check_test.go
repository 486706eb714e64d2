package lessons

import (
	"strconv"
	"testing"
)

// TestEveryCheckGrades answers every check of every lesson right, in every
// accepted form, and wrong, and expects the matching feedback.
func TestEveryCheckGrades(t *testing.T) {
	en, zh := loadBoth(t)
	for _, cat := range [][]Lesson{en, zh} {
		for _, l := range cat {
			for _, s := range l.Steps {
				c := s.Check
				if c == nil {
					continue
				}
				var right, wrong []string
				if c.IsChoice() {
					right = []string{strconv.Itoa(c.Correct + 1), string(rune('a' + c.Correct)), string(rune('A' + c.Correct)), " " + c.Choices[c.Correct] + " "}
					for i, ch := range c.Choices {
						if i != c.Correct {
							wrong = append(wrong, strconv.Itoa(i+1), string(rune('a'+i)), ch)
						}
					}
				} else {
					right = append(right, c.Answers...)
					right = append(right, c.Answers[0]+" bytes")
					wrong = []string{"", "no idea", c.Answers[0] + "0"}
				}
				for _, a := range right {
					if ok, fb := c.Grade(a); !ok || fb != c.Right {
						t.Errorf("%s:%d: answer %q graded wrong (feedback %q)", l.File, c.Line, a, fb)
					}
				}
				for _, a := range wrong {
					if ok, fb := c.Grade(a); ok || fb != c.Wrong {
						t.Errorf("%s:%d: answer %q graded right", l.File, c.Line, a)
					}
				}
			}
		}
	}
}

func TestGradeForms(t *testing.T) {
	c := &Check{Question: "q", Choices: []string{"0x0", "0x1"}, Correct: 1, Right: "R", Wrong: "W"}
	for a, want := range map[string]bool{"2": true, "b": true, "B": true, "0x1": true, "1": false, "a": false, "0x0": false, "c": false} {
		if ok, _ := c.Grade(a); ok != want {
			t.Errorf("choice %q: got %v, want %v", a, ok, want)
		}
	}
	typed := &Check{Question: "q", Answers: []string{"14", "fourteen"}, Right: "R", Wrong: "W"}
	for a, want := range map[string]bool{"14": true, " 14 bytes ": true, "14 字节": true, "14。": true, "Fourteen": true, "41": false, "1 4x": false} {
		if ok, _ := typed.Grade(a); ok != want {
			t.Errorf("typed %q: got %v, want %v", a, ok, want)
		}
	}
	if typed.Expected() != "14" || c.Expected() != "b) 0x1" {
		t.Errorf("Expected = %q, %q", typed.Expected(), c.Expected())
	}
}
