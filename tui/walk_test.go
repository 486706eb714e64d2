package tui

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// zhModel is recordedModel speaking Simplified Chinese. It sets the
// language as the program does (setLang), so the key map, and with it the
// footer, speaks Chinese too.
func zhModel(t *testing.T, w, h int) Model {
	m := recordedModel(t, w, h)
	m.setLang("zh")
	m.connInfo = sayf("zh", "s%d client %s ⇄ server %s", 1, ":53122", ":40311")
	m.contentKey = ""
	return send(m, m.tl) // any message re-syncs the panes
}

// walkCases are the walkthrough's goldens in Chinese (and the end, in
// both languages): keys pressed from the first step.
var walkCases = []struct {
	name string
	keys []string
}{
	{"handshake", nil},
	{"accept", []string{"space"}},
	{"hello", []string{"space", "space"}},
	{"len16", strings.Fields(strings.Repeat("space ", 6))},
	{"close", strings.Fields(strings.Repeat("space ", 15))},
	{"tcp_end", strings.Fields(strings.Repeat("space ", 18))},
	{"deflate_hello", strings.Fields(strings.Repeat("space ", 21))},
	{"end", strings.Fields(strings.Repeat("space ", 29))},
}

// TestWalkGoldenZh renders the walkthrough in Chinese at 80x24 and
// 120x40, and its last step in English too.
func TestWalkGoldenZh(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, lang := range []string{"zh", "en"} {
			for _, c := range walkCases {
				if lang == "en" && c.name != "end" {
					continue // TestViewGolden has the others
				}
				name := fmt.Sprintf("walk_%s_%s_%dx%d", lang, c.name, size[0], size[1])
				t.Run(name, func(t *testing.T) {
					m := recordedModel(t, size[0], size[1])
					if lang == "zh" {
						m = zhModel(t, size[0], size[1])
					}
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
}

// TestWalkScreenSpeaksChinese steps through the whole walkthrough in
// Chinese: every step shows its Chinese title and text and none of its
// English, and the header and step line are Chinese.
func TestWalkScreenSpeaksChinese(t *testing.T) {
	m := zhModel(t, 120, 40)
	steps := session.Steps()
	for i, st := range steps {
		if i > 0 {
			m = send(m, keys("space")...)
		}
		if m.walk.step != i {
			t.Fatalf("after %d presses the walkthrough is at step %d", i, m.walk.step+1)
		}
		v := m.View()
		// The footer is the key map's (its words are checked there).
		v = v[:strings.LastIndex(v, "\n")]
		flat := strings.Join(strings.Fields(m.section()), "")
		for _, want := range []string{fmt.Sprintf("分步讲解 %d/%d", i+1, len(steps)), fmt.Sprintf("第 %d/%d 步 · %s", i+1, len(steps), st.TitleZh)} {
			if !strings.Contains(v, want) {
				t.Errorf("step %d: the screen lacks %q", i+1, want)
			}
		}
		// The text is wrapped: compare without spaces and line breaks,
		// and the text box shows at least its first 40 characters.
		zh := strings.Join(strings.Fields(st.TextZh), "")
		if r := []rune(zh); !strings.Contains(flat, string(r[:min(40, len(r))])) {
			t.Errorf("step %d: the screen lacks the start of its Chinese text %q", i+1, string(r[:min(40, len(r))]))
		}
		if strings.Contains(v, st.Title) && st.Title != st.TitleZh {
			t.Errorf("step %d: the English title %q is on the Chinese screen", i+1, st.Title)
		}
		if strings.Contains(v, "walkthrough") || regexp.MustCompile(`step \d`).MatchString(v) || strings.Contains(v, "── fields") || strings.Contains(v, "client → server") {
			t.Errorf("step %d: English of the walkthrough screen on the Chinese screen:\n%s", i+1, v)
		}
	}
}

// TestPlainZhGolden prints the recorded walkthrough as plain text in
// Chinese at 80 columns (and in English), compared with golden files.
func TestPlainGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := writePlainEntries(&b, recordedWalk(t), lang, PlainWidth); err != nil {
				t.Fatal(err)
			}
			golden(t, "plain_"+lang+"_80", b.String())
		})
	}
}

