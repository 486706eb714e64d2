package tui

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
)

// keyStates are the states whose keys TestKeysDoWhatTheScreenSays checks,
// each reached by keys from the recorded walkthrough.
var keyStates = []struct {
	name string
	keys []string
}{
	{"walkthrough, first step", nil},
	{"walkthrough, a text frame", []string{"space", "space"}},
	{"walkthrough, last step", strings.Fields(strings.Repeat("space ", 40))},
	{"free play form", []string{"f"}},
	{"free play", []string{"f", "esc"}},
	{"lab form", []string{"r"}},
	{"lab", []string{"r", "esc"}},
	{"help", []string{"?"}},
}

// listed is every binding the state shows: its footer and its ? screen,
// or, on the ? screen, the keys of the ? screen itself.
func listed(m Model) []key.Binding {
	k := m.bindings()
	if m.full {
		return keymap.Enabled(k.HelpClose, k.HelpDown, k.HelpUp, k.Quit)
	}
	body, tail := m.footerKeys()
	out := append(keymap.Enabled(body...), keymap.Enabled(tail...)...)
	for _, g := range keymap.Shown(m.groups(k)) {
		out = append(out, g.Bindings...)
	}
	return out
}

// TestKeysDoWhatTheScreenSays checks, in each state, that every key its
// footer and ? screen name does something, and that no other key does.
func TestKeysDoWhatTheScreenSays(t *testing.T) {
	if testing.Short() {
		t.Skip("sends every key to every state")
	}
	for _, st := range keyStates {
		base := send(recordedModel(t, 80, 24), keys(st.keys...)...)
		fresh := func() Model { return cloneModel(base) }
		silent := map[string]string{}
		if st.name == "free play form" {
			// The message field has the keys: letters are typed, and the
			// text field's editing keys (bubbles' textinput) move in it.
			for _, k := range keytest.Universe() {
				silent[k] = "typed into the message field"
			}
		}
		keytest.Check(t, keytest.Case[Model]{
			Name:   st.name,
			Fresh:  fresh,
			Update: func(m Model, msg tea.Msg) (Model, tea.Cmd) { n, cmd := m.Update(msg); return n.(Model), cmd },
			View:   func(m Model) string { return m.View() },
			Listed: listed(fresh()),
			Silent: silent,
		})
	}
}

// cloneModel copies m with its own copies of the maps a key writes to (the
// walkthrough's record of the steps run), so that a key sent to one copy
// leaves the next as it was.
func cloneModel(m Model) Model {
	m.walk.ran = maps.Clone(m.walk.ran)
	m.walk.running = maps.Clone(m.walk.running)
	return m
}

// TestFooterNamesOnlyEnabledKeys checks the hint line at the first and
// last steps: ← is not offered where there is no step before; → is
// offered at the last step, where it runs the walkthrough again.
func TestFooterNamesOnlyEnabledKeys(t *testing.T) {
	m := recordedModel(t, 120, 40)
	if f := m.footerView(); strings.Contains(f, "← ") || !strings.Contains(f, "next step") {
		t.Errorf("first step: footer %q", f)
	}
	// At the last step → runs the walkthrough again, so it stays.
	m = send(m, keys(strings.Fields(strings.Repeat("space ", 40))...)...)
	if f := m.footerView(); !strings.Contains(f, "← previous") || !strings.Contains(f, "next step") {
		t.Errorf("last step: footer %q", f)
	}
}

// TestFooterSaysWhatLeftDoes: in the walkthrough ← shows the previous
// step, and its hint says so in both languages, at both sizes. It must
// not say "back", the word every screen gives esc (in free play and the
// lab, esc back to the walkthrough), or one word would name two keys
// that do different things.
func TestFooterSaysWhatLeftDoes(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{{"en", "← previous"}, {"zh", "← 上一步"}} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m := recordedModelIn(t, tt.lang, size[0], size[1])
			m = send(m, keys("space", "space")...)
			f := m.footerView()
			if !strings.Contains(f, tt.want) {
				t.Errorf("%s %dx%d: footer %q does not say %q", tt.lang, size[0], size[1], f, tt.want)
			}
			if esc := "← " + keymap.New(tt.lang).Back.Help().Desc; strings.Contains(f, esc) {
				t.Errorf("%s %dx%d: footer %q calls ← %q, esc's word", tt.lang, size[0], size[1], f, esc)
			}
			step := m.walk.step
			if m = send(m, keys("left")...); m.walk.step != step-1 {
				t.Errorf("%s %dx%d: ← went from step %d to %d, not the previous step", tt.lang, size[0], size[1], step, m.walk.step)
			}
		}
	}
}

// TestHelpGolden renders the ? screen in English and Chinese at 80x24.
func TestHelpGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m := recordedModel(t, 80, 24)
		m.setLang(lang)
		m = send(m, keys("?")...)
		v := m.View()
		if h := lipgloss.Height(v); h != 24 {
			t.Errorf("%s: help is %d lines, want 24", lang, h)
		}
		if w := lipgloss.Width(v); w > 80 {
			t.Errorf("%s: help is %d columns wide", lang, w)
		}
		golden(t, fmt.Sprintf("help_%s_80x24", lang), v)
	}
}

// TestHelpZh checks that every key description of the screen, in the
// footer, the ? screen and its notes, has its Chinese.
func TestHelpZh(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m.setLang("zh")
	for _, st := range keyStates {
		mm := send(m, keys(st.keys...)...)
		k := mm.bindings()
		body, tail := mm.footerKeys()
		bs := append(body, tail...)
		for _, g := range mm.groups(k) {
			if !hasHan(g.Title) {
				t.Errorf("%s: group %q has no Chinese", st.name, g.Title)
			}
			bs = append(bs, g.Bindings...)
		}
		for _, b := range bs {
			if d := b.Help().Desc; !hasHan(d) {
				t.Errorf("%s: %q (%s) has no Chinese", st.name, d, b.Help().Key)
			}
		}
	}
	for _, n := range m.helpNotes() {
		if !hasHan(n) {
			t.Errorf("note without Chinese: %.60q", n)
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
