package live

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// listed is every binding the state shows: its footer and, with the help
// closed, the help it would open.
func listed(m Model) []key.Binding {
	body, tail := m.footerKeys()
	out := keymap.Enabled(append(body, tail...)...)
	if !m.help {
		for _, g := range keymap.Shown(m.groups()) {
			out = append(out, g.Bindings...)
		}
	}
	return out
}

// TestKeysDoWhatTheScreenSays checks, in each state of the live screen,
// that every key its footer and help name does something, and that no
// other key does.
func TestKeysDoWhatTheScreenSays(t *testing.T) {
	states := []struct {
		name string
		keys []string
	}{
		{"all, following", nil},
		{"all, an older entry", []string{"up", "up"}},
		{"one connection, a frame", []string{"left", "left", "left", "enter", "up", "up", "up", "up", "up", "up"}},
		{"a frame, scrolled", []string{"left", "left", "left", "enter", "up", "up", "up", "up", "up", "up", "pgdown"}},
		{"a handshake", []string{"g"}},
		{"a handshake, a header picked", []string{"g", "tab"}},
		{"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for i, st := range states {
			if size[0] == 120 && i != 2 {
				continue // the wide layout: one state
			}
			fresh := func() Model { return press(sized(sampleStore(), size[0], size[1]), st.keys...) }
			keytest.Check(t, keytest.Case[Model]{
				Name:   st.name,
				Fresh:  fresh,
				Update: func(m Model, msg tea.Msg) (Model, tea.Cmd) { n, cmd := m.Update(msg); return n.(Model), cmd },
				View:   func(m Model) string { return m.View() },
				Listed: listed(fresh()),
			})
		}
	}
}

// TestHelpZh checks that every key the live screen names has Chinese.
func TestHelpZh(t *testing.T) {
	m := press(sizedIn(sampleStore(), "zh", 80, 24), "left", "enter", "up")
	body, tail := m.footerKeys()
	bs := append(body, tail...)
	for _, g := range m.groups() {
		if !hasHan(g.Title) {
			t.Errorf("group %q has no Chinese", g.Title)
		}
		bs = append(bs, g.Bindings...)
	}
	for _, b := range bs {
		if !hasHan(b.Help().Desc) {
			t.Errorf("%q (%s) has no Chinese", b.Help().Desc, b.Help().Key)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestSeeTheCode checks that s opens the reader at the selected field, esc
// comes back to the same screen, and q in the reader quits.
func TestSeeTheCode(t *testing.T) {
	m := press(sized(sampleStore(), 80, 24), "left", "left", "left", "enter", "up", "up", "up", "up", "up", "up", "tab")
	before := m.View()
	m = press(m, "s")
	if !m.reading || !strings.Contains(m.View(), "source") {
		t.Fatalf("s did not open the reader:\n%s", m.View())
	}
	_, cmd := m.Update(keytest.Msg("esc"))
	if cmd == nil {
		t.Fatal("esc in the reader: no command")
	}
	mm, _ := m.Update(cmd())
	if v := mm.View(); v != before {
		t.Errorf("esc did not come back to the same screen:\n%s", v)
	}
	_, cmd = m.Update(keytest.Msg("q"))
	if cmd == nil {
		t.Fatal("q in the reader: no command")
	}
	if _, quit := m.Update(cmd()); quit == nil {
		t.Error("q in the reader did not quit")
	}
}

// TestSharedKeysReadAsEverywhere: the keys this screen does not give more
// to do read as on every screen, in both languages.
func TestSharedKeysReadAsEverywhere(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		k, km := newKeyMap(lang), keymap.New(lang)
		for name, p := range map[string][2]key.Binding{
			"Field": {k.Field, km.Field}, "FieldBack": {k.FieldBack, km.FieldBack},
			"Help": {k.Help, km.Help}, "Close": {k.Close, km.Close}, "Quit": {k.Quit, km.Quit},
		} {
			if p[0].Help() != p[1].Help() {
				t.Errorf("%s: %s reads %q, the shared map %q", lang, name, p[0].Help(), p[1].Help())
			}
		}
	}
}

// TestTabPicksAHeader: on a handshake, tab and shift+tab pick its
// headers, as in the walkthrough and the lessons, and as the dissection's
// own hint ("tab: pick a header") says; the picked one is marked in view,
// and s opens its code.
func TestTabPicksAHeader(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := press(sized(sampleStore(), size[0], size[1]), "g")
		e, ok := m.selected()
		if !ok || e.Kind != capture.KindHandshake {
			t.Fatalf("%v: g did not select the first handshake: %+v", size, e)
		}
		if !m.bindings().Field.Enabled() || !strings.Contains(m.View(), "tab field") {
			t.Errorf("%v: tab is not offered on a handshake:\n%s", size, m.View())
		}
		var ids []string
		for _, h := range render.HeaderSources(e.Handshake.Raw) {
			ids = append(ids, h.ID)
		}
		keytest.CheckTabPicksHeaders(t, fmt.Sprint(size), ids, func(key string) (string, string, string) {
			m = press(m, key)
			id, _ := views.CodeTarget(e, m.frame, m.hs)
			return m.hs.Header, m.View(), id
		})
	}
}

// TestDissectionHintsWork: whatever entry is selected, a dissection that
// tells the user to press tab ("tab: pick a header", "tab: next header",
// "tab: pick a field") is on a screen where tab is enabled.
func TestDissectionHintsWork(t *testing.T) {
	m := press(sized(sampleStore(), 120, 40), "g")
	n, _ := m.store.Len(m.timelineID())
	for i := 0; i < n; i++ {
		e, _ := m.selected()
		body := strings.Join(m.detailBody(e, 80), "\n")
		if strings.Contains(body, views.FieldKey+": ") && !m.bindings().Field.Enabled() {
			t.Errorf("entry %d (%v): the dissection names %s, which does nothing here:\n%s", i, e.Kind, views.FieldKey, body)
		}
		m = press(m, "down")
	}
}
