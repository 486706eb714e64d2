package lessonui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/source"
)

// StepRunner runs a step's actions; *lessonrun.Runner is the real one,
// tests may give a fake that returns fixed events.
type StepRunner interface {
	Run(ctx context.Context, actions []lessons.Action) lessonrun.Result
	Close() error
}

// Config configures [New].
type Config struct {
	Lang     string
	Catalog  []lessons.Lesson
	Progress *lessons.Progress
	// Open, if not 0, opens that lesson at once instead of the picker.
	Open int
	// ASCII draws rules and marks with ASCII characters, for terminals that
	// draw box-drawing characters double width.
	ASCII bool
	// Color turns colour on; false for NO_COLOR and in tests.
	Color bool
	// NewRunner makes the runner of an opened lesson; nil means
	// lessonrun.New.
	NewRunner func() StepRunner
}

// shared is the part of the model that outlives copies of it: the runners
// and the goroutines running steps, so that quitting can stop them all.
type shared struct {
	mu      sync.Mutex
	closed  bool
	runners []StepRunner
	wg      sync.WaitGroup
	ctx     context.Context
	cancel  context.CancelFunc
}

// start counts a goroutine in, unless the model was shut down.
func (s *shared) start() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

type screen uint8

const (
	screenPicker screen = iota
	screenLesson
)

type answer struct {
	given    string
	correct  bool
	feedback string
}

// Model is the lessons program: a picker and a lesson screen.
type Model struct {
	cfg   Config
	sh    *shared
	w, h  int
	theme styles

	screen       screen
	cursor       int // picker
	confirmReset bool
	status       string

	lesson  lessons.Lesson
	step    int
	runner  StepRunner
	runID   int
	results map[int]lessonrun.Result
	running map[int]bool
	scroll  int
	sel     int    // selected demo event, among the selectable ones
	link    string // picked field or header of the selected event (sourcebook ID), or ""
	done    bool

	choice   int    // the highlighted option of a choice check; -1 until one is chosen
	note     string // a word about the check, such as "choose an option first"
	input    textinput.Model
	focus    bool // the typed answer field has the keyboard
	answered map[int]answer

	keys     keyMap
	showHelp bool

	// The source reader, built the first time s opens it; while reading,
	// it has the whole screen and the keys.
	src      source.Model
	srcReady bool
	reading  bool
}

// stepDoneMsg carries a step's result back to the model.
type stepDoneMsg struct {
	runID, step int
	res         lessonrun.Result
}

// New returns the model. Call Shutdown after the program ends.
func New(cfg Config) Model {
	if cfg.NewRunner == nil {
		cfg.NewRunner = func() StepRunner { return lessonrun.New() }
	}
	sh := &shared{}
	sh.ctx, sh.cancel = context.WithCancel(context.Background())
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 200
	m := Model{cfg: cfg, sh: sh, w: 80, h: 24, theme: newStyles(cfg.Color, cfg.ASCII),
		keys: newKeys(cfg.Lang), input: in}
	if cfg.Open > 0 {
		for i, l := range cfg.Catalog {
			if l.Number == cfg.Open {
				m.cursor = i
			}
		}
	}
	return m
}

// Init opens the lesson named in the config, if any.
func (m Model) Init() tea.Cmd {
	if m.cfg.Open > 0 {
		return func() tea.Msg { return openMsg{} }
	}
	return nil
}

type openMsg struct{}

// Shutdown stops every step and closes every connection, waiting for
// their goroutines. It is safe to call more than once.
func (m Model) Shutdown() {
	m.sh.mu.Lock()
	m.sh.closed = true
	runners := m.sh.runners
	m.sh.runners = nil
	m.sh.mu.Unlock()
	m.sh.cancel()
	for _, r := range runners {
		r.Close()
	}
	m.sh.wg.Wait()
}

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.input.Width = max(10, msg.Width-8)
		m.clampScroll()
		if m.srcReady {
			m.src, _ = m.src.Update(msg)
		}
		return m, nil
	case source.CloseMsg:
		m.reading = false
		return m, nil
	case source.QuitMsg:
		// q in the reader quits, as it does everywhere.
		return m.quit()
	case openMsg:
		return m.open(m.cursor)
	case stepDoneMsg:
		if msg.runID == m.runID && m.screen == screenLesson {
			m.results[msg.step] = msg.res
			delete(m.running, msg.step)
			if msg.step == m.step {
				m.sel, m.link = 0, ""
			}
		}
		return m, nil
	case tea.MouseMsg:
		if m.reading {
			var cmd tea.Cmd
			m.src, cmd = m.src.Update(msg)
			return m, cmd
		}
	case tea.KeyMsg:
		if next, cmd, ok := keymap.Replay(m, msg); ok {
			return next, cmd // keys that arrived in one read act one by one
		}
		if m.reading {
			if msg.String() == "ctrl+c" {
				return m.quit()
			}
			var cmd tea.Cmd
			m.src, cmd = m.src.Update(msg)
			return m, cmd
		}
		if m.screen == screenPicker {
			return m.pickerKey(msg)
		}
		return m.lessonKey(msg)
	}
	if m.focus {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// quit ends the program. The runners are closed by Shutdown once the
// program has returned, so the screen does not freeze meanwhile.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.saveProgress()
	return m, tea.Quit
}

