package live

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Run shows the screen of store until the user quits or ctx ends (a
// signal, or the source stopping). The caller keeps its source running
// meanwhile and stops it afterwards.
func Run(ctx context.Context, store *capture.Store, title string) error {
	p := tea.NewProgram(New(store, title), tea.WithAltScreen(), tea.WithContext(ctx))
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // ended from outside, as asked
	}
	return err
}
