package live

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/source"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// keyMap holds the screen's keys, built from the shared key map (package
// tui/keymap), so that they mean here what they mean in the walkthrough:
// ↑/↓ move through the timeline's entries as through its frames, ←/→ go
// to the previous or next connection (the item this screen shows, as a
// step is the walkthrough's), pgup/pgdn scroll the dissection, tab picks
// a field of a frame or a header of a handshake, as in the walkthrough,
// and [ ] walk the hex dump. [Model.bindings] enables the ones
// that act in the state on screen; the footer and the help list that copy.
type keyMap struct {
	lang                     string
	Up, Down, First, Last    key.Binding
	NextConn, PrevConn, Open key.Binding
	All                      key.Binding
	Field, FieldBack         key.Binding
	ByteNext, BytePrev       key.Binding
	Code                     key.Binding
	PageUp, PageDown         key.Binding
	Back, Help, Close, Quit  key.Binding
}

func newKeyMap(lang string) keyMap {
	lang = keymap.Lang(lang)
	km := keymap.New(lang)
	t := func(en string) string { return keyText(lang, en) }
	r := keymap.Relabel
	// The shared bindings are used as they are where they do what they
	// do everywhere. The others are relabelled where this screen gives
	// them more to do, and the label says it: g and G go to the oldest
	// entry kept and to the newest (which then follows new ones), esc
	// goes back to every connection, and the dissection's keys read as
	// in the walkthrough, which shows the same dissection.
	return keyMap{
		lang:      lang,
		Up:        r(km.Up, t("previous entry")),
		Down:      r(km.Down, t("next entry")),
		First:     r(km.First, t("oldest entry kept")),
		Last:      r(km.Last, t("newest entry, and follow new ones")),
		NextConn:  r(keymap.WithKeys(km.Next, "→/l", "right", "l"), t("next connection")),
		PrevConn:  r(km.Prev, t("previous connection")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t("that connection's timeline"))),
		All:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t("one connection / all"))),
		Field:     km.Field,
		FieldBack: km.FieldBack,
		ByteNext:  r(km.Byte, t("next byte (hex)")),
		BytePrev:  r(km.ByteBack, t("previous byte (hex)")),
		Code:      r(km.Source, t("see the code of the field or header")),
		PageUp:    r(km.PageUp, t("scroll the dissection up")),
		PageDown:  r(km.PageDown, t("scroll the dissection down")),
		Back:      r(km.Back, t("back to all connections")),
		Help:      km.Help,
		Close:     km.Close,
		Quit:      km.Quit,
	}
}

// all is every binding but Quit.
func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{&k.Up, &k.Down, &k.First, &k.Last, &k.NextConn, &k.PrevConn, &k.Open, &k.All,
		&k.Field, &k.FieldBack, &k.ByteNext, &k.BytePrev, &k.Code, &k.PageUp, &k.PageDown, &k.Back, &k.Help, &k.Close}
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

// screenKeys enables k's bindings for the screen under the help, as the
// store stands now (the copy refreshes as View and key do).
func (m Model) screenKeys(k keyMap) keyMap {
	m.Refresh()
	n, _ := m.store.Len(m.timelineID())
	i := m.selIndex()
	if i < 0 {
		i = n - 1
	}
	k.Up.SetEnabled(n > 0 && i > 0)
	k.First.SetEnabled(n > 0 && i > 0)
	k.Down.SetEnabled(n > 0 && i < n-1)
	k.Last.SetEnabled(n > 0 && (i < n-1 || !m.follow))
	k.NextConn.SetEnabled(m.connSel < len(m.conns)-1)
	k.PrevConn.SetEnabled(m.connSel > 0)
	k.Open.SetEnabled(m.all && len(m.conns) > 0)
	k.All.SetEnabled(len(m.conns) > 0 || !m.all)
	e, ok := m.selected()
	frame := ok && (e.Kind == capture.KindFrame || e.Kind == capture.KindRaw) && len(e.Wire) > 0
	// On a handshake tab picks a header, as the dissection's hint says.
	header := ok && m.hs.CanPick(e)
	k.Field.SetEnabled(frame || header)
	k.FieldBack.SetEnabled(frame || header)
	k.ByteNext.SetEnabled(frame && m.frame.CanMoveByte(e, 1))
	k.BytePrev.SetEnabled(frame && m.frame.CanMoveByte(e, -1))
	_, code := views.CodeTarget(e, m.frame, m.hs)
	k.Code.SetEnabled(ok && code)
	k.PageUp.SetEnabled(ok && m.detailOff > 0)
	k.PageDown.SetEnabled(ok && m.detailOff < m.detailMax())
	k.Back.SetEnabled(!m.all)
	k.Help.SetEnabled(true)
	return k
}

