// Package checkui is the report of `wsanatomy check --tui`: while the
// conformance cases run, their progress and each verdict as it arrives;
// then the cases by section with their verdicts, and, one key away, a
// case's rule, what the peer did, and its exchange (the opening handshake
// and every frame) drawn with the walkthrough's own views (package views:
// bit grid, field table, hex dump, unmasking, the rule a frame broke).
//
// The exchange is the one conformance recorded; [Entries] reads it with
// the codec's watcher, the same reading `check --show` prints.
package checkui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// Options say what the report shows.
type Options struct {
	Lang   string // "en" or "zh"
	Target string // the server's URL, or the client command
	Client bool   // Target is a client command
	// Parallel is how many cases the run runs at once, so that the
	// progress line can name the ones running.
	Parallel int
	// Open opens the first case as soon as its result is in: for
	// `check --show CASE --tui`.
	Open bool
	// Start is when the run started, if before the screen (check holds
	// the screen back until the server accepts a handshake); zero for
	// now.
	Start time.Time
}

// screen is what the report shows.
type screen int

const (
	screenList screen = iota
	screenCase
)

// Model is the report. Invariant: results[i] is the result of cases[i],
// nil until it arrives; sel is an index into cases, or -1.
type Model struct {
	o       Options
	t       texts
	keys    keyMap
	theme   render.Theme
	st      styles
	cases   []conformance.Case
	results []*conformance.Result
	done    int
	failed  int

	runner  *Runner
	running bool
	start   time.Time
	elapsed time.Duration

	width, height int
	screen        screen
	help          bool
	failedOnly    bool
	sel           int
	moved         bool // the user moved the selection: it stays where it is

	// The open case: its entries, the selected one, the views' own
	// selection (field, hex byte, header) and the detail's scroll.
	entries  []capture.Entry
	entrySel int
	frame    views.FrameView
	hs       views.HandshakeView
	detOff   int

	// The source reader, built the first time s opens it; while reading,
	// it has the whole screen and the keys.
	src      source.Model
	srcReady bool
	reading  bool

	// list is the list's rows, kept between keypresses (list.go).
	list *listCache
}

// New returns the report of cases, whose results come from r (nil: the
// caller feeds them, as tests do).
func New(cases []conformance.Case, r *Runner, o Options) Model {
	if o.Parallel < 1 {
		o.Parallel = 1
	}
	if o.Start.IsZero() {
		o.Start = time.Now()
	}
	return Model{o: o, t: textsFor(o.Lang), keys: newKeyMap(o.Lang), theme: render.ColorTheme().WithLang(o.Lang), st: newStyles(),
		cases: cases, results: make([]*conformance.Result, len(cases)), runner: r, running: true,
		start: o.Start, width: 80, height: 24, sel: -1, frame: views.NewFrameView(), list: &listCache{}}
}

// tickMsg advances the elapsed time while the run goes on.
type tickMsg struct{}

func tick() tea.Cmd { return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{} }) }

// Init starts watching the run.
func (m Model) Init() tea.Cmd {
	if m.runner == nil {
		return nil
	}
	return tea.Batch(m.runner.next(), tick())
}

// Update handles the run's results, keys and resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.srcReady {
			m.src, _ = m.src.Update(msg)
		}
	case source.CloseMsg:
		m.reading = false
	case source.QuitMsg:
		return m, tea.Quit
	case tea.MouseMsg:
		if m.reading {
			var cmd tea.Cmd
			m.src, cmd = m.src.Update(msg)
			return m, cmd
		}
	case tickMsg:
		if m.running {
			m.elapsed = time.Since(m.start)
			return m, tick()
		}
	case resultMsg:
		m.add(msg.r)
		m.elapsed = time.Since(m.start)
		if m.runner != nil {
			return m, m.runner.next()
		}
	case doneMsg:
		for _, r := range msg.results {
			m.add(r)
		}
		m.finish(time.Since(m.start))
	case tea.KeyMsg:
		if next, cmd, ok := keymap.Replay(m, msg); ok {
			return next, cmd // keys that arrived in one read act one by one
		}
		if m.reading {
			var cmd tea.Cmd
			m.src, cmd = m.src.Update(msg)
			return m, cmd
		}
		return m.key(msg)
	}
	return m, nil
}

// add records one result where its case is.
func (m *Model) add(r conformance.Result) {
	for i, c := range m.cases {
		if c.ID != r.ID || m.results[i] != nil {
			continue
		}
		m.results[i] = &r
		m.done++
		if !r.Verdict.Passed() {
			m.failed++
		}
		if !m.moved {
			// Until the user moves, the first case listed is selected,
			// whatever order the results come in.
			m.sel = m.visible()[0]
		}
		if m.o.Open && m.screen == screenList && m.done == 1 {
			m.sel = i
			m.openCase()
		}
		return
	}
}

// finish marks the run over, after d.
func (m *Model) finish(d time.Duration) {
	m.running = false
	m.elapsed = d
}

