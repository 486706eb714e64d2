package tui

import (
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// TestDissectionFitsNarrowScreens checks that the dissection of every
// walkthrough entry fits a 60-column screen: the bit grid goes to 16 bits
// a row, the hex dump to 8 bytes, the unmasking stacks.
func TestDissectionFitsNarrowScreens(t *testing.T) {
	for _, w := range []int{59, 79} {
		for _, e := range recordedWalk(t) {
			s := views.Dissect(e, views.Options{Theme: render.PlainTheme(), Width: w, Cursor: -1})
			for _, line := range strings.Split(s, "\n") {
				// The field table may overrun by a quoted payload, which
				// it does not break.
				if lipgloss.Width(line) > w && !strings.HasPrefix(line, "  payload ") {
					t.Errorf("width %d, %s: line of %d columns: %q", w, views.EntryTitleIn(e, "en"), lipgloss.Width(line), line)
				}
			}
		}
	}
}