// TestPlainSteps: every entry the walkthrough's actions produced is
// printed once, under a step of its action, and each step's own entry
// (its Pick) is printed under that step.
func TestPlainSteps(t *testing.T) {
	entries := recordedWalk(t)
	steps := plainSteps(entries)
	if len(steps) != len(session.Steps()) {
		t.Fatalf("%d plain steps, want %d", len(steps), len(session.Steps()))
	}
	printed := map[[2]int]int{}
	for i, st := range steps {
		var own []capture.Entry
		for _, e := range entries {
			if e.Tag == st.Action && e.Conn == steps[i].entries[0].Conn {
				own = append(own, e)
			}
		}
		if st.Pick >= len(own) {
			t.Fatalf("step %d: its action has %d entries, it picks %d", i+1, len(own), st.Pick)
		}
		found := false
		for _, e := range st.entries {
			printed[[2]int{e.Conn, e.Seq}]++
			if e.Tag != st.Action {
				t.Errorf("step %d prints #%d of action %d", i+1, e.Seq, e.Tag)
			}
			found = found || e.Seq == own[st.Pick].Seq
		}
		if !found {
			t.Errorf("step %d (%s) does not print the entry it shows, #%d", i+1, st.Title, own[st.Pick].Seq)
		}
	}
	for _, e := range entries {
		if n := printed[[2]int{e.Conn, e.Seq}]; e.Tag >= 0 && n != 1 {
			t.Errorf("#%d of connection %d (action %d) is printed %d times", e.Seq, e.Conn, e.Tag, n)
		}
	}
}

// TestPlainLiveZh runs the walkthrough live in Chinese (random masking
// keys, so no golden): each step's heading and text come in order, each
// followed by its frames; no line is wider than the width; no key is
// named; every frame is there.
func TestPlainLiveZh(t *testing.T) {
	for _, width := range []int{80, 60} {
		var out bytes.Buffer
		if err := WritePlain(&out, "zh", width); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		for i, l := range strings.Split(text, "\n") {
			if w := lessons.Width(l); w > width {
				t.Errorf("width %d: line %d is %d columns: %q", width, i+1, w, l)
			}
		}
		parts := strings.Split(text, "\n=== ")
		steps := session.Steps()
		if len(parts) != len(steps)+1 {
			t.Fatalf("width %d: %d step headings, want %d", width, len(parts)-1, len(steps))
		}
		frames := 0
		for i, p := range parts[1:] {
			st := steps[i]
			head := fmt.Sprintf("第 %d/%d 步：", i+1, len(steps))
			flat := strings.Join(strings.Fields(p), "")
			if !strings.HasPrefix(p, head) || !strings.Contains(flat, strings.Join(strings.Fields(st.TitleZh+st.TextZh), "")) {
				t.Errorf("width %d: step %d does not start with its heading and Chinese text:\n%.300s", width, i+1, p)
			}
			text, sections, _ := strings.Cut(p, "\n--- ")
			if sections == "" || strings.Contains(text, "\n0000  ") {
				t.Errorf("width %d: step %d has no frames of its own under its text", width, i+1)
			}
			frames += strings.Count(p, "\n0000  ")
		}
		if frames != 28 {
			t.Errorf("width %d: %d frames dissected, want 28", width, frames)
		}
		for _, hint := range []string{"按 ", "tab：", "space", "» tab", " press "} {
			if strings.Contains(text, hint) {
				t.Errorf("width %d: the plain walkthrough names a key: %q", width, hint)
			}
		}
	}
}

// TestUseScreen: TERM=dumb gets the plain walkthrough, as does output
// that is not a terminal.
func TestUseScreen(t *testing.T) {
	env := func(term string) func(string) string {
		return func(k string) string {
			if k == "TERM" {
				return term
			}
			return ""
		}
	}
	for _, c := range []struct {
		tty  bool
		term string
		want bool
	}{
		{true, "xterm-256color", true},
		{true, "", true},
		{true, "dumb", false},
		{false, "xterm-256color", false},
		{false, "dumb", false},
	} {
		if got := UseScreen(c.tty, env(c.term)); got != c.want {
			t.Errorf("UseScreen(terminal %v, TERM=%q) = %v, want %v", c.tty, c.term, got, c.want)
		}
	}
}

// startCmd runs the command that opens a session, and hands its session
// and its entries to the model.
func startCmd(t *testing.T, m Model, cmd func() any) Model {
	t.Helper()
	sm, ok := cmd().(sessionMsg)
	if !ok || sm.err != nil {
		t.Fatalf("the command did not open a session: %v", sm.err)
	}
	return send(m, sm, entriesMsg(m.rt.q.Drain()))
}

