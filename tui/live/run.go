package live

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Run shows the screen of store until the user quits. The caller keeps its
// source running meanwhile and stops it afterwards.
func Run(store *capture.Store, title string) error {
	p := tea.NewProgram(New(store, title), tea.WithAltScreen())
	_, err := p.Run()
	return err
}
