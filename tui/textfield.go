package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// sampleStyle dims a field's sample value.
var sampleStyle = lipgloss.NewStyle().Faint(true)

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// textField is a one-line input: typing appends, backspace deletes, ctrl+u
// clears. (bubbles/textinput would pull in a clipboard module; this is
// all the forms need.)
//
// The value a form opens with is a sample: it is shown dim and is what is
// sent if nothing is typed, but the first character typed replaces it (and
// backspace clears it), so a learner's "Hi" is not appended to it.
type textField struct {
	value   []rune
	width   int
	focused bool
	limit   int
	sample  bool // value is the form's sample, not typed: typing replaces it
}

func newTextField(v string, width int) textField {
	return textField{value: []rune(v), width: width, limit: 4000, sample: v != ""}
}

// SetValue sets a value to edit: typing appends to it.
func (t *textField) SetValue(v string) { t.value, t.sample = []rune(v), false }
func (t textField) Value() string      { return string(t.value) }
func (t *textField) Focus()            { t.focused = true }
func (t *textField) Blur()             { t.focused = false }

// Update edits the value; it reports whether the key was used.
func (t textField) Update(msg tea.KeyMsg) (textField, bool) {
	if msg.Alt {
		return t, false // esc pressed just before a key arrives as alt+key
	}
	switch msg.Type {
	case tea.KeyBackspace, tea.KeyCtrlU, tea.KeySpace, tea.KeyRunes:
		if t.sample {
			t.value, t.sample = nil, false
			if msg.Type == tea.KeyBackspace {
				return t, true
			}
		}
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
	pad := strings.Repeat(" ", max(0, w-len([]rune(s))-btoi(t.focused)))
	if t.sample {
		s = sampleStyle.Render(s)
	}
	if t.focused {
		s += "▏"
	}
	return s + pad
}
