package source

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
)

// listed is every binding the state shows: its footer and, with the help
// closed, the help it would open.
func listed(m Model) []key.Binding {
	k := m.bindings()
	out := keymap.Enabled(append(k.ShortHelp(), k.Help, k.Quit)...)
	if m.mode != modeHelp {
		for _, g := range keymap.Shown(k.groups(m.lang)) {
			out = append(out, g.Bindings...)
		}
	}
	return out
}

// TestKeysDoWhatTheReaderSays checks, in each state of the reader, on its
// own and embedded, that every key its footer and help name does
// something, and that no other key does.
func TestKeysDoWhatTheReaderSays(t *testing.T) {
	if testing.Short() {
		t.Skip("sends every key to every state")
	}
	b := protocolBook(t)
	states := []struct {
		name string
		opts Options
		keys []string
	}{
		{"first file", Options{}, nil},
		{"a middle file, scrolled", Options{File: "frame.go"}, []string{"pgdown"}},
		{"contents", Options{File: "frame.go"}, []string{"t"}},
		{"help", Options{File: "frame.go"}, []string{"?"}},
		{"help over the contents", Options{File: "frame.go"}, []string{"t", "?"}},
		{"a search", Options{File: "frame.go"}, []string{"/", "m", "a", "s", "k", "enter"}},
		{"embedded at a field", Options{Embedded: true, EscLeaves: true, Field: "FIN"}, nil},
	}
	for _, st := range states {
		// The state is built once: a key's changes stay in the copy it
		// was sent to (the layout cache they share holds the same rows
		// whoever fills it).
		m := sized(t, b, st.opts, 80, 24)
		for _, k := range st.keys {
			m, _ = m.Update(keytest.Msg(k))
		}
		fresh := func() Model { return m }
		keytest.Check(t, keytest.Case[Model]{
			Name:   st.name,
			Fresh:  fresh,
			Update: func(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) },
			View:   func(m Model) string { return m.View() },
			Listed: listed(fresh()),
		})
	}
}

// TestHelpGoldenZh renders the help in Chinese at 80x24 (the English one
// is view_help_80x24).
func TestHelpGoldenZh(t *testing.T) {
	m := sized(t, miniBook(t), Options{File: "wire.go", Lang: "zh"}, 80, 24)
	golden(t, "view_help_zh_80x24.golden", press(m, "?").View())
}
