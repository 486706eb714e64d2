// Package live is the screen of traffic wsanatomy did not make itself:
// the connections `serve` accepts and the pairs `proxy` relays. It draws a
// [capture.Store]: a list of connections (peer, path, Origin, subprotocol,
// extensions, state, frames and bytes each way, close codes and reasons),
// the timeline of one connection or of all, and the walkthrough's own
// dissection of the selected entry (handshake with its rules, frame with
// bit grid, hex dump and XOR), drawn by package views.
//
// The store keeps a bounded ring of entries per connection, so the screen
// costs the same after a million frames as after ten: each redraw copies
// only the rows on screen.
package live

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// pane is the part of the screen the arrow keys move in.
type pane int

const (
	paneConns pane = iota
	paneTimeline
	paneDetail
	numPanes
)

// Model is the live screen. It holds a pointer to the store, which the
// observers fill concurrently; everything else is the screen's own state.
type Model struct {
	store *capture.Store
	title string // what is running, such as "serve ws://127.0.0.1:8080/"

	width, height int
	conns         []capture.Conn // snapshot of the store's summaries
	version       uint64         // the store's version at the snapshot

	connSel int  // index into conns
	all     bool // the timeline shows every connection
	focus   pane

	// The timeline's selection is an entry's Seq, not an index, so that
	// it stays on the same entry while old ones are dropped from the ring.
	// follow keeps it on the newest entry until the user moves.
	selSeq    int
	follow    bool
	detailOff int // lines of the detail scrolled away

	frame views.FrameView
	hs    views.HandshakeView
	help  bool

	// The source reader, built the first time s opens it; while reading,
	// it has the whole screen and the keys.
	src      source.Model
	srcReady bool
	reading  bool

	keys  keyMap
	st    styles
	theme render.Theme
	lang  string // "zh" or "en"; the theme speaks it too
	// Wait coalesces bursts of changes into one redraw; 0 means 50ms.
	Wait time.Duration
}

// Options configure the screen.
type Options struct {
	// Title says what is running, such as "serve ws://127.0.0.1:8080/".
	Title string
	// Lang is the screen's language: "zh" for Simplified Chinese,
	// anything else for English.
	Lang string
}

// New returns the screen of store.
func New(store *capture.Store, o Options) Model {
	theme := render.ColorTheme().WithLang(o.Lang)
	return Model{store: store, title: o.Title, follow: true, selSeq: -1, all: true, focus: paneTimeline,
		frame: views.NewFrameView(), keys: newKeyMap(theme.Lang()), st: newStyles(), theme: theme, lang: theme.Lang(), width: 80, height: 24}
}

// changedMsg says the store changed.
type changedMsg struct{}

// waitChange waits for the store to change, then for the rest of a short
// interval, so that 100,000 frames a second cost 20 redraws, not 100,000.
func (m Model) waitChange() tea.Cmd {
	ready, wait := m.store.Ready(), m.Wait
	if wait <= 0 {
		wait = 50 * time.Millisecond
	}
	return func() tea.Msg {
		<-ready
		time.Sleep(wait)
		return changedMsg{}
	}
}

// Init starts watching the store.
func (m Model) Init() tea.Cmd { return m.waitChange() }

// Refresh takes a new snapshot of the store's summaries and, when
// following, moves the selection to the newest entry.
func (m *Model) Refresh() {
	v := m.store.Version()
	if v == m.version && m.conns != nil {
		return
	}
	m.version = v
	var id int
	if m.connSel < len(m.conns) {
		id = m.conns[m.connSel].ID
	}
	m.conns = m.store.Conns()
	m.connSel = 0
	for i, c := range m.conns {
		if c.ID == id {
			m.connSel = i
		}
	}
	if id == 0 && len(m.conns) > 0 {
		m.connSel = len(m.conns) - 1
	}
	if m.follow {
		m.selectLast()
	}
}

// timelineID is the store's ID of the timeline shown: 0 for all.
func (m Model) timelineID() int {
	if m.all || len(m.conns) == 0 {
		return 0
	}
	return m.conns[m.connSel].ID
}

func (m *Model) selectLast() {
	n, _ := m.store.Len(m.timelineID())
	if w := m.store.Window(m.timelineID(), n-1, 1); len(w) == 1 {
		m.selectEntry(w[0])
	}
}

// selIndex is the index of the selected entry in the kept entries, or -1.
func (m Model) selIndex() int {
	return m.store.Find(m.timelineID(), m.selSeq)
}

