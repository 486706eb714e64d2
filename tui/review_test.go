package tui

import (
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// TestFooterPerMode checks that the footer shows the keys of the mode on
// screen, and always the way to the help and out.
func TestFooterPerMode(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}, {40, 12}} {
		m := recordedModel(t, size[0], size[1])
		cases := []struct {
			name      string
			keys      []string
			want, not []string
		}{
			// "? help", or "? more" when the line had to leave keys out.
			{"walkthrough", nil, []string{"next step", "? ", "q quit"}, []string{"edit", "esc"}},
			{"free play form", []string{"f"}, []string{"esc leave the form"}, []string{"next step", "toggle"}},
			{"free play", []string{"f", "esc"}, []string{"e edit", "? help", "q quit"}, []string{"next step", "← previous"}},
			{"lab form", []string{"r"}, []string{"esc leave the form"}, []string{"next step"}},
			{"lab", []string{"r", "esc"}, []string{"e edit", "? help", "q quit"}, []string{"next step", "← previous"}},
		}
		for _, c := range cases {
			mm := send(m, keys(c.keys...)...)
			f := mm.footerView()
			if w := lipgloss.Width(f); w > size[0] {
				t.Errorf("%dx%d %s: footer is %d columns wide", size[0], size[1], c.name, w)
			}
			for _, w := range c.want {
				if !strings.Contains(f, w) {
					t.Errorf("%dx%d %s: footer %q lacks %q", size[0], size[1], c.name, f, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(f, n) {
					t.Errorf("%dx%d %s: footer %q shows %q, a key of another mode", size[0], size[1], c.name, f, n)
				}
			}
		}
	}
}

// TestHelpListsEveryKey checks that the ? screen, scrolled through, names
// every binding that works under it at every width, and every preset.
func TestHelpListsEveryKey(t *testing.T) {
	for _, w := range []int{120, 80, 40} {
		m := recordedModel(t, w, 24)
		k := m.bindings()
		all := strings.Join(m.helpLines(k), "\n")
		for _, g := range keymap.Shown(m.groups(k)) {
			if !strings.Contains(all, g.Title) {
				t.Errorf("width %d: help lacks the group %q", w, g.Title)
			}
			for _, b := range g.Bindings {
				if !strings.Contains(all, b.Help().Desc) {
					t.Errorf("width %d: help lacks %q (%s)", w, b.Help().Desc, b.Help().Key)
				}
			}
		}
		for _, p := range labPresets {
			if !strings.Contains(strings.Join(strings.Fields(all), " "), p.name) {
				t.Errorf("width %d: help does not name the preset %q", w, p.name)
			}
		}
		// Scrolling reaches the end.
		m = send(m, keys("?")...)
		for range len(m.helpLines(k)) {
			m = send(m, keys("down")...)
		}
		if v := m.View(); strings.Contains(v, "more lines") {
			t.Errorf("width %d: scrolled to the end, the help still says there is more", w)
		}
	}
}

// TestLabFollowsFreshSession checks that after a raw send and n, the lab
// forgets the old reaction and the timeline selects the new session's
// entries as they arrive.
func TestLabFollowsFreshSession(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("r", "esc")...)
	m.lab.sid, m.lab.from = 1, 0
	m = send(m, keys("n")...)
	// n gives the fresh session its number at once, so that a second n
	// before it opens gets another.
	if m.lab.sid != 0 || m.follow != m.nextID-1 {
		t.Fatalf("after n: lab watches session %d, follow %d; want 0 and %d", m.lab.sid, m.follow, m.nextID-1)
	}
	if v := m.View(); !strings.Contains(v, "send a frame to see it") {
		t.Errorf("after n the lab still shows the old reaction:\n%s", v)
	}
	fresh := []capture.Entry{
		{Seq: 100, Conn: m.follow, Tag: -1, Kind: capture.KindNote, Note: "session 2: a fresh connection"},
		{Seq: 101, Conn: m.follow, Tag: 0, Kind: capture.KindHandshake, Handshake: recordedWalk(t)[0].Handshake},
	}
	m = send(m, entriesMsg(fresh))
	if e, _ := m.tl.Selected(); e.Seq != 101 {
		t.Errorf("after the fresh session's entries the selection is #%d, want #101", e.Seq)
	}
	if !strings.Contains(m.View(), "#101") {
		t.Errorf("the fresh session's handshake is not on screen")
	}
}

// TestAltKeyLeavesForm checks that esc pressed just before a key (which
// arrives as alt+key) leaves the form and the key works as a key.
func TestAltKeyLeavesForm(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("r")...)
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f"), Alt: true})
	if m.mode != modeFree || m.lab.focused {
		t.Errorf("alt+f in the lab form: mode %d, lab focused %v; want free play", m.mode, m.lab.focused)
	}
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w"), Alt: true})
	if m.mode != modeWalk {
		t.Errorf("alt+w in the free play form: mode %d, want walkthrough", m.mode)
	}
	if m.free.msg.focused || m.free.frag.focused {
		t.Errorf("a field keeps its cursor after leaving the form")
	}
}

