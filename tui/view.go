package tui

import (
	"fmt"
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
)

// timelineWidth is the width of the timeline column on wide screens.
const timelineWidth = 42

// wide reports whether the timeline gets its own column: when the bit
// grid still fits beside it. Otherwise the timeline is a strip above the
// rest (see stripLines).
func (m Model) wide() bool {
	return m.width >= timelineWidth+1+render.GridWidth+1 && m.height >= 30
}

// stripLines is the height of the timeline strip of narrow screens: the
// selected entry and its neighbours, or only the selected entry when the
// height is short and the forms need the room.
func (m Model) stripLines() int {
	if m.height < 22 || (m.height < 30 && m.mode != modeWalk) {
		return 1
	}
	return 3
}

// compact reports whether the forms should use their short layout.
func (m Model) compact() bool { return !m.wide() && m.height < 30 }

// maxSection is the most lines the mode's own part may take, so that the
// dissection keeps at least a few lines.
func (m Model) maxSection() int {
	body := m.height - 2 - 1 // header, footer, detail title
	if !m.wide() {
		body -= m.stripLines()
	}
	return max(1, body-max(3, body/3))
}

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
		s = m.free.View(m.st, w, m.theme.Lang(), m.conn())
	case modeLab:
		s = m.lab.View(m.st, w, m.compact(), m.tl.entries, m.theme.Lang(), m.conn())
	default:
		if m.wide() {
			s = m.walk.View(m.st, m.theme.Lang(), m.walkHint(), w, 7)
		} else {
			s = m.walk.View(m.st, m.theme.Lang(), "", w, 1) // the text goes into the detail pane
		}
	}
	return clampLines(lipgloss.NewStyle().MaxWidth(w).Render(s), m.maxSection())
}

// layout sizes the panes for the current screen.
func (m *Model) layout() {
	m.sectionH = lipgloss.Height(m.section())
	body := max(1, m.height-2)
	if m.wide() {
		m.tl.height, m.tl.width = body, timelineWidth
	} else {
		m.tl.height, m.tl.width = m.stripLines(), m.width
		body -= m.tl.height
	}
	m.tl.lang = m.theme.Lang()
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
	msg, haveMsg := m.messageOf(e)
	k := fmt.Sprintf("%d/%x/%d/%d/%d/%v/%d/%s/%s/%v/%v/%d", e.Seq, e.Wire, m.frame.Field, m.frame.Cursor, m.detail.Width, narrate, m.walk.step, m.walk.err, m.hs.Header, m.formFocused(), haveMsg, msg.Seq)
	if !ok {
		k = "none"
	}
	if k == m.contentKey {
		return
	}
	m.contentKey = k
	if !ok {
		m.detail.SetContent(say(m.theme.Lang(), "waiting for the connection..."))
		return
	}
	w := max(20, m.detail.Width-1)
	var s string
	if e.Kind == capture.KindHandshake {
		s = m.hs.View(e, m.theme, w, !m.formFocused())
	} else {
		s = m.frame.View(e, m.theme, w, !m.formFocused())
		if haveMsg {
			name := sayf(m.theme.Lang(), "#%d: the message it starts, inflated", msg.Seq)
			s += "\n" + m.theme.Heading("── "+name+" "+strings.Repeat("─", max(0, min(w, 80)-len([]rune(name))-5))) + "\n" +
				views.MessageView(msg.Message, m.theme, w)
		}
	}
	if narrate {
		_, text := m.walk.steps[m.walk.step].In(m.theme.Lang())
		if hint := m.walkHint(); hint != "" {
			text += "\n" + hint
		}
		s = m.theme.Wrap(text, w) + "\n" + s
	}
	m.detail.SetContent(s)
	if e.Kind == capture.KindHandshake && m.hs.Header != "" {
		// Keep the selected header and its hint in view.
		for i, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "  » ") {
				if i+1 > m.detail.YOffset+m.detail.Height {
					m.detail.SetYOffset(i + 1 - m.detail.Height)
				} else if i-1 < m.detail.YOffset {
					m.detail.SetYOffset(max(0, i-2))
				}
				break
			}
		}
	}
}

// building is the frame the raw frame lab is building, shown while the
// lab form has focus. Seq -1 marks it as not sent.
func (m Model) building() (capture.Entry, bool) {
	if m.mode != modeLab || !m.lab.focused {
		return capture.Entry{}, false
	}
	b, err := m.lab.Bytes()
	if err != nil || len(b) == 0 {
		return capture.Entry{}, false
	}
	return capture.Entry{Seq: -1, Kind: capture.KindRaw, Dir: capture.ClientToServer, Wire: b}, true
}

