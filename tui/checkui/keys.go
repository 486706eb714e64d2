package checkui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// keyMap holds every key of the report. The walkthrough's keys keep their
// meaning here: ↑/↓ (k/j) move to the previous or next item, tab picks a
// field of the frame (or a header of the handshake), [ and ] move the hex
// cursor by a byte, ? is help and q quits. Every hint on the screen is
// made from these bindings, never typed into a label.
type keyMap struct {
	Up, Down, First, Last key.Binding
	PageUp, PageDown      key.Binding
	Open, Back, Filter    key.Binding
	Field, FieldBack      key.Binding
	ByteNext, BytePrev    key.Binding
	Help, Quit            key.Binding
}

func newKeyMap(lang string) keyMap {
	t := textsFor(lang)
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, h))
	}
	return keyMap{
		Up:        b([]string{"up", "k"}, "↑/k", t.keyUp),
		Down:      b([]string{"down", "j"}, "↓/j", t.keyDown),
		First:     b([]string{"home", "g"}, "g", t.keyFirst),
		Last:      b([]string{"end", "G"}, "G", t.keyLast),
		PageUp:    b([]string{"pgup", "ctrl+u"}, "pgup", t.keyPageUp),
		PageDown:  b([]string{"pgdown", "ctrl+d"}, "pgdn", t.keyPageDown),
		Open:      b([]string{"enter", "right", "l"}, "enter", t.keyOpen),
		Back:      b([]string{"esc", "left", "h"}, "esc", t.keyBack),
		Filter:    b([]string{"f"}, "f", t.keyFilter),
		Field:     b([]string{"tab"}, "tab", t.keyField),
		FieldBack: b([]string{"shift+tab"}, "shift+tab", t.keyFieldBack),
		ByteNext:  b([]string{"]"}, "]", t.keyByteNext),
		BytePrev:  b([]string{"["}, "[", t.keyBytePrev),
		Help:      b([]string{"?"}, "?", t.keyHelp),
		Quit:      b([]string{"q", "ctrl+c"}, "q", t.keyQuit),
	}
}

// listKeys are the list's keys, in the order the footer shows them (the
// first are cut last on a narrow screen).
func (k keyMap) listKeys() []key.Binding {
	return []key.Binding{k.Down, k.Open, k.Filter, k.Help, k.Quit, k.First, k.Last}
}

// caseKeys are the case screen's keys, likewise.
func (k keyMap) caseKeys() []key.Binding {
	return []key.Binding{k.Down, k.Field, k.ByteNext, k.Back, k.Help, k.Quit, k.PageDown}
}

// helpGroups are the ? screen: every binding, by the screen it works on.
func (k keyMap) helpGroups(t texts) []helpGroup {
	return []helpGroup{
		{t.helpAnywhere, []key.Binding{k.Up, k.Down, k.First, k.Last, k.PageUp, k.PageDown, k.Help, k.Quit}},
		{t.helpList, []key.Binding{k.Open, k.Filter}},
		{t.helpCase, []key.Binding{k.Field, k.FieldBack, k.ByteNext, k.BytePrev, k.Back}},
	}
}

type helpGroup struct {
	title    string
	bindings []key.Binding
}

// hints is a footer line made from bindings, as many as fit in w columns.
func hints(binds []key.Binding, w int) string {
	var parts []string
	used := 0
	for _, b := range binds {
		h := b.Help()
		s := h.Key + " " + h.Desc
		if used+width(s)+2 > w && len(parts) > 0 {
			break
		}
		parts = append(parts, s)
		used += width(s) + 2
	}
	return strings.Join(parts, "  ")
}