// TestFreshConnectionRestartsWalk: n in the walkthrough starts the part
// on screen again on a fresh connection, and its steps show that
// connection's frames; an answer from the old connection changes nothing.
func TestFreshConnectionRestartsWalk(t *testing.T) {
	m := recordedModel(t, 120, 40)
	m.nextID = 4 // the recorded walkthrough used connections 1 to 3
	defer m.rt.shutdown()
	m = send(m, keys(strings.Fields(strings.Repeat("space ", 5))...)...) // 125 bytes, on the first connection
	next, cmd := m.Update(keys("n")[0])
	m = next.(Model)
	if m.walk.step != 0 || m.walk.ran[0] != 4 || !m.walk.running[0] || m.follow != 4 {
		t.Fatalf("after n: step %d, ran %v, running %v, follow %d; want step 1 waiting for connection 4", m.walk.step+1, m.walk.ran, m.walk.running, m.follow)
	}
	if _, ok := m.walk.ran[3]; ok {
		t.Errorf("after n the walkthrough still shows the old connection's 125 bytes: %v", m.walk.ran)
	}
	m = startCmd(t, m, func() any { return cmd() })
	e, _ := m.tl.Selected()
	if e.Conn != 4 || e.Kind != capture.KindHandshake || !e.Handshake.Request {
		t.Fatalf("step 1 shows %v of connection %d, want connection 4's request", e.Kind, e.Conn)
	}
	raw := string(e.Handshake.Raw)
	if !strings.Contains(raw, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==") || !strings.Contains(raw, "permessage-deflate") {
		t.Errorf("n's connection should send the RFC's sample key (step 1 says so) and offer compression (free play expects it):\n%s", raw)
	}
	// A late answer of the old connection is not the new walkthrough's.
	m = send(m, actionMsg{action: 3, sid: 1, err: errors.New("closed")})
	if !m.walk.err.empty() {
		t.Errorf("an old connection's answer shows on the fresh walkthrough: %s", m.walk.err.in("en"))
	}
	// The Hello runs on the fresh connection, with the RFC's bytes.
	m = send(m, keys("space")...)
	next, cmd = m.Update(keys("space")[0])
	m = next.(Model)
	if cmd == nil || m.walk.ran[1] != 4 {
		t.Fatalf("step 3 did not run on connection 4: ran %v", m.walk.ran)
	}
	m = send(m, cmd(), entriesMsg(m.rt.q.Drain()))
	e, _ = m.tl.Selected()
	if e.Conn != 4 || !bytes.Equal(e.Wire, []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}) {
		t.Errorf("step 3 shows % x of connection %d, want the RFC's masked Hello on connection 4", e.Wire, e.Conn)
	}
}

// TestWalkRunsAgain: → on the last step runs the walkthrough again from
// its first step on a fresh connection like the first one (the sample
// key, no compression), and n on a compression step starts that part
// again on a connection making the part's offer.
func TestWalkRunsAgain(t *testing.T) {
	m := recordedModel(t, 120, 40)
	m.nextID = 4
	defer m.rt.shutdown()
	m = send(m, keys(strings.Fields(strings.Repeat("space ", 29))...)...)
	if !m.walk.last() || !strings.Contains(m.View(), "The end of the walkthrough") {
		t.Fatalf("step %d: the last step does not say how to run it again", m.walk.step+1)
	}
	next, cmd := m.Update(keys("right")[0])
	m = next.(Model)
	if m.walk.step != 0 || len(m.walk.ran) != 1 || m.walk.ran[0] != 4 {
		t.Fatalf("after → on the last step: step %d, ran %v; want step 1 on connection 4 alone", m.walk.step+1, m.walk.ran)
	}
	m = startCmd(t, m, func() any { return cmd() })
	e, _ := m.tl.Selected()
	if e.Conn != 4 || e.Kind != capture.KindHandshake || strings.Contains(string(e.Handshake.Raw), "permessage-deflate") {
		t.Errorf("the walkthrough's second run starts with %v of connection %d, want an uncompressed handshake of connection 4", e.Kind, e.Conn)
	}
	// A compression step: n starts its part again.
	m = send(m, keys(strings.Fields(strings.Repeat("space ", 21))...)...)
	part := session.Part(m.walk.steps[m.walk.step].Action)
	if session.Actions[part].Open == nil {
		t.Fatalf("step %d is not in a compression part", m.walk.step+1)
	}
	old := m.walk.ran[part]
	next, cmd = m.Update(keys("n")[0])
	m = next.(Model)
	fresh := m.follow
	if st := m.walk.steps[m.walk.step]; st.Action != part || m.walk.ran[part] != fresh || fresh == old {
		t.Fatalf("after n on a compression step: step %d (action %d), ran %v; want the first step of action %d on a new connection %d", m.walk.step+1, st.Action, m.walk.ran, part, fresh)
	}
	for act := part + 1; act < len(session.Actions); act++ {
		if _, ok := m.walk.ran[act]; ok {
			t.Errorf("after n, action %d still shows its old connection", act)
		}
	}
	if m.walk.ran[0] != 4 {
		t.Errorf("n in a later part forgot the first part's connection: %v", m.walk.ran)
	}
	m = startCmd(t, m, func() any { return cmd() })
	e, _ = m.tl.Selected()
	if e.Conn != fresh || e.Kind != capture.KindHandshake || !strings.Contains(string(e.Handshake.Raw), "permessage-deflate") {
		t.Errorf("the compression part starts again with %v of connection %d, want connection %d's offer", e.Kind, e.Conn, fresh)
	}
}

