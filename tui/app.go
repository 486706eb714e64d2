// Package tui is wsanatomy's main screen: a live WebSocket session between
// an in-process server and a client over loopback TCP, shown frame by
// frame and bit by bit, with a guided walkthrough, free play and a raw
// frame lab. [Run] starts it; [WritePlain] prints the walkthrough as text.
//
// The screen is split into small models, each owning one part: timeline
// (every entry, both directions), [views.FrameView] and [views.HandshakeView]
// (the dissection of the selected entry), walk (the guided steps), freePlay and
// lab (the forms) and help. Model only routes messages between them.
package tui

import (
	"context"
	"github.com/wsanatomy/wsanatomy/tui/views"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
	"github.com/wsanatomy/wsanatomy/tui/source"
)

type mode int

const (
	modeWalk mode = iota
	modeFree
	modeLab
)

// Messages.
type (
	sessionMsg struct {
		s   *session.Session
		err error
	}
	entriesMsg []capture.Entry
	actionMsg  struct {
		action int
		sid    int // the session it ran on
		err    error
	}
	quitMsg struct{}
)

// shared is what the value-typed Model shares between its copies: the
// queue, the sessions to close and the stop signal for waiting commands.
type shared struct {
	q        *capture.Queue
	stop     chan struct{}
	stopOnce sync.Once
	mu       sync.Mutex
	sessions []*session.Session
}

func (r *shared) add(s *session.Session) {
	r.mu.Lock()
	r.sessions = append(r.sessions, s)
	r.mu.Unlock()
}

// shutdown closes every session (closing handshake first) and releases
// the waiting command.
func (r *shared) shutdown() {
	r.mu.Lock()
	ss := r.sessions
	r.sessions = nil
	r.mu.Unlock()
	for _, s := range ss {
		s.Close()
	}
	r.stopOnce.Do(func() { close(r.stop) })
}

// Model is the whole screen.
type Model struct {
	rt      *shared
	live    bool // start a real session in Init
	width   int
	height  int
	theme   render.Theme
	st      styles
	keys    keyMap
	mode    mode
	full    bool // the ? screen
	helpTop int  // first line of the ? screen shown
	sess    *session.Session
	nextID  int
	status  string
	quiting bool

	tl     timeline
	frame  views.FrameView
	hs     views.HandshakeView
	detail viewport.Model
	walk   walk
	free   freePlay
	lab    lab

	// The source reader, built the first time s opens it; while reading,
	// it has the whole screen and the keys.
	src      source.Model
	srcReady bool
	reading  bool

	connInfo   string // "session 1 · client :x ⇄ server :y"
	follow     int    // a session started with n, whose entries the lab follows
	contentKey string // what the detail viewport holds
	sectionH   int
}

// New returns the screen; its Init starts a live session.
func New() Model {
	m := newModel()
	m.live = true
	return m
}

func newModel() Model {
	m := Model{
		rt:     &shared{q: capture.NewQueue(), stop: make(chan struct{})},
		theme:  render.ColorTheme(),
		st:     newStyles(),
		keys:   newKeyMap("en"),
		nextID: 1,
		tl:     newTimeline(),
		frame:  views.NewFrameView(),
		walk:   newWalk(),
		free:   newFreePlay(),
		lab:    newLab(),
		detail: viewport.New(80, 10),
		width:  80,
		height: 24,
	}
	m.detail.KeyMap = viewport.KeyMap{} // scrolling keys are ours
	m.detail.MouseWheelEnabled = true
	m.layout()
	return m
}

// setLang sets the screen's language: its theme's (the dissection's and
// the forms' words) and its key help's.
func (m *Model) setLang(lang string) {
	m.theme = m.theme.WithLang(lang)
	m.keys = newKeyMap(m.theme.Lang())
}

// Init starts the session and the wait for entries.
func (m Model) Init() tea.Cmd {
	if !m.live {
		return m.waitEntries()
	}
	return tea.Batch(m.startSession(nil, m.nextID, true), m.waitEntries())
}

func (m Model) startSession(old *session.Session, id int, sample bool) tea.Cmd {
	cfg := session.Config{ID: id, SampleNonce: sample}
	if !sample {
		// A fresh connection offers compression, so that free play's
		// compression toggle and the lab's RSV1 presets have it. The
		// first one stays plain: the walkthrough's bytes are RFC 6455's.
		cfg.Compression = &protocol.CompressionOptions{}
	}
	return m.startSessionWith(old, cfg)
}

