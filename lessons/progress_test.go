package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgressSaveLoadReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "progress.json")
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Done(1) || p.Passed(1, 0) {
		t.Fatal("fresh progress is not empty")
	}
	p.MarkDone(3)
	p.PassCheck(3, 4)
	p.PassCheck(3, 1)
	p.PassCheck(3, 4) // twice counts once
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Done(3) || q.Done(2) || !q.Passed(3, 1) || !q.Passed(3, 4) || q.Passed(3, 2) || q.ChecksPassed(3) != 2 {
		t.Errorf("reloaded progress lost data: done3=%v passed=%d", q.Done(3), q.ChecksPassed(3))
	}
	if err := q.Reset(); err != nil {
		t.Fatal(err)
	}
	if q.Done(3) {
		t.Error("Reset kept lesson 3")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("Reset left the file: %v", err)
	}
	r, err := LoadProgress(path)
	if err != nil || r.Done(3) {
		t.Errorf("after reset: %v, done=%v", err, r.Done(3))
	}
	if err := r.Reset(); err != nil {
		t.Errorf("second Reset: %v", err)
	}
}

func TestProgressCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProgress(path); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("corrupt file: %v", err)
	}
}

func TestDefaultProgressPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	p, err := DefaultProgressPath()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "progress.json" || filepath.Base(filepath.Dir(p)) != "wsanatomy" {
		t.Errorf("DefaultProgressPath = %q", p)
	}
}

// The step a lesson was left at is kept across runs; a lesson is complete
// when every check is passed, whatever the old "done" flag says.
func TestProgressStepAndComplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Catalog("en")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := Find(cat, 1)
	var checks []int
	for i, s := range l.Steps {
		if s.Check != nil {
			checks = append(checks, i)
		}
	}
	if len(checks) < 2 {
		t.Fatal("lesson 1 should have several checks")
	}
	p.SetStep(1, 4)
	p.MarkDone(1) // as an older version did on reaching the end
	for _, i := range checks[:len(checks)-1] {
		p.PassCheck(1, i)
	}
	if p.Complete(l) {
		t.Error("complete with a check not passed")
	}
	p.PassCheck(1, checks[len(checks)-1])
	if !p.Complete(l) {
		t.Error("not complete with every check passed")
	}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.Step(1) != 4 || q.Step(2) != 0 || !q.Complete(l) {
		t.Errorf("reloaded: step %d, step of an unopened lesson %d, complete %v", q.Step(1), q.Step(2), q.Complete(l))
	}
	noChecks := Lesson{Number: 99, Steps: []Step{{Title: "only text"}}}
	if q.Complete(noChecks) {
		t.Error("a lesson without checks is complete before it is read")
	}
	q.MarkDone(99)
	if !q.Complete(noChecks) {
		t.Error("a lesson without checks read to the end is not complete")
	}
}
