package live

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMain(m *testing.M) {
	// Golden files hold plain text, as NO_COLOR gives.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakeConn builds the observer events of one connection with fixed times,
// using the codec's own encoder, as a server's observer reports them.
type fakeConn struct {
	rec *capture.Recorder
	t   time.Time
	key byte
}

func (f *fakeConn) tick() time.Time {
	f.t = f.t.Add(300 * time.Microsecond)
	return f.t
}

func (f *fakeConn) handshake(path, origin, protocols, exts, chosen string, status int) {
	req := "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	if origin != "" {
		req += "Origin: " + origin + "\r\n"
	}
	if protocols != "" {
		req += "Sec-WebSocket-Protocol: " + protocols + "\r\n"
	}
	if exts != "" {
		req += "Sec-WebSocket-Extensions: " + exts + "\r\n"
	}
	req += "\r\n"
	f.rec.Observe(&protocol.HandshakeEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Received, Request: true, Raw: []byte(req)})
	if status != 101 {
		err := &protocol.HandshakeError{Status: status, Section: "10.2", Msg: "Origin " + origin + " is not allowed"}
		resp := fmt.Sprintf("HTTP/1.1 %d Forbidden\r\nContent-Length: 0\r\n\r\n", status)
		f.rec.Observe(&protocol.HandshakeEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Sent, Raw: []byte(resp), Err: err})
		return
	}
	steps := protocol.ComputeAcceptSteps("dGhlIHNhbXBsZSBub25jZQ==")
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + steps.Accept + "\r\n"
	if chosen != "" {
		resp += "Sec-WebSocket-Protocol: " + chosen + "\r\n"
	}
	resp += "\r\n"
	f.rec.Observe(&protocol.HandshakeEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Sent, Raw: []byte(resp), Accept: &steps})
}

// frame reports one frame: from the client (masked, received) or from the
// server (sent).
func (f *fakeConn) frame(fromClient bool, op protocol.Opcode, fin bool, payload []byte, v *protocol.Violation) {
	h := protocol.Header{Fin: fin, Opcode: op, Length: uint64(len(payload))}
	dir := protocol.Sent
	wire := append([]byte(nil), payload...)
	if fromClient {
		dir = protocol.Received
		if v == nil || v.Section != "5.1" {
			h.Masked = true
			h.MaskKey = [4]byte{0x37, 0xfa, 0x21, f.key}
			f.key++
			protocol.Mask(h.MaskKey, 0, wire)
		}
	}
	f.rec.Observe(&protocol.FrameEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: dir, Header: h,
		RawHeader: protocol.AppendHeader(nil, h), Payload: wire, Unmasked: payload, Violation: v})
}

func (f *fakeConn) closed(code, sent protocol.CloseCode, reason string, first bool) {
	f.rec.Observe(&protocol.ClosedEvent{Time: f.tick(), Role: protocol.RoleServer, Code: code, Reason: reason, SentCode: sent, ClosedTCPFirst: first})
}

func closePayload(code protocol.CloseCode, reason string) []byte {
	p, _ := protocol.AppendClosePayload(nil, code, reason)
	return p
}

