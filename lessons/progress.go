package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
)

// Progress remembers, between runs, which lessons a learner finished, which
// checks they answered right and the step each lesson was left at. Lessons are keyed by number and checks
// by step index, so progress carries over when the learner switches
// language: the two languages have the same steps (a test enforces it).
//
// A Progress is safe for concurrent use. Changes live in memory until Save.
type Progress struct {
	mu      sync.Mutex
	path    string
	lessons map[int]*lessonProgress
}

type lessonProgress struct {
	Done   bool  `json:"done"`
	Checks []int `json:"checks_passed,omitempty"` // step indices, sorted
	Step   int   `json:"step,omitempty"`          // the step the learner was last on
}

// progressFile is the on-disk form. Version lets a later format migrate.
type progressFile struct {
	Version int                        `json:"version"`
	Lessons map[string]*lessonProgress `json:"lessons"`
}

// DefaultProgressPath returns progress.json under the user's config
// directory: ~/.config/wsanatomy on Linux, ~/Library/Application Support
// on macOS, %AppData% on Windows.
func DefaultProgressPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("lessons: no config directory for progress: %w", err)
	}
	return filepath.Join(dir, "wsanatomy", "progress.json"), nil
}

// LoadProgress reads the progress stored at path. A missing file is a fresh
// start, not an error; a corrupt one is an error, so that it is not
// silently overwritten.
func LoadProgress(path string) (*Progress, error) {
	p := &Progress{path: path, lessons: map[int]*lessonProgress{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lessons: failed to read progress: %w", err)
	}
	var f progressFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("lessons: progress file %s is corrupt (reset it to start over): %w", path, err)
	}
	for k, v := range f.Lessons {
		n, err := strconv.Atoi(k)
		if err != nil || v == nil {
			continue
		}
		p.lessons[n] = v
	}
	return p, nil
}

// InMemoryProgress returns progress that is never saved: for a run whose
// progress file cannot be read, so that the lessons still work and the
// unreadable file is left as it is for the learner to look at or reset.
func InMemoryProgress() *Progress {
	return &Progress{lessons: map[int]*lessonProgress{}}
}

// Path returns where the progress is stored.
func (p *Progress) Path() string { return p.path }

// Save writes the progress, creating its directory. It writes a temporary
// file and renames it, so a crash never leaves half a file behind.
func (p *Progress) Save() error {
	if p.path == "" {
		return nil // progress kept in memory only (see InMemoryProgress)
	}
	p.mu.Lock()
	f := progressFile{Version: 1, Lessons: map[string]*lessonProgress{}}
	for n, lp := range p.lessons {
		f.Lessons[strconv.Itoa(n)] = lp
	}
	b, err := json.MarshalIndent(f, "", "  ")
	p.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o755); err != nil {
		return fmt.Errorf("lessons: failed to save progress: %w", err)
	}
	tmp := p.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("lessons: failed to save progress: %w", err)
	}
	if err := os.Rename(tmp, p.path); err != nil {
		return fmt.Errorf("lessons: failed to save progress: %w", err)
	}
	return nil
}

// Reset forgets all progress and removes the file.
func (p *Progress) Reset() error {
	p.mu.Lock()
	p.lessons = map[int]*lessonProgress{}
	p.mu.Unlock()
	err := os.Remove(p.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lessons: failed to reset progress: %w", err)
	}
	return nil
}

// MarkDone records that lesson n was finished.
func (p *Progress) MarkDone(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.get(n).Done = true
}

// PassCheck records a right answer to the check of lesson n, step index step.
func (p *Progress) PassCheck(n, step int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp := p.get(n)
	i := sort.SearchInts(lp.Checks, step)
	if i < len(lp.Checks) && lp.Checks[i] == step {
		return
	}
	lp.Checks = append(lp.Checks, 0)
	copy(lp.Checks[i+1:], lp.Checks[i:])
	lp.Checks[i] = step
}

// SetStep records that the learner is on step index step of lesson n, so
// that reopening the lesson returns there.
func (p *Progress) SetStep(n, step int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.get(n).Step = step
}

// Step returns the step index lesson n was left at, 0 for a lesson never
// opened.
func (p *Progress) Step(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if lp, ok := p.lessons[n]; ok {
		return lp.Step
	}
	return 0
}

// Complete reports whether lesson l counts as done: every check of it
// answered right or, for a lesson without checks, read to the end (Done).
// Reaching the last step with checks still open is not finishing it.
func (p *Progress) Complete(l Lesson) bool {
	checks := 0
	for i, s := range l.Steps {
		if s.Check == nil {
			continue
		}
		checks++
		if !p.Passed(l.Number, i) {
			return false
		}
	}
	return checks > 0 || p.Done(l.Number)
}

// Done reports whether lesson n was finished.
func (p *Progress) Done(n int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp, ok := p.lessons[n]
	return ok && lp.Done
}

// Passed reports whether the check of lesson n, step index step, was
// answered right.
func (p *Progress) Passed(n, step int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp, ok := p.lessons[n]
	if !ok {
		return false
	}
	i := sort.SearchInts(lp.Checks, step)
	return i < len(lp.Checks) && lp.Checks[i] == step
}

// ChecksPassed returns how many checks of lesson n were answered right.
func (p *Progress) ChecksPassed(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if lp, ok := p.lessons[n]; ok {
		return len(lp.Checks)
	}
	return 0
}

// get returns lesson n's entry, creating it. p.mu must be held.
func (p *Progress) get(n int) *lessonProgress {
	lp, ok := p.lessons[n]
	if !ok {
		lp = &lessonProgress{}
		p.lessons[n] = lp
	}
	return lp
}
