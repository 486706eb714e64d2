package checkui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// styles are the report's own. Without colour (NO_COLOR, or a terminal
// without it) every verdict is still its word, and the selection its ▸.
type styles struct {
	header, dim, heading, selected lipgloss.Style
	verdict                        map[conformance.Verdict]lipgloss.Style
}

func newStyles() styles {
	c := func(n string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(n)) }
	return styles{
		header:   lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("24")),
		dim:      c("8"),
		heading:  lipgloss.NewStyle().Bold(true),
		selected: lipgloss.NewStyle().Reverse(true),
		verdict: map[conformance.Verdict]lipgloss.Style{
			conformance.OK:            c("2"),
			conformance.Informational: c("6"),
			conformance.NonStrict:     c("3"),
			conformance.Unimplemented: c("8"),
			conformance.Failed:        c("9").Bold(true),
		},
	}
}

// wideWidth is the width from which a case's timeline and the dissection
// of its selected entry sit side by side, as on the live screen.
const (
	wideWidth     = 110
	timelineWidth = 44
)

// View draws the report in exactly height lines of at most width columns.
func (m Model) View() string {
	if m.reading {
		return m.src.View()
	}
	w, h := max(1, m.width), max(1, m.height)
	if w < 30 || h < 6 {
		return m.tiny(w, h)
	}
	head := m.header(w)
	var body, hint string
	k := m.bindings()
	switch {
	case m.help:
		body, hint = m.helpView(w, h-2), hints(nil, []key.Binding{k.Close, k.Quit}, w-1)
	case m.screen == screenCase:
		body = m.caseView(w, h-2)
		b, t := k.caseKeys()
		hint = hints(b, t, w-1)
	default:
		body = m.listView(w, h-2)
		b, t := k.listKeys()
		hint = hints(b, t, w-1)
	}
	return head + "\n" + views.Box(body, w, h-2) + "\n" + m.st.dim.Render(views.Fit(" "+hint, w))
}

// tiny is the report on a screen too small for it: the counts, and how to
// get the rest.
func (m Model) tiny(w, h int) string {
	lines := []string{views.Fit(m.counts(), w)}
	if h > 1 {
		lines = append(lines, views.Fit(fmt.Sprintf(m.t.summary, m.done-m.failed, m.failed), w))
	}
	if h > 2 {
		q := m.keys.Quit.Help()
		lines = append(lines, views.Fit(m.t.tiny+" · "+q.Key+" "+q.Desc, w))
	}
	return views.Box(strings.Join(lines, "\n"), w, h)
}

// counts is "37 of 120 · 4s", or "120 cases · 12.3s" once the run is over.
func (m Model) counts() string {
	if m.running {
		return fmt.Sprintf(m.t.running, m.done, len(m.cases), seconds(m.elapsed))
	}
	return fmt.Sprintf(m.t.done, len(m.cases), seconds(m.elapsed))
}

