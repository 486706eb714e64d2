package tui

import (
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

func TestWalkthroughKeys(t *testing.T) {
	m := recordedModel(t, 120, 40)
	if m.walk.step != 0 || m.tl.sel != 0 {
		t.Fatalf("start: step %d, selection %d; want 0, 0", m.walk.step, m.tl.sel)
	}
	m = send(m, keys("space", "enter", "right")...)
	if m.walk.step != 3 {
		t.Fatalf("after space, enter, right: step %d, want 3", m.walk.step)
	}
	e, _ := m.tl.Selected()
	if e.Kind != capture.KindFrame || e.Dir != capture.ServerToClient || string(e.Unmasked) != "Hello" {
		t.Errorf("step 4 shows %s, want the server's echo of Hello", views.EntryTitleIn(e, "en"))
	}
	m = send(m, keys("left")...)
	e, _ = m.tl.Selected()
	if got := render.HexBytes(e.Wire, 20); got != "81 85 37 fa 21 3d 7f 9f 4d 51 58" {
		t.Errorf("step 3 frame is %s, want the RFC's masked Hello", got)
	}
	m = send(m, keys("left", "left", "left", "left")...)
	if m.walk.step != 0 {
		t.Errorf("left past the start: step %d", m.walk.step)
	}
	// Arrow keys move through the timeline freely.
	m = send(m, keys("down", "down", "j", "up")...)
	if m.tl.sel != 2 {
		t.Errorf("after down, down, j, up: selection %d, want 2", m.tl.sel)
	}
	m = send(m, keys("G")...)
	if m.tl.sel != len(m.tl.entries)-1 {
		t.Errorf("G: selection %d, want the last entry", m.tl.sel)
	}
}

// TestLinkedPanes checks that a field selects its bytes and a byte selects
// its field.
func TestLinkedPanes(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("space", "space")...) // the masked Hello
	m = send(m, keys("tab")...)
	if m.frame.Field != render.FieldFIN || m.frame.Cursor != 0 {
		t.Errorf("tab: field %v cursor %d, want FIN at byte 0", m.frame.Field.Name(), m.frame.Cursor)
	}
	m = send(m, keys("tab", "tab", "tab", "tab", "tab", "tab", "tab")...)
	if m.frame.Field != render.FieldMaskKey || m.frame.Cursor != 2 {
		t.Errorf("8 tabs: field %q cursor %d, want masking key at byte 2", m.frame.Field.Name(), m.frame.Cursor)
	}
	if !strings.Contains(m.detail.View(), "MK MK MK") && !strings.Contains(m.frame.View(mustSel(m), render.PlainTheme(), 80, true), "^^ MK MK MK") {
		t.Errorf("hex dump does not mark the masking key's bytes")
	}
	m = send(m, keys("]", "]", "]", "]")...)
	if m.frame.Cursor != 6 || m.frame.Field != render.FieldPayload {
		t.Errorf("] x4 from byte 2: cursor %d field %q, want byte 6 in the payload", m.frame.Cursor, m.frame.Field.Name())
	}
	m = send(m, keys("[", "[", "[", "[", "[", "[")...)
	if m.frame.Cursor != 0 || m.frame.Field != render.FieldFIN {
		t.Errorf("[ back to byte 0: cursor %d field %q, want FIN", m.frame.Cursor, m.frame.Field.Name())
	}
	m = send(m, keys("[", "]")...)
	if m.frame.Cursor != 1 || m.frame.Field != render.FieldMask {
		t.Errorf("byte 1: field %q, want MASK", m.frame.Field.Name())
	}
}

func mustSel(m Model) capture.Entry { e, _ := m.tl.Selected(); return e }

// TestFormsTakeTyping checks that letters typed into a form are text, not
// commands, and that esc gives the keys back.
func TestFormsTakeTyping(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("f", "ctrl+u", "q", "n", "r")...)
	if m.mode != modeFree || m.free.msg.Value() != "qnr" {
		t.Fatalf("typing in free play: mode %d, message %q", m.mode, m.free.msg.Value())
	}
	m = send(m, keys("tab", "right", "tab", "right", "right")...)
	if senders[m.free.sender] != "server" || freeTypes[m.free.typ] != "ping" {
		t.Errorf("sender %s type %s, want server ping", senders[m.free.sender], freeTypes[m.free.typ])
	}
	m = send(m, keys("esc", "r")...)
	if m.mode != modeLab || !m.lab.focused {
		t.Fatalf("esc then r: mode %d", m.mode)
	}
	m = send(m, keys("right", "right", "right")...) // preset 4: fragmented ping
	b, err := m.lab.Bytes()
	if err != nil || render.HexBytes(b, 20) != "09 82 37 fa 21 3d 5f 93" {
		t.Errorf("fragmented ping preset: % x, %v", b, err)
	}
	m = send(m, keys("tab", "space")...) // FIN on
	b, _ = m.lab.Bytes()
	if b[0] != 0x89 {
		t.Errorf("after toggling FIN: first byte %02x, want 89", b[0])
	}
	// Typed hex is what is sent; being one frame, it is read back into
	// the builder's fields.
	m = send(m, keys("shift+tab", "shift+tab", "ctrl+u")...)
	m = send(m, keys("8", "1", "0", "0")...)
	b, _ = m.lab.Bytes()
	if render.HexBytes(b, 4) != "81 00" || !m.lab.fin || m.lab.masked || m.lab.op != protocol.OpText {
		t.Errorf("typed hex: % x; fields FIN %v MASK %v opcode %v, want an empty unmasked text frame", b, m.lab.fin, m.lab.masked, m.lab.op)
	}
	m = send(m, keys("esc", "?")...)
	if !m.full {
		t.Errorf("? did not open help")
	}
	m = send(m, keys("?")...)
	if m.full {
		t.Errorf("? did not close help")
	}
	_, cmd := m.Update(keys("q")[0])
	if cmd == nil {
		t.Errorf("q outside a form returned no command")
	}
}

// TestEveryPresetBuilds checks the lab's presets encode the mistake they
// name.
func TestEveryPresetBuilds(t *testing.T) {
	l := newLab()
	for i, p := range labPresets {
		l.load(i)
		b, err := l.Bytes()
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		f := render.ParseFrame(b)
		if f.HeaderLen == 0 {
			t.Errorf("%s: % x is not a header", p.name, b)
		}
	}
}

// TestKeyBurst: keys that arrive in one read (a fast typist, tmux
// send-keys) come as one message of several runes; they act one by one,
// as if pressed apart, and typed into a form they are its text.
func TestKeyBurst(t *testing.T) {
	m := recordedModel(t, 120, 40)
	apart := send(m, keys("j", "j", "j")...)
	burst := send(m, keys("jjj")...)
	if mustSel(apart).Seq == mustSel(m).Seq {
		t.Fatal("j j j did not move the selection")
	}
	if mustSel(burst).Seq != mustSel(apart).Seq {
		t.Errorf("\"jjj\" in one message selects #%d, j j j #%d", mustSel(burst).Seq, mustSel(apart).Seq)
	}
	m = send(m, keys("f", "ctrl+u", "qnr")...)
	if m.mode != modeFree || m.free.msg.Value() != "qnr" {
		t.Errorf("\"qnr\" typed in free play: mode %d, message %q", m.mode, m.free.msg.Value())
	}
}