// selected returns the selected entry.
func (m Model) selected() (capture.Entry, bool) {
	i := m.selIndex()
	if i < 0 {
		return capture.Entry{}, false
	}
	w := m.store.Window(m.timelineID(), i, 1)
	if len(w) != 1 {
		return capture.Entry{}, false
	}
	return w[0], true
}

func (m *Model) selectEntry(e capture.Entry) {
	if e.Seq == m.selSeq {
		return
	}
	m.selSeq = e.Seq
	m.detailOff = 0
	m.frame.Reset(e)
	m.hs.Reset(e)
}

// moveEntry moves the timeline selection by d entries.
func (m *Model) moveEntry(d int) {
	n, _ := m.store.Len(m.timelineID())
	if n == 0 {
		return
	}
	i := m.selIndex()
	if i < 0 {
		i = n - 1
	}
	i = max(0, min(n-1, i+d))
	if w := m.store.Window(m.timelineID(), i, 1); len(w) == 1 {
		m.selectEntry(w[0])
	}
	m.follow = i == n-1
}

// Update handles keys, resizes and changes of the store.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.srcReady {
			m.src, _ = m.src.Update(msg)
		}
		return m, nil
	case changedMsg:
		m.Refresh()
		return m, m.waitChange()
	case source.CloseMsg:
		m.reading = false
		return m, nil
	case source.QuitMsg:
		return m, tea.Quit
	case tea.KeyMsg, tea.MouseMsg:
		if k, ok := msg.(tea.KeyMsg); ok {
			if next, cmd, ok := keymap.Replay(m, k); ok {
				return next, cmd // keys that arrived in one read act one by one
			}
		}
		if m.reading {
			var cmd tea.Cmd
			m.src, cmd = m.src.Update(msg)
			return m, cmd
		}
		if k, ok := msg.(tea.KeyMsg); ok {
			return m.key(k)
		}
	}
	return m, nil
}

func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	m.Refresh()
	k := m.bindings()
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Close):
		m.help = false
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Back):
		// esc: from one connection's timeline back to all of them; on the
		// screen of all it does nothing.
		m.all = true
		m.follow = true
		m.selectLast()
	case key.Matches(msg, k.All):
		m.all = !m.all
		m.follow = true
		m.selectLast()
	case key.Matches(msg, k.Last):
		m.follow = true
		m.selectLast()
	case key.Matches(msg, k.First):
		if w := m.store.Window(m.timelineID(), 0, 1); len(w) == 1 {
			m.selectEntry(w[0])
			m.follow = false
		}
	case key.Matches(msg, k.Field), key.Matches(msg, k.FieldBack):
		d := 1
		if key.Matches(msg, k.FieldBack) {
			d = -1
		}
		if e, ok := m.selected(); ok {
			if e.Kind == capture.KindHandshake {
				m.hs.NextHeader(e, d)
			} else {
				m.frame.NextField(e, d)
			}
			m.showPick()
		}
	case key.Matches(msg, k.ByteNext), key.Matches(msg, k.BytePrev):
		d := 1
		if key.Matches(msg, k.BytePrev) {
			d = -1
		}
		if e, ok := m.selected(); ok {
			m.frame.MoveByte(e, d)
			m.showPick()
		}
	case key.Matches(msg, k.Code):
		m.openCode()
	case key.Matches(msg, k.Up):
		m.moveEntry(-1)
	case key.Matches(msg, k.Down):
		m.moveEntry(1)
	case key.Matches(msg, k.PageUp):
		m.detailOff = max(0, m.detailOff-m.detailPage())
	case key.Matches(msg, k.PageDown):
		m.detailOff = min(m.detailMax(), m.detailOff+m.detailPage())
	case key.Matches(msg, k.NextConn), key.Matches(msg, k.PrevConn):
		d := 1
		if key.Matches(msg, k.PrevConn) {
			d = -1
		}
		m.connSel = max(0, min(len(m.conns)-1, m.connSel+d))
		if !m.all {
			m.follow = true
			m.selectLast()
		}
	case key.Matches(msg, k.Open):
		m.all = false
		m.follow = true
		m.selectLast()
	}
	return m, nil
}

// styles are the screen's own styles. Without colour the markers (▸, ✗)
// and the words carry the meaning alone.
type styles struct {
	header, dim, bad, selected, focus, sep lipgloss.Style
}

func newStyles() styles {
	return styles{
		header:   lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("24")),
		dim:      lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		bad:      lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
		selected: lipgloss.NewStyle().Reverse(true),
		focus:    lipgloss.NewStyle().Bold(true),
		sep:      lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
	}
}
