package tui

import "github.com/charmbracelet/lipgloss"

// styles are the screen's own styles; frame fields are coloured by
// render.Theme. Without colour, every style here is plain text and the
// screen still reads: markers like ▸, » and ✗ carry the meaning.
type styles struct {
	header, title, dim, bad, good, selected, sep, focus lipgloss.Style
}

func newStyles() styles {
	return styles{
		header:   lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("24")),
		title:    lipgloss.NewStyle().Bold(true),
		dim:      lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		bad:      lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
		good:     lipgloss.NewStyle().Foreground(lipgloss.Color("10")),
		selected: lipgloss.NewStyle().Reverse(true),
		sep:      lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		focus:    lipgloss.NewStyle().Underline(true).Bold(true),
	}
}