func (m *Model) saveProgress() {
	if m.cfg.Progress == nil {
		return
	}
	if err := m.cfg.Progress.Save(); err != nil {
		m.status = fmt.Sprintf(tr(m.cfg.Lang, "saved.error"), err)
	}
}

func (m Model) pickerKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.confirmReset {
		m.confirmReset = false
		if msg.String() == "y" || msg.String() == "Y" {
			if m.cfg.Progress != nil {
				if err := m.cfg.Progress.Reset(); err != nil {
					m.status = err.Error()
				} else {
					m.status = tr(m.cfg.Lang, "reset.done")
				}
			}
		} else {
			m.status = ""
		}
		return m, nil
	}
	m.status = ""
	k := m.bindings()
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Close):
		m.showHelp = false
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.MoveBack):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(msg, k.Move):
		m.cursor = min(len(m.cfg.Catalog)-1, m.cursor+1)
	case key.Matches(msg, k.Open):
		return m.open(m.cursor)
	case key.Matches(msg, k.Reset):
		m.confirmReset = true
	case key.Matches(msg, k.PickLesson):
		m.cursor = int(msg.Runes[0] - '1')
	}
	return m, nil
}

// open starts lesson i of the catalog on a fresh runner.
func (m Model) open(i int) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.cfg.Catalog) {
		return m, nil
	}
	m.closeRunner()
	m.lesson = m.cfg.Catalog[i]
	m.cursor = i
	m.screen = screenLesson
	m.runner = m.cfg.NewRunner()
	m.sh.mu.Lock()
	m.sh.runners = append(m.sh.runners, m.runner)
	m.sh.mu.Unlock()
	m.runID++
	m.results = map[int]lessonrun.Result{}
	m.running = map[int]bool{}
	m.answered = map[int]answer{}
	m.done = false
	start := 0
	if p := m.cfg.Progress; p != nil {
		// Checks passed in an earlier visit stay passed, and the lesson
		// opens where the learner left it.
		for j, s := range m.lesson.Steps {
			if c := s.Check; c != nil && p.Passed(m.lesson.Number, j) {
				m.answered[j] = answer{given: c.Expected(), correct: true, feedback: c.Right}
			}
		}
		start = min(max(0, p.Step(m.lesson.Number)), len(m.lesson.Steps)-1)
	}
	return m.enter(start)
}

// closeRunner closes the lesson's runner in the background.
func (m *Model) closeRunner() {
	r := m.runner
	if r == nil {
		return
	}
	m.runner = nil
	m.runID++
	m.sh.mu.Lock()
	for i, x := range m.sh.runners {
		if x == r {
			m.sh.runners = append(m.sh.runners[:i], m.sh.runners[i+1:]...)
			break
		}
	}
	m.sh.mu.Unlock()
	if m.sh.start() {
		go func() {
			defer m.sh.wg.Done()
			r.Close()
		}()
	} else {
		r.Close()
	}
}

// enter shows step i, running its actions the first time.
func (m Model) enter(i int) (tea.Model, tea.Cmd) {
	m.step, m.scroll, m.sel, m.link = i, 0, 0, ""
	m.choice, m.note = -1, ""
	if m.cfg.Progress != nil {
		m.cfg.Progress.SetStep(m.lesson.Number, i)
	}
	m.input.Reset()
	m.focus = false
	m.input.Blur()
	s := m.lesson.Steps[i]
	var cmds []tea.Cmd
	if len(s.Actions) > 0 {
		if _, ok := m.results[i]; !ok && !m.running[i] {
			cmds = append(cmds, m.runCmd(i))
		}
	}
	return m, tea.Batch(cmds...)
}

// runCmd runs step i's actions off the UI goroutine.
func (m *Model) runCmd(i int) tea.Cmd {
	m.running[i] = true
	r, id, acts, sh := m.runner, m.runID, m.lesson.Steps[i].Actions, m.sh
	return func() tea.Msg {
		if !sh.start() {
			return nil
		}
		defer sh.wg.Done()
		return stepDoneMsg{runID: id, step: i, res: r.Run(sh.ctx, acts)}
	}
}

