package source

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the reader's bindings; the help view renders it.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextFile, PrevFile                      key.Binding
	Contents, Open, Back                    key.Binding
	Search, NextMatch, PrevMatch            key.Binding
	Help, Quit                              key.Binding
}

// DefaultKeyMap returns the reader's standard bindings.
func DefaultKeyMap() KeyMap { return KeyMapIn("en") }

// KeyMapIn is [DefaultKeyMap] with its help in lang ("en" or "zh").
func KeyMapIn(lang string) KeyMap {
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, tr(lang, h)))
	}
	return KeyMap{
		Up:        b([]string{"up", "k"}, "↑/k", "up"),
		Down:      b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:    b([]string{"pgup", "b", "ctrl+u"}, "pgup/b", "page up"),
		PageDown:  b([]string{"pgdown", " ", "ctrl+d"}, "pgdn/space", "page down"),
		Top:       b([]string{"home", "g"}, "g", "top of file"),
		Bottom:    b([]string{"end", "G"}, "G", "end of file"),
		NextFile:  b([]string{"right", "l"}, "→/l", "next file"),
		PrevFile:  b([]string{"left", "h"}, "←/h", "previous file"),
		Contents:  b([]string{"t", "tab"}, "t", "contents"),
		Open:      b([]string{"enter"}, "enter", "open"),
		Back:      b([]string{"esc"}, "esc", "back, clear search"),
		Search:    b([]string{"/"}, "/", "search"),
		NextMatch: b([]string{"n"}, "n", "next match or field link"),
		PrevMatch: b([]string{"N"}, "N", "previous match"),
		Help:      b([]string{"?"}, "?", "help"),
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.NextFile, k.Contents, k.Search, k.Help, k.Quit}
}

// FullHelp is the ? screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.NextFile, k.PrevFile, k.Contents, k.Open, k.Back},
		{k.Search, k.NextMatch, k.PrevMatch, k.Help, k.Quit},
	}
}