// sampleStore holds four connections: a browser that closed with 3000, an
// open one mid-conversation, a refused Origin and a client that did not
// mask.
func sampleStore() *capture.Store {
	st := capture.NewStore(capture.Limits{})
	t0 := st.Start()
	a := &fakeConn{rec: st.Open("127.0.0.1:50001", "serve", protocol.RoleServer), t: t0}
	a.handshake("/chat", "http://127.0.0.1:8080", "chat, superchat", "permessage-deflate; client_max_window_bits", "chat", 101)
	a.frame(true, protocol.OpText, true, []byte("Hello"), nil)
	a.frame(false, protocol.OpText, true, []byte("Hello"), nil)
	a.frame(true, protocol.OpBinary, true, []byte{0xde, 0xad, 0xbe, 0xef}, nil)
	a.frame(false, protocol.OpBinary, true, []byte{0xde, 0xad, 0xbe, 0xef}, nil)
	a.frame(true, protocol.OpClose, true, closePayload(3000, "bye"), nil)
	a.frame(false, protocol.OpClose, true, closePayload(3000, ""), nil)
	a.closed(3000, 3000, "bye", true)

	b := &fakeConn{rec: st.Open("127.0.0.1:50002", "serve", protocol.RoleServer), t: t0.Add(time.Millisecond)}
	b.handshake("/", "", "", "", "", 101)
	b.frame(true, protocol.OpText, false, []byte("frag"), nil)
	b.frame(true, protocol.OpPing, true, []byte("hi"), nil)
	b.frame(false, protocol.OpPong, true, []byte("hi"), nil)
	b.frame(true, protocol.OpContinuation, true, []byte("ment"), nil)
	b.frame(false, protocol.OpText, true, []byte("fragment"), nil)

	c := &fakeConn{rec: st.Open("127.0.0.1:50003", "serve", protocol.RoleServer), t: t0.Add(2 * time.Millisecond)}
	c.handshake("/", "http://evil.example", "", "", "", 403)

	d := &fakeConn{rec: st.Open("127.0.0.1:50004", "serve", protocol.RoleServer), t: t0.Add(3 * time.Millisecond)}
	d.handshake("/raw", "", "", "", "", 101)
	v := &protocol.Violation{Section: "5.1", Code: protocol.CloseProtocolError, Msg: "frame from the client is not masked; a client must mask every frame", Format: "frame from the client is not masked; a client must mask every frame"}
	d.frame(true, protocol.OpText, true, []byte("plain"), v)
	d.frame(false, protocol.OpClose, true, closePayload(protocol.CloseProtocolError, ""), nil)
	d.closed(protocol.CloseAbnormalClosure, protocol.CloseProtocolError, "", true)
	return st
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	}
	return keytest.Msg(k)
}

func sized(st *capture.Store, w, h int) Model {
	return sizedIn(st, "en", w, h)
}

// sizedIn is sized speaking lang.
func sizedIn(st *capture.Store, lang string, w, h int) Model {
	m := New(st, Options{Title: "serve ws://127.0.0.1:8080/", Lang: lang})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return mm.(Model)
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		mm, _ := m.Update(keyMsg(k))
		m = mm.(Model)
	}
	return m
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// TestViewGolden draws the screen at 80x24 and 120x40 with several
// connections, in each pane.
func TestViewGolden(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"all", nil}, // the newest entry of all, followed
		{"conn", []string{"left", "left", "left", "enter"}}, // #1's timeline, its last entry
		{"frame", []string{"left", "left", "left", "enter", "up", "up", "up", "up", "up", "up", "tab", "tab", "tab", "]"}},
		{"violation", []string{"enter", "up", "up"}},
		{"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, c := range cases {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := press(sized(sampleStore(), size[0], size[1]), c.keys...)
				v := m.View()
				if h := lipgloss.Height(v); h != size[1] {
					t.Errorf("view is %d lines, want %d", h, size[1])
				}
				for i, l := range strings.Split(v, "\n") {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("line %d is %d columns, more than %d", i, w, size[0])
					}
				}
				golden(t, name, v)
			})
		}
	}
}

// TestTinyTerminal: every size down to 1x1 gives exactly the lines asked
// for, none too wide, and no panic.
func TestTinyTerminal(t *testing.T) {
	st := sampleStore()
	for w := 1; w <= 60; w += 7 {
		for h := 1; h <= 12; h++ {
			v := sized(st, w, h).View()
			if got := lipgloss.Height(v); got != h {
				t.Errorf("%dx%d: %d lines", w, h, got)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > w {
					t.Errorf("%dx%d: line %q too wide", w, h, l)
				}
			}
		}
	}
	if v := sized(st, 30, 3).View(); !strings.Contains(v, "4 conns, 1 open") {
		t.Errorf("30x3 does not say how many connections:\n%s", v)
	}
}

// TestFollowAndStay: the selection follows new entries until the user
// moves it, then stays on its entry while new ones arrive.
func TestFollowAndStay(t *testing.T) {
	st := sampleStore()
	m := sized(st, 120, 40)
	f := &fakeConn{rec: st.Open("127.0.0.1:50009", "serve", protocol.RoleServer), t: st.Start()}
	f.handshake("/late", "", "", "", "", 101)
	m.Refresh()
	e, _ := m.selected()
	if e.Kind != capture.KindHandshake || e.Handshake.Request {
		t.Fatalf("following: selected %+v, want the newest entry, a response", e.Kind)
	}
	m = press(m, "up")
	before, _ := m.selected()
	f.frame(true, protocol.OpText, true, []byte("more"), nil)
	m.Refresh()
	if after, _ := m.selected(); after.Seq != before.Seq {
		t.Errorf("after moving up, a new entry moved the selection from #%d to #%d", before.Seq, after.Seq)
	}
	m = press(m, "G")
	f.frame(false, protocol.OpText, true, []byte("more"), nil)
	m.Refresh()
	if e, _ := m.selected(); e.Kind != capture.KindFrame || e.Dir != capture.ServerToClient {
		t.Errorf("G did not resume following")
	}
}

