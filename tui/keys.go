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
	LabSend, Code             key.Binding
	Leave                     key.Binding
	Wheel                     key.Binding
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
		Field:         b([]string{"tab"}, "tab", "next field (bit grid) or header"),
		FieldBack:     b([]string{"shift+tab"}, "shift+tab", "previous field or header"),
		Code:          b([]string{"s"}, "s", "see the code of the field or header"),
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
		Toggle:        b([]string{" "}, "space", "toggle bit (lab)"),
		Send:          b([]string{"enter"}, "enter", "send"),
		LabSend:       b([]string{"enter"}, "enter", "send the frame"),
		Leave:         b([]string{"esc"}, "esc", "leave the form"),
		Wheel:         b([]string{"wheel"}, "wheel", "scroll the pane under the pointer"),
		presetHint:    b([]string{"ctrl+p"}, "preset", "←/→ on the preset field (lab)"),
		payloadSyntax: b([]string{"ctrl+_"}, "payload", "text, x*200 (repeat), hex 48 65"),
	}
}

// ShortHelp is the footer line of the walkthrough.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Back, k.Down, k.Field, k.ByteNext, k.Free, k.Lab}
}

// helpGroup is one titled part of the ? screen.
type helpGroup struct {
	title    string
	bindings []key.Binding
}

// groups is the ? screen: every binding, by the mode it works in.
func (k keyMap) groups() []helpGroup {
	return []helpGroup{
		{"anywhere (outside a form)", []key.Binding{k.Walk, k.Free, k.Lab, k.NewSession, k.Help, k.Quit}},
		{"walkthrough (w)", []key.Binding{k.Next, k.Back}},
		{"timeline and frame, in every mode", []key.Binding{k.Up, k.Down, k.First, k.Last, k.Field, k.FieldBack,
			k.ByteNext, k.BytePrev, k.Code, k.PageUp, k.PageDown, k.Wheel}},
		{"free play (f) and raw frame lab (r)", []key.Binding{k.Edit, k.LabSend}},
		{"in a form", []key.Binding{k.FormNext, k.FormPrev, k.FormChange, k.Toggle, k.Send, k.Leave, k.presetHint, k.payloadSyntax}},
	}
}

// FullHelp is every binding, by area.
func (k keyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.groups() {
		out = append(out, g.bindings)
	}
	return out
}

// footerKeys returns the mode's keys and the tail that is never cut. The
// footer's words are shorter than the ? screen's.
func (m Model) footerKeys() (body, tail []key.Binding) {
	k := m.keys
	short := func(b key.Binding, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
	}
	frame := []key.Binding{short(k.Down, "frame"), short(k.Field, "field"), short(k.Code, "code"), short(k.ByteNext, "byte")}
	tail = []key.Binding{k.Help, k.Quit}
	switch {
	case m.mode == modeFree && m.free.focused:
		return []key.Binding{short(k.FormNext, "next field"), k.FormChange, k.Send}, []key.Binding{k.Leave}
	case m.mode == modeLab && m.lab.focused:
		change := key.NewBinding(key.WithKeys("left", "right", " "), key.WithHelp("←/→/space", "change"))
		return []key.Binding{short(k.FormNext, "next field"), change, short(k.LabSend, "send")}, []key.Binding{k.Leave}
	case m.mode == modeFree:
		return append([]key.Binding{short(k.Edit, "edit"), short(k.NewSession, "new connection")}, append(frame, k.Walk, k.Lab)...), tail
	case m.mode == modeLab:
		return append([]key.Binding{short(k.Edit, "edit"), short(k.LabSend, "send"), short(k.NewSession, "new connection")},
			append(frame, k.Walk, k.Free)...), tail
	}
	return append([]key.Binding{short(k.Next, "next step"), k.Back}, append(frame, k.Free, k.Lab)...), tail
}
