package lessonui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fakeRunner returns the same events for every step: a masked text frame
// "Hello" from the client, with a fixed key, and a note. It makes the
// golden views reproducible.
type fakeRunner struct{ runs int }

func (f *fakeRunner) Run(ctx context.Context, acts []lessons.Action) lessonrun.Result {
	f.runs++
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	h := protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key, Length: 5}
	raw := protocol.AppendHeader(nil, h)
	p := []byte("Hello")
	masked := append([]byte(nil), p...)
	protocol.Mask(key, 0, masked)
	return lessonrun.Result{Events: []lessonrun.Event{
		{Kind: lessonrun.KindNote, Note: lessonrun.NoteConnected},
		{Kind: lessonrun.KindFrame, Role: protocol.RoleClient, Received: true,
			Entry: capture.Entry{Kind: capture.KindFrame, Dir: capture.ClientToServer, Header: h, Wire: append(raw, masked...), Unmasked: p}},
		{Kind: lessonrun.KindMessage, Role: protocol.RoleServer, Opcode: protocol.OpText, Bytes: p},
	}}
}

func (f *fakeRunner) Close() error { return nil }

func newTestModel(t *testing.T, lang string, w, h int, fake bool) (Model, *lessons.Progress) {
	t.Helper()
	cat, err := lessons.Catalog(lang)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := lessons.LoadProgress(filepath.Join(t.TempDir(), "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Lang: lang, Catalog: cat, Progress: prog}
	if fake {
		cfg.NewRunner = func() StepRunner { return &fakeRunner{} }
	}
	m := New(cfg)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return mm.(Model), prog
}

// drive feeds keys to the model, running every command it returns (and
// feeding their messages back) until it settles. tea.Quit ends the drive.
func drive(t *testing.T, m Model, keys ...tea.KeyMsg) (Model, bool) {
	t.Helper()
	for _, k := range keys {
		mm, cmd := m.Update(k)
		m = mm.(Model)
		var quit bool
		m, quit = runCmds(t, m, cmd)
		if quit {
			return m, true
		}
	}
	return m, false
}

func runCmds(t *testing.T, m Model, cmd tea.Cmd) (Model, bool) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
		case tea.QuitMsg:
			return m, true
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case stepDoneMsg, openMsg:
			mm, next := m.Update(msg)
			m = mm.(Model)
			queue = append(queue, next)
		default:
			// Cursor blinks and the like: not part of the behaviour tested.
		}
	}
	return m, false
}

// advanceTo presses key until the lesson reaches step, and fails (instead
// of looping forever) if the key stops moving it.
func advanceTo(t *testing.T, m Model, step int, key string) Model {
	t.Helper()
	for tries := 0; m.step < step; tries++ {
		if tries > 2*len(m.lesson.Steps) {
			t.Fatalf("%q does not move past step %d (want step %d)", key, m.step, step)
		}
		m, _ = drive(t, m, keyOf(key))
	}
	return m
}

func keyOf(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func keys(ss ...string) []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, s := range ss {
		out = append(out, keyOf(s))
	}
	return out
}

