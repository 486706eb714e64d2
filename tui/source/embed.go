package source

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// Embed is how another screen (the walkthrough, a lesson, the live
// screens, the check report) shows the code of a field: it returns rd
// sized to w×h and opened at the code of id. When built is false it first
// builds the reader, embedded (esc and q hand control back, see
// [Options.Embedded] and [Options.EscLeaves]) and speaking lang, with
// styles (nil: colour, or no colour when NO_COLOR is set). The caller
// keeps the returned reader, so its place in the book survives the next
// visit.
func Embed(rd Model, built bool, lang string, styles *Styles, w, h int, id string) (Model, error) {
	if !built {
		book, err := sourcebook.Protocol()
		if err != nil {
			return rd, err
		}
		st := DefaultStyles()
		switch {
		case styles != nil:
			st = *styles
		case os.Getenv("NO_COLOR") != "":
			st = NoColorStyles()
		}
		if rd, err = New(book, Options{Embedded: true, EscLeaves: true, Styles: st, Lang: lang}); err != nil {
			return rd, err
		}
	}
	rd, _ = rd.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return rd.OpenAt(id)
}
