package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// timelineWidth is the width of the timeline column on wide screens.
const timelineWidth = 40

// wide reports whether the timeline gets its own column; otherwise it is
// a three-line strip above the rest.
func (m Model) wide() bool { return m.width >= 100 && m.height >= 30 }

// rightWidth is the width of the section and detail panes.
func (m Model) rightWidth() int {
	if m.wide() {
		return m.width - timelineWidth - 1
	}
	return m.width
}

// section draws the mode's own part: the step, the free play form or the
// lab.
func (m Model) section() string {
	w := m.rightWidth()
	var s string
	switch m.mode {
	case modeFree:
		s = m.free.View(m.st, w)
	case modeLab:
		s = m.lab.View(m.st, w, m.tl.entries)
	default:
		if m.wide() {
			s = m.walk.View(m.st, w, 7)
		} else {
			s = m.walk.View(m.st, w, 1) // the text goes into the detail pane
		}
	}
	return lipgloss.NewStyle().MaxWidth(w).Render(s)
}

// layout sizes the panes for the current screen.
func (m *Model) layout() {
	m.sectionH = lipgloss.Height(m.section())
	body := max(1, m.height-2)
	if m.wide() {
		m.tl.height, m.tl.width = body, timelineWidth
	} else {
		m.tl.height, m.tl.width = 3, m.width
		body -= 3
	}
	m.detail.Width = m.rightWidth()
	m.detail.Height = max(1, body-m.sectionH-1)
}

// sync re-lays the screen and refreshes the detail pane when what it
// shows changed. The dissection is built here, once per change, never in
// View.
func (m *Model) sync() {
	m.layout()
	e, ok := m.shown()
	narrate := m.mode == modeWalk && !m.wide()
	k := fmt.Sprintf("%d/%x/%d/%d/%d/%v/%d/%s", e.Seq, e.Wire, m.frame.field, m.frame.cursor, m.detail.Width, narrate, m.walk.step, m.walk.err)
	if !ok {
		k = "none"
	}
	if k == m.contentKey {
		return
	}
	m.contentKey = k
	if !ok {
		m.detail.SetContent("waiting for the connection...")
		return
	}
	w := max(20, m.detail.Width-1)
	var s string
	if e.Kind == session.KindHandshake {
		s = m.hs.View(e, m.theme, w)
	} else {
		s = m.frame.View(e, m.theme, w)
	}
	if narrate {
		st := m.walk.steps[m.walk.step]
		s = render.Wrap(st.Text, w) + "\n" + s
	}
	m.detail.SetContent(s)
}

// building is the frame the raw frame lab is building, shown while the
// lab form has focus. Seq -1 marks it as not sent.
func (m Model) building() (session.Entry, bool) {
	if m.mode != modeLab || !m.lab.focused {
		return session.Entry{}, false
	}
	b, err := m.lab.Bytes()
	if err != nil || len(b) == 0 {
		return session.Entry{}, false
	}
	return session.Entry{Seq: -1, Kind: session.KindRaw, Dir: session.ClientToServer, Wire: b}, true
}

// shown is the entry the detail pane dissects.
func (m Model) shown() (session.Entry, bool) {
	if e, ok := m.building(); ok {
		return e, true
	}
	return m.tl.Selected()
}

// View draws the screen. Its cost depends on the screen size, not on the
// number of frames.
func (m Model) View() string {
	header := m.headerView()
	if m.full {
		return header + "\n" + m.helpView()
	}
	title := m.detailTitle()
	right := m.section() + "\n" + title + "\n" + m.detail.View()
	var body string
	if m.wide() {
		sep := strings.TrimSuffix(strings.Repeat(m.st.sep.Render("│")+"\n", max(1, m.height-2)), "\n")
		body = lipgloss.JoinHorizontal(lipgloss.Top, m.tl.View(m.st), sep, right)
	} else {
		body = m.tl.Strip(m.st) + "\n" + right
	}
	body = lipgloss.NewStyle().MaxHeight(max(1, m.height-2)).MaxWidth(m.width).Render(body)
	if pad := m.height - 2 - lipgloss.Height(body); pad > 0 {
		body += strings.Repeat("\n", pad)
	}
	return header + "\n" + body + "\n" + m.footerView()
}