// TestPickerLessonChecksProgress goes from the picker into lesson 1,
// answers its choice check wrong then right, its typed check wrong then
// right, finishes the lesson and checks what was saved.
func TestPickerLessonChecksProgress(t *testing.T) {
	m, prog := newTestModel(t, "en", 80, 24, true)
	defer m.Shutdown()
	m, _ = drive(t, m, keys("down", "down", "up", "up", "enter")...)
	if m.screen != screenLesson || m.lesson.Number != 1 || m.step != 0 {
		t.Fatalf("screen %d lesson %d step %d, want lesson 1 step 0", m.screen, m.lesson.Number, m.step)
	}
	// Find the steps with checks.
	choice, typed := -1, -1
	for i, s := range m.lesson.Steps {
		if s.Check != nil && s.Check.IsChoice() && choice < 0 {
			choice = i
		}
		if s.Check != nil && !s.Check.IsChoice() && typed < 0 {
			typed = i
		}
	}
	if choice < 0 || typed < 0 {
		t.Fatalf("lesson 1 should have a choice and a typed check (choice %d typed %d)", choice, typed)
	}
	m = advanceTo(t, m, choice, "right")
	c := m.lesson.Steps[choice].Check
	wrong := (c.Correct + 1) % len(c.Choices)
	m, _ = drive(t, m, keyOf(fmt.Sprint(wrong+1)))
	if a := m.answered[choice]; a.correct || a.feedback != c.Wrong {
		t.Fatalf("wrong choice graded %+v", a)
	}
	if prog.Passed(1, choice) {
		t.Fatal("a wrong answer was recorded as passed")
	}
	if !strings.Contains(m.View(), "✗ "+strings.Fields(c.Wrong)[0]) {
		t.Fatalf("no wrong feedback on screen:\n%s", m.View())
	}
	// Arrow keys then enter.
	for m.choice > 0 {
		m, _ = drive(t, m, keyOf("up"))
	}
	for range c.Correct {
		m, _ = drive(t, m, keyOf("down"))
	}
	m, _ = drive(t, m, keyOf("enter"))
	if a := m.answered[choice]; !a.correct {
		t.Fatalf("right choice graded %+v", a)
	}
	if !prog.Passed(1, choice) {
		t.Fatal("a right answer was not recorded")
	}
	m = advanceTo(t, m, typed, "right")
	tc := m.lesson.Steps[typed].Check
	// enter focuses the field; typed keys then go into it, not to the
	// navigation (q must not quit).
	m, _ = drive(t, m, keyOf("enter"))
	if !m.focus {
		t.Fatal("enter did not focus the answer field")
	}
	var quit bool
	m, quit = drive(t, m, append(keys("q", "9", "9"), keyOf("enter"))...)
	if quit || m.answered[typed].correct {
		t.Fatalf("typing a wrong answer: quit=%v %+v", quit, m.answered[typed])
	}
	for range 3 {
		m, _ = drive(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	}
	m, _ = drive(t, m, append(keys(tc.Answers[0]+" bytes"), keyOf("enter"))...)
	if !m.answered[typed].correct || m.focus {
		t.Fatalf("typed right answer %q: %+v focus=%v", tc.Answers[0], m.answered[typed], m.focus)
	}
	// To the end with a check still open: reading to the end is not
	// finishing, the screen says what is left.
	last := len(m.lesson.Steps) - 1
	m = advanceTo(t, m, last, "space")
	m, _ = drive(t, m, keyOf("right"))
	if prog.Done(1) || prog.Complete(m.lesson) {
		t.Fatal("lesson marked done with a check not passed")
	}
	if !strings.Contains(m.View(), "2 of 3 checks passed") {
		t.Fatalf("the end of the lesson does not say what is left:\n%s", m.View())
	}
	// Passing the last check is what finishes it.
	lc := m.lesson.Steps[last].Check
	if lc == nil || !lc.IsChoice() {
		t.Fatal("lesson 1 should end with a choice check")
	}
	m, _ = drive(t, m, keyOf(fmt.Sprint(lc.Correct+1)))
	if !prog.Done(1) || !prog.Complete(m.lesson) {
		t.Fatal("lesson not done once every check passed")
	}
	if !strings.Contains(m.View(), "Lesson 1 done. Press →/space/enter to return to the list.") {
		t.Fatalf("no done message naming the real key:\n%s", m.View())
	}
	m, _ = drive(t, m, keyOf("right"))
	if m.screen != screenPicker {
		t.Fatal("did not return to the picker")
	}
	// It was saved: a fresh load sees it.
	again, err := lessons.LoadProgress(prog.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Done(1) || again.ChecksPassed(1) != 3 {
		t.Fatalf("saved progress: done=%v checks=%d", again.Done(1), again.ChecksPassed(1))
	}
	if !strings.Contains(m.View(), "done  checks 3/3") {
		t.Fatalf("picker does not show the progress:\n%s", m.View())
	}
	// Reset from the picker, with confirmation: n keeps, y resets.
	m, _ = drive(t, m, keys("r", "n")...)
	if !prog.Done(1) {
		t.Fatal("reset without confirmation")
	}
	m, _ = drive(t, m, keys("r", "y")...)
	if prog.Done(1) || prog.ChecksPassed(1) != 0 {
		t.Fatal("reset did not forget")
	}
	if _, err := os.Stat(prog.Path()); !os.IsNotExist(err) {
		t.Fatalf("progress file still there: %v", err)
	}
	_, quit = drive(t, m, keyOf("q"))
	if !quit {
		t.Fatal("q did not quit")
	}
}

// TestNavigation: ← goes back, esc returns to the picker, a step with
// actions runs once however often it is visited.
func TestNavigation(t *testing.T) {
	var fakes []*fakeRunner
	cat, _ := lessons.Catalog("en")
	prog, _ := lessons.LoadProgress(filepath.Join(t.TempDir(), "p.json"))
	m := New(Config{Lang: "en", Catalog: cat, Progress: prog, Open: 1, NewRunner: func() StepRunner {
		f := &fakeRunner{}
		fakes = append(fakes, f)
		return f
	}})
	defer m.Shutdown()
	m, _ = runCmds(t, m, m.Init())
	if m.screen != screenLesson || m.lesson.Number != 1 {
		t.Fatal("Open did not open lesson 1")
	}
	withActions := -1
	for i, s := range m.lesson.Steps {
		if len(s.Actions) > 0 {
			withActions = i
			break
		}
	}
	m = advanceTo(t, m, withActions, "right")
	m, _ = drive(t, m, keys("left", "right")...)
	if len(fakes) != 1 || fakes[0].runs != 1 {
		t.Fatalf("runs: %d runners, %+v", len(fakes), fakes)
	}
	if !strings.Contains(m.View(), "Live demo") {
		t.Fatalf("no demo:\n%s", m.View())
	}
	m, _ = drive(t, m, keyOf("down"))
	if !strings.Contains(m.View(), "frame · client → server · text · 11 bytes on the wire") {
		t.Fatalf("selected frame not dissected:\n%s", m.View())
	}
	m, _ = drive(t, m, keyOf("r"))
	if fakes[0].runs != 2 {
		t.Fatal("r did not run the demo again")
	}
	m, _ = drive(t, m, keyOf("esc"))
	if m.screen != screenPicker {
		t.Fatal("esc did not return to the picker")
	}
	m, _ = drive(t, m, keyOf("?"))
	if !m.showHelp || !strings.Contains(m.View(), "reset progress") {
		t.Fatal("? did not show the help")
	}
}

// TestGolden compares the views with golden files, in both languages at
// 60 and 80 columns, and checks that no line is wider than the terminal
// and the screen is exactly as tall.
func TestGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for _, w := range []int{60, 80} {
			for _, ascii := range []bool{false, true} {
				m, _ := newTestModel(t, lang, w, 24, true)
				m.cfg.ASCII = ascii
				m.theme = newStyles(false, ascii)
				views := map[string]string{"picker": m.View()}
				m, _ = drive(t, m, keys("down", "down", "enter")...)
				views["lesson3_step1"] = m.View()
				for m.step < 4 {
					m, _ = drive(t, m, keyOf("right"))
				}
				m, _ = drive(t, m, keys("down", "pgdown")...)
				views["lesson3_step5_demo"] = m.View()
				m, _ = drive(t, m, keys("esc", "1", "enter", "right", "1")...)
				views["lesson1_check"] = m.View()
				m.Shutdown()
				for name, v := range views {
					if ascii && name != "lesson3_step1" {
						continue
					}
					file := fmt.Sprintf("%s_%s_%dx24", name, lang, w)
					if ascii {
						file += "_ascii"
					}
					checkView(t, file, v, w, 24)
				}
			}
		}
	}
}

