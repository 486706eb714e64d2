package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/render"
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
	status   string
	bad      bool
}

func newFreePlay() freePlay {
	mk := newTextField
	return freePlay{msg: mk("Hello, WebSocket", 40), code: mk("1000", 5), frag: mk("0", 6)}
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

// freeDoneMsg reports how a free play send went.
type freeDoneMsg struct{ err error }

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
		f.status, f.bad = "payload: "+err.Error(), true
		return nil
	}
	code, err := strconv.Atoi(strings.TrimSpace(f.code.Value()))
	if err != nil && freeTypes[f.typ] == "close" {
		f.status, f.bad = "close code: not a number", true
		return nil
	}
	frag, _ := strconv.Atoi(strings.TrimSpace(f.frag.Value()))
	req := freeSendMsg{sender: f.sender, typ: f.typ, data: data, code: code, frag: frag, compress: f.compress}
	f.status, f.bad = "sending...", false
	return func() tea.Msg { return req }
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
				return fmt.Errorf("close code %d does not fit in 16 bits", r.code)
			}
			return c.Close(protocol.CloseCode(r.code), string(r.data))
		})
		return freeDoneMsg{err: err}
	}
}

// View draws the form in width columns.
func (f freePlay) View(st styles, width int) string {
	mark := func(i int, s string) string {
		if f.focused && f.focus == i {
			return st.focus.Render("»" + s)
		}
		return " " + s
	}
	var b strings.Builder
	b.WriteString(st.title.Render("free play") + st.dim.Render(" · type a message and send it with enter; the codec checks everything") + "\n")
	b.WriteString(mark(freeMessage, "message: ") + f.msg.View() + "\n")
	// The choices share a line when it is wide enough, and wrap when not,
	// so every field stays on screen.
	line := ""
	for _, fl := range []string{
		mark(freeSender, "from: ‹"+senders[f.sender]+"›"),
		mark(freeType, "type: ‹"+freeTypes[f.typ]+"›"),
		mark(freeCode, "close code: ") + f.code.View(),
		mark(freeFragment, "fragment size: ") + f.frag.View(),
		mark(freeCompress, "compress: ‹"+onOff(f.compress)+"›"),
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
	hint := "payload: text, x*200 = 200 x's, hex 48 65 · 0 = no fragmenting"
	if !f.focused {
		hint = "e: edit the form · w: walkthrough · r: raw frame lab"
	}
	b.WriteString(st.dim.Render(" " + hint))
	if f.status != "" {
		s := f.status
		s = render.Wrap(s, width-3)
		if f.bad {
			s = st.bad.Render("✗ " + s)
		}
		b.WriteString("\n " + s)
	}
	return clampLines(b.String(), 8)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
