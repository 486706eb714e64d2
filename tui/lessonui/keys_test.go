package lessonui

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
)

// listed is every binding the state shows: its hint line and, with the
// help closed, the help it would open.
func listed(m Model) []key.Binding {
	k := m.bindings()
	out := keymap.Enabled(k.ShortHelp()...)
	if !m.showHelp {
		for _, g := range keymap.Shown(k.groups()) {
			out = append(out, g.Bindings...)
		}
	}
	return out
}

// TestKeysDoWhatTheScreenSays checks, in each state of the two screens,
// that every key the hint line and the help name does something, and that
// no other key does.
func TestKeysDoWhatTheScreenSays(t *testing.T) {
	if testing.Short() {
		t.Skip("sends every key to every state")
	}
	states := []struct {
		name string
		keys []string
	}{
		{"lesson list", nil},
		{"lesson list, help", []string{"?"}},
		{"lesson 3, first step", []string{"3", "enter"}},
		{"lesson 3, a demo", []string{"3", "enter", "right", "right", "right", "right"}},
		{"lesson 1, a choice check", []string{"1", "enter", "right", "right", "right", "right"}},
		{"lesson, help", []string{"3", "enter", "?"}},
		{"lesson 1, answer field", []string{"1", "enter", "right", "right", "right", "right", "right", "a"}},
	}
	for _, st := range states {
		m, _ := newTestModel(t, "en", 80, 24, true)
		m, _ = drive(t, m, keys(st.keys...)...)
		// Each key goes to a copy with its own maps of results and
		// answers. (The progress file is shared: what a key saves in it,
		// the step reached, does not change the screens checked here.)
		fresh := func() Model {
			c := m
			c.results, c.running, c.answered = maps.Clone(m.results), maps.Clone(m.running), maps.Clone(m.answered)
			return c
		}
		silent := map[string]string{}
		if m.focus {
			for _, k := range keytest.Universe() {
				silent[k] = "typed into the answer field"
			}
		}
		if m.confirmReset {
			t.Fatalf("%s: asking to reset", st.name)
		}
		keytest.Check(t, keytest.Case[Model]{
			Name:   st.name,
			Fresh:  fresh,
			Update: func(m Model, msg tea.Msg) (Model, tea.Cmd) { n, cmd := m.Update(msg); return n.(Model), cmd },
			View:   func(m Model) string { return m.View() },
			Listed: listed(m),
			Silent: silent,
		})
		m.Shutdown()
	}
}

// TestHelpGolden renders the lesson screen's help in English and Chinese
// at 80x24.
func TestHelpGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m, _ := newTestModel(t, lang, 80, 24, true)
		m, _ = drive(t, m, keys("3", "enter", "right", "right", "right", "right", "?")...)
		checkView(t, fmt.Sprintf("help_%s_80x24", lang), m.View(), 80, 24)
		m.Shutdown()
	}
}

// TestMoreRuleNamesOnlyKeysThatAct: the rule under the text names pgdn
// only when pgdn scrolls, so that with the help open it never names a key
// the help leaves out (the help's footer takes lines from the text).
func TestMoreRuleNamesOnlyKeysThatAct(t *testing.T) {
	checked := 0
	for _, lesson := range []string{"1", "2", "3"} {
		for step := 0; step < 6; step++ {
			for h := 14; h <= 44; h += 2 {
				m, _ := newTestModel(t, "en", 80, h, true)
				ks := []string{lesson, "enter"}
				for range step {
					ks = append(ks, "right")
				}
				m, _ = drive(t, m, keys(append(ks, "?")...)...)
				v := m.View()
				if strings.Contains(v, "(pgdn)") {
					checked++
					if !m.stateKeys().PageDown.Enabled() || !strings.Contains(v, "pgdn ") {
						t.Errorf("lesson %s step %d, 80x%d: the rule names pgdn, but pgdn does not scroll or the help leaves it out:\n%s", lesson, step+1, h, v)
					}
				}
				m.Shutdown()
			}
		}
	}
	if checked == 0 {
		t.Fatal("no state showed (pgdn): the test checks nothing")
	}
}