func (m Model) lessonKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	s := m.lesson.Steps[m.step]
	k := m.bindings()
	if m.focus {
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Submit):
			if strings.TrimSpace(m.input.Value()) == "" {
				// Nothing typed is not an answer: grade nothing.
				m.note = hint(m.lang(), "check.empty", []string{names(k.Submit)})
				m.scroll = max(0, m.checkLine()-2)
				m.clampScroll()
				return m, nil
			}
			m.note = ""
			return m.grade(m.input.Value())
		case key.Matches(msg, k.Leave):
			m.focus = false
			m.input.Blur()
			return m, nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Close):
		m.showHelp = false
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Answer), key.Matches(msg, k.Submit) && !s.Check.IsChoice():
		// The answer field takes the keyboard only when asked to, so that
		// → and space keep moving through the lesson.
		m.focus = true
		m.scroll = max(m.scroll, m.checkLine()-2)
		m.clampScroll()
		return m, m.input.Focus()
	case key.Matches(msg, k.Back):
		m.saveProgress()
		m.closeRunner()
		m.screen = screenPicker
		return m, nil
	case key.Matches(msg, k.Submit):
		if m.choice < 0 {
			// Nothing chosen yet: enter must not answer for the learner.
			m.note = hint(m.lang(), "check.choosefirst", []string{names(m.keys.chooseKeys())})
			m.scroll = max(m.scroll, m.checkLine()-2)
			m.clampScroll()
			return m, nil
		}
		return m.grade(strconv.Itoa(m.choice + 1))
	case key.Matches(msg, k.Choose), key.Matches(msg, k.ChooseBack):
		m.note = ""
		switch {
		case m.choice < 0:
			m.choice = 0
		case key.Matches(msg, k.ChooseBack):
			m.choice = max(0, m.choice-1)
		default:
			m.choice = min(len(s.Check.Choices)-1, m.choice+1)
		}
	case key.Matches(msg, k.Pick):
		m.choice, m.note = int(msg.Runes[0]-'1'), ""
		return m.grade(string(msg.Runes))
	case key.Matches(msg, k.Next):
		if m.step+1 < len(m.lesson.Steps) {
			return m.enter(m.step + 1)
		}
		if !m.done {
			// The end of the lesson: it is done if its checks are passed
			// (a lesson without checks is done once read to the end).
			m.done = true
			if p := m.cfg.Progress; p != nil && m.checks() == 0 {
				p.MarkDone(m.lesson.Number)
			}
			m.saveProgress()
			return m, nil
		}
		m.closeRunner()
		m.screen = screenPicker
		m.cursor = min(m.cursor+1, len(m.cfg.Catalog)-1)
		return m, nil
	case key.Matches(msg, k.Prev):
		return m.enter(m.step - 1)
	case key.Matches(msg, k.Frame):
		m.moveSel(1)
	case key.Matches(msg, k.FrameBack):
		m.moveSel(-1)
	case key.Matches(msg, k.Up):
		m.scroll = max(0, m.scroll-1)
	case key.Matches(msg, k.Down):
		m.scroll++
	case key.Matches(msg, k.PageUp):
		m.scroll = max(0, m.scroll-m.bodyHeight()+1)
	case key.Matches(msg, k.PageDown):
		m.scroll += m.bodyHeight() - 1
	case key.Matches(msg, k.Field):
		m.moveLink(1)
	case key.Matches(msg, k.FieldBack):
		m.moveLink(-1)
	case key.Matches(msg, k.Code):
		m.openCode()
		return m, nil
	case key.Matches(msg, k.Rerun):
		delete(m.results, m.step)
		return m, m.runCmd(m.step)
	}
	m.clampScroll()
	return m, nil
}

// grade judges an answer to the current step's check and records a pass.
func (m Model) grade(given string) (tea.Model, tea.Cmd) {
	c := m.lesson.Steps[m.step].Check
	if c == nil {
		return m, nil
	}
	ok, fb := c.Grade(given)
	m.answered[m.step] = answer{given: given, correct: ok, feedback: fb}
	if ok {
		m.focus = false
		m.input.Blur()
		if p := m.cfg.Progress; p != nil {
			p.PassCheck(m.lesson.Number, m.step)
			if p.Complete(m.lesson) {
				p.MarkDone(m.lesson.Number)
			}
		}
		m.saveProgress()
	}
	// Bring the feedback into view.
	m.scroll = max(m.scroll, m.checkLine()-2)
	m.clampScroll()
	return m, nil
}

// checks counts the lesson's checks.
func (m Model) checks() int {
	n := 0
	for _, s := range m.lesson.Steps {
		if s.Check != nil {
			n++
		}
	}
	return n
}

// moveSel selects the next (d=1) or previous selectable demo event and
// scrolls it into view.
func (m *Model) moveSel(d int) {
	n := len(m.selectables())
	if n == 0 {
		return
	}
	m.sel = (m.sel + d + n) % n
	m.link = ""
	if !m.wide() {
		if line := m.selLine(); line >= 0 {
			m.scroll = max(0, line-1)
		}
	}
	m.clampScroll()
}

func (m Model) selectables() []lessonrun.Event {
	var out []lessonrun.Event
	for _, e := range m.results[m.step].Events {
		if selectable(e) {
			out = append(out, e)
		}
	}
	return out
}
