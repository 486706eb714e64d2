package tui

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
)

// Config configures [Run].
type Config struct {
	// Plain prints the walkthrough as annotated text instead of opening the
	// screen. Run also prints text when stdout is not a terminal.
	Plain bool
	// Lang is the screen's language: "zh" for Simplified Chinese, anything
	// else for English.
	Lang string
}

// Run opens the screen, or prints the plain walkthrough to stdout when
// cfg.Plain is set or stdout is not a terminal. It returns when the
// learner quits, after the closing handshake of every session and with no
// goroutine of its own left running.
func Run(cfg Config) error {
	if cfg.Plain || !term.IsTerminal(os.Stdout.Fd()) {
		return WritePlain(os.Stdout)
	}
	m := New()
	m.theme = m.theme.WithLang(cfg.Lang)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion())
	_, err := p.Run()
	m.rt.shutdown() // in case the program ended some other way than q
	return err
}
