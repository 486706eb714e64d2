package source

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
)

// KeyMap holds the reader's bindings, built from the shared key map
// (package tui/keymap): → and ← turn to the next and previous file as they
// go to the next and previous step elsewhere, and space and b page as in a
// pager. [Model.bindings] enables the ones that act in the state on
// screen; the footer and the help render that copy.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextFile, PrevFile                      key.Binding
	Contents, Open, Back                    key.Binding
	Search, NextMatch, PrevMatch            key.Binding
	Help, Quit                              key.Binding
	// Close takes Help's place while the help is shown: ? or esc.
	Close key.Binding
}

// DefaultKeyMap returns the reader's standard bindings.
func DefaultKeyMap() KeyMap { return KeyMapIn("en") }

// KeyMapIn is [DefaultKeyMap] with its help in lang ("en" or "zh").
func KeyMapIn(lang string) KeyMap {
	km := keymap.New(lang)
	r, w := keymap.Relabel, km.WithKeys
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, h))
	}
	return KeyMap{
		Up:        r(km.Up, tr(lang, "up")),
		Down:      r(km.Down, tr(lang, "down")),
		PageUp:    r(w(km.PageUp, "pgup/b", "pgup", "b", "ctrl+u"), tr(lang, "page up")),
		PageDown:  r(w(km.PageDown, "pgdn/space", "pgdown", " ", "ctrl+d"), tr(lang, "page down")),
		Top:       r(km.First, tr(lang, "top of file")),
		Bottom:    r(km.Last, tr(lang, "end of file")),
		NextFile:  r(w(km.Next, "→/l", "right", "l"), tr(lang, "next file")),
		PrevFile:  r(w(km.Prev, "←/h", "left", "h"), tr(lang, "previous file")),
		Contents:  b([]string{"t"}, "t", tr(lang, "contents")),
		Open:      b([]string{"enter"}, "enter", tr(lang, "open")),
		Back:      r(km.Back, tr(lang, "back")),
		Search:    b([]string{"/"}, "/", tr(lang, "search")),
		NextMatch: b([]string{"n"}, "n", tr(lang, "next match or field link")),
		PrevMatch: b([]string{"N"}, "N", tr(lang, "previous match or field link")),
		Help:      km.Help,
		Quit:      km.Quit,
		Close:     km.Close,
	}
}

// all is every binding, to enable or disable together.
func (k *KeyMap) all() []*key.Binding {
	return []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.NextFile, &k.PrevFile,
		&k.Contents, &k.Open, &k.Back, &k.Search, &k.NextMatch, &k.PrevMatch, &k.Help, &k.Quit}
}

// bindings is the key map as it stands in the state on screen: a binding
// is enabled only when pressing it does something now. Keys are matched
// against this copy (key.Matches ignores disabled bindings) and the footer
// and the help list it.
func (m Model) bindings() KeyMap {
	k := m.keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	k.Quit.SetEnabled(true)
	switch m.mode {
	case modeSearch:
		// The search field has the keys; enter and esc are its own.
		k.Quit.SetEnabled(false)
	case modeHelp:
		k.Help = k.Close
		k.Help.SetEnabled(true)
	case modeContents:
		k.Up.SetEnabled(m.tocMove(-1) != m.tocSel)
		k.Down.SetEnabled(m.tocMove(1) != m.tocSel)
		k.PageUp = keymap.WithKeys(k.PageUp, "pgup", "pgup", "ctrl+u")
		k.PageUp.SetEnabled(k.Up.Enabled())
		k.PageDown = keymap.WithKeys(k.PageDown, "pgdn", "pgdown", "ctrl+d")
		k.PageDown.SetEnabled(k.Down.Enabled())
		k.Open.SetEnabled(true)
		k.Back = keymap.WithKeys(k.Back, "esc/t", "esc", "t")
		k.Back.SetEnabled(true)
		k.Help.SetEnabled(true)
	default:
		top, bottom := m.top == 0, m.top >= m.maxTop()
		k.Up.SetEnabled(!top)
		k.PageUp.SetEnabled(!top)
		k.Top.SetEnabled(!top)
		k.Down.SetEnabled(!bottom)
		k.PageDown.SetEnabled(!bottom)
		k.Bottom.SetEnabled(!bottom)
		k.NextFile.SetEnabled(m.file < len(m.files)-1)
		k.PrevFile.SetEnabled(m.file > 0)
		k.Contents.SetEnabled(true)
		k.Search.SetEnabled(true)
		places := len(m.links)
		if m.query != nil {
			places = len(m.matches)
		}
		k.NextMatch.SetEnabled(places > 1)
		k.PrevMatch.SetEnabled(places > 1)
		// esc clears a search or a highlighted field, then leaves an
		// embedded reader; the reader on its own has nowhere to go back to.
		k.Back.SetEnabled(m.query != nil || m.field != "" || m.opts.Embedded)
		k.Help.SetEnabled(true)
	}
	return k
}

// groups are the help's titled groups, for the state under the help.
func (k KeyMap) groups(lang string) []keymap.Group {
	return []keymap.Group{
		{Title: tr(lang, "reading"), Bindings: []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{Title: tr(lang, "files"), Bindings: []key.Binding{k.NextFile, k.PrevFile, k.Contents, k.Open, k.Back}},
		{Title: tr(lang, "search and links"), Bindings: []key.Binding{k.Search, k.NextMatch, k.PrevMatch}},
		{Title: tr(lang, "anywhere"), Bindings: []key.Binding{k.Help, k.Quit}},
	}
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.NextFile, k.Contents, k.Search, k.NextMatch, k.Back, k.Open}
}

// FullHelp is every binding, by group.
func (k KeyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.groups("en") {
		out = append(out, g.Bindings)
	}
	return out
}