func checkView(t *testing.T, name, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%s: %d lines, want %d", name, len(lines), h)
	}
	for i, l := range lines {
		if lessons.Width(l) > w || ansi.StringWidth(l) > w {
			t.Errorf("%s: line %d is %d columns, wider than %d: %q", name, i+1, lessons.Width(l), w, l)
		}
	}
	if strings.Contains(v, "\x1b[") {
		t.Errorf("%s: escape sequences without colour", name)
	}
	if strings.Contains(name, "ascii") {
		for _, r := range v {
			if r >= 0x2500 && r <= 0x25FF {
				t.Errorf("%s: box-drawing or geometric character %q in ASCII mode", name, r)
				break
			}
		}
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != v {
		t.Errorf("%s differs from %s:\n%s", name, path, v)
	}
}

// TestResizeKeepsWidth: any size from 40 to 140 columns keeps every line
// within the terminal, in both languages, with a real demo on screen.
func TestResizeKeepsWidth(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, _ := newTestModel(t, lang, 80, 24, true)
		m, _ = drive(t, m, keys("2", "enter")...)
		for m.step < 3 {
			m, _ = drive(t, m, keyOf("right"))
		}
		m, _ = drive(t, m, keyOf("down"))
		for _, sz := range [][2]int{{40, 15}, {60, 24}, {80, 24}, {100, 30}, {120, 40}, {140, 50}} {
			mm, _ := m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m = mm.(Model)
			for _, name := range []string{"top", "scrolled"} {
				if name == "scrolled" {
					m, _ = drive(t, m, keys("pgdown", "pgdown")...)
				}
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) != sz[1] {
					t.Errorf("%s %dx%d %s: %d lines", lang, sz[0], sz[1], name, len(lines))
				}
				for i, l := range lines {
					if lessons.Width(l) > sz[0] {
						t.Errorf("%s %dx%d %s line %d: %d columns: %q", lang, sz[0], sz[1], name, i+1, lessons.Width(l), l)
					}
				}
			}
		}
		m.Shutdown()
	}
}

