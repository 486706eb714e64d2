package tui

import (
	"fmt"
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strings"

	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// timeline owns the list of every entry in both directions and the
// selection. Appending and moving are O(1) and View draws only the visible
// rows, so the cost of a keypress does not grow with the number of frames.
type timeline struct {
	entries []capture.Entry
	// byTag indexes entries by session and walkthrough action.
	byTag  map[[2]int][]int
	sel    int
	offset int
	height int
	width  int
	lang   string // the rows' language (views.EntryRowIn)
}

func newTimeline() timeline { return timeline{byTag: map[[2]int][]int{}, sel: -1} }

// Append adds entries; the selection stays where it is.
func (t *timeline) Append(es []capture.Entry) {
	for _, e := range es {
		t.entries = append(t.entries, e)
		if e.Tag >= 0 {
			k := [2]int{e.Conn, e.Tag}
			t.byTag[k] = append(t.byTag[k], len(t.entries)-1)
		}
	}
	if t.sel < 0 && len(t.entries) > 0 {
		t.Select(0)
	}
}

// Select selects entry i and scrolls it into view.
func (t *timeline) Select(i int) {
	if len(t.entries) == 0 {
		return
	}
	t.sel = max(0, min(i, len(t.entries)-1))
	t.scrollTo()
}

func (t *timeline) Move(d int) { t.Select(t.sel + d) }

// Scroll moves the view without moving the selection (mouse wheel).
func (t *timeline) Scroll(d int) {
	t.offset = max(0, min(t.offset+d, len(t.entries)-t.height))
}

func (t *timeline) scrollTo() {
	h := max(1, t.height)
	if t.sel < t.offset {
		t.offset = t.sel
	}
	if t.sel >= t.offset+h {
		t.offset = t.sel - h + 1
	}
}

// Selected returns the selected entry.
func (t *timeline) Selected() (capture.Entry, bool) {
	if t.sel < 0 || t.sel >= len(t.entries) {
		return capture.Entry{}, false
	}
	return t.entries[t.sel], true
}

// View draws height rows, each of width columns.
func (t timeline) View(st styles) string {
	h := max(1, t.height)
	off := max(0, min(t.offset, len(t.entries)-h))
	if t.sel >= 0 && (t.sel < off || t.sel >= off+h) {
		off = max(0, t.sel-h+1)
	}
	lines := make([]string, 0, h)
	for i := off; i < len(t.entries) && len(lines) < h; i++ {
		row := views.Fit(views.EntryRowIn(t.entries[i], i == t.sel, t.lang), t.width)
		if i == t.sel {
			row = st.selected.Render(row)
		}
		lines = append(lines, row)
	}
	if len(t.entries) == 0 {
		lines = append(lines, views.Fit(" "+say(t.lang, "connecting..."), t.width))
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", t.width))
	}
	return strings.Join(lines, "\n")
}

// Strip draws the compact timeline of narrow screens in n lines: the
// selected entry and its neighbours, or, in one line, the selected entry
// and where it is in the list.
func (t timeline) Strip(st styles, n int) string {
	if n <= 1 {
		e, ok := t.Selected()
		if !ok {
			return views.Fit(" "+say(t.lang, "connecting..."), t.width)
		}
		pos := fmt.Sprintf("  %d/%d ↑↓", t.sel+1, len(t.entries))
		row := views.EntryRowIn(e, true, t.lang)
		w := max(0, t.width-len([]rune(pos)))
		return st.selected.Render(views.Fit(row, w)) + st.dim.Render(views.Fit(pos, t.width-w))
	}
	c := t
	c.height = n
	c.offset = max(0, t.sel-(n-1)/2)
	return c.View(st)
}
