package lessonui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// keyMap holds every key of the two screens. The hints on the screens are
// made from these bindings (see hint), never typed into a label, so a hint
// cannot name a key that does something else.
type keyMap struct {
	lang                                 string
	lesson                               bool
	Next, Prev, Back, Up, Down           key.Binding
	PageUp, PageDown, Select, SelectBack key.Binding
	Rerun, Answer, Open, Reset, Help     key.Binding
	Field, FieldBack, Code               key.Binding
	Quit, ForceQuit                      key.Binding
	// On a check: Submit grades the chosen option or the typed answer (and
	// opens the answer field of a typed check, as Answer does); Choose
	// moves between options and Pick answers by an option's number.
	Submit, Choose, Pick key.Binding
}

func newKeys(lang string) keyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], tr(lang, help)))
	}
	k := keyMap{
		lang:       lang,
		Next:       b("help.next", "right", " ", "enter", "l"),
		Prev:       b("help.back", "left", "h"),
		Back:       b("help.esc", "esc"),
		Up:         b("help.scroll", "up", "k"),
		Down:       b("help.scroll", "down", "j"),
		PageUp:     b("help.page", "pgup", "ctrl+u"),
		PageDown:   b("help.page", "pgdown", "ctrl+d"),
		Select:     b("help.select", "tab"),
		SelectBack: b("help.select", "shift+tab"),
		Rerun:      b("help.rerun", "r"),
		Field:      b("help.field", "]"),
		FieldBack:  b("help.field", "["),
		Code:       b("help.code", "s"),
		Answer:     b("help.answer", "a"),
		Open:       b("help.open", "enter", "right", " ", "l"),
		Reset:      b("help.reset", "r"),
		Help:       b("help.help", "?"),
		Submit:     b("help.submit", "enter"),
		Choose:     b("help.choose", "up", "down"),
		Pick:       b("help.pick", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Quit:       b("help.quit", "q"),
		ForceQuit:  b("help.quit", "ctrl+c"),
	}
	k.Next.SetHelp("→/space", tr(lang, "help.next"))
	k.Prev.SetHelp("←", tr(lang, "help.back"))
	k.Up.SetHelp("↑/↓/k/j", tr(lang, "help.scroll"))
	k.PageUp.SetHelp("pgup/pgdn", tr(lang, "help.page"))
	k.Select.SetHelp("tab/shift+tab", tr(lang, "help.select"))
	k.Open.SetHelp("enter", tr(lang, "help.open"))
	k.Field.SetHelp("[/]", tr(lang, "help.field"))
	k.Choose.SetHelp("↑/↓", tr(lang, "help.choose"))
	k.Pick.SetHelp("1-9", tr(lang, "help.pick"))
	return k
}

// names is how a hint writes the keys of binds: their help keys, joined
// with "/" ("enter/a").
func names(binds ...key.Binding) string {
	var s []string
	for _, b := range binds {
		s = append(s, b.Help().Key)
	}
	return strings.Join(s, "/")
}

// hint formats the label of key in lang, whose %s verbs take the key
// names first, then args.
func hint(lang, label string, keyNames []string, args ...any) string {
	all := make([]any, 0, len(keyNames)+len(args))
	for _, k := range keyNames {
		all = append(all, k)
	}
	return fmt.Sprintf(tr(lang, label), append(all, args...)...)
}

// ShortHelp and FullHelp implement help.KeyMap, for the screen shown.
func (k keyMap) ShortHelp() []key.Binding {
	if k.lesson {
		return []key.Binding{k.Next, k.Prev, k.Back, k.Help, k.Quit}
	}
	return []key.Binding{k.Open, k.Reset, k.Help, k.Quit}
}

func (k keyMap) FullHelp() [][]key.Binding {
	if k.lesson {
		return [][]key.Binding{
			{k.Next, k.Prev, k.Back},
			{k.Up, k.PageUp, k.Select, k.Field, k.Code},
			// enter answers either kind of check (a is a shortcut for
			// typed ones, named by their hint); ↑/↓ and 1-9 are named by
			// a choice check's hint.
			{k.Submit, k.Rerun, k.Help, k.Quit},
		}
	}
	up := k.Up
	up.SetHelp("↑/↓", tr(k.lang, "help.move"))
	return [][]key.Binding{{up, k.Open}, {k.Reset, k.Help, k.Quit}}
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
