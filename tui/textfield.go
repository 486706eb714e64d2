package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// textField is a one-line input: typing appends, backspace deletes, ctrl+u
// clears. (bubbles/textinput would pull in a clipboard module; this is
// all the forms need.)
type textField struct {
	value   []rune
	width   int
	focused bool
	limit   int
}

func newTextField(v string, width int) textField {
	return textField{value: []rune(v), width: width, limit: 4000}
}

func (t *textField) SetValue(v string) { t.value = []rune(v) }
func (t textField) Value() string      { return string(t.value) }
func (t *textField) Focus()            { t.focused = true }
func (t *textField) Blur()             { t.focused = false }

// Update edits the value; it reports whether the key was used.
func (t textField) Update(msg tea.KeyMsg) (textField, bool) {
	if msg.Alt {
		return t, false // esc pressed just before a key arrives as alt+key
	}
	switch msg.Type {
	case tea.KeyBackspace:
		if len(t.value) > 0 {
			t.value = t.value[:len(t.value)-1]
		}
		return t, true
	case tea.KeyCtrlU:
		t.value = nil
		return t, true
	case tea.KeySpace:
		if len(t.value) < t.limit {
			t.value = append(t.value, ' ')
		}
		return t, true
	case tea.KeyRunes:
		for _, r := range msg.Runes {
			if len(t.value) < t.limit {
				t.value = append(t.value, r)
			}
		}
		return t, true
	}
	return t, false
}

// View shows the end of the value that fits, with a cursor when focused.
func (t textField) View() string {
	v := t.value
	w := max(1, t.width)
	if len(v) > w-1 {
		v = append([]rune("…"), v[len(v)-(w-2):]...)
	}
	s := string(v)
	if t.focused {
		s += "▏"
	}
	return s + strings.Repeat(" ", max(0, w-len([]rune(s))))
}
