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

// listKeys are the list's keys, in the order the footer shows them: the
// body is cut from its end on a narrow screen, the tail never.
func (k keyMap) listKeys() (body, tail []key.Binding) {
	return []key.Binding{k.Down, k.Open, k.Filter, k.First, k.Last}, []key.Binding{k.Help, k.Quit}
}

// caseKeys are the case screen's keys, likewise.
func (k keyMap) caseKeys() (body, tail []key.Binding) {
	return []key.Binding{k.Down, k.Field, k.ByteNext, k.PageDown}, []key.Binding{k.Back, k.Help, k.Quit}
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

// hints is a footer line made from bindings: as many of body as fit in w
// columns beside the whole tail.
func hints(body, tail []key.Binding, w int) string {
	say := func(b key.Binding) string { return b.Help().Key + " " + b.Help().Desc }
	var end []string
	used := 0
	for _, b := range tail {
		end = append(end, say(b))
		used += width(say(b)) + 2
	}
	var parts []string
	for _, b := range body {
		if used+width(say(b))+2 > w {
			break
		}
		parts = append(parts, say(b))
		used += width(say(b)) + 2
	}
	return strings.Join(append(parts, end...), "  ")
}
