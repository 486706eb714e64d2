package source

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// Run opens the reader on the terminal over the protocol package's
// embedded source, at file (a name like "frame.go"; empty for the start
// of the book) or, if field is set, at the code for that frame field or
// handshake header (an ID from [sourcebook.Fields], e.g. "FIN"). It
// returns when the learner quits. NO_COLOR turns colours off.
func Run(file, field string) error { return RunIn(file, field, "en") }

// RunIn is [Run] with the reader's own words in lang ("en" or "zh").
func RunIn(file, field, lang string) error {
	book, err := sourcebook.Protocol()
	if err != nil {
		return err
	}
	st := DefaultStyles()
	if os.Getenv("NO_COLOR") != "" {
		st = NoColorStyles()
	}
	m, err := New(book, Options{File: file, Field: field, Styles: st, Lang: lang})
	if err != nil {
		return err
	}
	_, err = tea.NewProgram(program{m}, tea.WithAltScreen(), tea.WithMouseCellMotion()).Run()
	return err
}

// program adapts Model, whose Update returns Model as bubbles components
// do, to tea.Model.
type program struct{ m Model }

func (p program) Init() tea.Cmd { return p.m.Init() }

func (p program) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.m.Update(msg)
	return program{m}, cmd
}

func (p program) View() string { return p.m.View() }

// Fields returns the frame fields and handshake headers the reader can be
// opened at, frame fields first in wire order.
func Fields() []sourcebook.Field { return sourcebook.Fields() }
