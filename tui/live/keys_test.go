package live

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
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