// TestQuitLeavesNoGoroutines runs real demos on real connections, quits,
// and checks that every goroutine ended.
func TestQuitLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	m, _ := newTestModel(t, "en", 80, 24, false)
	m, _ = drive(t, m, keys("6", "enter")...) // lesson 6: dribble, raw frames
	for m.step < 2 {
		m, _ = drive(t, m, keyOf("right"))
	}
	if len(m.results) == 0 {
		t.Fatal("no demo ran")
	}
	// Leave a lesson (its runner closes in the background), open another
	// and quit while its first demo may still run.
	m, _ = drive(t, m, keys("esc", "7", "enter")...)
	mm, cmd := m.Update(keyOf("right"))
	m = mm.(Model)
	go func() {
		if cmd != nil {
			cmd()
		}
	}()
	_, quit := drive(t, m, keyOf("ctrl+c"))
	if !quit {
		t.Fatal("ctrl+c did not quit")
	}
	m.Shutdown()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left (was %d):\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// bytesOf is for the plain test below.
var _ = bytes.Contains

// stepWith returns the index of the first step of m's lesson whose check
// is a choice (choice true) or typed one.
func stepWith(t *testing.T, m Model, choice bool) int {
	t.Helper()
	for i, s := range m.lesson.Steps {
		if s.Check != nil && s.Check.IsChoice() == choice {
			return i
		}
	}
	t.Fatalf("lesson %d has no such check", m.lesson.Number)
	return -1
}

// Enter on a check never answers for the learner: not an option nobody
// chose, not an empty field. The hints on the screen name the keys that
// do answer, and those keys do.
func TestCheckKeysNeverAnswerForTheLearner(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, prog := newTestModel(t, lang, 80, 24, true)
		m, _ = drive(t, m, keys("1", "enter")...)
		choice := stepWith(t, m, true)
		m = advanceTo(t, m, choice, "right")
		m, _ = drive(t, m, keyOf("enter"))
		if _, ok := m.answered[choice]; ok || prog.Passed(1, choice) {
			t.Fatalf("%s: enter answered a choice check nobody chose: %+v", lang, m.answered[choice])
		}
		if m.step != choice || !strings.Contains(m.View(), hint(lang, "check.choosefirst", []string{"↑/↓"})) {
			t.Fatalf("%s: enter with no choice does not say what to do:\n%s", lang, m.View())
		}
		c := m.lesson.Steps[choice].Check
		wantHint := hint(lang, "check.choice", []string{"↑/↓", "enter", fmt.Sprintf("1-%d", len(c.Choices))})
		if !strings.Contains(strings.Join(strings.Fields(m.View()), " "), strings.Join(strings.Fields(wantHint), " ")) {
			t.Errorf("%s: choice hint %q not on screen:\n%s", lang, wantHint, m.View())
		}
		if !strings.Contains(m.View(), "1) "+c.Choices[0]) {
			t.Errorf("%s: options are not numbered like the keys that answer them:\n%s", lang, m.View())
		}
		// ↓ chooses the first option, enter answers with it.
		m, _ = drive(t, m, keys("down", "enter")...)
		if a, ok := m.answered[choice]; !ok || a.given != "1" {
			t.Fatalf("%s: ↓ enter did not answer option 1: %+v", lang, a)
		}

		typed := stepWith(t, m, false)
		m = advanceTo(t, m, typed, "right")
		unfocused := hint(lang, "check.unfocused", []string{"enter/a"})
		if !strings.Contains(m.View(), unfocused) {
			t.Fatalf("%s: no hint %q:\n%s", lang, unfocused, m.View())
		}
		// ↓ selects demo frames; it does not open the answer field.
		m, _ = drive(t, m, keyOf("down"))
		if m.focus {
			t.Fatalf("%s: ↓ opened the answer field", lang)
		}
		// Every key the hint names opens the field.
		for _, k := range append(m.keys.Submit.Keys(), m.keys.Answer.Keys()...) {
			m, _ = drive(t, m, keyOf(k))
			if !m.focus {
				t.Fatalf("%s: %q, named by the hint, did not open the answer field", lang, k)
			}
			m, _ = drive(t, m, keyOf("esc"))
			if m.focus || m.screen != screenLesson {
				t.Fatalf("%s: esc did not just leave the field", lang)
			}
		}
		m, _ = drive(t, m, keys("enter", "enter")...)
		if _, ok := m.answered[typed]; ok || !m.focus {
			t.Fatalf("%s: enter on an empty field graded it: %+v", lang, m.answered[typed])
		}
		if !strings.Contains(m.View(), hint(lang, "check.empty", []string{"enter"})) {
			t.Fatalf("%s: an empty answer does not say why nothing happened:\n%s", lang, m.View())
		}
		m.Shutdown()
	}
}