// startSessionWith opens a session with cfg (its Queue is the screen's),
// after closing old, if any: old's closing handshake and the end of its
// TCP are listed before the new session's separator, so that none of
// old's entries reads as part of the new session.
func (m Model) startSessionWith(old *session.Session, cfg session.Config) tea.Cmd {
	q := m.rt.q
	cfg.Queue = q
	lang := m.theme.Lang()
	return func() tea.Msg {
		if old != nil {
			old.Close() // bounded by the close timeout; reports both ends first
		}
		if cfg.ID > 1 {
			q.Push(capture.Entry{Kind: capture.KindNote, Conn: cfg.ID, Tag: -1, Note: sayf(lang, "session %d: a fresh connection", cfg.ID)})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := session.Start(ctx, cfg)
		return sessionMsg{s: s, err: err}
	}
}

// waitEntries delivers queued entries in batches, until the program stops.
func (m Model) waitEntries() tea.Cmd {
	q, stop := m.rt.q, m.rt.stop
	return func() tea.Msg {
		select {
		case <-q.Ready():
			return entriesMsg(q.Drain())
		case <-stop:
			return nil
		}
	}
}

// Update routes a message to the part of the screen it concerns.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.sync()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.contentKey = ""
		if m.srcReady {
			m.src, _ = m.src.Update(msg)
		}
		return nil
	case source.CloseMsg:
		m.reading = false
		return nil
	case source.QuitMsg:
		// q in the reader quits, as it does everywhere.
		return m.quit()
	case sessionMsg:
		if msg.err != nil {
			m.status = sayf(m.theme.Lang(), "✗ could not start a session: %s", msg.err)
			m.walk.running = map[int]bool{}
			return nil
		}
		m.rt.add(msg.s)
		if m.quiting {
			go msg.s.Close()
			return nil
		}
		m.sess = msg.s
		// A session that opened late never takes back a number given
		// out since.
		m.nextID = max(m.nextID, msg.s.ID+1)
		m.connInfo = sayf(m.theme.Lang(), "s%d client %s ⇄ server %s", msg.s.ID, port(msg.s.ClientAddr), port(msg.s.ServerAddr))
		if _, ok := m.walk.ran[0]; !ok {
			m.walk.ran[0] = msg.s.ID
		}
		for act, sid := range m.walk.ran {
			if sid == msg.s.ID {
				delete(m.walk.running, act) // a step that opened this connection
			}
		}
		m.status = ""
		m.connOpened()
		if m.mode == modeWalk && !m.walk.err.empty() {
			m.walk.err = phrase{}
			return m.showStep() // the step that could not run, runs now
		}
		return nil
	case entriesMsg:
		m.tl.Append(msg)
		m.followNew(len(msg))
		return m.waitEntries()
	case actionMsg:
		if m.walk.ran[msg.action] != msg.sid {
			// An exchange of a connection the walkthrough has since
			// left (n, or a restart): its steps show the new one.
			return nil
		}
		delete(m.walk.running, msg.action)
		if msg.err != nil {
			m.walk.err = later("%s", msg.err.Error())
		}
		m.showStep()
		return nil
	case freeSendMsg:
		return m.freeSend(msg)
	case freeDoneMsg:
		m.freeDone(msg)
		return nil
	case labSendMsg:
		if m.sess == nil {
			// Said in the form: there is no send whose reaction to show.
			m.lab.err = formErr("no connection")
			if m.conn().opening {
				m.lab.err = formErr(waitOpen)
			}
			return nil
		}
		m.lab.from, m.lab.sid, m.lab.sendErr = len(m.tl.entries), m.sess.ID, nil
		return sendRaw(m.sess, msg.b)
	case labDoneMsg:
		// The answer to a send on a connection n has since replaced is
		// no longer the lab's to show.
		if msg.err != nil && msg.sid == m.lab.sid {
			m.lab.sendErr = msg.err
		}
		return nil
	case quitMsg:
		return tea.Quit
	case tea.MouseMsg:
		if m.reading {
			return m.readerUpdate(msg)
		}
		return m.mouse(msg)
	case tea.KeyMsg:
		var cmds []tea.Cmd
		for _, k := range keymap.Burst(msg) {
			if m.reading {
				cmds = append(cmds, m.readerUpdate(k))
			} else {
				cmds = append(cmds, m.key(k))
			}
		}
		return tea.Batch(cmds...)
	}
	return nil
}

// followNew selects what the current mode wants to see after new entries.
func (m *Model) followNew(n int) {
	switch m.mode {
	case modeWalk:
		if i, ok := m.walk.target(&m.tl); ok {
			m.selectEntry(i)
		}
	case modeLab:
		if m.lab.sid != 0 {
			for i := m.lab.from; i < len(m.tl.entries); i++ {
				if m.tl.entries[i].Kind == capture.KindRaw {
					m.selectEntry(i)
					return
				}
			}
			return
		}
		m.followSession(n)
	default:
		if n > 0 {
			m.selectEntry(len(m.tl.entries) - 1)
		}
	}
}

