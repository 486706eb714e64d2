package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/sourcebook"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
)

// reading checks that the model shows the reader at field id: its status
// line names the field and the page shows a marker for it.
func reading(t *testing.T, m Model, id string) {
	t.Helper()
	if !m.reading {
		t.Fatalf("the reader is not open (want it at %s)", id)
	}
	v := m.View()
	fd, _ := sourcebook.LookupField(id)
	if !strings.Contains(v, "▸ "+id+" ") || !strings.Contains(v, fd.Title+": place 1 of") {
		t.Errorf("the reader does not show the code for %s:\n%s", id, v)
	}
	if n := strings.Count(v, "\n") + 1; n != m.height {
		t.Errorf("the reader's view is %d lines, want %d", n, m.height)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > m.width {
			t.Errorf("line %q is %d columns wide, more than %d", l, w, m.width)
		}
	}
}

// leave presses key in the reader and feeds its CloseMsg back, as the
// program would.
func leave(t *testing.T, m Model, key string) Model {
	t.Helper()
	next, cmd := m.Update(keys(key)[0])
	m = next.(Model)
	if cmd == nil {
		t.Fatalf("%s in the reader: no command", key)
	}
	msg := cmd()
	if _, ok := msg.(source.CloseMsg); !ok {
		t.Fatalf("%s in the reader sent %T, want source.CloseMsg", key, msg)
	}
	return send(m, msg)
}

// TestSeeTheCode walks the link from the screen to the code and back: a
// field of the bit grid, a byte of the hex dump, the extended length, a
// handshake header; esc comes back to the same screen.
func TestSeeTheCode(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := recordedModel(t, size[0], size[1])

		// The masked Hello, FIN selected.
		m = send(m, keys("space", "space", "tab")...)
		before := m.View()
		if !strings.Contains(before, "» s: see the code for FIN") {
			t.Errorf("%dx%d: the frame view has no hint for FIN:\n%s", size[0], size[1], before)
		}
		m = send(m, keys("s")...)
		reading(t, m, sourcebook.FieldFIN)
		m = leave(t, m, "esc")
		if m.reading || m.View() != before {
			t.Errorf("%dx%d: q did not come back to the same screen:\n%s", size[0], size[1], m.View())
		}

		// The hex cursor on byte 2: the masking key.
		m = send(m, keys("]", "]")...)
		if m.frame.Cursor != 2 {
			t.Fatalf("hex cursor at %d, want 2", m.frame.Cursor)
		}
		before = m.View()
		m = send(m, keys("s")...)
		reading(t, m, sourcebook.FieldMaskingKey)
		m = leave(t, m, "esc")
		if m.View() != before {
			t.Errorf("%dx%d: esc did not come back to the same screen", size[0], size[1])
		}

		// The 16-bit extended length of the 126-byte frame.
		for m = send(m, keys("g")...); ; m = send(m, keys("down")...) {
			if e, _ := m.tl.Selected(); e.Kind == capture.KindFrame && e.Header.LengthForm == protocol.Length16Bit {
				break
			}
			if m.tl.sel == len(m.tl.entries)-1 {
				t.Fatal("no frame with a 16-bit length")
			}
		}
		for i := 0; m.frame.Field != render.FieldExtLen && i < 12; i++ {
			m = send(m, keys("tab")...)
		}
		m = send(m, keys("s")...)
		reading(t, m, sourcebook.FieldExtLen16)
		m = leave(t, m, "esc")

		// The request: tab walks its headers.
		m = send(m, keys("g")...)
		before = m.View()
		if !strings.Contains(before, "» tab: pick a header · s: see the code for Host") {
			t.Errorf("%dx%d: the handshake view has no hint:\n%s", size[0], size[1], before)
		}
		m = send(m, keys("tab", "tab", "tab", "tab")...)
		if m.hs.Header != sourcebook.HeaderKey {
			t.Fatalf("4 tabs on the request: header %q, want %s", m.hs.Header, sourcebook.HeaderKey)
		}
		before = m.View()
		if !strings.Contains(before, "» s: see the code for Sec-WebSocket-Key") {
			t.Errorf("%dx%d: the selected header has no hint in view:\n%s", size[0], size[1], before)
		}
		m = send(m, keys("s")...)
		reading(t, m, sourcebook.HeaderKey)
		m = leave(t, m, "esc")
		if m.View() != before {
			t.Errorf("%dx%d: esc did not come back to the same handshake screen", size[0], size[1])
		}
		m = send(m, keys("shift+tab", "shift+tab", "shift+tab", "shift+tab")...) // Key, Connection, Upgrade, Host, then round to the last
		if m.hs.Header != sourcebook.HeaderVersion {
			t.Errorf("shift+tab past the first header: %q, want the last, %s", m.hs.Header, sourcebook.HeaderVersion)
		}
		// The response: no header picked, s opens the first it has.
		m = send(m, keys("down", "s")...)
		reading(t, m, sourcebook.HeaderUpgrade)
		m = leave(t, m, "esc")
	}
}

// TestReaderResize checks that a resize while reading reaches both the
// reader and the screen under it.
func TestReaderResize(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("space", "space", "tab", "tab", "tab", "tab", "tab", "s")...)
	reading(t, m, sourcebook.FieldOpcode)
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	reading(t, m, sourcebook.FieldOpcode)
	m = send(m, keys("n")...) // the reader's next place; not a new connection
	if m.reading != true || m.follow != 0 {
		t.Errorf("n in the reader reached the screen under it")
	}
	m = leave(t, m, "esc")
	want := send(recordedModel(t, 120, 40), keys("space", "space", "tab", "tab", "tab", "tab", "tab")...)
	if got := m.View(); got != want.View() {
		t.Errorf("after a resize in the reader, the screen differs from one opened at 120x40:\n%s\nwant:\n%s", got, want.View())
	}
	// ctrl+c quits the program from the reader too.
	m = send(m, keys("s")...)
	if _, cmd := m.Update(keys("ctrl+c")[0]); cmd == nil {
		t.Error("ctrl+c in the reader: no command")
	} else if _, ok := cmd().(quitMsg); !ok {
		t.Error("ctrl+c in the reader should quit the program")
	}
}

// TestCodeKeyInForms checks that s is a letter in the forms, not the
// reader's key.
func TestCodeKeyInForms(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("f", "ctrl+u", "s")...)
	if m.reading || m.free.msg.Value() != "s" {
		t.Errorf("s in the free play form: reading %v, message %q", m.reading, m.free.msg.Value())
	}
	if strings.Contains(m.View(), "s: see the code") {
		t.Error("the hint for s shows while a form takes the keys")
	}
	m = send(m, keys("esc", "s")...)
	if !m.reading {
		t.Error("s after esc did not open the reader")
	}
}

// TestQuitFromTheReader checks that q in the reader quits the program, as
// q does on every screen: the reader asks, and the screen closes its
// sessions and quits.
func TestQuitFromTheReader(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("space", "space", "s")...)
	if !m.reading {
		t.Fatal("s did not open the reader")
	}
	_, cmd := m.Update(keys("q")[0])
	if cmd == nil {
		t.Fatal("q in the reader: no command")
	}
	msg := cmd()
	if _, ok := msg.(source.QuitMsg); !ok {
		t.Fatalf("q in the reader sent %T, want source.QuitMsg", msg)
	}
	next, cmd := m.Update(msg)
	if !next.(Model).quiting || cmd == nil {
		t.Fatal("the screen did not start quitting on the reader's QuitMsg")
	}
}
