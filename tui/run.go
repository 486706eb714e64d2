package tui

import (
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
)

// Config configures [Run].
type Config struct {
	// Plain prints the walkthrough as annotated text instead of opening the
	// screen. Run also prints text when stdout is not a terminal, or is a
	// terminal that cannot draw a screen (see [UseScreen]).
	Plain bool
	// Lang is the screen's language: "zh" for Simplified Chinese, anything
	// else for English.
	Lang string
}

// UseScreen reports whether the walkthrough can open its screen: stdout
// is a terminal, and not one that says it cannot move the cursor
// (TERM=dumb, as Emacs' shell buffers and some CI runners set it). getenv
// is os.Getenv, injectable for tests.
func UseScreen(stdoutIsTerminal bool, getenv func(string) string) bool {
	return stdoutIsTerminal && getenv("TERM") != "dumb"
}

// Run opens the screen, or prints the plain walkthrough to stdout when
// cfg.Plain is set or the screen cannot be used. It returns when the
// learner quits, after the closing handshake of every session and with no
// goroutine of its own left running.
func Run(cfg Config) error {
	if cfg.Plain || !UseScreen(term.IsTerminal(os.Stdout.Fd()), os.Getenv) {
		return WritePlain(os.Stdout, cfg.Lang, PlainWidthOf(os.Stdout))
	}
	m := New()
	m.setLang(cfg.Lang)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion())
	_, err := p.Run()
	m.rt.shutdown() // in case the program ended some other way than q
	return err
}