// followSession selects the last new entry when it belongs to the
// session started last with n, so a fresh connection comes into view.
func (m *Model) followSession(n int) {
	if n == 0 || m.follow == 0 {
		return
	}
	last := len(m.tl.entries) - 1
	if m.tl.entries[last].Conn == m.follow {
		m.selectEntry(last)
	}
}

func (m *Model) selectEntry(i int) {
	if i == m.tl.sel {
		return
	}
	m.tl.Select(i)
	if e, ok := m.tl.Selected(); ok {
		m.frame.Reset(e)
		m.hs.Reset(e)
	}
	m.detail.GotoTop()
}

// showStep runs the current step's exchange if it has not run, and
// selects the entry the step is about.
func (m *Model) showStep() tea.Cmd {
	if i, ok := m.walk.target(&m.tl); ok {
		m.selectEntry(i)
		return nil
	}
	act := m.walk.steps[m.walk.step].Action
	if _, ok := m.walk.ran[act]; ok || act == 0 {
		return nil
	}
	if o := session.Actions[act].Open; o != nil {
		// This step is a fresh connection: close the one on screen once
		// the exchanges queued on it are done (the closing handshake of
		// the last step may still be running), then open one whose
		// handshake carries the step's tag.
		old := m.sess
		m.sess = nil
		m.walk.err = phrase{}
		m.walk.ran[act] = m.nextID
		m.walk.running[act] = true
		m.follow = m.nextID
		m.freshConn()
		id := m.nextID
		m.nextID++
		start := m.startSessionWith(old, session.Config{ID: id, Compression: o, HandshakeTag: act})
		return func() tea.Msg {
			if old != nil {
				<-old.Do(-1, func(context.Context, *session.Session) error { return nil })
			}
			return start()
		}
	}
	if m.sess == nil || m.sess.Closed() {
		m.walk.err = later("the connection is closed: %s starts a fresh one for this part of the walkthrough", m.keys.NewSession.Help().Key)
		return nil
	}
	m.walk.err = phrase{}
	m.walk.ran[act] = m.sess.ID
	m.walk.running[act] = true
	s := m.sess
	return func() tea.Msg { return actionMsg{action: act, sid: s.ID, err: s.RunAction(act)} }
}

// restartWalk runs the walkthrough again on a fresh connection, from the
// first step of part (the action that opened the connection the step on
// screen runs on: 0, the opening handshake, or a step that opens a
// compressing connection). The steps of that part and of the parts after
// it run again as the learner comes to them, and show the new
// connection's frames.
//
// The connection is configured so that every step's text holds for it:
// a later part's connection makes that part's compression offer; the
// first part's sends the RFC's sample nonce (step 1 says so), and offers
// compression when offer is set (n, whose connection free play and the
// lab expect to have it). The first part's steps send their messages
// uncompressed either way, so their bytes are RFC 6455's.
func (m *Model) restartWalk(part int, offer bool) tea.Cmd {
	old := m.sess
	m.sess = nil
	id := m.nextID
	m.nextID++
	m.walk.restart(part, id)
	m.status = say(m.theme.Lang(), "starting a fresh connection...")
	m.follow = id
	m.freshConn()
	cfg := session.Config{ID: id, SampleNonce: part == 0, HandshakeTag: part}
	switch {
	case part > 0:
		cfg.Compression = session.Actions[part].Open
	case offer:
		cfg.Compression = &protocol.CompressionOptions{}
	}
	return m.startSessionWith(old, cfg)
}

func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action != tea.MouseActionPress {
		return nil
	}
	d := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		d = -3
	case tea.MouseButtonWheelDown:
		d = 3
	default:
		return nil
	}
	if m.wide() && msg.X < timelineWidth {
		m.tl.Scroll(d)
		return nil
	}
	if d < 0 {
		m.detail.ScrollUp(-d)
	} else {
		m.detail.ScrollDown(d)
	}
	return nil
}