// manyStore is 100 connections of 1,000 frames each: 100,000 frames.
func manyStore(b *testing.B) *capture.Store {
	st := capture.NewStore(capture.Limits{})
	payload := bytes.Repeat([]byte("x"), 32)
	for c := 0; c < 100; c++ {
		f := &fakeConn{rec: st.Open(fmt.Sprintf("127.0.0.1:%d", 40000+c), "serve", protocol.RoleServer), t: st.Start()}
		f.handshake("/bench", "", "", "", "", 101)
		for i := 0; i < 500; i++ {
			f.frame(true, protocol.OpText, true, payload, nil)
			f.frame(false, protocol.OpText, true, payload, nil)
		}
	}
	return st
}

// BenchmarkUpdateView is one keypress and one redraw with 100 connections
// and 100,000 frames in the store, at 120x40.
func BenchmarkUpdateView(b *testing.B) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	st := manyStore(b)
	runtime.GC()
	runtime.ReadMemStats(&after)
	// What the store holds for 100,000 frames (every one kept: 1,000 per
	// connection is under the ring's 2,000).
	heldMB := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	for _, all := range []bool{true, false} {
		b.Run(fmt.Sprintf("all=%v", all), func(b *testing.B) {
			m := sized(st, 120, 40)
			if !all {
				m = press(m, "left", "enter")
			}
			keys := []tea.KeyMsg{keyMsg("up"), keyMsg("down")}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				mm, _ := m.Update(keys[i%2])
				m = mm.(Model)
				_ = m.View()
			}
			b.ReportMetric(heldMB, "store-MB")
		})
	}
}

// TestStoreStaysBounded: 20,000 frames on one connection leave its ring at
// the limit and the timeline of all at its own.
func TestStoreStaysBounded(t *testing.T) {
	st := capture.NewStore(capture.Limits{})
	f := &fakeConn{rec: st.Open("127.0.0.1:1", "serve", protocol.RoleServer), t: st.Start()}
	big := bytes.Repeat([]byte("y"), 10000)
	for i := 0; i < 25000; i++ {
		f.frame(false, protocol.OpBinary, true, big, nil)
	}
	if kept, dropped := st.Len(1); kept != capture.DefaultLimits.PerConn || dropped != 25000-kept {
		t.Errorf("connection keeps %d, dropped %d", kept, dropped)
	}
	if kept, _ := st.Len(0); kept != capture.DefaultLimits.All {
		t.Errorf("all keeps %d", kept)
	}
	for _, e := range st.Window(1, 0, 10) {
		if len(e.Unmasked) > capture.DefaultLimits.Payload {
			t.Errorf("kept %d payload bytes", len(e.Unmasked))
		}
	}
	if c := st.Conns()[0]; c.Frames[1] != 25000 || c.Bytes[1] != 25000*10004 {
		t.Errorf("counts %d frames, %d bytes", c.Frames[1], c.Bytes[1])
	}
}

// BenchmarkRecord is the cost an observer pays per frame to feed the
// store.
func BenchmarkRecord(b *testing.B) {
	st := capture.NewStore(capture.Limits{})
	f := &fakeConn{rec: st.Open("127.0.0.1:1", "serve", protocol.RoleServer), t: st.Start()}
	ev := &protocol.FrameEvent{Role: protocol.RoleServer, Dir: protocol.Sent, Header: protocol.Header{Fin: true, Opcode: protocol.OpText, Length: 32},
		RawHeader: []byte{0x81, 32}, Payload: make([]byte, 32), Unmasked: make([]byte, 32)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ev.Time = f.tick()
		f.rec.Observe(ev)
	}
}