func seconds(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

func (m Model) header(w int) string {
	who := fmt.Sprintf(m.t.server, m.o.Target)
	if m.o.Client {
		who = fmt.Sprintf(m.t.client, m.o.Target)
	}
	left := " wsanatomy check · " + who
	if m.screen == screenCase && m.sel >= 0 && !m.help {
		left = " wsanatomy check · " + m.cases[m.sel].ID + " · " + m.cases[m.sel].Desc
	}
	right := " " + m.counts() + " "
	if gap := w - width(left) - width(right); gap >= 1 {
		return m.st.header.Render(left + strings.Repeat(" ", gap) + right)
	}
	return m.st.header.Render(views.Fit(left, w))
}

// verdict is a verdict's word, in its colour, padded to the longest.
func (m Model) verdict(v conformance.Verdict, pad bool) string {
	s := string(v)
	if pad {
		s = fmt.Sprintf("%-13s", s)
	}
	return m.st.verdict[v].Render(s)
}

// status is what is under the header, in at most two lines of w
// columns: while the run goes on, a bar, the count and the cases running;
// then the summary and the count of each verdict, the worst first.
func (m Model) status(w int) []string {
	var parts []string
	if m.running {
		barW := min(20, max(0, w/4))
		full := 0
		if len(m.cases) > 0 {
			full = barW * m.done / len(m.cases)
		}
		parts = append(parts, "["+strings.Repeat("█", full)+strings.Repeat("░", barW-full)+"] "+m.counts())
		if m.failed > 0 {
			parts = append(parts, m.verdict(conformance.Failed, false)+fmt.Sprintf(" %d", m.failed))
		}
		if now := m.runningNow(); len(now) > 0 {
			parts = append(parts, fmt.Sprintf(m.t.now, strings.Join(now, " ")))
		}
	} else {
		parts = append(parts, fmt.Sprintf(m.t.summary, m.done-m.failed, m.failed))
		counts := map[conformance.Verdict]int{}
		for _, r := range m.results {
			if r != nil {
				counts[r.Verdict]++
			}
		}
		for _, v := range []conformance.Verdict{conformance.Failed, conformance.Unimplemented, conformance.NonStrict, conformance.Informational, conformance.OK} {
			if counts[v] > 0 {
				parts = append(parts, m.verdict(v, false)+fmt.Sprintf(" %d", counts[v]))
			}
		}
	}
	if m.failedOnly {
		parts = append(parts, fmt.Sprintf(m.t.filterOn, m.failed, m.done))
	}
	// Fill a line, then a second; what is left is cut.
	lines := []string{" " + parts[0]}
	for _, p := range parts[1:] {
		if last := len(lines) - 1; width(lines[last])+3+width(p) <= w || len(lines) == 2 {
			lines[last] += " · " + p
		} else {
			lines = append(lines, "   "+p)
		}
	}
	for i := range lines {
		lines[i] = views.Fit(lines[i], w)
	}
	return lines
}

// runningNow names the cases running: the run hands cases to its workers
// in order, one each as it becomes free, so those running are the first
// Parallel cases without a result.
func (m Model) runningNow() []string {
	var out []string
	for i, r := range m.results {
		if r == nil {
			out = append(out, m.cases[i].ID)
			if len(out) == m.o.Parallel {
				break
			}
		}
	}
	return out
}

// listView is the status line, then the cases with a result, under the
// title of their section, in h lines.
func (m Model) listView(w, h int) string {
	lines := m.status(w)
	if len(m.visible()) == 0 {
		msg := m.t.waiting
		if m.failedOnly && m.done > 0 {
			msg = m.t.noFailed
		}
		return strings.Join(append(lines, "", "  "+msg), "\n")
	}
	// Only the rows on screen are drawn, each once while the list stays
	// as it is (list.go), so a keypress in a run of 1,500 cases costs what
	// one in a run of 15 does.
	c := m.listing(w)
	selRow := 0
	if m.sel >= 0 && m.sel < len(c.rowOf) && c.rowOf[m.sel] >= 0 {
		selRow = c.rowOf[m.sel]
	}
	n := h - len(lines)
	off := max(0, min(selRow-n/2, len(c.rows)-n))
	for r := off; r < min(len(c.rows), off+max(0, n)); r++ {
		lines = append(lines, c.row(m, r))
	}
	return strings.Join(lines, "\n")
}

func (m Model) sectionTitle(s string) string {
	if title, ok := m.t.sections[s]; ok {
		return fmt.Sprintf(m.t.sectionMore, s, title)
	}
	return fmt.Sprintf(m.t.sectionOther, s)
}

// caseInfo is what the case is about: its verdict in words, what the peer
// did, the rule with its RFC section and sentence, and how it ended.
func (m Model) caseInfo(r *conformance.Result, w int) []string {
	t, th := m.t, m.theme
	var lines []string
	add := func(label, text string) {
		prefix := label + t.colon
		wrapped := strings.Split(th.Wrap(text, max(10, w-width(prefix)-1)), "\n")
		for i, l := range wrapped {
			if i == 0 {
				lines = append(lines, " "+prefix+l)
				continue
			}
			lines = append(lines, " "+strings.Repeat(" ", width(prefix))+l)
		}
	}
	lines = append(lines, " "+t.verdictLabel+t.colon+m.verdict(r.Verdict, false)+" · "+t.verdictWords[r.Verdict])
	add(t.peer, r.Detail)
	for _, n := range r.Notes[min(1, len(r.Notes)):] {
		add(t.also+" ("+string(n.Verdict)+")", n.Text)
	}
	add(t.rule, r.Rule)
	if r.ClientExit != "" {
		add(t.clientExit, strings.Join(strings.Fields(r.ClientExit), " "))
	}
	if r.Exchange != nil {
		lines = append(lines, m.st.dim.Render(" "+fmt.Sprintf(t.took, r.Duration.Round(time.Millisecond), t.ending(r.Ending))))
	}
	return lines
}

// caseLayout is where the parts of the case screen go: the information
// lines, then the timeline and the detail, side by side or stacked (a
// height of 0: no room for it).
type caseLayout struct {
	info       []string
	wide       bool
	tlW, tlH   int
	detW, detH int
}

// layout places the open case in w x h. The information takes at most a
// third of the screen (at least two lines); what does not fit ends in "…"
// and the exchange keeps the rest.
func (m Model) layout(w, h int) caseLayout {
	var l caseLayout
	l.info = m.caseInfo(m.results[m.sel], w)
	room := max(2, h/3)
	if len(m.entries) == 0 {
		room = h
	}
	if len(l.info) > room {
		// Cut to make room for " …" without Fit's own "…".
		last := ansi.Truncate(strings.TrimRight(ansi.Strip(l.info[room-1]), " "), w-2, "")
		l.info = append(l.info[:room-1:room-1], strings.TrimRight(last, " ")+" …")
	}
	rest := h - len(l.info)
	switch {
	case len(m.entries) == 0 || rest < 2:
	case w >= wideWidth:
		l.wide, l.tlW, l.tlH, l.detW, l.detH = true, timelineWidth, rest, w-timelineWidth-1, rest
	default:
		l.tlW, l.tlH = w, min(len(m.entries)+1, max(2, rest/3))
		l.detW, l.detH = w, rest-l.tlH
	}
	return l
}

// caseView is the open case in h lines: what it is about at the top, then
// its exchange: the entries, and the selected one dissected.
func (m Model) caseView(w, h int) string {
	l := m.layout(w, h)
	parts := []string{strings.Join(l.info, "\n")}
	switch {
	case len(m.entries) == 0:
		return parts[0] + "\n\n " + m.t.noExchange
	case l.tlH == 0:
	case l.wide:
		parts = append(parts, views.JoinColumns(m.timeline(l.tlW, l.tlH), m.detail(l.detW, l.detH), l.tlW, l.detW, l.tlH))
	default:
		parts = append(parts, m.timeline(l.tlW, l.tlH))
		if l.detH > 0 {
			parts = append(parts, m.detail(l.detW, l.detH))
		}
	}
	return strings.Join(parts, "\n")
}

// maxScroll is how far the detail of the open case can scroll: its last
// line at the bottom of its pane.
func (m Model) maxScroll() int {
	l := m.layout(max(1, m.width), max(1, m.height-2))
	if l.detH < 2 || len(m.entries) == 0 {
		return 0
	}
	return max(0, len(strings.Split(m.detailBody(l.detW), "\n"))-(l.detH-1))
}

// paneTitle is a pane's heading: "── title ─────".
func (m Model) paneTitle(title string, w int) string {
	s := "── " + title + " "
	return m.st.heading.Render(views.Fit(s+strings.Repeat("─", max(0, w-width(s))), w))
}

// timeline lists the case's entries in h lines, the selected one kept in
// sight.
func (m Model) timeline(w, h int) string {
	lines := []string{m.paneTitle(fmt.Sprintf("%s · %d", m.t.exchange, len(m.entries)), w)}
	n := h - 1
	off := max(0, min(m.entrySel-n/2, len(m.entries)-n))
	for i := off; i < len(m.entries) && i < off+n; i++ {
		e := m.entries[i]
		row := views.EntryRowIn(e, i == m.entrySel, m.o.Lang)
		if e.Note == PartialNote {
			row += " …"
		}
		row = views.Fit(row, w)
		switch {
		case i == m.entrySel:
			row = m.st.selected.Render(row)
		case e.Violation != nil:
			row = m.st.verdict[conformance.Failed].Render(row)
		}
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

// detail is the selected entry dissected by the walkthrough's views, in h
// lines, scrolled by detOff.
func (m Model) detail(w, h int) string {
	e := m.entries[m.entrySel]
	all := strings.Split(m.detailBody(w), "\n")
	off := min(m.detOff, max(0, len(all)-(h-1)))
	title := strings.TrimPrefix(views.EntryTitleIn(e, m.o.Lang), fmt.Sprintf("#%d · ", e.Seq))
	if e.Kind == capture.KindNote {
		title = e.Dir.Arrow()
	}
	if off > 0 {
		title += fmt.Sprintf(" · ↑%d", off)
	}
	return strings.Join(append([]string{m.paneTitle(fmt.Sprintf("#%d %s", e.Seq, title), w)}, all[off:]...), "\n")
}

// detailBody is the selected entry dissected by the walkthrough's views,
// w columns wide; a frame that broke a rule starts with the rule.
func (m Model) detailBody(w int) string {
	e := m.entries[m.entrySel]
	var body string
	switch e.Kind {
	case capture.KindFrame:
		body = m.frame.View(e, m.theme, w, false)
		if v := e.Violation; v != nil {
			// The rule the frame broke goes first, in the words of the
			// dissection's own "why", which comes last.
			why := m.theme.Explain(render.ParseFrame(e.Wire), e.Dir.Sender(), v)
			body = m.st.verdict[conformance.Failed].Render(m.theme.Wrap("✗ "+why[len(why)-1], w)) + "\n" + body
		}
		if e.Note == PartialNote {
			body = m.st.dim.Render("("+m.t.partial+")") + "\n" + body
		}
	case capture.KindHandshake:
		// With the code key on, the head says how tab picks a header and
		// marks the one picked, with what s opens under it.
		body = m.hs.View(e, m.theme, w, true)
	case capture.KindNote:
		body = m.theme.Wrap(e.Note, w) + "\n" + render.HexBytes(e.Wire, 64)
	default:
		body = views.Dissect(e, views.Options{Theme: m.theme, Width: w, Cursor: -1})
	}
	return body
}

// helpView is every key, by screen, and what each verdict means. The
// keys go two to a line where there is room.
func (m Model) helpView(w, h int) string {
	var b strings.Builder
	b.WriteString(" " + m.st.heading.Render(m.t.helpTitle) + "\n")
	under := m.screenKeys(m.bindings())
	under.Help = m.bindings().Close // the way out of the help
	for _, l := range keymap.HelpLines(under.helpGroups(m.t), w-2, keymap.Styles{}, m.o.Lang) {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("\n")
	b.WriteString(" " + m.st.heading.Render(m.t.helpVerdicts) + "\n")
	for _, v := range []conformance.Verdict{conformance.OK, conformance.NonStrict, conformance.Informational, conformance.Unimplemented, conformance.Failed} {
		b.WriteString("    " + m.verdict(v, true) + " " + m.t.verdictWords[v] + "\n")
	}
	return b.String()
}

// width is the number of terminal columns s takes (a Chinese character
// takes two; colour codes none).
func width(s string) int { return lipgloss.Width(s) }