// shown is the entry the detail pane dissects.
// messageOf finds, for the first frame of a compressed message, the
// entry of the message it starts (RFC 7692): the next compressed message
// of the same connection and direction, unless another message starts
// first (then its message never completed).
func (m Model) messageOf(e capture.Entry) (capture.Entry, bool) {
	h := e.Header
	if e.Kind != capture.KindFrame || !h.Rsv1 || e.Violation != nil || !h.Opcode.IsData() || h.Opcode == protocol.OpContinuation {
		return capture.Entry{}, false
	}
	start := -1
	if s := m.tl.sel; s >= 0 && s < len(m.tl.entries) && m.tl.entries[s].Seq == e.Seq && m.tl.entries[s].Conn == e.Conn {
		start = s
	}
	for i := 0; start < 0 && i < len(m.tl.entries); i++ {
		if m.tl.entries[i].Seq == e.Seq && m.tl.entries[i].Conn == e.Conn {
			start = i
			break
		}
	}
	if start < 0 {
		return capture.Entry{}, false
	}
	for _, n := range m.tl.entries[start+1:] {
		if n.Conn != e.Conn || n.Dir != e.Dir {
			continue
		}
		switch {
		case n.Decodable():
			return n, true
		case n.Kind == capture.KindFrame && n.Header.Opcode.IsData() && n.Header.Opcode != protocol.OpContinuation:
			return capture.Entry{}, false
		}
	}
	return capture.Entry{}, false
}

func (m Model) shown() (capture.Entry, bool) {
	if e, ok := m.building(); ok {
		return e, true
	}
	return m.tl.Selected()
}

// View draws the screen. Its cost depends on the screen size, not on the
// number of frames.
func (m Model) View() string {
	if m.reading {
		return m.src.View()
	}
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
		body = m.tl.Strip(m.st, m.stripLines()) + "\n" + right
	}
	body = lipgloss.NewStyle().MaxHeight(max(1, m.height-2)).MaxWidth(m.width).Render(body)
	if pad := m.height - 2 - lipgloss.Height(body); pad > 0 {
		body += strings.Repeat("\n", pad)
	}
	return header + "\n" + body + "\n" + m.footerView()
}

// helpView is the ? screen: every key that works in the state under it,
// grouped by what it works on (package keymap draws it from the live
// bindings), then how to reach each part of the program. ↑/↓ scroll it on
// small screens.
func (m Model) helpView() string {
	k := m.bindings()
	lines, _ := keymap.Window(m.helpLines(k), max(1, m.height-1), m.helpTop, k.lang, m.helpStyles())
	return lipgloss.NewStyle().MaxWidth(m.width).Render(strings.Join(lines, "\n"))
}

// helpMaxTop is the last first line the ? screen can scroll to.
func (m Model) helpMaxTop(k keyMap) int {
	return max(0, len(m.helpLines(k))-max(1, m.height-1))
}

// helpStyles are the ? screen's and the footer's styles.
func (m Model) helpStyles() keymap.Styles {
	st := keymap.ColorStyles()
	st.Title = m.st.title
	st.Dim = m.st.dim
	return st
}

// helpLines is the whole ? screen, line by line.
func (m Model) helpLines(k keyMap) []string {
	var notes []string
	for _, n := range m.helpNotes() {
		notes = append(notes, strings.Split(lessons.Wrap(n, max(10, m.width-1)), "\n")...)
		notes = append(notes, "")
	}
	// esc leaves free play and the lab for the walkthrough; on the
	// walkthrough itself it does nothing.
	sc := keymap.Screen{Lang: k.lang, Groups: m.groups(k), Notes: notes, Styles: m.helpStyles(), EscLeaves: m.mode != modeWalk}
	return sc.Lines(m.width, []key.Binding{k.HelpClose}, []key.Binding{k.HelpDown, k.HelpUp})
}

