package lessonui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/sourcebook"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
)

// TestLinksComeFromRender: a demo's links are the render package's
// field and header IDs (render's TestEveryFieldHasCode checks those reach
// code), in wire order for frames and in sent order for headers.
func TestLinksComeFromRender(t *testing.T) {
	wire := append([]byte{0x82, 126, 0, 200}, make([]byte, 200)...)
	f := render.ParseFrame(wire)
	links := frameLinks(wire)
	if len(links) != len(f.Fields()) {
		t.Fatalf("%d links for %d fields", len(links), len(f.Fields()))
	}
	for i, fl := range f.Fields() {
		if links[i].field != fl || links[i].id != f.SourceID(fl) {
			t.Errorf("link %d is %+v, want %s → %q", i, links[i], fl.Name(), f.SourceID(fl))
		}
	}
	head := []byte("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nUser-Agent: x\r\nSec-WebSocket-Key: k\r\n\r\n")
	hs := render.HeaderSources(head)
	hl := headerLinks(head)
	if len(hs) != 3 || len(hl) != len(hs) {
		t.Fatalf("header links %+v, want the 3 of %+v", hl, hs)
	}
	for i := range hs {
		if hl[i].id != hs[i].ID || hl[i].text != hs[i].Line {
			t.Errorf("header link %d is %+v, want %+v", i, hl[i], hs[i])
		}
	}
}

// handshakeRunner is fakeRunner with the opening handshake first.
type handshakeRunner struct{ fakeRunner }

func (h *handshakeRunner) Run(ctx context.Context, acts []lessons.Action) lessonrun.Result {
	res := h.fakeRunner.Run(ctx, acts)
	req := "GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	hs := lessonrun.Event{Kind: lessonrun.KindHandshake, Role: protocol.RoleClient,
		Entry: capture.Entry{Kind: capture.KindHandshake, Dir: capture.ClientToServer,
			Handshake: &protocol.HandshakeEvent{Role: protocol.RoleClient, Request: true, Raw: []byte(req)}}}
	res.Events = append([]lessonrun.Event{hs}, res.Events...)
	return res
}

// demoText is the whole scrollable lesson, demo included, as text.
func demoText(m Model) string {
	c, _ := m.content()
	return strings.Join(c, "\n")
}

// readingAt checks that the reader is open at field id.
func readingAt(t *testing.T, m Model, id string) {
	t.Helper()
	if !m.reading {
		t.Fatalf("the reader is not open (want it at %s)", id)
	}
	v := m.View()
	fd, _ := sourcebook.LookupField(id)
	place := fd.Title + ": place 1 of"
	if m.cfg.Lang == "zh" {
		place = fd.TitleIn("zh") + "：第 1 处"
	}
	if !strings.Contains(v, "▸ "+id+" ") || !strings.Contains(v, place) {
		t.Errorf("the reader does not show the code for %s:\n%s", id, v)
	}
	if n := strings.Count(v, "\n") + 1; n != m.h {
		t.Errorf("the reader's view is %d lines, want %d", n, m.h)
	}
}

// leaveReader presses key in the reader and feeds its CloseMsg back.
func leaveReader(t *testing.T, m Model, key string) Model {
	t.Helper()
	mm, cmd := m.Update(keyOf(key))
	m = mm.(Model)
	if cmd == nil {
		t.Fatalf("%s in the reader: no command", key)
	}
	msg := cmd()
	if _, ok := msg.(source.CloseMsg); !ok {
		t.Fatalf("%s in the reader sent %T, want source.CloseMsg", key, msg)
	}
	mm, _ = m.Update(msg)
	return mm.(Model)
}

// TestSeeTheCodeFromALesson: in a lesson's demo, [ and ] pick a field of
// the selected frame or a header of the selected handshake, s opens the
// reader at its code, q and esc come back to the lesson as it was.
func TestSeeTheCodeFromALesson(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, _ := newTestModel(t, lang, 80, 24, true)
		m.cfg.NewRunner = func() StepRunner { return &handshakeRunner{} }
		m, _ = drive(t, m, keys("3", "enter")...)
		m = advanceTo(t, m, 4, "right")
		if len(m.selectables()) != 2 {
			t.Fatalf("%s: %d selectable events, want the handshake and the frame", lang, len(m.selectables()))
		}

		// The handshake is selected; nothing picked: s opens its first header.
		if want := "» " + hint(lang, "code.pickheader", []string{"tab/shift+tab", "s"}, "Host"); !strings.Contains(demoText(m), want) {
			t.Errorf("%s: the handshake has no hint %q", lang, want)
		}
		m, _ = drive(t, m, keys("s")...)
		readingAt(t, m, sourcebook.HeaderHost)
		m = leaveReader(t, m, "esc")

		// [ goes round to the last header.
		m, _ = drive(t, m, keys("shift+tab")...)
		if m.link != sourcebook.HeaderVersion {
			t.Errorf("%s: [ picked %q, want %s", lang, m.link, sourcebook.HeaderVersion)
		}
		m, _ = drive(t, m, keys("shift+tab")...)
		if !strings.Contains(demoText(m), "  » "+hint(lang, "code.see", []string{"s"}, sourcebook.HeaderKey)) {
			t.Errorf("%s: no hint under Sec-WebSocket-Key:\n%s", lang, demoText(m))
		}
		before := m.View()
		m, _ = drive(t, m, keys("s")...)
		readingAt(t, m, sourcebook.HeaderKey)
		m = leaveReader(t, m, "esc")
		if m.reading || m.View() != before {
			t.Errorf("%s: esc did not come back to the lesson as it was:\n%s", lang, m.View())
		}

		// The frame: tab selects it, the pick is cleared; ] ] is RSV1.
		m, _ = drive(t, m, keys("down")...)
		if m.link != "" {
			t.Errorf("%s: a new selection kept the pick %q", lang, m.link)
		}
		m, _ = drive(t, m, keys("tab", "tab")...)
		if !strings.Contains(demoText(m), "» "+hint(lang, "code.see", []string{"s"}, "RSV1")) {
			t.Errorf("%s: no hint for RSV1", lang)
		}
		if !strings.Contains(demoText(m), "> RSV1") {
			t.Errorf("%s: the field table does not mark RSV1", lang)
		}
		before = m.View()
		m, _ = drive(t, m, keys("s")...)
		readingAt(t, m, sourcebook.FieldRSV1)
		m = leaveReader(t, m, "esc")
		if m.View() != before {
			t.Errorf("%s: q did not come back to the lesson as it was", lang)
		}

		// Resize while reading: the reader and the lesson both follow.
		m, _ = drive(t, m, keys("tab", "tab", "tab", "tab", "tab", "tab")...) // RSV1 + 6: the masking key
		m, _ = drive(t, m, keys("s")...)
		mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		m = mm.(Model)
		readingAt(t, m, sourcebook.FieldMaskingKey)
		m = leaveReader(t, m, "esc")
		checkViewSize(t, m.View(), 120, 40)

		// ctrl+c quits from the reader.
		m, _ = drive(t, m, keys("s")...)
		if _, quit := drive(t, m, keyOf("ctrl+c")); !quit {
			t.Errorf("%s: ctrl+c in the reader did not quit", lang)
		}
		m.Shutdown()
	}
}

func checkViewSize(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lessons.Width(l) > w {
			t.Errorf("line %d is %d columns, wider than %d", i+1, lessons.Width(l), w)
		}
	}
}