// TestInflatedMessageOnScreen: a compressed message the proxy inflated is
// listed as "inflated" and, flagged, shows the rule it broke in the
// detail pane, like a broken frame.
func TestInflatedMessageOnScreen(t *testing.T) {
	st := capture.NewStore(capture.Limits{})
	f := &fakeConn{rec: st.Open("127.0.0.1:50010", "proxy", protocol.RoleServer), t: st.Start()}
	f.handshake("/chat", "", "", "permessage-deflate", "", 101)
	v := &protocol.Violation{RFC: "7692", Section: "7.2.2", Code: protocol.CloseInvalidPayload, Msg: "compressed data does not inflate"}
	f.rec.Observe(&protocol.MessageEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
		Inflated: []byte("Hel"), InflatedLen: 3, WireLen: 6, Violation: v})
	if c := st.Conns()[0]; c.Violation != v {
		t.Errorf("the connection's violation is %v", c.Violation)
	}
	view := sized(st, 120, 40).View()
	for _, want := range []string{"inflated", "+0.9ms ✗", "REFUSED · RFC 7692 §7.2.2: compressed data does not inflate (close 1007)", `"Hel"`} {
		if !strings.Contains(view, want) {
			t.Errorf("the screen lacks %q:\n%s", want, view)
		}
	}
}

// TestViewGoldenZh draws the screen in Chinese at 80x24 and 120x40.
func TestViewGoldenZh(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"all_zh", nil},
		{"violation_zh", []string{"enter", "up", "up"}},
		{"help_zh", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, c := range cases {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := press(sizedIn(sampleStore(), "zh", size[0], size[1]), c.keys...)
				v := m.View()
				if h := lipgloss.Height(v); h != size[1] {
					t.Errorf("view is %d lines, want %d", h, size[1])
				}
				for i, l := range strings.Split(v, "\n") {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("line %d is %d columns, more than %d", i, w, size[0])
					}
				}
				golden(t, name, v)
			})
		}
	}
}

