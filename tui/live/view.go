package live

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// wideWidth is the width from which the timeline and the dissection sit
// side by side; below it they are stacked.
const wideWidth = 110

// timelineWidth is the timeline's width beside the dissection.
const timelineWidth = 44

// View draws the screen in exactly height lines of at most width columns.
func (m Model) View() string {
	if m.reading {
		return m.src.View()
	}
	w, h := max(1, m.width), max(1, m.height)
	if m.conns == nil {
		m.Refresh()
	}
	if h < 9 || w < 20 {
		// Too small for panes: one line of what matters most.
		return m.tiny(w, h)
	}
	head := m.header(w)
	foot := m.footer(w)
	body := h - 2
	if m.help {
		return strings.Join([]string{head, views.Box(m.helpText(w), w, body), foot}, "\n")
	}
	// The connection list takes up to a third of the body, at least its
	// heading, column names and one row.
	listH := min(max(3, len(m.conns)+2), max(3, body/3))
	rest := body - listH
	parts := []string{head, m.connList(w, listH)}
	if w >= wideWidth {
		tl := m.timeline(timelineWidth, rest)
		det := m.detail(w-timelineWidth-1, rest)
		parts = append(parts, views.JoinColumns(tl, det, timelineWidth, w-timelineWidth-1, rest))
	} else {
		tlH := min(max(2, rest/3), rest-2)
		parts = append(parts, m.timeline(w, tlH), m.detail(w, rest-tlH))
	}
	parts = append(parts, foot)
	return strings.Join(parts, "\n")
}

func (m Model) tiny(w, h int) string {
	open := 0
	for _, c := range m.conns {
		if c.State == capture.StateOpen || c.State == capture.StateClosing {
			open++
		}
	}
	lines := []string{views.Fit(connCount(m.lang, len(m.conns))+say(m.lang, ", ")+sayf(m.lang, "%d open", open), w)}
	if e, ok := m.selected(); ok && h > 1 {
		lines = append(lines, views.Fit(strings.TrimPrefix(views.EntryRowIn(e, false, m.lang), "  "), w))
	}
	if h > len(lines) {
		lines = append(lines, views.Fit(say(m.lang, "enlarge the terminal · q quit"), w))
	}
	return views.Box(strings.Join(lines, "\n"), w, h)
}

func (m Model) header(w int) string {
	open, frames := 0, 0
	for _, c := range m.conns {
		if c.State == capture.StateOpen || c.State == capture.StateClosing {
			open++
		}
		frames += c.Frames[0] + c.Frames[1]
	}
	left := " wsanatomy  " + m.title
	right := connCount(m.lang, len(m.conns)) + " · " + sayf(m.lang, "%d open", open) + " · " + frameCount(m.lang, frames) + " "
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return m.st.header.Render(views.Fit(left, w))
	}
	return m.st.header.Render(left + strings.Repeat(" ", gap) + right)
}

// connCount is "1 conn" or "n conns": English counts in the singular
// for one (Chinese has one form).
func connCount(lang string, n int) string {
	if n == 1 {
		return sayf(lang, "%d conn", n)
	}
	return sayf(lang, "%d conns", n)
}

// frameCount is "1 frame" or "n frames".
func frameCount(lang string, n int) string {
	if n == 1 {
		return sayf(lang, "%d frame", n)
	}
	return sayf(lang, "%d frames", n)
}

// heading is a pane's title line; the focused pane's is bold and marked.
func (m Model) heading(p pane, title string, w int) string {
	mark := "─ "
	st := m.st.sep
	if m.focus == p {
		mark, st = "▶ ", m.st.focus
	}
	s := mark + title + " "
	return st.Render(views.Fit(s+strings.Repeat("─", max(0, w-lipgloss.Width(s))), w))
}

// connList draws the connection list in h lines.
func (m Model) connList(w, h int) string {
	title := sayf(m.lang, "connections (%d)", len(m.conns))
	k := m.bindings()
	for _, b := range keymap.Enabled(k.PrevConn, k.Open, k.All) {
		title += sayf(m.lang, " · %s: %s", b.Help().Key, b.Help().Desc)
	}
	lines := []string{m.heading(paneConns, title, w)}
	cols := pickColumns(w)
	lines = append(lines, m.st.dim.Render(views.Fit("  "+header(cols, m.lang), w)))
	rows := h - 2
	if len(m.conns) == 0 {
		lines = append(lines, views.Fit("  "+say(m.lang, "no connection yet: point a browser or `wsanatomy dial` at it"), w))
	}
	off := max(0, min(m.connSel-rows+1, len(m.conns)-rows))
	for i := off; i < len(m.conns) && i < off+rows; i++ {
		mark := "  "
		if i == m.connSel {
			mark = "▸ "
		}
		row := views.Fit(mark+connRow(m.conns[i], cols, m.lang), w)
		if i == m.connSel && !m.all {
			row = m.st.selected.Render(row)
		}
		lines = append(lines, row)
	}
	return views.Box(strings.Join(lines, "\n"), w, h)
}