// helpNotes are the paragraphs under the keys. They name keys by their
// bindings (the full key map: each key named works in the mode the
// sentence is about).
func (m Model) helpNotes() []string {
	k := m.keys
	sk := source.KeyMapIn(k.lang)
	n := keymap.Names
	t := func(en string, args ...any) string { return fmt.Sprintf(keyText(k.lang, en), args...) }
	return []string{
		t("Everything on screen comes from a real connection: a server on 127.0.0.1 and a client talking over TCP through wsanatomy's codec. The timeline lists every frame both ways (→ client to server, ← server to client); the rest of the screen dissects the selected one: bit grid, fields, hex dump, unmasking and why."),
		t("Walkthrough (%s): %s runs the next real exchange; %s goes back a step. When the connection has closed, %s opens a fresh one.", n(k.Walk), n(k.Next), n(k.Back), n(k.NewSession)),
		t("Free play (%s): the form opens with the cursor in the message, on a dim sample that what you type replaces. Type it, %s to the sender and the type and change them with %s (text, binary, ping, pong, close with a code and the message as reason), give a fragment size if you like, turn compress on with %s to send text and binary compressed (permessage-deflate, RFC 7692: a connection started with %s negotiates it), %s sends. A 200-byte ping is x*200; raw bytes are hex 48 65. What the codec refuses is shown and the session goes on. %s leaves the form, so letters are keys again; %s goes back in.",
			n(k.Free), n(k.FormNext), n(k.FormChange), n(k.FormChange), n(k.NewSession), n(k.Send), n(k.FormLeave), n(k.Edit)),
		t("Raw frame lab (%s): pick a preset with %s, %s to a bit and toggle it with %s, or type hex in bytes; %s sends the exact bytes from the client and the server's reaction appears: the rule broken with its RFC section, its close frame, the connection ending. %s then starts a fresh connection. Presets: %s.",
			n(k.Lab), n(k.LabChange), n(k.FormNext), n(k.LabChange), n(k.Send), n(k.NewSession), presetNames()),
		t("Linked panes: %s picks a field in the bit grid and its bytes light up (CAPS tags in the hex dump); %s and %s walk the hex dump and select the field of each byte. On a handshake, %s picks a header.",
			n(k.Field), n(k.BytePrev), n(k.ByteNext), n(k.Field)),
		t("See the code: %s opens the annotated source reader at the code of protocol/ that encodes and decodes the selected field, the field of the byte under the hex cursor, or the handshake header under the cursor (the first one when none is picked). In the reader, %s and %s step through every place that handles it; %s comes back here, exactly where you were.",
			n(k.Code), n(sk.NextMatch), n(sk.PrevMatch), n(sk.Back)),
		t("The mouse wheel scrolls the pane under the pointer; NO_COLOR=1 turns colour off."),
	}
}

func presetNames() string {
	var names []string
	for _, p := range labPresets {
		names = append(names, p.name)
	}
	return strings.Join(names, "; ")
}

func (m Model) headerView() string {
	var left string
	switch m.mode {
	case modeFree:
		left = " wsanatomy  " + say(m.theme.Lang(), "free play")
	case modeLab:
		left = " wsanatomy  " + say(m.theme.Lang(), "raw frame lab")
	default:
		left = sayf(m.theme.Lang(), " wsanatomy  walkthrough %d/%d", m.walk.step+1, len(m.walk.steps))
	}
	right, short := say(m.theme.Lang(), "connecting...")+" ", "… "
	if m.connInfo != "" {
		state := m.connState(m.theme.Lang())
		right, short = m.connInfo+"  "+state+" ", state+" "
	}
	if m.status != "" {
		right = m.status + " "
	}
	// On a narrow screen the connection's state stays, its ports go.
	// Widths are terminal columns: a Chinese character takes two.
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		right = short
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		right = ""
		gap = max(0, m.width-lipgloss.Width(left))
	}
	return m.st.header.Render(views.Fit(left+strings.Repeat(" ", gap)+right, m.width))
}

// connState is the header's word for the connection: in the walkthrough,
// its state at the entry the step shows (the live connection runs ahead of
// the narration: step 16's close frame is already answered and TCP closed
// when it is read); elsewhere, its state now.
func (m Model) connState(lang string) string {
	if e, ok := m.tl.Selected(); ok && m.mode == modeWalk && (!m.live || m.sess != nil && e.Conn == m.sess.ID) {
		state := say(lang, "● open")
		for _, x := range m.tl.entries[:m.tl.sel+1] {
			switch {
			case x.Conn != e.Conn:
			case x.Kind == capture.KindClosed:
				return say(lang, "○ closed")
			case x.Kind == capture.KindFrame && x.Header.Opcode == protocol.OpClose:
				state = say(lang, "◐ closing")
			}
		}
		return state
	}
	if m.sess == nil || m.sess.Closed() {
		return say(lang, "○ closed")
	}
	return say(lang, "● open")
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
		s += sayf(m.theme.Lang(), "the frame you are building · %d bytes · not sent yet ", len(e.Wire))
	case ok:
		s += views.EntryTitleIn(e, m.theme.Lang()) + " "
	}
	w := m.rightWidth()
	if pct := m.detail.ScrollPercent(); m.detail.TotalLineCount() > m.detail.Height {
		s += fmt.Sprintf("%3.0f%% ", pct*100)
	}
	return m.st.sep.Render(views.Fit(s+strings.Repeat("─", max(0, w)), w))
}

// footerView is the keys of the current mode, cut to the width, always
// ending with the way to the help (or out of the form).
func (m Model) footerView() string {
	body, tail := m.footerKeys()
	if m.mode == modeWalk {
		// The walkthrough's line keeps the keys most useful for the step
		// when it is narrow: the next step, then the frame's bytes and
		// fields (step 3's masked frame is read with ]), and drops the
		// ways elsewhere first, ending with "? more".
		k := m.bindings()
		rank := []int{0, 4, 5, 2, 3, 1, 6, 7} // next, back, frame, field, code, byte, free, lab
		return keymap.FooterRanked(body, rank, tail, keymap.Relabel(k.Help, keyText(k.lang, "more")), m.width, m.helpStyles())
	}
	return keymap.Footer(body, tail, m.width, m.helpStyles())
}