// showPick scrolls the dissection so that the line saying which field and
// byte are selected (its "» " lines; on a handshake, the indented one
// under the picked header) is in view, so that tab and [ ] never move out
// of sight.
func (m *Model) showPick() {
	e, ok := m.selected()
	if !ok {
		return
	}
	w, h := m.detailSize()
	for i, l := range m.detailBody(e, w) {
		if strings.HasPrefix(strings.TrimLeft(ansi.Strip(l), " "), "» ") {
			if i < m.detailOff || i >= m.detailOff+h-1 {
				m.detailOff = max(0, min(i-1, m.detailMax()))
			}
			return
		}
	}
}

// groups are the help's groups, for the screen under the help.
func (m Model) groups() []keymap.Group {
	k := m.screenKeys(m.bindings())
	k.Help = m.bindings().Close
	t := func(en string) string { return keyText(k.lang, en) }
	return []keymap.Group{
		{Title: t("timeline"), Bindings: []key.Binding{k.Down, k.Up, k.First, k.Last}},
		{Title: t("connections"), Bindings: []key.Binding{k.NextConn, k.PrevConn, k.Open, k.All, k.Back}},
		{Title: t("dissection"), Bindings: []key.Binding{k.Field, k.FieldBack, k.ByteNext, k.BytePrev, k.Code, k.PageDown, k.PageUp}},
		{Title: t("anywhere"), Bindings: []key.Binding{k.Help, k.Quit}},
	}
}

// footerKeys are the hint line's keys: the body is cut on narrow screens,
// the tail never.
func (m Model) footerKeys() (body, tail []key.Binding) {
	k := m.bindings()
	if m.help {
		return nil, []key.Binding{k.Close, k.Quit}
	}
	t := func(en string) string { return keyText(k.lang, en) }
	short := keymap.Relabel
	body = []key.Binding{short(k.Down, t("entry")), short(k.NextConn, t("connection")), short(k.Open, t("its timeline")),
		short(k.All, t("one/all")), short(k.Field, t("field")), short(k.ByteNext, t("byte")), short(k.Code, t("code")), short(k.PageDown, t("scroll")),
		short(k.Back, t("all"))}
	return body, []key.Binding{k.Help, k.Quit}
}

// helpLines is the help screen: the keys of the screen under it, then the
// note on what the screen keeps.
func (m Model) helpLines(w int, note string) []string {
	k := m.bindings()
	// esc goes back from one connection to all of them; on the list it
	// does nothing, so that a running server is not left by accident
	// (EscLeaves false).
	sc := keymap.Screen{Lang: k.lang, Groups: m.groups(), Notes: strings.Split(note, "\n")}
	return sc.Lines(w, []key.Binding{k.Close}, nil)
}

// keyText is the Chinese of the screen's key help.
func keyText(lang, en string) string {
	if lang == "zh" {
		if s, ok := keyZh[en]; ok {
			return s
		}
	}
	return en
}

var keyZh = map[string]string{
	"previous entry":                      "上一条记录",
	"next entry":                          "下一条记录",
	"oldest entry kept":                   "保留的最早一条记录",
	"newest entry, and follow new ones":   "最新一条记录，并跟随新记录",
	"next connection":                     "下一个连接",
	"previous connection":                 "上一个连接",
	"that connection's timeline":          "只看这个连接的时间线",
	"one connection / all":                "一个连接 / 全部连接",
	"next byte (hex)":                     "下一个字节（十六进制）",
	"previous byte (hex)":                 "上一个字节（十六进制）",
	"scroll the dissection up":            "解析面板向上滚动",
	"see the code of the field or header": "查看该字段或头部的代码",
	"code":                                "代码",
	"scroll the dissection down":          "解析面板向下滚动",
	"back to all connections":             "回到全部连接",
	"timeline":                            "时间线",
	"connections":                         "连接",
	"dissection":                          "解析",
	"anywhere":                            "随处可用",
	"entry":                               "记录",
	"connection":                          "连接",
	"its timeline":                        "它的时间线",
	"one/all":                             "一个/全部",
	"field":                               "字段",
	"byte":                                "字节",
	"scroll":                              "滚动",
	"all":                                 "全部",
}

// openCode opens the annotated source reader at the code of the selected
// field or header, over the whole screen; esc comes back, q quits.
func (m *Model) openCode() {
	e, ok := m.selected()
	if !ok {
		return
	}
	id, ok := views.CodeTarget(e, m.frame, m.hs)
	if !ok {
		return
	}
	rd, err := source.Embed(m.src, m.srcReady, m.keys.lang, nil, m.width, m.height, id)
	if err != nil {
		return
	}
	m.src, m.srcReady, m.reading = rd, true, true
}