// column is one column of the connection list. Its name and width are
// in terminal columns, so that the Chinese names fit as the English do.
type column struct {
	name  string
	width int // 0: the rest of the line
	right bool
	value func(c capture.Conn, lang string) string
	prio  int // columns with a higher prio are dropped first on narrow screens
}

var columns = []column{
	{"#", 4, false, func(c capture.Conn, _ string) string { return fmt.Sprintf("#%d", c.ID) }, 0},
	{"peer", 21, false, func(c capture.Conn, _ string) string { return c.Peer }, 0},
	{"path", 10, false, func(c capture.Conn, _ string) string { return c.Path }, 0},
	{"Origin", 21, false, func(c capture.Conn, _ string) string { return dash(c.Origin) }, 2},
	{"protocol", 8, false, func(c capture.Conn, _ string) string { return dash(c.Subprotocol) }, 1},
	{"extensions", 12, false, func(c capture.Conn, _ string) string { return dash(c.Extensions) }, 3},
	{"state", 8, false, func(c capture.Conn, lang string) string {
		if c.Violation != nil {
			return "✗" + say(lang, c.State.String())
		}
		return say(lang, c.State.String())
	}, 0},
	{"→ fr/B", 9, true, func(c capture.Conn, _ string) string { return volume(c.Frames[0], c.Bytes[0]) }, 0},
	{"← fr/B", 9, true, func(c capture.Conn, _ string) string { return volume(c.Frames[1], c.Bytes[1]) }, 0},
	{"close → / ←", 0, false, closes, 0},
}

// pickColumns keeps the columns that fit in w with at least 14 columns
// left for the close codes, dropping the optional ones first.
func pickColumns(w int) []column {
	for drop := 3; drop >= 0; drop-- {
		var out []column
		used := 0
		for _, c := range columns {
			if c.prio > drop {
				continue
			}
			out = append(out, c)
			used += c.width + 1
		}
		if used+2+14 <= w || drop == 0 {
			return out
		}
	}
	return nil
}

func header(cols []column, lang string) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(pad(say(lang, c.name), c.width, c.right) + " ")
	}
	return strings.TrimRight(b.String(), " ")
}

// connRow is one connection: who, where, what was agreed, how much went
// each way, and how it ended.
func connRow(c capture.Conn, cols []column, lang string) string {
	var b strings.Builder
	for _, col := range cols {
		v := col.value(c, lang)
		if col.width > 0 {
			v = pad(cut(v, col.width), col.width, col.right)
		}
		b.WriteString(v + " ")
	}
	return strings.TrimRight(b.String(), " ")
}

