package lessonui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
)

// keyMap holds every key of the two screens, built from the shared key
// map (package tui/keymap) so a key means here what it means on every
// other screen. The hints on the screens are made from these bindings
// (see hint), never typed into a label, and [Model.bindings] enables only
// those that act in the state on screen, so a hint cannot name a key that
// does nothing.
type keyMap struct {
	lang   string
	lesson bool
	// ↑/↓ do one thing at a time: choose an option of an unanswered choice
	// check (Choose), else move through the demo's frames (Frame,
	// FrameBack), else scroll a line (Up, Down).
	Next, Prev, Back, Up, Down key.Binding
	Frame, FrameBack           key.Binding
	PageUp, PageDown           key.Binding
	Rerun, Answer, Open, Reset key.Binding
	Field, FieldBack, Code     key.Binding
	Help, Quit                 key.Binding
	// On a check: Submit grades the chosen option or the typed answer (and
	// opens the answer field of a typed check, as Answer does); Choose
	// and ChooseBack move between options and Pick answers by an
	// option's number.
	Submit, Choose, ChooseBack, Pick key.Binding
	// In the answer field: Leave gives the keys back to the lesson.
	Leave key.Binding
	// In the lesson list: Move, MoveBack, and PickLesson by its number.
	Move, MoveBack, PickLesson key.Binding
	// On the help: Close.
	Close key.Binding
}

func newKeys(lang string) keyMap {
	km := keymap.New(lang)
	t := func(label string) string { return tr(lang, label) }
	b := func(label, shown string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(shown, t(label)))
	}
	r := keymap.Relabel
	return keyMap{
		lang:       lang,
		Next:       r(km.WithKeys(km.Next, "→/space/enter", "right", "l", " ", "enter"), t("help.next")),
		Prev:       r(km.Prev, t("help.back")),
		Back:       r(km.Back, t("help.esc")),
		Up:         r(km.Up, t("help.scrollup")),
		Down:       r(km.Down, t("help.scrolldown")),
		Frame:      r(km.Down, t("help.frame")),
		FrameBack:  r(km.Up, t("help.frameback")),
		PageUp:     r(km.PageUp, t("help.pageup")),
		PageDown:   r(km.PageDown, t("help.pagedown")),
		Field:      r(km.Field, t("help.field")),
		FieldBack:  r(km.FieldBack, t("help.fieldback")),
		Code:       r(km.Source, t("help.code")),
		Rerun:      b("help.rerun", "r", "r"),
		Answer:     b("help.answer", "a", "a"),
		Open:       r(keymap.WithKeys(km.Next, "enter/→", "enter", "right", " ", "l"), t("help.open")),
		Reset:      b("help.reset", "r", "r"),
		Help:       km.Help,
		Quit:       km.Quit,
		Submit:     b("help.submit", "enter", "enter"),
		Choose:     r(km.Down, t("help.choose")),
		ChooseBack: r(km.Up, t("help.chooseback")),
		Pick:       b("help.pick", "1-9", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Leave:      r(km.Back, t("help.leave")),
		Move:       r(km.Down, t("help.move")),
		MoveBack:   r(km.Up, t("help.moveback")),
		PickLesson: b("help.picklesson", "1-9", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Close:      km.Close,
	}
}

// names is how a hint writes the keys of binds: their help keys, joined
// with "/" ("enter/a").
func names(binds ...key.Binding) string { return keymap.Names(binds...) }

// hint formats the label of key in lang, whose %s verbs take the key
// names first, then args.
func hint(lang, label string, keyNames []string, args ...any) string {
	all := make([]any, 0, len(keyNames)+len(args))
	for _, k := range keyNames {
		all = append(all, k)
	}
	return fmt.Sprintf(tr(lang, label), append(all, args...)...)
}

// bindings is the key map as it stands in the state on screen: a binding
// is enabled only when pressing it does something now. The keys are
// matched against this copy (key.Matches ignores disabled bindings), and
// the footer lists it. With the help shown, only the way out of it (and
// q) works.
func (m Model) bindings() keyMap {
	k := m.stateKeys()
	if !m.showHelp || m.reading {
		return k
	}
	quit := k.Quit
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	k.Close.SetEnabled(true)
	k.Quit = quit
	return k
}

// all is every binding but Quit, to enable or disable together.
func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{&k.Next, &k.Prev, &k.Back, &k.Up, &k.Down, &k.Frame, &k.FrameBack, &k.PageUp, &k.PageDown,
		&k.Rerun, &k.Answer, &k.Open, &k.Reset, &k.Field, &k.FieldBack, &k.Code, &k.Help, &k.Submit, &k.Choose,
		&k.ChooseBack, &k.Pick, &k.Leave, &k.Move, &k.MoveBack, &k.PickLesson, &k.Close}
}

