package source

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// sty names what a piece of text is; [Styles] says how it looks.
type sty uint8

const (
	sNone     sty = iota
	sHeading      // a prose heading, a chapter title
	sRef          // an RFC 6455 section reference
	sMarker       // an anatomy marker tag
	sDim          // secondary text: rules, line numbers, counts
	sFocus        // the line a field link points at
	sMatch        // a search match
	sTitle        // the title bar
	sSelected     // the selected entry of the contents
	sCode         // sCode + a sourcebook.Class: highlighted code
	numSty    = sCode + sty(sourcebook.Func) + 1
)

// Styles says how the reader draws each kind of text. Build one with
// [DefaultStyles], [NoColorStyles] or [PlainStyles].
type Styles struct {
	styled bool
	s      [numSty]lipgloss.Style
}

// PlainStyles draws plain text with no escape sequences at all: the style
// of --plain output and of the golden tests.
func PlainStyles() Styles { return Styles{} }

// NoColorStyles uses bold, underline and reverse video but no colour, for
// NO_COLOR terminals.
func NoColorStyles() Styles {
	st := Styles{styled: true}
	n := lipgloss.NewStyle
	st.s[sHeading] = n().Bold(true)
	st.s[sRef] = n().Underline(true)
	st.s[sMarker] = n().Bold(true)
	st.s[sFocus] = n().Reverse(true)
	st.s[sMatch] = n().Reverse(true)
	st.s[sTitle] = n().Bold(true).Reverse(true)
	st.s[sSelected] = n().Reverse(true)
	st.s[codeSty(sourcebook.Keyword)] = n().Bold(true)
	st.s[codeSty(sourcebook.Func)] = n().Bold(true)
	return st
}

// DefaultStyles colours code by syntax class and marks references and
// markers. lipgloss drops colours the terminal cannot show.
func DefaultStyles() Styles {
	st := NoColorStyles()
	c := func(s string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(s)) }
	st.s[sHeading] = c("12").Bold(true)
	st.s[sRef] = c("14").Underline(true)
	st.s[sMarker] = c("11").Bold(true)
	st.s[sDim] = c("8")
	st.s[sFocus] = lipgloss.NewStyle().Background(lipgloss.Color("237")).Foreground(lipgloss.Color("11")).Bold(true)
	st.s[sMatch] = lipgloss.NewStyle().Background(lipgloss.Color("11")).Foreground(lipgloss.Color("0"))
	st.s[sTitle] = lipgloss.NewStyle().Background(lipgloss.Color("24")).Foreground(lipgloss.Color("15")).Bold(true)
	st.s[sSelected] = lipgloss.NewStyle().Background(lipgloss.Color("24")).Foreground(lipgloss.Color("15"))
	st.s[codeSty(sourcebook.Keyword)] = c("13").Bold(true)
	st.s[codeSty(sourcebook.String)] = c("10")
	st.s[codeSty(sourcebook.Number)] = c("9")
	st.s[codeSty(sourcebook.Comment)] = c("8").Italic(true)
	st.s[codeSty(sourcebook.Builtin)] = c("6")
	st.s[codeSty(sourcebook.Func)] = c("12").Bold(true)
	return st
}

// render draws s in style k.
func (st Styles) render(k sty, s string) string {
	if !st.styled || s == "" || k == sNone {
		return s
	}
	return st.s[k].Render(s)
}

// codeSty is the style of code of class c.
func codeSty(c sourcebook.Class) sty { return sCode + sty(c) }