func pad(s string, w int, right bool) string {
	if w == 0 {
		return s
	}
	n := max(0, w-lipgloss.Width(s))
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// closes says which close frames went each way: "3000 "bye" / 3000".
func closes(c capture.Conn, lang string) string {
	one := func(f capture.CloseFrame) string {
		if !f.Seen {
			return "-"
		}
		s := fmt.Sprintf("%d", uint16(f.Code))
		if f.Reason != "" {
			s += fmt.Sprintf(" %q", f.Reason)
		}
		return s
	}
	s := one(c.Close[0]) + " / " + one(c.Close[1])
	if c.State == capture.StateRefused {
		s = sayf(lang, "refused %d", c.Status)
	}
	return s
}

func volume(frames int, bytes int64) string {
	return fmt.Sprintf("%d/%s", frames, views.ShortSize(uint64(bytes)))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cut shortens s to n columns, marking the cut with "…".
func cut(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	return ansi.Truncate(s, n, "…")
}

// timeline draws the selected timeline in h lines of w columns. Only the
// rows on screen are copied out of the store.
func (m Model) timeline(w, h int) string {
	id := m.timelineID()
	n, dropped := m.store.Len(id)
	title := say(m.lang, "timeline of all connections")
	if id != 0 {
		title = sayf(m.lang, "timeline of #%d", id)
	}
	if dropped > 0 {
		title += sayf(m.lang, " · last %d (%d older dropped)", n, dropped)
	}
	lines := []string{m.heading(paneTimeline, title, w)}
	rows := h - 1
	sel := m.selIndex()
	off := max(0, n-rows)
	if sel >= 0 && sel < off {
		off = max(0, sel-rows/2)
	}
	for _, e := range m.store.Window(id, off, rows) {
		row := views.EntryRowIn(e, e.Seq == m.selSeq, m.lang)
		if id == 0 {
			row = fmt.Sprintf("%-4s", fmt.Sprintf("c%d", e.Conn)) + row
		}
		row = views.Fit(row, w)
		if e.Seq == m.selSeq {
			row = m.st.selected.Render(row)
		} else if e.Violation != nil {
			row = m.st.bad.Render(row)
		}
		lines = append(lines, row)
	}
	if n == 0 {
		lines = append(lines, views.Fit("  "+say(m.lang, "nothing yet"), w))
	}
	return views.Box(strings.Join(lines, "\n"), w, h)
}

// detail draws the selected entry's dissection in h lines of w columns,
// scrolled by detailOff.
// detailBody is the dissection of e in w columns, line by line.
func (m Model) detailBody(e capture.Entry, w int) []string {
	var body string
	switch e.Kind {
	case capture.KindFrame, capture.KindRaw:
		body = m.frame.View(e, m.theme, w, true)
	case capture.KindHandshake:
		body = m.hs.View(e, m.theme, w, true)
	default:
		body = views.Dissect(e, views.Options{Theme: m.theme, Width: w, Cursor: -1})
	}
	if e.Kind == capture.KindFrame && int64(len(e.Wire)) < e.WireLen() {
		body += "\n" + m.st.dim.Render(sayf(m.lang, "(the first %d of %d bytes are kept)", len(e.Wire), e.WireLen()))
	}
	return strings.Split(body, "\n")
}

// detailSize is the size of the detail pane, as View lays it out.
func (m Model) detailSize() (w, h int) {
	w, h = max(1, m.width), max(1, m.height)
	body := h - 2
	listH := min(max(3, len(m.conns)+2), max(3, body/3))
	rest := body - listH
	if w >= wideWidth {
		return w - timelineWidth - 1, rest
	}
	return w, rest - min(max(2, rest/3), rest-2)
}

// detailMax is how far the dissection of the selected entry scrolls.
func (m Model) detailMax() int {
	e, ok := m.selected()
	if !ok {
		return 0
	}
	w, h := m.detailSize()
	return max(0, len(m.detailBody(e, w))-(h-1))
}

// detailPage is half the detail pane: what pgup and pgdn scroll.
func (m Model) detailPage() int {
	_, h := m.detailSize()
	return max(1, (h-1)/2)
}

func (m Model) detail(w, h int) string {
	e, ok := m.selected()
	if !ok {
		return views.Box(m.heading(paneDetail, say(m.lang, "detail"), w), w, h)
	}
	all := m.detailBody(e, w)
	off := min(m.detailOff, max(0, len(all)-(h-1)))
	what := strings.TrimPrefix(views.EntryTitleIn(e, m.lang), fmt.Sprintf("#%d · ", e.Seq))
	if e.Kind == capture.KindClosed {
		what = say(m.lang, "the end of the connection") // the body says it in full
	}
	title := fmt.Sprintf("c%d %s", e.Conn, what)
	if off > 0 {
		title += fmt.Sprintf(" · ↑%d", off)
	}
	lines := append([]string{m.heading(paneDetail, title, w)}, all[off:]...)
	return views.Box(strings.Join(lines, "\n"), w, h)
}

// footer is the hint line: the keys that act now, from the bindings.
func (m Model) footer(w int) string {
	body, tail := m.footerKeys()
	return m.st.dim.Render(views.Fit(keymap.Footer(body, tail, w, keymap.Styles{}), w))
}

// helpText is the help screen: the keys, then what the screen keeps.
func (m Model) helpText(w int) string {
	note := m.theme.Wrap(say(m.lang, "Each connection keeps its last 2,000 entries (the timeline says how many were dropped), "+
		"and only the newest entries keep their payloads (4 KiB each, 32 MiB in all), so memory stays bounded; "+
		"the counts and close codes of a connection cover everything."), w)
	return strings.Join(m.helpLines(w, note), "\n")
}
