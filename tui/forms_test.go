package tui

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// recordedModelIn is recordedModel speaking lang, set as the program sets
// it (setLang), so the key map and the footer speak lang too.
func recordedModelIn(t testing.TB, lang string, w, h int) Model {
	m := recordedModel(t, w, h)
	m.setLang(lang)
	// The session's line is said when it starts, in the screen's language.
	m.connInfo = sayf(lang, "s%d client %s ⇄ server %s", 1, ":53122", ":40311")
	m.contentKey = "" // redraw the detail pane in lang
	return send(m, tea.WindowSizeMsg{Width: w, Height: h})
}

// TestFormsZhGolden renders free play and the raw frame lab in Chinese at
// 80x24 and 120x40.
func TestFormsZhGolden(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"free_zh", []string{"f"}},
		{"lab_zh", []string{"r", "right", "right", "right"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, c := range cases {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := send(recordedModelIn(t, "zh", size[0], size[1]), keys(c.keys...)...)
				v := m.View()
				if h := lipgloss.Height(v); h != size[1] {
					t.Errorf("view is %d lines, want %d", h, size[1])
				}
				for i, l := range strings.Split(v, "\n") {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("line %d is %d columns, more than %d: %q", i, w, size[0], l)
					}
				}
				golden(t, name, v)
			})
		}
	}
}

// sayCalls finds every string the screens pass to say, sayf, later and
// formErr in the package's source, with where it is.
func sayCalls(t *testing.T) map[string]string {
	found := map[string]string{}
	for s, at := range zhcheck.Literals(t, map[string]int{"say": 1, "sayf": 1, "later": 0, "formErr": 0}) {
		found[s] = at.String()
	}
	return found
}

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[a-zA-Z%]`)

// TestScreensSpeakChinese: every string the walkthrough screen, free play
// and the lab print through say, sayf, later or formErr, every preset name
// and every choice has a Chinese version in its screen's table (formsZh or
// walkZh) with the same formatting verbs, in full-width punctuation; no
// string is in both tables, and no entry is one nothing prints.
func TestScreensSpeakChinese(t *testing.T) {
	calls := sayCalls(t)
	if len(calls) < 50 {
		t.Fatalf("found only %d strings passed to say and friends; the search is broken", len(calls))
	}
	want := map[string]string{}
	for s, at := range calls {
		want[s] = at
	}
	for _, p := range labPresets {
		want[p.name] = "labPresets"
	}
	want[waitOpen] = "waitOpen"
	for _, s := range append(append([]string{}, senders...), onOff(true), onOff(false)) {
		want[s] = "a choice"
	}
	for en := range walkZh {
		if _, ok := formsZh[en]; ok {
			t.Errorf("%q is in both formsZh and walkZh: say would never use walkZh's", en)
		}
	}
	for en, at := range want {
		zh, ok := formsZh[en]
		inWalk := false
		if !ok {
			zh, ok = walkZh[en]
			inWalk = ok
		}
		if !ok {
			t.Errorf("%s: %q has no Chinese in formsZh or walkZh", at, en)
			continue
		}
		if a, b := verbCount(en), verbCount(zh); a != b {
			t.Errorf("%q has %d formatting verbs, its Chinese %q has %d", en, a, zh, b)
		}
		// The walkthrough's lines are all sentences; the forms' tables
		// also hold labels that stay as they are (an opcode name, §).
		if inWalk && strings.Trim(en, "%s ") != "" && !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%q: its Chinese %q has no Chinese", en, zh)
		}
		if strings.Count(zh, "密钥") != strings.Count(zh, "掩码密钥") {
			t.Errorf("%q: the glossary's word is 掩码密钥, never bare 密钥", zh)
		}
		if bad := halfWidthInChinese(zh); bad != "" {
			t.Errorf("%q: half-width %q beside Chinese; use full-width punctuation", zh, bad)
		}
	}
	// An entry nothing prints is a sign that a string changed and its
	// Chinese was left behind.
	for name, table := range map[string]map[string]string{"formsZh": formsZh, "walkZh": walkZh} {
		for en := range table {
			if _, ok := want[en]; !ok {
				t.Errorf("%s has %q, which no screen prints", name, en)
			}
		}
	}
}

func verbCount(s string) int {
	n := 0
	for _, v := range verbRE.FindAllString(s, -1) {
		if v != "%%" {
			n++
		}
	}
	return n
}

// halfWidthInChinese returns a half-width punctuation mark that touches a
// Chinese character in s, or "".
func halfWidthInChinese(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if !strings.ContainsRune(",:;()!?", r) {
			continue
		}
		if (i > 0 && unicode.Is(unicode.Han, rs[i-1])) || (i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1])) {
			return string(r)
		}
	}
	return ""
}

// englishOK are the ASCII words a Chinese form may show: RFC field names,
// opcode names (as the timeline writes them), protocol names, the payload
// syntax the learner types, the key names, and the sample payloads.
var englishOK = map[string]bool{
	"FIN": true, "RSV1": true, "RSV2": true, "RSV3": true, "opcode": true, "MASK": true,
	"text": true, "bin": true, "binary": true, "ping": true, "pong": true, "close": true, "cont": true, "continuation": true,
	"RFC": true, "TCP": true, "UTF-8": true, "permessage-deflate": true, "DEFLATE": true, "x": true, "hex": true,
	"auto": true, "tab": true, "enter": true, "esc": true, "e": true, "n": true, "w": true, "r": true,
	"Hello": true, "WebSocket": true, "hi": true, "Hi": true,
}

var asciiWordRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9'-]*[A-Za-z0-9]|[A-Za-z]`)
var hexNumberRE = regexp.MustCompile(`0x[0-9A-Fa-f]+`)
var hexWordRE = regexp.MustCompile(`^(op)?[0-9a-fA-F]+$`)

