// Package keymap is the one set of keys every wsanatomy screen builds its
// bindings from: the walkthrough with its free play and raw frame lab, the
// lessons, the source reader, the live screens of serve and proxy, and the
// check report. A key means the same thing wherever it works, so what a
// learner's fingers learn on one screen holds on the next:
//
//	→ ← (l h)          next / previous item: step, lesson step, file, case;
//	                   space reads on too (the next step; a page in the
//	                   source reader, which reads like a pager)
//	↓ ↑ (j k)          next / previous in the list in view: frame, entry,
//	                   connection, option; a line where the view is text
//	tab shift+tab      next / previous field (bit grid field, header, form field)
//	] [                next / previous byte of the hex dump
//	s                  open the source: the code of the focused field
//	pgdn pgup          scroll half a screen (ctrl+d ctrl+u)
//	g G                first / last (home end)
//	?                  help: opens and closes the help screen (esc closes
//	                   it too)
//	esc                back: closes the help first, then leaves a form or
//	                   a sub-view, then the screen; on a top-level screen
//	                   it does nothing (q quits)
//	q                  quit wsanatomy (ctrl+c too), from every screen
//
// A screen uses the bindings as they are, so that one action reads the
// same on every screen in both languages; it copies one with [Relabel]
// only to name the item it steps through ("next file") or to say what
// more the key does there (G following new entries), and adds its own
// keys. It enables, with [On], the ones that act in the state on screen.
// Its hint line and its help screen are rendered from those live bindings
// by [Footer] and [HelpLines], which leave out disabled ones, so no hint
// can name a key that does nothing. The help texts exist in English and
// Chinese: [New] takes the screen's language.
package keymap

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// Map is the shared bindings, described in one language.
type Map struct {
	Lang string // "en" or "zh"

	Next, Prev       key.Binding // item: step, file, case
	Down, Up         key.Binding // in the list in view, or a line
	Field, FieldBack key.Binding
	Byte, ByteBack   key.Binding
	Source           key.Binding
	PageDown, PageUp key.Binding
	First, Last      key.Binding
	Help             key.Binding
	Back             key.Binding
	Quit             key.Binding
	// Close is the help screen's way out, ? again or esc. It shares its
	// keys with Help and Back, but it is enabled only while the help is
	// shown, and they only while it is not, so a key still does one thing
	// at a time.
	Close key.Binding
}

// New returns the shared bindings with their help in lang ("zh" for
// Chinese; anything else is English).
func New(lang string) Map {
	lang = Lang(lang)
	b := func(label, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(KeyLabel(lang, label), T(lang, desc)))
	}
	return Map{
		Lang:      lang,
		Next:      b("→/space", "next", "right", "l", " "),
		Prev:      b("←", "previous", "left", "h"),
		Down:      b("↓/j", "down", "down", "j"),
		Up:        b("↑/k", "up", "up", "k"),
		Field:     b("tab", "next field", "tab"),
		FieldBack: b("shift+tab", "previous field", "shift+tab"),
		Byte:      b("]", "next byte", "]"),
		ByteBack:  b("[", "previous byte", "["),
		Source:    b("s", "see the code", "s"),
		PageDown:  b("pgdn", "scroll down", "pgdown", "ctrl+d"),
		PageUp:    b("pgup", "scroll up", "pgup", "ctrl+u"),
		First:     b("g", "first", "home", "g"),
		Last:      b("G", "last", "end", "G"),
		Help:      b("?", "help", "?"),
		Back:      b("esc", "back", "esc"),
		Quit:      b("q", "quit", "q", "ctrl+c"),
		Close:     b("?/esc", "close the help", "?", "esc"),
	}
}

// Lang reduces a language to the two the screens speak.
func Lang(lang string) string {
	if lang == "zh" {
		return "zh"
	}
	return "en"
}

// KeyLabel is how a help line in lang names keys: the same names in both
// languages, but the space bar is 空格 in Chinese, as Chinese keyboards
// and manuals call it.
func KeyLabel(lang, label string) string {
	if Lang(lang) == "zh" {
		return strings.ReplaceAll(label, "space", "空格")
	}
	return label
}

// WithKeys is the package's WithKeys with label said in m's language.
func (m Map) WithKeys(b key.Binding, label string, keys ...string) key.Binding {
	return WithKeys(b, KeyLabel(m.Lang, label), keys...)
}

// Relabel returns a copy of b that says desc, already in the screen's
// language, about what it does on that screen. The keys stay b's.
func Relabel(b key.Binding, desc string) key.Binding {
	c := b
	c.SetHelp(b.Help().Key, desc)
	return c
}

// WithKeys returns a copy of b bound to keys and labelled label (the
// screen adds or drops a key, such as enter for the next step); its
// description stays b's.
func WithKeys(b key.Binding, label string, keys ...string) key.Binding {
	c := b
	c.SetKeys(keys...)
	c.SetHelp(label, b.Help().Desc)
	return c
}

// On returns b enabled when ok, disabled otherwise: a screen's bindings
// for the state on screen are its key map with each binding passed
// through On.
func On(b key.Binding, ok bool) key.Binding {
	b.SetEnabled(ok)
	return b
}

// Enabled returns the bindings of bs that are enabled, in order.
func Enabled(bs ...key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// Names is how a sentence names the keys of bs: their help keys joined with
// "/" ("enter/a").
func Names(bs ...key.Binding) string {
	s := ""
	for i, b := range bs {
		if i > 0 {
			s += "/"
		}
		s += b.Help().Key
	}
	return s
}