// stateKeys is the key map of the screen under the help: what the help
// lists.
func (m Model) stateKeys() keyMap {
	k := m.keys
	k.lesson = m.screen == screenLesson
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	switch {
	case m.reading:
	case m.screen == screenPicker:
		n := len(m.cfg.Catalog)
		k.Move.SetEnabled(m.cursor < n-1)
		k.MoveBack.SetEnabled(m.cursor > 0)
		k.Open.SetEnabled(n > 0)
		k.Reset.SetEnabled(m.cfg.Progress != nil)
		// A number moves to its lesson: every number but the one the
		// cursor is on.
		var nums []string
		for i := 0; i < min(9, n); i++ {
			if i != m.cursor {
				nums = append(nums, fmt.Sprint(i+1))
			}
		}
		k.PickLesson.SetKeys(nums...)
		k.PickLesson.SetHelp(fmt.Sprintf("1-%d", min(9, n)), k.PickLesson.Help().Desc)
		k.PickLesson.SetEnabled(len(nums) > 0)
		k.Help.SetEnabled(true)
	case m.focus:
		k.Submit.SetEnabled(true)
		k.Leave.SetEnabled(true)
		k.Quit = keymap.WithKeys(k.Quit, "ctrl+c", "ctrl+c")
	default:
		s := m.lesson.Steps[m.step]
		open := s.Check != nil && !m.answered[m.step].correct
		choice := open && s.Check.IsChoice()
		typed := open && !s.Check.IsChoice()
		k.Help.SetEnabled(true)
		k.Back.SetEnabled(true)
		k.Next.SetEnabled(true)
		k.Prev.SetEnabled(m.step > 0)
		frames := len(m.selectables())
		k.Choose.SetEnabled(choice && (m.choice < 0 || m.choice < len(s.Check.Choices)-1))
		k.ChooseBack.SetEnabled(choice && m.choice != 0)
		k.Frame.SetEnabled(!choice && frames > 1)
		k.FrameBack.SetEnabled(!choice && frames > 1)
		lines := !choice && frames <= 1
		most := m.maxScroll()
		k.Up.SetEnabled(lines && m.scroll > 0)
		k.Down.SetEnabled(lines && m.scroll < most)
		k.PageUp.SetEnabled(m.scroll > 0)
		k.PageDown.SetEnabled(m.scroll < most)
		if choice || typed {
			// enter answers the check, or opens its answer field.
			k.Next = keymap.WithKeys(k.Next, keymap.KeyLabel(k.lang, "→/space"), "right", "l", " ")
			k.Submit.SetEnabled(true)
		}
		k.Answer.SetEnabled(typed)
		if choice {
			n := min(9, len(s.Check.Choices))
			k.Pick.SetKeys(k.Pick.Keys()[:n]...)
			k.Pick.SetHelp(fmt.Sprintf("1-%d", n), k.Pick.Help().Desc)
			k.Pick.SetEnabled(true)
		}
		links := len(m.links()) > 0
		k.Field.SetEnabled(links)
		k.FieldBack.SetEnabled(links)
		k.Code.SetEnabled(m.codeTarget() != "")
		k.Rerun.SetEnabled(len(s.Actions) > 0 && !m.running[m.step])
	}
	return k
}

// chooseKeys is how a check's hint names Choose and ChooseBack together.
func (k keyMap) chooseKeys() key.Binding {
	return keymap.WithKeys(k.Choose, "↑/↓", "up", "down")
}

// links are the fields or headers of the selected demo event.
func (m Model) links() []codeLink {
	e, ok := m.selected()
	if !ok {
		return nil
	}
	return eventLinks(e)
}

// codeTarget is the sourcebook ID s opens: the picked field of the
// selected event, or its first; "" when it has none.
func (m Model) codeTarget() string {
	l := m.links()
	if len(l) == 0 {
		return ""
	}
	return l[max(0, m.linkIndex(l))].id
}

// maxScroll is how far the step's text scrolls, with the one-line footer.
func (m Model) maxScroll() int {
	if m.screen != screenLesson {
		return 0
	}
	return max(0, m.contentLines()-m.bodyHeightWith(1))
}

// ShortHelp and FullHelp implement help.KeyMap, for the state shown.
func (k keyMap) ShortHelp() []key.Binding {
	if k.lesson {
		return keymap.Enabled(k.Next, k.Prev, k.Leave, k.Submit, k.Back, k.Close, k.Help, k.Quit)
	}
	return keymap.Enabled(k.Open, k.Reset, k.Close, k.Help, k.Quit)
}

func (k keyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.groups() {
		out = append(out, g.Bindings)
	}
	return out
}

