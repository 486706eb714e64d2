package tui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

var (
	senders   = []string{"client", "server"}
	freeTypes = []string{"text", "binary", "ping", "pong", "close"}
)

// Form fields of free play.
const (
	freeMessage = iota
	freeSender
	freeType
	freeCode
	freeFragment
	freeCompress
	freeFields
)

// freePlay is the free play form: a message, who sends it, its frame type
// and an optional fragment size. What the codec refuses is shown, and the
// session goes on.
type freePlay struct {
	focused bool
	focus   int
	msg     textField
	code    textField
	frag    textField
	sender  int
	typ     int
	// compress sends text and binary messages compressed
	// (permessage-deflate, RFC 7692), on a connection that negotiated it.
	compress bool
	// status says how the last send went. It belongs to the connection
	// it was sent on: a fresh connection (n) clears it.
	status phrase
	bad    bool
}

func newFreePlay() freePlay {
	mk := newTextField
	return freePlay{msg: mk("Hello, WebSocket", 40), code: mk("1000", 5), frag: mk("0", 6)}
}

// connState is what the forms show of the connection they send on, so
// that after n they describe the fresh one, not the last.
type connState struct {
	opening bool // n was pressed; the fresh connection is not open yet
	closed  bool
	deflate bool // permessage-deflate was negotiated (RFC 7692)
}

// conn is the state of the connection the forms send on.
func (m Model) conn() connState {
	if m.sess == nil {
		// A live screen without a session is opening one (at start, after
		// n or a walkthrough step); a screen of recorded entries has none.
		return connState{opening: m.live, closed: !m.live}
	}
	return connState{closed: m.sess.Closed(), deflate: m.sess.Client.Deflate() != nil}
}

// freshConn forgets what the forms said about the last connection: its
// send status and the lab's reaction to its last send. Called when n (or
// a walkthrough step) replaces the connection.
func (m *Model) freshConn() {
	m.free.status, m.free.bad = phrase{}, false
	m.lab.sid, m.lab.sendErr = 0, nil
}

// waitOpen is what the forms say of a send tried while a fresh
// connection opens; connOpened takes it back once it is open.
const waitOpen = "the fresh connection is still opening: wait a moment, then send again"

// connOpened drops what the forms said about waiting for the connection:
// it is open now.
func (m *Model) connOpened() {
	if m.free.status.format == waitOpen {
		m.free.status, m.free.bad = phrase{}, false
	}
	var fe formError
	if errors.As(m.lab.err, &fe) && fe.p.format == waitOpen {
		m.lab.err = nil
	}
}

// freeSendMsg asks the model to send what the form describes.
type freeSendMsg struct {
	sender   int
	typ      int
	data     []byte
	code     int
	frag     int
	compress bool
}

// freeDoneMsg reports how a free play send on session sid went.
type freeDoneMsg struct {
	sid int
	err error
}

func (f *freePlay) setFocus(i int) {
	f.focus = (i + freeFields) % freeFields
	f.msg.Blur()
	f.code.Blur()
	f.frag.Blur()
	switch f.focus {
	case freeMessage:
		f.msg.Focus()
	case freeCode:
		f.code.Focus()
	case freeFragment:
		f.frag.Focus()
	}
}

// leave takes the focus from the form; e brings it back to the same field.
func (f *freePlay) leave() {
	f.focused = false
	f.msg.Blur()
	f.code.Blur()
	f.frag.Blur()
}

// formMove is how both forms, free play and the lab, move between their
// fields: tab or ↓ to the next, shift+tab or ↑ to the previous, esc leaves.
func formMove(key string) (step int, leave bool) {
	switch key {
	case "tab", "down":
		return 1, false
	case "shift+tab", "up":
		return -1, false
	case "esc":
		return 0, true
	}
	return 0, false
}

// Update handles a key while the form has focus.
func (f freePlay) Update(msg tea.KeyMsg) (freePlay, tea.Cmd) {
	if step, leave := formMove(msg.String()); step != 0 {
		f.setFocus(f.focus + step)
		return f, nil
	} else if leave {
		f.leave()
		return f, nil
	}
	switch msg.String() {
	case "enter":
		return f, f.send()
	case "left", "right":
		d := 1
		if msg.String() == "left" {
			d = -1
		}
		switch f.focus {
		case freeSender:
			f.sender = (f.sender + d + len(senders)) % len(senders)
			return f, nil
		case freeType:
			f.typ = (f.typ + d + len(freeTypes)) % len(freeTypes)
			return f, nil
		case freeCompress:
			f.compress = !f.compress
			return f, nil
		}
	}
	switch f.focus {
	case freeMessage:
		f.msg, _ = f.msg.Update(msg)
	case freeCode:
		f.code, _ = f.code.Update(msg)
	case freeFragment:
		f.frag, _ = f.frag.Update(msg)
	}
	return f, nil
}

func (f *freePlay) send() tea.Cmd {
	data, err := parsePayload(f.msg.Value())
	if err != nil {
		f.status, f.bad = later("payload: after \"hex \" come bytes as pairs of hex digits, such as hex 48 65"), true
		return nil
	}
	code, err := strconv.Atoi(strings.TrimSpace(f.code.Value()))
	if err != nil && freeTypes[f.typ] == "close" {
		f.status, f.bad = later("close code: not a number"), true
		return nil
	}
	frag, _ := strconv.Atoi(strings.TrimSpace(f.frag.Value()))
	req := freeSendMsg{sender: f.sender, typ: f.typ, data: data, code: code, frag: frag, compress: f.compress}
	f.status, f.bad = later("sending..."), false
	return func() tea.Msg { return req }
}

