package live

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Run shows the screen of store, as o says, until the user quits or ctx ends (a
// signal, or the source stopping). The caller keeps its source running
// meanwhile and stops it afterwards.
func Run(ctx context.Context, store *capture.Store, o Options) error {
	// Signals are the caller's to handle (it cancels ctx): with Bubble
	// Tea's own handler as well, a SIGTERM arriving as ctx ends leaves the
	// handler blocked on a program that has already stopped, and the
	// process never exits. In the screen, ctrl+c is a key, not a signal.
	p := tea.NewProgram(New(store, o), tea.WithAltScreen(), tea.WithContext(ctx), tea.WithoutSignalHandler())
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // ended from outside, as asked
	}
	return err
}