// groups are the help's titled groups, in the screen's language.
func (k keyMap) groups() []keymap.Group {
	t := func(label string) string { return tr(k.lang, label) }
	if k.lesson {
		return []keymap.Group{
			{Title: t("help.g.steps"), Bindings: []key.Binding{k.Next, k.Prev, k.Back, k.Leave}},
			{Title: t("help.g.demo"), Bindings: []key.Binding{k.Frame, k.FrameBack, k.Field, k.FieldBack, k.Code, k.Rerun,
				k.Down, k.Up, k.PageDown, k.PageUp}},
			// ↑/↓ and 1-9 are named by a choice check's hint too.
			{Title: t("help.g.check"), Bindings: []key.Binding{k.Submit, k.Answer, k.Choose, k.ChooseBack, k.Pick}},
			{Title: t("help.g.anywhere"), Bindings: []key.Binding{k.Close, k.Help, k.Quit}},
		}
	}
	return []keymap.Group{
		{Title: t("help.g.list"), Bindings: []key.Binding{k.Move, k.MoveBack, k.Open, k.PickLesson, k.Reset}},
		{Title: t("help.g.anywhere"), Bindings: []key.Binding{k.Close, k.Help, k.Quit}},
	}
}

// The words of the keys this file adds, in both languages, merged into
// labels (so the test that every label has its Chinese covers them).
var keyLabels = map[string][2]string{
	"help.frame":      {"next frame of the demo", "演示中的下一帧"},
	"help.scrollup":   {"scroll up a line", "向上滚动一行"},
	"help.scrolldown": {"scroll down a line", "向下滚动一行"},
	"help.pageup":     {"page up", "上一页"},
	"help.pagedown":   {"page down", "下一页"},
	"help.fieldback":  {"previous field/header", "上一个字段或头部"},
	"help.chooseback": {"previous option", "上一个选项"},
	"help.moveback":   {"previous lesson", "上一课"},
	"help.frameback":  {"previous frame of the demo", "演示中的上一帧"},
	"help.leave":      {"leave the answer field", "离开答案输入框"},
	"help.picklesson": {"lesson by its number", "按编号选择课程"},
	"help.g.steps":    {"steps", "步骤"},
	"help.g.demo":     {"demo and text", "演示与正文"},
	"help.g.check":    {"check", "小测验"},
	"help.g.list":     {"lesson list", "课程列表"},
	"help.g.anywhere": {"anywhere", "随处可用"},
	"demo.key.select": {"%s: select", "%s：选择"},
	"demo.key.field":  {"%s: field", "%s：字段"},
	"demo.key.code":   {"%s: see the code", "%s：查看代码"},
	"demo.key.rerun":  {"%s: run again", "%s：重新运行"},
	"demo.key.sep":    {" · ", " · "},
}

func init() {
	for k, v := range keyLabels {
		labels["en"][k], labels["zh"][k] = v[0], v[1]
	}
}

// demoKeys is the hint under a demo's dissection: the keys that act on
// the demo now (it does not depend on scrolling, which depends on it).
func (m Model) demoKeys() string {
	k := m.keys
	s := m.lesson.Steps[m.step]
	choice := s.Check != nil && s.Check.IsChoice() && !m.answered[m.step].correct
	frame := keymap.WithKeys(k.Frame, "↑/↓", k.Frame.Keys()...)
	var parts []string
	add := func(ok bool, b key.Binding, label string) {
		if ok {
			parts = append(parts, hint(m.lang(), label, []string{names(b)}))
		}
	}
	add(!choice && len(m.selectables()) > 1, frame, "demo.key.select")
	add(len(m.links()) > 0, k.Field, "demo.key.field")
	add(m.codeTarget() != "", k.Code, "demo.key.code")
	add(len(s.Actions) > 0 && !m.running[m.step], k.Rerun, "demo.key.rerun")
	return strings.Join(parts, tr(m.lang(), "demo.key.sep"))
}

// styles are the few styles of the screens; all zero without colour.
type styles struct {
	color              bool
	ascii              bool
	heading, dim, code lipgloss.Style
	good, bad, sel     lipgloss.Style
}

func newStyles(color, ascii bool) styles {
	s := styles{color: color, ascii: ascii}
	if color {
		s.heading = lipgloss.NewStyle().Bold(true)
		s.dim = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
		s.code = lipgloss.NewStyle().Foreground(lipgloss.Color("14"))
		s.good = lipgloss.NewStyle().Foreground(lipgloss.Color("10")).Bold(true)
		s.bad = lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true)
		s.sel = lipgloss.NewStyle().Reverse(true)
	}
	return s
}

func (s styles) r(st lipgloss.Style, text string) string {
	if !s.color || text == "" {
		return text
	}
	return st.Render(text)
}

// rule is a horizontal line; hbar is its character.
func (s styles) hbar() string {
	if s.ascii {
		return "-"
	}
	return "─"
}

func (s styles) vbar() string {
	if s.ascii {
		return "|"
	}
	return "│"
}

func (s styles) pointer() string {
	if s.ascii {
		return ">"
	}
	return "▸"
}

func (s styles) check() string {
	if s.ascii {
		return "*"
	}
	return "✓"
}