// visible returns the indexes of the cases the list shows, in order:
// those with a result, or only the FAILED ones.
func (m Model) visible() []int { return m.listing(0).vis }

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.bindings()
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Close):
		m.help = false
		return m, nil
	case key.Matches(msg, k.Help):
		m.help = true
		return m, nil
	case m.help:
		return m, nil
	}
	if m.screen == screenCase {
		m.caseKey(msg)
		return m, nil
	}
	vis, pos := m.visible(), m.position()
	move := func(p int) {
		m.moved = true
		if len(vis) > 0 {
			m.sel = vis[max(0, min(len(vis)-1, p))]
		}
	}
	page := max(1, m.height-4)
	switch {
	case key.Matches(msg, k.Up):
		move(pos - 1)
	case key.Matches(msg, k.Down):
		move(pos + 1)
	case key.Matches(msg, k.PageUp):
		move(pos - page)
	case key.Matches(msg, k.PageDown):
		move(pos + page)
	case key.Matches(msg, k.First):
		move(0)
	case key.Matches(msg, k.Last):
		move(len(vis) - 1)
	case key.Matches(msg, k.Filter):
		m.failedOnly = !m.failedOnly
		if vis = m.visible(); len(vis) > 0 && !contains(vis, m.sel) {
			m.sel = vis[0]
		}
	case key.Matches(msg, k.Open):
		if pos >= 0 {
			m.openCase()
		}
	}
	return m, nil
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// openCase shows the selected case, with the entry that explains its
// verdict selected: the first frame that broke a rule; for a verdict
// other than OK without one, the last entry (where the peer went quiet or
// went away); otherwise the first.
func (m *Model) openCase() {
	r := m.results[m.sel]
	m.screen = screenCase
	m.entries = Entries(r.Exchange)
	m.entrySel, m.detOff = 0, 0
	m.frame, m.hs = views.NewFrameView(), views.HandshakeView{}
	found := false
	for i, e := range m.entries {
		if e.Violation != nil {
			m.entrySel, found = i, true
			break
		}
	}
	if !found && r.Verdict != conformance.OK && len(m.entries) > 0 {
		m.entrySel = len(m.entries) - 1
	}
	m.selectEntry(m.entrySel)
}

func (m *Model) selectEntry(i int) {
	if len(m.entries) == 0 {
		return
	}
	m.entrySel = max(0, min(len(m.entries)-1, i))
	m.detOff = 0
	e := m.entries[m.entrySel]
	m.frame.Reset(e)
	m.hs.Reset(e)
}

func (m *Model) caseKey(msg tea.KeyMsg) {
	k := m.bindings()
	var e capture.Entry
	if len(m.entries) > 0 {
		e = m.entries[m.entrySel]
	}
	frame := e.Kind == capture.KindFrame
	header := m.hs.CanPick(e)
	switch {
	case key.Matches(msg, k.Back):
		m.screen = screenList
	case key.Matches(msg, k.NextCase), key.Matches(msg, k.PrevCase):
		// The next or previous case of the list, opened in its place.
		d := 1
		if key.Matches(msg, k.PrevCase) {
			d = -1
		}
		if vis, p := m.visible(), m.position(); p >= 0 && p+d >= 0 && p+d < len(vis) {
			m.sel, m.moved = vis[p+d], true
			m.openCase()
		}
	case key.Matches(msg, k.Up):
		m.selectEntry(m.entrySel - 1)
	case key.Matches(msg, k.Down):
		m.selectEntry(m.entrySel + 1)
	case key.Matches(msg, k.First):
		m.selectEntry(0)
	case key.Matches(msg, k.Last):
		m.selectEntry(len(m.entries) - 1)
	case key.Matches(msg, k.PageUp):
		m.detOff = max(0, m.detOff-max(1, m.height/2))
	case key.Matches(msg, k.PageDown):
		m.detOff = min(m.detOff+max(1, m.height/2), m.maxScroll())
	case key.Matches(msg, k.Field) && frame:
		m.frame.NextField(e, 1)
		m.showPick()
	case key.Matches(msg, k.FieldBack) && frame:
		m.frame.NextField(e, -1)
		m.showPick()
	case key.Matches(msg, k.Field) && header:
		m.hs.NextHeader(e, 1)
		m.showPick()
	case key.Matches(msg, k.FieldBack) && header:
		m.hs.NextHeader(e, -1)
		m.showPick()
	case key.Matches(msg, k.ByteNext) && frame:
		m.frame.MoveByte(e, 1)
		m.showPick()
	case key.Matches(msg, k.BytePrev) && frame:
		m.frame.MoveByte(e, -1)
		m.showPick()
	case key.Matches(msg, k.Code):
		m.openCode(e)
	}
}

// openCode opens the annotated source reader at the code of e's picked
// field or header (its first when none is picked), over the whole screen,
// as the walkthrough and serve do; esc comes back to the case, q quits.
func (m *Model) openCode(e capture.Entry) {
	id, ok := views.CodeTarget(e, m.frame, m.hs)
	if !ok {
		return
	}
	rd, err := source.Embed(m.src, m.srcReady, m.o.Lang, nil, m.width, m.height, id)
	if err != nil {
		return
	}
	m.src, m.srcReady, m.reading = rd, true, true
}

// section is the part of the report a case belongs to: Autobahn's
// section for its cases and the project's additions to it (A.1.x belongs
// to 1), B for the project's own.
func section(id string) string {
	first, rest, _ := strings.Cut(id, ".")
	if first == "A" {
		first, _, _ = strings.Cut(rest, ".")
	}
	return first
}