// key handles a keypress: the ? screen first, then a form with focus,
// then the screen's keys. Every key is matched against bindings(), the
// state's own copy of the key map, whose disabled bindings match nothing.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.bindings()
	if m.full {
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.HelpClose):
			m.full = false
		case key.Matches(msg, k.HelpUp):
			m.helpTop = max(0, m.helpTop-1)
		case key.Matches(msg, k.HelpDown):
			m.helpTop++
		}
		return nil
	}
	if msg.Alt && m.formFocused() {
		// esc followed quickly by a key arrives as alt+key: leave the
		// form, then treat the key as a key of the screen.
		m.free.leave()
		m.lab.leave()
		msg.Alt = false
		k = m.bindings()
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case m.mode == modeFree && m.free.focused:
		var cmd tea.Cmd
		m.free, cmd = m.free.Update(msg)
		return cmd
	case m.mode == modeLab && m.lab.focused:
		var cmd tea.Cmd
		m.lab, cmd = m.lab.Update(msg)
		return cmd
	}
	e, _ := m.shown()
	switch {
	case key.Matches(msg, k.Help):
		m.full, m.helpTop = true, 0
	case key.Matches(msg, k.Walk), key.Matches(msg, k.Leave):
		// esc leaves free play and the lab for the walkthrough, the
		// screen they branch from; in the walkthrough it does nothing.
		m.mode = modeWalk
		return m.showStep()
	case key.Matches(msg, k.Free):
		m.mode, m.free.focused = modeFree, true
		m.free.setFocus(freeMessage)
	case key.Matches(msg, k.Lab):
		m.mode, m.lab.focused = modeLab, true
		m.lab.setFocus(labPresetF)
	case key.Matches(msg, k.Edit) && m.mode == modeFree:
		m.free.focused = true
		m.free.setFocus(m.free.focus)
	case key.Matches(msg, k.Edit) && m.mode == modeLab:
		m.lab.focused = true
		m.lab.setFocus(m.lab.focus)
	case key.Matches(msg, k.LabSend):
		b, err := m.lab.Bytes()
		if err != nil {
			m.lab.err = err
			return nil
		}
		return func() tea.Msg { return labSendMsg{b: b} }
	case key.Matches(msg, k.NewSession) && m.mode == modeWalk:
		// In the walkthrough, the part on screen starts again on the
		// fresh connection, which still offers compression for free
		// play and the lab.
		return m.restartWalk(session.Part(m.walk.steps[m.walk.step].Action), true)
	case key.Matches(msg, k.NewSession):
		old := m.sess
		m.sess = nil
		m.status = say(m.theme.Lang(), "starting a fresh connection...")
		// The screen follows the new connection; what the forms said
		// of the last one is over. The number is taken now, so that a
		// second n before this one opens gets another.
		id := m.nextID
		m.nextID++
		m.follow = id
		m.freshConn()
		return m.startSession(old, id, false)
	case key.Matches(msg, k.Next) && m.walk.last():
		// Past the end: the walkthrough runs again, live, from its
		// first step on a fresh connection (the last step says so).
		return m.restartWalk(0, false)
	case key.Matches(msg, k.Next):
		m.walk.step = min(m.walk.step+1, len(m.walk.steps)-1)
		m.walk.err = phrase{}
		return m.showStep()
	case key.Matches(msg, k.Back):
		m.walk.step = max(m.walk.step-1, 0)
		m.walk.err = phrase{}
		return m.showStep()
	case key.Matches(msg, k.Up):
		m.selectEntry(m.tl.sel - 1)
	case key.Matches(msg, k.Down):
		m.selectEntry(m.tl.sel + 1)
	case key.Matches(msg, k.First):
		m.selectEntry(0)
	case key.Matches(msg, k.Last):
		m.selectEntry(len(m.tl.entries) - 1)
	case key.Matches(msg, k.PageUp):
		m.detail.HalfPageUp()
	case key.Matches(msg, k.PageDown):
		m.detail.HalfPageDown()
	case key.Matches(msg, k.Code):
		if id, ok := m.codeTarget(e); ok {
			m.openCode(id)
		}
	case key.Matches(msg, k.Field) && e.Kind == capture.KindHandshake:
		m.hs.NextHeader(e, 1)
	case key.Matches(msg, k.FieldBack) && e.Kind == capture.KindHandshake:
		m.hs.NextHeader(e, -1)
	case key.Matches(msg, k.Field):
		m.frame.NextField(e, 1)
	case key.Matches(msg, k.FieldBack):
		m.frame.NextField(e, -1)
	case key.Matches(msg, k.ByteNext):
		m.frame.MoveByte(e, 1)
	case key.Matches(msg, k.BytePrev):
		m.frame.MoveByte(e, -1)
	}
	return nil
}

// formFocused reports whether a form of the current mode takes the keys.
func (m Model) formFocused() bool {
	return (m.mode == modeFree && m.free.focused) || (m.mode == modeLab && m.lab.focused)
}

// quit closes every session with a closing handshake, then quits.
func (m *Model) quit() tea.Cmd {
	if m.quiting {
		return nil
	}
	m.quiting = true
	m.status = say(m.theme.Lang(), "closing the connection...")
	rt := m.rt
	return func() tea.Msg {
		rt.shutdown()
		return quitMsg{}
	}
}