// TestLiveWalkthroughRunsAgain presses through the whole walkthrough
// live, then → once more: it runs again from its first step on a fresh
// connection, whose Hello has the RFC's bytes.
func TestLiveWalkthroughRunsAgain(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, strings.Fields(strings.Repeat("space ", 29))...)
	waitFor(t, tm, "walkthrough 30/30", "The end of the walkthrough")
	typeKeys(tm, "space")
	waitFor(t, tm, "walkthrough 1/30", "s4 client")
	typeKeys(tm, "space", "space")
	waitFor(t, tm, "walkthrough 3/30", "0000  81 85 37 fa 21 3d 7f 9f 4d 51 58")
	final := quitAndCheck(t, tm, before)
	if final.walk.ran[0] != 4 || final.walk.ran[1] != 4 {
		t.Errorf("the second run's steps ran on %v, want connection 4", final.walk.ran)
	}
	hello := 0
	for _, e := range final.tl.entries {
		if e.Conn == 4 && e.Tag == 1 && bytes.Equal(e.Wire, []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}) {
			hello++
		}
	}
	if hello != 1 {
		t.Errorf("connection 4 carried the RFC's masked Hello %d times, want 1", hello)
	}
}

// TestWalkScreenChineseRules holds the walkthrough screen's Chinese to the
// rules of all Chinese text (package zhcheck).
func TestWalkScreenChineseRules(t *testing.T) {
	for en, s := range walkZh {
		zhcheck.Test(t, "walkthrough "+strconv.Quote(en), s)
	}
}

// TestHeaderStateAtStep: the walkthrough's header says what state the
// connection was in at the step shown, not what the live connection has
// reached since: at the client's close frame it is closing, not closed.
func TestHeaderStateAtStep(t *testing.T) {
	m := recordedModel(t, 120, 40)
	want := map[string]string{
		"a masked text frame from the client":             "● open",
		"the closing handshake: the client's close frame": "◐ closing",
	}
	seen := map[string]bool{}
	closedSeen := false
	for i := range m.walk.steps {
		title := m.walk.steps[i].Title
		v := m.View()
		header := strings.SplitN(v, "\n", 2)[0]
		if w, ok := want[title]; ok {
			seen[title] = true
			if !strings.Contains(header, w) {
				t.Errorf("step %d (%s): header %q, want %q", i+1, title, header, w)
			}
		}
		if e, ok := m.tl.Selected(); ok && e.Kind == capture.KindClosed && e.Conn == 1 {
			closedSeen = true
			if !strings.Contains(header, "○ closed") {
				t.Errorf("step %d (%s): header %q, want ○ closed at the end of TCP", i+1, title, header)
			}
		}
		if m.walk.last() {
			break
		}
		m = send(m, keys("space")...)
	}
	if len(seen) != len(want) || !closedSeen {
		t.Fatalf("steps not found: saw %v, a step at the end of TCP: %v", seen, closedSeen)
	}
}

// TestHintKeepsByteOnMaskedFrame: at 80 columns the walkthrough's hint
// line cannot name every key; on step 3 (the masked frame, read byte by
// byte with ]) it keeps "] byte" and drops the ways elsewhere, ending
// with "? more".
func TestHintKeepsByteOnMaskedFrame(t *testing.T) {
	m := recordedModel(t, 80, 24)
	m = send(m, keys("space", "space")...)
	if m.walk.step != 2 {
		t.Fatalf("step %d, want 3", m.walk.step+1)
	}
	foot := m.footerView()
	if !strings.Contains(foot, "] byte") || !strings.Contains(foot, "? more") || strings.Contains(foot, "…") {
		t.Errorf("step 3's hint line %q: want ] byte kept and ? more", foot)
	}
	if w := lipgloss.Width(foot); w > 80 {
		t.Errorf("hint line is %d wide", w)
	}
	wide := send(m, tea.WindowSizeMsg{Width: 200, Height: 40}).footerView()
	if strings.Contains(wide, "? more") || !strings.Contains(wide, "? help") {
		t.Errorf("a line with every key says more: %q", wide)
	}
}
