package checkui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// keyMap holds every key of the report, built from the shared key map
// (package tui/keymap), so that a key means here what it means on every
// screen: ↑/↓ (k/j) move through the list in view (the cases, or a case's
// exchange), →/← go to the next or previous case as they go to the next
// or previous step elsewhere, tab picks a field of a frame or a header of
// the handshake, as in the walkthrough and the lessons, [ and ] move the
// hex cursor by a byte, s opens the code of the field or header (the
// first one when none is picked) in the annotated source, esc goes back,
// ? is help and q quits. [Model.bindings] enables the ones that act in
// the state on screen; every hint and the help are made from that copy,
// never typed into a label.
type keyMap struct {
	lang                  string
	Up, Down, First, Last key.Binding
	PageUp, PageDown      key.Binding
	NextCase, PrevCase    key.Binding
	Open, Back, Filter    key.Binding
	Field, FieldBack      key.Binding
	ByteNext, BytePrev    key.Binding
	Code                  key.Binding
	Help, Close, Quit     key.Binding
}

func newKeyMap(lang string) keyMap {
	km := keymap.New(lang)
	r := keymap.Relabel
	// The shared bindings are used as they are, so that they read here as
	// on every screen. Only the item →/← step through is named (a case,
	// as the walkthrough names its steps), and s says what it opens, as
	// in the walkthrough and on serve's screen, which show the same
	// dissection.
	return keyMap{
		lang:      keymap.Lang(lang),
		Up:        km.Up,
		Down:      km.Down,
		First:     km.First,
		Last:      km.Last,
		PageUp:    km.PageUp,
		PageDown:  km.PageDown,
		NextCase:  r(km.WithKeys(km.Next, "→/l", "right", "l"), keyText(lang, "next case")),
		PrevCase:  r(km.Prev, keyText(lang, "previous case")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", keyText(lang, "open"))),
		Back:      km.Back,
		Filter:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", keyText(lang, "failed only/all"))),
		Field:     km.Field,
		FieldBack: km.FieldBack,
		ByteNext:  km.Byte,
		BytePrev:  km.ByteBack,
		Code:      r(km.Source, keyText(lang, "see the code of the field or header")),
		Help:      km.Help,
		Close:     km.Close,
		Quit:      km.Quit,
	}
}

// all is every binding but Quit.
func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{&k.Up, &k.Down, &k.First, &k.Last, &k.PageUp, &k.PageDown, &k.NextCase, &k.PrevCase,
		&k.Open, &k.Back, &k.Filter, &k.Field, &k.FieldBack, &k.ByteNext, &k.BytePrev, &k.Code, &k.Help, &k.Close}
}

// bindings is the key map in the state on screen: a binding is enabled
// only when pressing it does something now. Keys are matched against this
// copy (key.Matches ignores disabled bindings); the footer and the help
// list it.
func (m Model) bindings() keyMap {
	k := m.keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	if m.help {
		k.Close.SetEnabled(true)
		return k
	}
	return m.screenKeys(k)
}

// screenKeys enables k's bindings for the screen under the help.
func (m Model) screenKeys(k keyMap) keyMap {
	k.Help.SetEnabled(true)
	vis, pos := m.visible(), m.position()
	if m.screen == screenCase {
		n := len(m.entries)
		k.Up.SetEnabled(m.entrySel > 0)
		k.First.SetEnabled(m.entrySel > 0)
		k.Down.SetEnabled(m.entrySel < n-1)
		k.Last.SetEnabled(m.entrySel < n-1)
		k.PageUp.SetEnabled(m.detOff > 0)
		k.PageDown.SetEnabled(m.detOff < m.maxScroll())
		k.NextCase.SetEnabled(pos >= 0 && pos < len(vis)-1)
		k.PrevCase.SetEnabled(pos > 0)
		k.Back.SetEnabled(true)
		frame := n > 0 && m.entries[m.entrySel].Kind == capture.KindFrame
		header := n > 0 && m.hs.CanPick(m.entries[m.entrySel])
		if n > 0 {
			_, code := views.CodeTarget(m.entries[m.entrySel], m.frame, m.hs)
			k.Code.SetEnabled(code)
		}
		k.Field.SetEnabled(frame || header)
		k.FieldBack.SetEnabled(frame || header)
		if frame {
			e := m.entries[m.entrySel]
			k.ByteNext.SetEnabled(m.frame.CanMoveByte(e, 1))
			k.BytePrev.SetEnabled(m.frame.CanMoveByte(e, -1))
		}
		return k
	}
	page := max(1, m.height-4)
	k.Up.SetEnabled(pos > 0)
	k.First.SetEnabled(pos > 0)
	k.PageUp.SetEnabled(pos > 0 && page > 0)
	k.Down.SetEnabled(pos < len(vis)-1)
	k.Last.SetEnabled(pos < len(vis)-1)
	k.PageDown.SetEnabled(pos < len(vis)-1)
	k.Open.SetEnabled(pos >= 0)
	k.Filter.SetEnabled(m.done > 0)
	return k
}