// TestLiveSpeaksChinese: every string the screen passes to say or sayf,
// every column name and every connection state has a Chinese version with
// the same formatting verbs, and nothing in liveZh is left unused.
func TestLiveSpeaksChinese(t *testing.T) {
	want := map[string]string{}
	for s, at := range zhcheck.Literals(t, map[string]int{"say": 1, "sayf": 1}) {
		want[s] = at.String()
	}
	if len(want) < 12 {
		t.Fatalf("found only %d strings passed to say and sayf; the search is broken", len(want))
	}
	for _, c := range columns {
		if c.name != "#" && c.name != "Origin" { // a number sign, and a header name
			want[c.name] = "a column name"
		}
	}
	for s := capture.StateHandshake; s <= capture.StateRefused; s++ {
		want[s.String()] = "a connection state"
	}
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[a-zA-Z]`)
	for en, at := range want {
		zh, ok := liveZh[en]
		if !ok {
			t.Errorf("%s: %q has no Chinese in liveZh", at, en)
			continue
		}
		if a, b := len(verb.FindAllString(en, -1)), len(verb.FindAllString(zh, -1)); a != b {
			t.Errorf("%q has %d formatting verbs, its Chinese %q has %d", en, a, zh, b)
		}
	}
	for en := range liveZh {
		if _, ok := want[en]; !ok {
			t.Errorf("liveZh has %q, which the screen never draws", en)
		}
	}
	// What the Chinese screen shows of its own is Chinese.
	v := sizedIn(sampleStore(), "zh", 120, 40).View()
	for _, s := range []string{"4 个连接 · 其中 1 个已连接", "已连接", "连接（4）", "对端", "状态", "已关闭", "HTTP 403", "所有连接的时间线"} {
		if !strings.Contains(v, s) {
			t.Errorf("the Chinese screen lacks %q:\n%s", s, v)
		}
	}
	for _, s := range []string{"conns", "connections (", "peer ", "timeline of", "refused 403"} {
		if strings.Contains(v, s) {
			t.Errorf("the Chinese screen shows %q:\n%s", s, v)
		}
	}
}

// TestTinyTerminalZh: the Chinese screen, too, fills exactly the lines
// asked for at every small size, none too wide.
func TestTinyTerminalZh(t *testing.T) {
	st := sampleStore()
	for w := 1; w <= 60; w += 7 {
		for h := 1; h <= 12; h++ {
			v := sizedIn(st, "zh", w, h).View()
			if got := lipgloss.Height(v); got != h {
				t.Errorf("%dx%d: %d lines", w, h, got)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > w {
					t.Errorf("%dx%d: line %q too wide", w, h, l)
				}
			}
		}
	}
	if v := sizedIn(st, "zh", 30, 3).View(); !strings.Contains(v, "4 个连接，其中 1 个已连接") {
		t.Errorf("30x3 does not say how many connections:\n%s", v)
	}
}

// TestLiveChineseText holds every Chinese string of the live screen to the
// rules of package zhcheck.
func TestLiveChineseText(t *testing.T) {
	for en, s := range liveZh {
		zhcheck.Test(t, "live "+strconv.Quote(en), s)
	}
}

// TestCountsPlural: the header counts in English grammar: "1 conn",
// "1 frame", not "1 conns".
func TestCountsPlural(t *testing.T) {
	st := capture.NewStore(capture.Limits{})
	a := &fakeConn{rec: st.Open("127.0.0.1:50001", "serve", protocol.RoleServer), t: st.Start()}
	a.handshake("/", "", "", "", "", 101)
	a.frame(true, protocol.OpText, true, []byte("Hello"), nil)
	if v := sized(st, 120, 40).View(); !strings.Contains(v, "1 conn · 1 open · 1 frame ") {
		t.Errorf("header does not say 1 conn · 1 open · 1 frame:\n%s", v)
	}
	if v := sized(st, 30, 3).View(); !strings.Contains(v, "1 conn, 1 open") {
		t.Errorf("30x3 does not say 1 conn, 1 open:\n%s", v)
	}
	if v := sized(sampleStore(), 120, 40).View(); !strings.Contains(v, "4 conns · 1 open · 13 frames ") {
		t.Errorf("header does not say 4 conns · 1 open · 15 frames:\n%s", v)
	}
}

// TestHeaderCountsInflatedMessage: a compressed message came in at least
// one frame, so a connection whose source recorded only the message
// inflated (not the frames that carried it) does not read "0 frames" in
// the header and the list; one whose source recorded the frames too is
// not counted twice.
func TestHeaderCountsInflatedMessage(t *testing.T) {
	msg := func(f *fakeConn) {
		f.rec.Observe(&protocol.MessageEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
			Inflated: []byte("Hel"), InflatedLen: 3, WireLen: 6})
	}
	for _, c := range []struct {
		name    string
		frames  bool
		want    string
		wantCol string
	}{
		{"message only", false, "1 conn · 1 open · 1 frame ", "1/6B"},
		{"frame and message", true, "1 conn · 1 open · 1 frame ", "1/8B"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := capture.NewStore(capture.Limits{})
			f := &fakeConn{rec: st.Open("127.0.0.1:50010", "serve", protocol.RoleServer), t: st.Start()}
			f.handshake("/chat", "", "", "permessage-deflate", "", 101)
			if c.frames {
				// The compressed frame: RSV1 set on a message's first frame
				// (RFC 7692 §6).
				h := protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpText, Length: 6}
				f.rec.Observe(&protocol.FrameEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Sent, Header: h,
					RawHeader: protocol.AppendHeader(nil, h), Payload: make([]byte, 6), Unmasked: make([]byte, 6)})
				f.rec.Observe(&protocol.MessageEvent{Time: f.tick(), Role: protocol.RoleServer, Dir: protocol.Sent, Opcode: protocol.OpText,
					Inflated: []byte("Hel"), InflatedLen: 3, WireLen: 6})
			} else {
				msg(f)
			}
			lines := strings.Split(sized(st, 120, 40).View(), "\n")
			if !strings.HasSuffix(lines[0], c.want) {
				t.Errorf("header %q, want it to end in %q", lines[0], c.want)
			}
			if !strings.Contains(lines[3], c.wantCol) {
				t.Errorf("the connection's row %q lacks %q", lines[3], c.wantCol)
			}
		})
	}
}

// TestKeyBurst: keys that arrive in one read (a fast typist, tmux
// send-keys) come as one message of several runes; they act one by one,
// as if pressed apart, not not at all.
func TestKeyBurst(t *testing.T) {
	apart := press(sized(sampleStore(), 120, 40), "k", "k", "k")
	mm, _ := sized(sampleStore(), 120, 40).Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("kkk")})
	burst := mm.(Model)
	if apart.View() == sized(sampleStore(), 120, 40).View() {
		t.Fatal("k k k changed nothing")
	}
	if burst.View() != apart.View() {
		t.Errorf("\"kkk\" in one message:\n%s\nwant, as k k k:\n%s", burst.View(), apart.View())
	}
	// A paste is text, not keys.
	mm, _ = sized(sampleStore(), 120, 40).Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("kkk"), Paste: true})
	if mm.(Model).View() != sized(sampleStore(), 120, 40).View() {
		t.Errorf("a paste of \"kkk\" acted as keys")
	}
}
