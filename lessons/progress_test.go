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
