package tui

import (
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
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
		row := fit(entryRow(t.entries[i], i == t.sel), t.width)
		if i == t.sel {
			row = st.selected.Render(row)
		}
		lines = append(lines, row)
	}
	if len(t.entries) == 0 {
		lines = append(lines, fit(" connecting...", t.width))
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
			return fit(" connecting...", t.width)
		}
		pos := fmt.Sprintf("  %d/%d ↑↓", t.sel+1, len(t.entries))
		row := entryRow(e, true)
		w := max(0, t.width-len([]rune(pos)))
		return st.selected.Render(fit(row, w)) + st.dim.Render(fit(pos, t.width-w))
	}
	c := t
	c.height = n
	c.offset = max(0, t.sel-(n-1)/2)
	return c.View(st)
}

// shortOp names an opcode in at most five letters, for the timeline.
func shortOp(op protocol.Opcode) string {
	switch op {
	case protocol.OpContinuation:
		return "cont"
	case protocol.OpText:
		return "text"
	case protocol.OpBinary:
		return "bin"
	case protocol.OpClose:
		return "close"
	case protocol.OpPing:
		return "ping"
	case protocol.OpPong:
		return "pong"
	}
	return fmt.Sprintf("op%X", uint8(op))
}

// shortSize says a length in at most six columns. A hand-made frame can
// claim up to 2^64-1 bytes; those show as a power of two.
func shortSize(n uint64) string {
	switch {
	case n < 100000:
		return fmt.Sprintf("%dB", n)
	case n < 100000<<10:
		return fmt.Sprintf("%dK", n>>10)
	case n < 100000<<20:
		return fmt.Sprintf("%dM", n>>20)
	}
	return fmt.Sprintf("≥2^%d", bits.Len64(n)-1)
}

func shortTime(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("+%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("+%.2fs", d.Seconds())
	}
	return fmt.Sprintf("+%dm", int(d.Minutes()))
}

// entryRow is one timeline row: arrow, opcode, FIN, MASK, length, time.
func entryRow(e capture.Entry, sel bool) string {
	mark := "  "
	if sel {
		mark = "▸ "
	}
	arrow := e.Dir.Arrow()
	switch e.Kind {
	case capture.KindHandshake:
		first, _, _ := strings.Cut(string(e.Handshake.Raw), "\r\n")
		first = strings.TrimPrefix(first, "HTTP/1.1 ") // "101 Switching Protocols" fits
		return fmt.Sprintf("%s#%-3d %s %s", mark, e.Seq, arrow, first)
	case capture.KindFrame:
		fin, m, bad := "   ", " ", ""
		if e.Header.Fin {
			fin = "FIN"
		}
		if e.Header.Masked {
			m = "M"
		}
		if e.Violation != nil {
			bad = " ✗§" + e.Violation.Section
		}
		return fmt.Sprintf("%s#%-3d %s %-5s %s %s %6s %7s%s", mark, e.Seq, arrow, shortOp(e.Header.Opcode), fin, m,
			shortSize(e.Header.Length), shortTime(e.At), bad)
	case capture.KindRaw:
		return fmt.Sprintf("%s#%-3d %s raw   by hand %6s %7s", mark, e.Seq, arrow, shortSize(uint64(len(e.Wire))), shortTime(e.At))
	case capture.KindClosed:
		role := "client"
		if e.Dir == capture.ServerToClient {
			role = "server"
		}
		how := "TCP closed"
		if e.Closed.ClosedTCPFirst {
			how = "closed TCP first"
		}
		return fmt.Sprintf("%s#%-3d ✕ %s %s", mark, e.Seq, role, how)
	}
	return fmt.Sprintf("%s── %s", mark, e.Note)
}

// fit pads or cuts s to w display columns.
func fit(s string, w int) string {
	r := []rune(s)
	if len(r) > w {
		return string(r[:w])
	}
	return s + strings.Repeat(" ", w-len(r))
}
