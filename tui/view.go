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
	e, ok := m.tl.Selected()
	narrate := m.mode == modeWalk && !m.wide()
	k := fmt.Sprintf("%d/%d/%d/%d/%v/%d/%s", e.Seq, m.frame.field, m.frame.cursor, m.detail.Width, narrate, m.walk.step, m.walk.err)
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

// View draws the screen. Its cost depends on the screen size, not on the
// number of frames.
func (m Model) View() string {
	header := m.headerView()
	if m.full {
		h := m.help
		h.Width = m.width
		body := m.st.title.Render("keys") + "\n\n" + h.FullHelpView(m.keys.FullHelp()) +
			"\n\n" + strings.Join(helpNotes, "\n") + "\n\n" + m.st.dim.Render("? or esc: back")
		return header + "\n" + lipgloss.NewStyle().MaxWidth(m.width).MaxHeight(m.height-1).Render(body)
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

var helpNotes = []string{
	"Everything on screen comes from a real connection: a server on 127.0.0.1 and a client",
	"talking over TCP through wsanatomy's codec. The timeline lists every frame both ways",
	"(→ client to server, ← server to client); the right side dissects the selected one.",
	"",
	"walkthrough (w): space, enter or → runs the next real exchange; ← goes back.",
	"free play (f): type a message, choose sender and type with ←/→, enter sends.",
	"  a 200-byte ping is x*200; raw bytes are hex 48 65. Refusals are shown, the session goes on.",
	"raw frame lab (r): pick a preset with ←/→, toggle bits with space, or type hex in bytes;",
	"  enter sends the exact bytes from the client. n starts a fresh connection after.",
	"linked panes: tab picks a field in the bit grid and its bytes light up (CAPS tags in the",
	"  hex dump); [ and ] walk the hex dump and select the field of each byte.",
	"mouse wheel scrolls the pane under the pointer; NO_COLOR=1 turns colour off.",
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
	if m.sess != nil {
		state := "● open"
		if m.sess.Closed() {
			state = "○ closed"
		}
		right = fmt.Sprintf("session %d · client %s ⇄ server %s  %s ", m.sess.ID, port(m.sess.ClientAddr), port(m.sess.ServerAddr), state)
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
	e, ok := m.tl.Selected()
	s := "── "
	if ok {
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