// TestMouseWheelScrollsTimeline checks that the wheel over the timeline
// column scrolls it, and over the dissection scrolls that.
func TestMouseWheelScrollsTimeline(t *testing.T) {
	m := recordedModel(t, 120, 30)
	m = send(m, entriesMsg(manyFrames(100)))
	wheel := func(x int, b tea.MouseButton) tea.Msg {
		return tea.MouseMsg{X: x, Y: 5, Action: tea.MouseActionPress, Button: b}
	}
	m = send(m, wheel(5, tea.MouseButtonWheelDown), wheel(5, tea.MouseButtonWheelDown))
	if m.tl.offset != 6 {
		t.Errorf("two wheel steps down over the timeline: offset %d, want 6", m.tl.offset)
	}
	if !strings.Contains(m.View(), "#6 ") {
		t.Errorf("the scrolled timeline does not show entry #6")
	}
	m = send(m, keys("space", "space")...) // the masked Hello: a long dissection
	m = send(m, wheel(80, tea.MouseButtonWheelDown))
	if m.detail.YOffset != 3 {
		t.Errorf("wheel over the dissection: offset %d, want 3", m.detail.YOffset)
	}
}

// TestTinyTerminals renders every part of the screen at small and odd
// sizes: it must not panic and must stay inside the terminal.
func TestTinyTerminals(t *testing.T) {
	seqs := [][]string{nil, {"space", "space", "tab", "]"}, {"f"}, {"f", "esc"}, {"r"}, {"r", "esc"}, {"?"}, {"?", "down", "down"}}
	for _, size := range [][2]int{{0, 0}, {1, 1}, {10, 3}, {20, 5}, {40, 12}, {60, 20}, {100, 30}} {
		for _, seq := range seqs {
			m := recordedModel(t, size[0], size[1])
			m = send(m, keys(seq...)...)
			v := m.View()
			lines := strings.Split(v, "\n")
			if size[1] > 2 && len(lines) != size[1] {
				t.Errorf("%dx%d after %v: %d lines", size[0], size[1], seq, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); size[0] > 0 && w > size[0] {
					t.Errorf("%dx%d after %v: line %d is %d columns: %q", size[0], size[1], seq, i, w, l)
					break
				}
			}
		}
	}
}

// TestFreshSessionResumesWalk checks that a walkthrough step refused for
// a closed connection runs on the fresh one n opens, without another key.
func TestFreshSessionResumesWalk(t *testing.T) {
	m := newModel()
	m = send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m.walk.step = 2 // the masked Hello: its action never ran
	m = send(m, keys("right", "left")...)
	if m.walk.err.empty() {
		t.Fatalf("with no connection the step did not say so")
	}
	s, err := session.Start(t.Context(), session.Config{ID: 2, Queue: m.rt.q})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	next, cmd := m.Update(sessionMsg{s: s})
	m = next.(Model)
	act := m.walk.steps[m.walk.step].Action
	if cmd == nil || !m.walk.running[act] || !m.walk.err.empty() {
		t.Errorf("the fresh session did not run the waiting step: cmd %v, running %v, err %q", cmd != nil, m.walk.running[act], m.walk.err.in("en"))
	}
}

// TestFreePlayOnClosedConnection checks that a close asked for on a
// closed connection says so instead of "sent", and names esc before n.
func TestFreePlayOnClosedConnection(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("f")...)
	m.free.typ = 4 // close
	m = send(m, freeSendMsg{typ: 4, code: 1000})
	if !m.free.bad || !strings.Contains(m.free.status.in("en"), "esc, then n") {
		t.Errorf("close with no connection: status %q", m.free.status)
	}
}

// TestResizeRelays checks that a window size message re-lays the screen:
// column timeline when wide, a strip when narrow, and the view always
// exactly the terminal's height.
func TestResizeRelays(t *testing.T) {
	m := recordedModel(t, 120, 40)
	if !m.wide() || m.tl.height != 38 {
		t.Fatalf("120x40: wide %v, timeline %d rows", m.wide(), m.tl.height)
	}
	for _, size := range [][2]int{{100, 30}, {80, 24}, {60, 20}, {120, 40}} {
		m = send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		if n := strings.Count(v, "\n") + 1; n != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], n)
		}
		if m.detail.Width != m.rightWidth() {
			t.Errorf("%dx%d: detail %d wide, want %d", size[0], size[1], m.detail.Width, m.rightWidth())
		}
	}
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if m.wide() {
		t.Errorf("100x30 puts the timeline beside a bit grid that does not fit")
	}
}

// TestShortSizeFits checks that every length, up to the 64-bit ones the
// lab can claim, fits the timeline's six columns.
func TestShortSizeFits(t *testing.T) {
	for _, n := range []uint64{0, 125, 65536, 99999, 100000, 1 << 30, 1 << 40, 9223372036854775813, 1<<64 - 1} {
		if s := views.ShortSize(n); len([]rune(s)) > 6 {
			t.Errorf("shortSize(%d) = %q, more than 6 columns", n, s)
		}
	}
}

// TestFreePlayFieldsOnNarrowScreens checks that every free play field is
// on screen at 40 columns: the choices wrap instead of being cut.
func TestFreePlayFieldsOnNarrowScreens(t *testing.T) {
	m := recordedModel(t, 40, 24)
	m = send(m, keys("f")...)
	v := m.View()
	for _, want := range []string{"message:", "from:", "type:", "close code:", "fragment size:"} {
		if !strings.Contains(v, want) {
			t.Errorf("free play at 40 columns lacks %q:\n%s", want, v)
		}
	}
}