// Reopening a lesson returns to the step it was left at, in this run and
// the next, with its passed checks still passed.
func TestReopenReturnsWhereTheLearnerWas(t *testing.T) {
	m, prog := newTestModel(t, "en", 80, 24, true)
	m, _ = drive(t, m, keys("1", "enter")...)
	choice := stepWith(t, m, true)
	m = advanceTo(t, m, choice, "right")
	m, _ = drive(t, m, keyOf(fmt.Sprint(m.lesson.Steps[choice].Check.Correct+1)))
	m = advanceTo(t, m, choice+2, "right")
	m, _ = drive(t, m, keys("esc", "2", "enter")...)
	if m.lesson.Number != 2 || m.step != 0 {
		t.Fatalf("lesson 2 opened at step %d", m.step)
	}
	m, _ = drive(t, m, keys("esc", "1", "enter")...)
	if m.lesson.Number != 1 || m.step != choice+2 {
		t.Fatalf("lesson 1 reopened at step %d, want %d", m.step, choice+2)
	}
	m, _ = drive(t, m, keyOf("q"))
	m.Shutdown()

	again, err := lessons.LoadProgress(prog.Path())
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := lessons.Catalog("en")
	m2 := New(Config{Lang: "en", Catalog: cat, Progress: again, Open: 1, NewRunner: func() StepRunner { return &fakeRunner{} }})
	defer m2.Shutdown()
	m2, _ = runCmds(t, m2, m2.Init())
	if m2.step != choice+2 {
		t.Fatalf("a new run opened lesson 1 at step %d, want %d", m2.step, choice+2)
	}
	m2, _ = drive(t, m2, keys("left", "left")...)
	if a := m2.answered[choice]; !a.correct || !strings.Contains(m2.View(), "✓ ") {
		t.Fatalf("the passed check is not shown as passed:\n%s", m2.View())
	}
}

// Inline Markdown is rendered, not shown raw: no backtick reaches the
// screen outside a code block.
func TestInlineMarkdown(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, _ := newTestModel(t, lang, 80, 40, true)
		m, _ = drive(t, m, keys("3", "enter")...)
		if !strings.Contains(m.lesson.Steps[0].Text, "`81`") {
			t.Fatalf("%s: lesson 3 step 1 no longer has inline code; pick another step", lang)
		}
		v := m.View()
		if strings.Contains(v, "`") {
			t.Errorf("%s: a backtick on screen:\n%s", lang, v)
		}
		if !strings.Contains(v, "81") || !strings.Contains(v, "1000 0001") {
			t.Errorf("%s: the inline code itself is gone:\n%s", lang, v)
		}
		m.Shutdown()
	}
}