// helpView is the ? screen: every key (bubbles help) and how to reach
// each part of the program. ↑/↓ scroll it on small screens.
func (m Model) helpView() string {
	h := m.help
	h.Width = m.width
	groups := m.keys.FullHelp()
	body := m.st.title.Render("keys") + "  " + m.st.dim.Render("(? or esc: back · ↑↓ scroll)") + "\n" +
		h.FullHelpView(groups[:2]) + "\n\n" + h.FullHelpView(groups[2:]) + "\n\n" +
		render.Wrap(strings.Join(helpNotes, "\n\n"), m.width-1)
	lines := strings.Split(body, "\n")
	top := min(m.helpTop, max(0, len(lines)-(m.height-1)))
	lines = lines[top:]
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return lipgloss.NewStyle().MaxWidth(m.width).Render(strings.Join(lines[:m.height-1], "\n"))
}

var helpNotes = []string{
	"Everything on screen comes from a real connection: a server on 127.0.0.1 and a client talking over TCP through wsanatomy's codec. The timeline lists every frame both ways (→ client to server, ← server to client); the right side dissects the selected one.",
	"Walkthrough (w): space, enter or → runs the next real exchange; ← goes back.",
	"Free play (f): type a message, choose the sender and the type with ←/→, enter sends. A 200-byte ping is x*200; raw bytes are hex 48 65. What the codec refuses is shown and the session goes on.",
	"Raw frame lab (r): pick a preset with ←/→, toggle bits with space, or type hex in bytes; enter sends the exact bytes from the client. n starts a fresh connection afterwards.",
	"Linked panes: tab picks a field in the bit grid and its bytes light up (CAPS tags in the hex dump); [ and ] walk the hex dump and select the field of each byte.",
	"The mouse wheel scrolls the pane under the pointer; NO_COLOR=1 turns colour off.",
}

func (m Model) headerView() string {
	var left string
	switch m.mode {
	case modeFree:
		left = " wsanatomy  free play"
	case modeLab:
		left = " wsanatomy  raw frame lab"
	default:
		left = fmt.Sprintf(" wsanatomy  walkthrough %d/%d", m.walk.step+1, len(m.walk.steps))
	}
	right := "connecting... "
	if m.connInfo != "" {
		state := "● open"
		if m.sess == nil || m.sess.Closed() {
			state = "○ closed"
		}
		right = m.connInfo + "  " + state + " "
	}
	if m.status != "" {
		right = m.status + " "
	}
	gap := m.width - len([]rune(left)) - len([]rune(right))
	if gap < 1 {
		right = ""
		gap = max(0, m.width-len([]rune(left)))
	}
	return m.st.header.Render(fit(left+strings.Repeat(" ", gap)+right, m.width))
}

func port(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i:]
	}
	return addr
}

func (m Model) detailTitle() string {
	e, ok := m.shown()
	s := "── "
	switch {
	case ok && e.Seq < 0:
		s += fmt.Sprintf("the frame you are building · %d bytes · not sent yet ", len(e.Wire))
	case ok:
		s += entryTitle(e) + " "
	}
	w := m.rightWidth()
	if pct := m.detail.ScrollPercent(); m.detail.TotalLineCount() > m.detail.Height {
		s += fmt.Sprintf("%3.0f%% ", pct*100)
	}
	return m.st.sep.Render(fit(s+strings.Repeat("─", max(0, w)), w))
}

func (m Model) footerView() string {
	h := m.help
	h.Width = m.width
	var km help.KeyMap = m.keys
	if (m.mode == modeFree && m.free.focused) || (m.mode == modeLab && m.lab.focused) {
		km = formKeys{m.keys}
	}
	return lipgloss.NewStyle().MaxWidth(m.width).Render(" " + h.View(km))
}