// showPick scrolls the dissection so that the line saying which field and
// byte are selected (its "» " lines; on a handshake, the indented one
// under the picked header) is in view, so that tab and [ ] never move out
// of sight.
func (m *Model) showPick() {
	l := m.layout(max(1, m.width), max(1, m.height-2))
	if l.detH < 2 || len(m.entries) == 0 {
		return
	}
	for i, line := range strings.Split(m.detailBody(l.detW), "\n") {
		if strings.HasPrefix(strings.TrimLeft(ansi.Strip(line), " "), "» ") {
			if i < m.detOff || i >= m.detOff+l.detH-1 {
				m.detOff = max(0, min(i-1, m.maxScroll()))
			}
			return
		}
	}
}

// listKeys are the list's keys, in the order the footer shows them: the
// body is cut from its end on a narrow screen, the tail never.
func (k keyMap) listKeys() (body, tail []key.Binding) {
	return []key.Binding{k.Down, k.Open, k.Filter, k.First, k.Last}, []key.Binding{k.Help, k.Quit}
}

// caseKeys are the case screen's keys, likewise.
// Its words are shorter than the help's, and the same as the
// walkthrough's and serve's hint lines.
func (k keyMap) caseKeys() (body, tail []key.Binding) {
	short := func(b key.Binding, en string) key.Binding { return keymap.Relabel(b, keyText(k.lang, en)) }
	return []key.Binding{k.Down, k.NextCase, short(k.Field, "field"), short(k.ByteNext, "byte"), short(k.Code, "code"), k.PageDown},
		[]key.Binding{k.Back, k.Help, k.Quit}
}

// helpGroups are the ? screen: every binding that acts on the screen
// under it.
func (k keyMap) helpGroups(t texts) []keymap.Group {
	return []keymap.Group{
		{Title: t.helpAnywhere, Bindings: []key.Binding{k.Up, k.Down, k.First, k.Last, k.PageUp, k.PageDown, k.Help, k.Quit}},
		{Title: t.helpList, Bindings: []key.Binding{k.Open, k.Filter}},
		{Title: t.helpCase, Bindings: []key.Binding{k.NextCase, k.PrevCase, k.Field, k.FieldBack, k.ByteNext, k.BytePrev, k.Code, k.Back}},
	}
}

// hints is a footer line made from the enabled bindings: as many of body
// as fit in w columns beside the whole tail.
func hints(body, tail []key.Binding, w int) string {
	return strings.TrimPrefix(keymap.Footer(body, tail, w+1, keymap.Styles{}), " ")
}

// keyText is the Chinese of the keys this file adds to the report's texts.
func keyText(lang, en string) string {
	if keymap.Lang(lang) == "zh" {
		if s, ok := keyZh[en]; ok {
			return s
		}
	}
	return en
}

var keyZh = map[string]string{
	"next case":                           "下一个用例",
	"previous case":                       "上一个用例",
	"open":                                "打开",
	"failed only/all":                     "只看失败/全部",
	"see the code of the field or header": "查看该字段或头部的代码",
	"code":                                "代码",
	"field":                               "字段",
	"byte":                                "字节",
}