// Both languages have every label, with the same verbs in the same order
// of kinds.
func TestLabelsInBothLanguages(t *testing.T) {
	verbs := func(s string) string {
		out := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[a-zA-Z]`).FindAllString(s, -1)
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for k, en := range labels["en"] {
		zh, ok := labels["zh"][k]
		if !ok {
			t.Errorf("%s: no Chinese", k)
			continue
		}
		if verbs(en) != verbs(zh) {
			t.Errorf("%s: English %q and Chinese %q take different arguments", k, en, zh)
		}
	}
	for k := range labels["zh"] {
		if _, ok := labels["en"][k]; !ok {
			t.Errorf("%s: Chinese only", k)
		}
	}
}

// An empty close frame is shown with no code: 1005 is never on the wire.
// A refused header says its payload was not read.
func TestEventLinesSayWhatWasOnTheWire(t *testing.T) {
	th := render.PlainTheme()
	eh := protocol.Header{Fin: true, Opcode: protocol.OpClose}
	empty := lessonrun.Event{Kind: lessonrun.KindFrame, Role: protocol.RoleClient, Received: true,
		Entry: capture.Entry{Kind: capture.KindFrame, Dir: capture.ClientToServer, Header: eh, Wire: protocol.AppendHeader(nil, eh)}}
	if l := oneLine("en", empty, th); strings.Contains(l, "1005") || !strings.Contains(l, "no code") {
		t.Errorf("empty close frame: %q", l)
	}
	h := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: 2000}
	refused := lessonrun.Event{Kind: lessonrun.KindFrame, Role: protocol.RoleClient, Received: true,
		Entry: capture.Entry{Kind: capture.KindFrame, Dir: capture.ClientToServer, Header: h, Wire: protocol.AppendHeader(nil, h),
			Violation: &protocol.Violation{Section: "10.4", Code: protocol.CloseMessageTooBig, Msg: "too big"}}}
	d := detail("en", refused, th, 100)
	if !strings.Contains(d, "8 bytes on the wire (and 2000 payload bytes announced but not read)") || strings.Contains(d, "payload is empty") {
		t.Errorf("refused 2000-byte frame:\n%s", d)
	}
}

// At 80 columns the ? help shows every key it lists, in both languages:
// the help is made from the bindings, so it is the truth about the keys.
func TestHelpShowsEveryKeyAt80(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, _ := newTestModel(t, lang, 80, 24, true)
		m, _ = drive(t, m, keys("1", "enter", "right", "?")...)
		v := m.View()
		under := m.stateKeys()
		under.Help = m.bindings().Close
		for _, g := range keymap.Shown(under.groups()) {
			for _, b := range g.Bindings {
				if !strings.Contains(v, b.Help().Key) || !strings.Contains(v, b.Help().Desc) {
					t.Errorf("%s: ? help lacks %q %q:\n%s", lang, b.Help().Key, b.Help().Desc, v)
				}
			}
		}
		m.Shutdown()
	}
}

// TestRightAnswerStaysMarked: the option answered stays marked ▸ after a
// right answer, as a wrong one does, so the learner sees what was right.
func TestRightAnswerStaysMarked(t *testing.T) {
	m, _ := newTestModel(t, "en", 80, 40, true)
	defer m.Shutdown()
	m, _ = drive(t, m, keys("1", "enter")...)
	choice := stepWith(t, m, true)
	m = advanceTo(t, m, choice, "right")
	c := m.lesson.Steps[choice].Check
	m, _ = drive(t, m, keys(fmt.Sprint(c.Correct+1))...)
	if a := m.answered[choice]; !a.correct {
		t.Fatalf("answer %d graded %+v, want right", c.Correct+1, a)
	}
	want := fmt.Sprintf("▸ %d) ", c.Correct+1)
	if !strings.Contains(m.View(), want) {
		t.Errorf("the right answer is not marked %q:\n%s", want, m.View())
	}
}

// TestKeyBurst: keys that arrive in one read (a fast typist, tmux
// send-keys) act one by one, as if pressed apart.
func TestKeyBurst(t *testing.T) {
	m, _ := newTestModel(t, "en", 80, 24, true)
	defer m.Shutdown()
	apart, _ := drive(t, m, keys("j", "j")...)
	burst, _ := drive(t, m, keys("jj")...)
	if apart.cursor == m.cursor || burst.cursor != apart.cursor {
		t.Errorf("cursor %d; after j j %d, after \"jj\" %d", m.cursor, apart.cursor, burst.cursor)
	}
}