// englishWords returns the ASCII words of s that a Chinese reader should
// not meet in a Chinese form.
func englishWords(s string) []string {
	var out []string
	for _, w := range asciiWordRE.FindAllString(hexNumberRE.ReplaceAllString(s, ""), -1) {
		if englishOK[w] || hexWordRE.MatchString(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// TestFormsShowNoEnglishInChinese walks the Chinese forms through their
// states (each preset, focused and not, errors, edited bytes, a refused
// send, the server's reaction, a closed and an opening connection) and
// fails on any English word that is not an RFC term, a name the learner
// types or a key.
func TestFormsShowNoEnglishInChinese(t *testing.T) {
	base := recordedModelIn(t, "zh", 120, 40)
	var screens []string
	show := func(what string, m Model) {
		screens = append(screens, m.section())
	}
	m := send(base, keys("f")...)
	show("free play, focused", m)
	show("free play, left", send(m, keys("esc")...))
	m.free.compress = true
	show("compress on, no connection", m)
	m = send(m, keys("ctrl+u", "h", "e", "x", " ", "4", "enter")...)
	show("bad hex payload", m)
	m.free.status, m.free.bad = later("the codec refused: %s (the session goes on)", &protocol.Violation{Section: "5.5", Format: "control frame payload is %d bytes, at most %d allowed", Args: []any{200, 125}}), true
	show("refused", m)
	m.free.status = later("the codec refused: %s (the session goes on)", formErr("close code %d does not fit in 16 bits", 70000))
	show("refused by the form", m)
	m.live = true
	show("opening", m)

	m = send(base, keys("r")...)
	for i := range labPresets {
		show("preset "+labPresets[i].name, m)
		show("preset left", send(m, keys("esc")...))
		m = send(m, keys("right")...)
	}
	m = send(m, keys("tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "ctrl+u", "1", "x")...)
	show("bad length", m)
	m = send(base, keys("r", "shift+tab", "ctrl+u", "8", "1", "0", "0", "8", "1")...)
	show("edited: two frames", m)
	m = send(m, keys("0")...)
	show("edited: odd digits", m)
	m = send(base, keys("r", "shift+tab", "ctrl+u", "8", "1", "7", "e", "0")...)
	show("edited: short header", send(m, keys("0")...))

	// The reaction to a send: the rule broken and the server's close
	// frame (the end of TCP is the timeline's line, drawn by views).
	m = send(base, keys("r", "right", "right", "right", "esc")...)
	v := &protocol.Violation{Section: "5.5", Format: "%s frame has FIN clear: control frames must not be fragmented", Args: []any{protocol.OpPing}}
	cp, _ := protocol.AppendClosePayload(nil, protocol.CloseProtocolError, "")
	m.lab.from, m.lab.sid = len(m.tl.entries), 99
	m.tl.entries = append(m.tl.entries,
		capture.Entry{Conn: 99, Kind: capture.KindRaw, Dir: capture.ClientToServer},
		capture.Entry{Conn: 99, Kind: capture.KindFrame, Dir: capture.ClientToServer, Violation: v, Header: protocol.Header{Opcode: protocol.OpPing}},
		capture.Entry{Conn: 99, Kind: capture.KindFrame, Dir: capture.ServerToClient, Header: protocol.Header{Fin: true, Opcode: protocol.OpClose}, Unmasked: cp})
	show("reaction", m)
	m.lab.sendErr = formErr("no connection")
	show("send error", m)
	m.lab.sendErr, m.lab.sid = nil, 0
	m.lab.from = 0
	show("nothing sent", m)

	// The screen's lines about the forms: the mode in the header, the
	// title of the frame being built.
	if h := send(base, keys("r")...).headerView(); !strings.Contains(h, "原始帧实验室") {
		t.Errorf("the lab's header is not in Chinese: %s", h)
	}
	if h := send(base, keys("f")...).headerView(); !strings.Contains(h, "自由发送") {
		t.Errorf("free play's header is not in Chinese: %s", h)
	}
	if d := send(base, keys("r")...).detailTitle(); !strings.Contains(d, "正在构造的帧 · 11 字节 · 尚未发送") {
		t.Errorf("the frame being built is not titled in Chinese: %s", d)
	}
	for _, s := range screens {
		if words := englishWords(s); len(words) > 0 {
			t.Errorf("English %q in the Chinese screen:\n%s", words, s)
		}
	}
	// The check itself can fail: the English screen is full of words.
	if words := englishWords(send(recordedModel(t, 120, 40), keys("r")...).section()); len(words) < 10 {
		t.Errorf("the English lab shows only %q: the word check finds nothing", words)
	}
}

// TestFormsTinyTerminalsZh: the Chinese forms stay inside small and odd
// terminals, exactly as tall as the terminal, without a panic.
func TestFormsTinyTerminalsZh(t *testing.T) {
	seqs := [][]string{{"f"}, {"f", "esc"}, {"r"}, {"r", "esc"}, {"r", "shift+tab", "8", "1"}}
	for _, size := range [][2]int{{0, 0}, {1, 1}, {10, 3}, {20, 5}, {33, 9}, {40, 12}, {60, 20}, {100, 30}} {
		for _, seq := range seqs {
			m := send(recordedModelIn(t, "zh", size[0], size[1]), keys(seq...)...)
			v := m.View()
			lines := strings.Split(v, "\n")
			if size[1] > 2 && len(lines) != size[1] {
				t.Errorf("%dx%d after %v: %d lines", size[0], size[1], seq, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); size[0] > 0 && w > size[0] {
					t.Errorf("%dx%d after %v: line %d is %d columns: %q", size[0], size[1], seq, i, w, l)
					break
				}
			}
			if size[0] >= 40 && size[1] >= 12 && !strings.Contains(v, "▸") && !strings.Contains(v, "»") {
				t.Errorf("%dx%d after %v: neither the timeline nor the form is on screen:\n%s", size[0], size[1], seq, v)
			}
		}
	}
}

// labTyped types hex into the lab's bytes field, replacing what was there.
func labTyped(t *testing.T, hex string) Model {
	t.Helper()
	m := send(recordedModel(t, 120, 40), keys("r", "shift+tab", "ctrl+u")...)
	for _, r := range hex {
		m = send(m, keys(string(r))...)
	}
	return m
}

// TestLabHexDecodesIntoFields: bytes typed by hand that are one frame are
// read back into the fields, which then encode exactly those bytes, and
// enter sends them.
func TestLabHexDecodesIntoFields(t *testing.T) {
	cases := []struct {
		hex    string
		check  func(l lab) bool
		fields string
	}{
		{"81 82 01 02 03 04 49 6b", func(l lab) bool {
			return l.fin && l.masked && l.op == protocol.OpText && l.key.Value() == "01 02 03 04" && l.payload.Value() == "Hi" && l.length.Value() == "auto" && l.form == protocol.LengthAuto
		}, "masked text Hi, key 01 02 03 04"},
		{"01 7e 00 02 48 69", func(l lab) bool {
			return !l.fin && !l.masked && l.form == protocol.Length16Bit && l.payload.Value() == "Hi"
		}, "a 16-bit length for 2 bytes"},
		{"22 7f 80 00 00 00 00 00 00 05 00 ff", func(l lab) bool {
			return l.rsv2 && l.op == protocol.OpBinary && l.form == protocol.LengthAuto && l.length.Value() == "9223372036854775813" && l.payload.Value() == "hex 00 ff"
		}, "a claimed 64-bit length, binary payload"},
		{"8b 00", func(l lab) bool { return l.fin && l.op == 0xB && l.payload.Value() == "" }, "reserved opcode 0xB"},
	}
	for _, c := range cases {
		m := labTyped(t, c.hex)
		want, _ := parseHex(c.hex)
		if m.lab.hexMode || !m.lab.edited.empty() || m.lab.err != nil {
			t.Errorf("%s: hex mode %v, edited %q, err %v: not read back", c.hex, m.lab.hexMode, m.lab.edited.in("en"), m.lab.err)
			continue
		}
		if !c.check(m.lab) {
			t.Errorf("%s: fields FIN %v RSV2 %v opcode %v MASK %v key %q form %v len %q payload %q, want %s", c.hex,
				m.lab.fin, m.lab.rsv2, m.lab.op, m.lab.masked, m.lab.key.Value(), m.lab.form, m.lab.length.Value(), m.lab.payload.Value(), c.fields)
		}
		if b, err := m.lab.build(); err != nil || !bytes.Equal(b, want) {
			t.Errorf("%s: the fields encode % x (%v)", c.hex, b, err)
		}
		if strings.Contains(m.View(), "edited") {
			t.Errorf("%s: a frame read back is marked edited", c.hex)
		}
		_, cmd := m.Update(keys("enter")[0])
		if cmd == nil {
			t.Errorf("%s: enter sent nothing", c.hex)
		} else if msg, ok := cmd().(labSendMsg); !ok || !bytes.Equal(msg.b, want) {
			t.Errorf("%s: enter sends %v, want the typed bytes", c.hex, msg)
		}
	}
}

// TestLabHexEditedIsMarked: bytes typed by hand that the fields cannot
// show are marked edited, with the reason, and are what enter sends; a
// change to a field then builds from the fields again.
func TestLabHexEditedIsMarked(t *testing.T) {
	cases := []struct{ hex, why, zh string }{
		{"81 00 81 00", "2 more bytes than the length field claims", "多出 2 个字节"},
		{"89", "fewer than 2 bytes", "不到 2 个字节"},
		{"81 fe 00", "a header cut short: 3 of its 8 bytes", "帧头不完整：应有 8 个字节，只有 3 个"},
	}
	for _, c := range cases {
		m := labTyped(t, c.hex)
		want, _ := parseHex(c.hex)
		if !m.lab.hexMode || m.lab.edited.empty() {
			t.Errorf("%s: not marked edited (hex mode %v)", c.hex, m.lab.hexMode)
			continue
		}
		v := m.section()
		if !strings.Contains(v, "bytes (edited)") || !strings.Contains(v, "edited by hand: "+c.why) {
			t.Errorf("%s: the lab does not say it was edited, and why (%s):\n%s", c.hex, c.why, v)
		}
		m.theme = m.theme.WithLang("zh")
		if v := m.section(); !strings.Contains(v, "字节（已手动修改）") || !strings.Contains(strings.ReplaceAll(v, "\n", ""), c.zh) {
			t.Errorf("%s: the Chinese lab does not say it was edited, and why (%s):\n%s", c.hex, c.zh, v)
		}
		_, cmd := m.Update(keys("enter")[0])
		if cmd == nil {
			t.Errorf("%s: enter sent nothing", c.hex)
		} else if msg, ok := cmd().(labSendMsg); !ok || !bytes.Equal(msg.b, want) {
			t.Errorf("%s: enter sends %v, want the typed bytes", c.hex, msg)
		}
		// Back to FIN, a field: toggling it builds from the fields.
		m = send(m, keys("tab", "tab", "space")...)
		if m.lab.focus != labFIN || m.lab.hexMode || !m.lab.edited.empty() {
			t.Errorf("%s: after toggling FIN, focus %d, hex mode %v, edited %q", c.hex, m.lab.focus, m.lab.hexMode, m.lab.edited.in("en"))
		}
	}
}

// TestFreshConnectionRefreshesForms: after n, free play and the lab
// describe the fresh connection: what was said of the old one (a refusal,
// the lab's reaction) is gone, a late answer from the old one is not
// shown, and compression is offered again because the fresh connection
// negotiated it.
func TestFreshConnectionRefreshesForms(t *testing.T) {
	m := newModel()
	m.live = true
	defer m.rt.shutdown()
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	plain, err := session.Start(ctx, session.Config{ID: 1, Queue: m.rt.q})
	if err != nil {
		t.Fatal(err)
	}
	m = send(m, sessionMsg{s: plain})

	// Free play on the plain connection: compression is not there.
	m = send(m, keys("f", "tab", "tab", "tab", "tab", "tab", "right")...)
	if !m.free.compress || !strings.Contains(m.section(), "(not negotiated on this connection)") {
		t.Fatalf("compress on a plain connection is not marked:\n%s", m.section())
	}
	next, cmd := m.Update(keys("enter")[0])
	m = send(next.(Model), cmd())
	if !m.free.bad || !strings.Contains(m.free.status.in("en"), "did not negotiate permessage-deflate") {
		t.Fatalf("compressed send on a plain connection: status %q", m.free.status.in("en"))
	}
	// The lab's last send on it, and its reaction.
	m = send(m, keys("esc", "r", "left", "left", "left", "esc")...) // RSV1 on a ping
	m.lab.sid = plain.ID
	if !strings.Contains(m.section(), "did not negotiate permessage-deflate") {
		t.Errorf("a deflate preset on a plain connection is not marked:\n%s", m.section())
	}

	// n: everything the forms said of the plain connection goes.
	next, cmd = m.Update(keys("n")[0])
	m = next.(Model)
	if !m.free.status.empty() || m.lab.sid != 0 || m.lab.sendErr != nil {
		t.Errorf("after n: free status %q, lab session %d, lab send error %v", m.free.status.in("en"), m.lab.sid, m.lab.sendErr)
	}
	if !m.conn().opening || strings.Contains(m.section(), "did not negotiate") {
		t.Errorf("while the fresh connection opens, the lab still judges the old one:\n%s", m.section())
	}
	m = send(m, keys("f")...)
	if !strings.Contains(m.section(), "(connecting...)") {
		t.Errorf("free play does not say the connection is opening:\n%s", m.section())
	}
	// Late answers about the old connection are not the forms' news.
	m = send(m, freeDoneMsg{sid: plain.ID, err: formErr("no connection")}, labDoneMsg{sid: plain.ID, err: formErr("no connection")})
	if !m.free.status.empty() || m.lab.sendErr != nil {
		t.Errorf("an answer from the old connection shows: free %q, lab %v", m.free.status.in("en"), m.lab.sendErr)
	}
	// So does a free play send.
	if next, send1 := m.Update(keys("enter")[0]); send1 != nil {
		m = send(next.(Model), send1())
	}
	if !strings.Contains(m.free.status.in("en"), "still opening") {
		t.Errorf("a free play send while the connection opens: %q", m.free.status.in("en"))
	}
	// A lab send before the fresh connection is open says so.
	m = send(m, labSendMsg{b: []byte{0x81, 0x80, 1, 2, 3, 4}})
	if m.lab.err == nil || !strings.Contains(m.lab.err.Error(), "still opening") {
		t.Errorf("a lab send while the connection opens: %v", m.lab.err)
	}
	msg := cmd()
	if sm, ok := msg.(sessionMsg); !ok || sm.err != nil {
		t.Fatalf("n did not open a session: %#v", msg)
	}
	m = send(m, msg)
	if m.conn().opening || !m.conn().deflate {
		t.Fatalf("the fresh connection: %+v, want open with permessage-deflate", m.conn())
	}
	if m.lab.err != nil || !m.free.status.empty() {
		t.Errorf("the forms still say they wait for the connection: lab %v, free play %q", m.lab.err, m.free.status.in("en"))
	}
	if v := m.section(); strings.Contains(v, "not negotiated") || strings.Contains(v, "connecting") {
		t.Errorf("free play still describes the old connection:\n%s", v)
	}
	m = send(m, keys("esc", "r")...)
	if strings.Contains(m.section(), "did not negotiate") {
		t.Errorf("the lab still says the connection did not negotiate permessage-deflate:\n%s", m.section())
	}
	// The compressed send now goes through on the fresh connection.
	m = send(m, keys("esc", "f")...)
	next, cmd = m.Update(keys("enter")[0])
	m = next.(Model)
	next, cmd = m.Update(cmd())
	m = next.(Model)
	if cmd == nil {
		t.Fatalf("the compressed send was not started: %q", m.free.status.in("en"))
	}
	m = send(m, cmd())
	if m.free.bad || m.free.status.in("en") != "sent" {
		t.Errorf("compressed send on the fresh connection: %q", m.free.status.in("en"))
	}
}

// TestFormsChineseText holds every Chinese string of the forms to the
// rules of package zhcheck.
func TestFormsChineseText(t *testing.T) {
	for en, s := range formsZh {
		zhcheck.Test(t, "forms "+strconv.Quote(en), s)
	}
}
