package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every binding; help renders it.
type keyMap struct {
	Next, Back                key.Binding
	Up, Down, First, Last     key.Binding
	Field, FieldBack          key.Binding
	ByteNext, BytePrev        key.Binding
	PageUp, PageDown          key.Binding
	Walk, Free, Lab, Edit     key.Binding
	NewSession, Help, Quit    key.Binding
	FormNext, FormPrev        key.Binding
	FormChange, Toggle, Send  key.Binding
	Leave                     key.Binding
	presetHint, payloadSyntax key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, h))
	}
	return keyMap{
		Next:          b([]string{" ", "enter", "right"}, "space/→", "next step"),
		Back:          b([]string{"left"}, "←", "back"),
		Up:            b([]string{"up", "k"}, "↑/k", "previous frame"),
		Down:          b([]string{"down", "j"}, "↓/j", "next frame"),
		First:         b([]string{"home", "g"}, "g", "first frame"),
		Last:          b([]string{"end", "G"}, "G", "last frame"),
		Field:         b([]string{"tab"}, "tab", "next field (bit grid)"),
		FieldBack:     b([]string{"shift+tab"}, "shift+tab", "previous field"),
		ByteNext:      b([]string{"]"}, "]", "next byte (hex)"),
		BytePrev:      b([]string{"["}, "[", "previous byte (hex)"),
		PageUp:        b([]string{"pgup", "ctrl+u"}, "pgup", "scroll up"),
		PageDown:      b([]string{"pgdown", "ctrl+d"}, "pgdn", "scroll down"),
		Walk:          b([]string{"w"}, "w", "walkthrough"),
		Free:          b([]string{"f"}, "f", "free play"),
		Lab:           b([]string{"r"}, "r", "raw frame lab"),
		Edit:          b([]string{"e"}, "e", "edit the form"),
		NewSession:    b([]string{"n"}, "n", "fresh connection"),
		Help:          b([]string{"?"}, "?", "help"),
		Quit:          b([]string{"q", "ctrl+c"}, "q", "quit"),
		FormNext:      b([]string{"tab", "down"}, "tab/↓", "next form field"),
		FormPrev:      b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous form field"),
		FormChange:    b([]string{"left", "right"}, "←/→", "change choice"),
		Toggle:        b([]string{" "}, "space", "toggle bit"),
		Send:          b([]string{"enter"}, "enter", "send"),
		Leave:         b([]string{"esc"}, "esc", "leave the form"),
		presetHint:    b([]string{"ctrl+p"}, "preset", "←/→ on the preset field"),
		payloadSyntax: b([]string{"ctrl+_"}, "payload", "text, x*200 (repeat), hex 48 65"),
	}
}

// ShortHelp is the footer line.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Back, k.Down, k.Field, k.ByteNext, k.Free, k.Lab, k.Help, k.Quit}
}

// FullHelp is the ? screen: every binding, by area.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Back, k.Walk, k.Free, k.Lab, k.NewSession},
		{k.Up, k.Down, k.First, k.Last, k.PageUp, k.PageDown},
		{k.Field, k.FieldBack, k.ByteNext, k.BytePrev, k.Help, k.Quit},
		{k.FormNext, k.FormPrev, k.FormChange, k.Toggle, k.Send, k.Leave, k.Edit, k.presetHint, k.payloadSyntax},
	}
}

// formKeys is the footer line while a form has focus.
type formKeys struct{ k keyMap }

func (f formKeys) ShortHelp() []key.Binding {
	return []key.Binding{f.k.FormNext, f.k.FormChange, f.k.Toggle, f.k.Send, f.k.Leave}
}
func (f formKeys) FullHelp() [][]key.Binding { return f.k.FullHelp() }
