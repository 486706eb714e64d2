package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// TestViewGolden renders the screen at 80x24 and 120x40 in each part of
// the program and compares it with testdata.
func TestViewGolden(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"handshake", nil},
		{"accept", []string{"space"}},
		{"hello", []string{"space", "space"}},
		{"hello_fields", []string{"space", "space", "tab", "tab", "tab", "tab", "tab", "]", "]", "]"}},
		{"len16", []string{"space", "space", "space", "space", "space", "space", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab"}},
		{"len64", []string{"space", "space", "space", "space", "space", "space", "space"}},
		{"close", strings.Fields(strings.Repeat("space ", 15))},
		{"free", []string{"f"}},
		{"lab", []string{"r", "right", "right", "right"}},
		{"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, c := range cases {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := recordedModel(t, size[0], size[1])
				m = send(m, keys(c.keys...)...)
				v := m.View()
				if h := lipgloss.Height(v); h != size[1] {
					t.Errorf("view is %d lines, want %d", h, size[1])
				}
				if w := lipgloss.Width(v); w > size[0] {
					t.Errorf("view is %d columns wide, more than %d", w, size[0])
				}
				golden(t, name, v)
			})
		}
	}
}