// freeSend sends what the form asked for on the current connection, or
// says why it cannot: a compressed message on a connection that did not
// negotiate compression is refused here, in the screen's words, before
// it reaches the codec.
func (m *Model) freeSend(r freeSendMsg) tea.Cmd {
	c := m.conn()
	switch {
	case c.opening:
		m.free.status, m.free.bad = later(waitOpen), true
	case m.sess == nil || (c.closed && freeTypes[r.typ] == "close"):
		m.free.status, m.free.bad = later("the connection is closed: %s, then %s starts a fresh one", kn(fk.FormLeave), kn(fk.NewSession)), true
	case r.compress && !c.deflate && (freeTypes[r.typ] == "text" || freeTypes[r.typ] == "binary"):
		m.free.status, m.free.bad = later("this connection did not negotiate permessage-deflate, so it cannot compress: turn compress off, or %s, then %s starts one that does", kn(fk.FormLeave), kn(fk.NewSession)), true
	default:
		return sendFree(m.sess, r)
	}
	return nil
}

// freeDone shows how a send went, unless it went on a connection that n
// has replaced since.
func (m *Model) freeDone(r freeDoneMsg) {
	if m.sess == nil || r.sid != m.sess.ID {
		return
	}
	m.free.status, m.free.bad = later("sent"), false
	if r.err != nil {
		m.free.status, m.free.bad = later("the codec refused: %s (the session goes on)", r.err), true
		if m.sess.Closed() {
			m.free.status = later("the codec refused: %s (the session goes on); the connection is closed: %s, then %s starts a fresh one", r.err, kn(fk.FormLeave), kn(fk.NewSession))
		}
	}
}

// sendFree performs a free play send on the session's worker.
func sendFree(s *session.Session, r freeSendMsg) tea.Cmd {
	return func() tea.Msg {
		err := <-s.Do(-1, func(ctx context.Context, s *session.Session) error {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			c := s.Client
			if r.sender == 1 {
				c = s.Server
			}
			switch freeTypes[r.typ] {
			case "text", "binary":
				typ := protocol.TextMessage
				if freeTypes[r.typ] == "binary" {
					typ = protocol.BinaryMessage
				}
				return session.Send(ctx, c, typ, r.data, r.frag, r.compress)
			case "ping":
				return c.Ping(ctx, r.data)
			case "pong":
				return c.Pong(ctx, r.data)
			}
			if r.code < 0 || r.code > 65535 {
				return formErr("close code %d does not fit in 16 bits", r.code)
			}
			return c.Close(protocol.CloseCode(r.code), string(r.data))
		})
		return freeDoneMsg{sid: s.ID, err: err}
	}
}

// View draws the form in width columns, in lang, for the connection c.
func (f freePlay) View(st styles, width int, lang string, c connState) string {
	mark := func(i int, s string) string {
		if f.focused && f.focus == i {
			return st.focus.Render("»" + s)
		}
		return " " + s
	}
	choice := func(s string) string { return "‹" + s + "›" }
	var b strings.Builder
	b.WriteString(st.title.Render(say(lang, "free play")) + st.dim.Render(say(lang, " · type a message and send it with enter; the codec checks everything")) + "\n")
	b.WriteString(mark(freeMessage, say(lang, "message: ")) + f.msg.View() + "\n")
	compress := say(lang, "compress: ") + choice(say(lang, onOff(f.compress)))
	if f.compress && !c.deflate && !c.opening {
		compress += st.dim.Render(say(lang, "(not negotiated on this connection)"))
	}
	// The choices share a line when it is wide enough, and wrap when not,
	// so every field stays on screen. Opcode names stay in English.
	line := ""
	for _, fl := range []string{
		mark(freeSender, say(lang, "from: ")+choice(say(lang, senders[f.sender]))),
		mark(freeType, say(lang, "type: ")+choice(freeTypes[f.typ])),
		mark(freeCode, say(lang, "close code: ")) + f.code.View(),
		mark(freeFragment, say(lang, "fragment size: ")) + f.frag.View(),
		mark(freeCompress, compress),
	} {
		if line != "" && lipgloss.Width(line)+2+lipgloss.Width(fl) > width {
			b.WriteString(line + "\n")
			line = ""
		}
		if line != "" {
			line += "  "
		}
		line += fl
	}
	b.WriteString(line + "\n")
	hint := say(lang, "payload: text, x*200 = 200 x's, hex 48 65 · 0 = no fragmenting")
	if !f.focused {
		hint = sayf(lang, "%s: edit the form · %s: walkthrough · %s: raw frame lab", kn(fk.Edit), kn(fk.Walk), kn(fk.Lab))
	}
	b.WriteString(st.dim.Render(indent(wrapIn(lang, hint, width-1), " ", " ")))
	// What the last send did, on this connection; otherwise whether the
	// connection can take one.
	status, bad := f.status.in(lang), f.bad
	switch {
	case status != "":
	case c.opening:
		status = say(lang, "(connecting...)")
	case c.closed && f.focused:
		status = sayf(lang, "(the connection is closed: %s, then %s starts a fresh one)", kn(fk.FormLeave), kn(fk.NewSession))
	case c.closed:
		status = sayf(lang, "(the connection is closed: %s starts a fresh one)", kn(fk.NewSession))
	}
	if status != "" {
		s := status
		if bad {
			s = "✗ " + s
		}
		s = indent(wrapIn(lang, s, width-3), "   ", " ")
		if bad {
			s = st.bad.Render(s)
		}
		b.WriteString("\n" + s)
	}
	return clampLines(b.String(), 8)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
