package checkui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/protocol"
)

func TestMain(m *testing.M) {
	// Golden files hold plain text: the ASCII profile drops every colour,
	// exactly as NO_COLOR does.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// updating reports whether -update was given. The flag is defined by
// teatest's golden package, which this test binary links.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/checkui -run %s -update)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

// frame encodes one frame with the codec; a non-zero key masks it.
func frame(fin bool, op protocol.Opcode, key [4]byte, payload string) []byte {
	h := protocol.Header{Fin: fin, Opcode: op, Length: uint64(len(payload)), Masked: key != [4]byte{}, MaskKey: key}
	b := protocol.AppendHeader(nil, h)
	p := []byte(payload)
	if h.Masked {
		protocol.Mask(key, 0, p)
	}
	return append(b, p...)
}

const (
	fakeRequest = "GET /2.2 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	fakeReply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
)

// fakeCases and fakeResults are a report made by hand, the same on every
// machine: a few cases of several sections with every verdict, and case
// 2.2 FAILED against a server that masks its pong (§5.1), with its whole
// exchange and fixed masking keys.
func fakeCases(t *testing.T) []conformance.Case {
	t.Helper()
	ids := []string{"1.1.1", "1.1.2", "A.1.1", "2.1", "2.2", "2.3", "5.1", "6.4.1", "7.1.6", "B.1", "12.1.1"}
	allCases.Do(func() { allCases.cs = conformance.All() })
	var out []conformance.Case
	for _, id := range ids {
		for _, c := range allCases.cs {
			if c.ID == id {
				out = append(out, c)
			}
		}
	}
	if len(out) != len(ids) {
		t.Fatalf("found %d of the cases %q", len(out), ids)
	}
	return out
}

// allCases is conformance.All(), made once: it builds some 1,500 cases.
var allCases struct {
	sync.Once
	cs []conformance.Case
}

func fakeResults(cases []conformance.Case) []conformance.Result {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	ex := &conformance.Exchange{Client: true, Request: []byte(fakeRequest), Reply: []byte(fakeReply)}
	ex.Chunks = []conformance.Chunk{
		{Sent: true, At: 1200 * time.Microsecond, Data: frame(true, protocol.OpPing, key, "Hello, world!")},
		{At: 1500 * time.Microsecond, Data: frame(true, protocol.OpPong, [4]byte{1, 2, 3, 4}, "Hello, world!")},
	}
	verdicts := map[string]conformance.Verdict{
		"2.2": conformance.Failed, "6.4.1": conformance.NonStrict, "7.1.6": conformance.Informational,
		"12.1.1": conformance.Unimplemented, "B.1": conformance.Failed,
	}
	details := map[string]string{
		"2.2":    "the pong is masked: a server must not mask (§5.1)",
		"6.4.1":  "failed the connection only at the end of the message, not at the first invalid byte",
		"7.1.6":  "echoed the message sent before the close",
		"12.1.1": "the server did not accept the offered extension \"permessage-deflate\"",
		"B.1":    "echoed the unmasked frame instead of failing the connection",
	}
	var out []conformance.Result
	for _, c := range cases {
		r := conformance.Result{ID: c.ID, Desc: c.Desc, Rule: c.Rule, Verdict: conformance.OK, Detail: "as the rule requires",
			Ending: conformance.EndClean, Duration: 3 * time.Millisecond}
		if v, ok := verdicts[c.ID]; ok {
			r.Verdict, r.Detail = v, details[c.ID]
			if v == conformance.Failed {
				r.Ending = conformance.EndNone
			}
		}
		if c.ID == "2.2" {
			r.Exchange = ex
		}
		out = append(out, r)
	}
	return out
}

// finished is the report of the fake run, over, at w x h.
func finished(t *testing.T, lang string, w, h int) Model {
	t.Helper()
	cases := fakeCases(t)
	m := New(cases, nil, Options{Lang: lang, Target: "ws://127.0.0.1:9001/", Parallel: 2})
	m = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	for _, r := range fakeResults(cases) {
		m = update(m, resultMsg{r})
	}
	m = update(m, doneMsg{})
	m.elapsed = 1500 * time.Millisecond
	return m
}

func update(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

func keys(m Model, names ...string) Model {
	for _, n := range names {
		var k tea.KeyMsg
		switch n {
		case "enter":
			k = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			k = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			k = tea.KeyMsg{Type: tea.KeyTab}
		case "shift+tab":
			k = tea.KeyMsg{Type: tea.KeyShiftTab}
		case "down":
			k = tea.KeyMsg{Type: tea.KeyDown}
		case "up":
			k = tea.KeyMsg{Type: tea.KeyUp}
		default:
			k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(n)}
		}
		m = update(m, k)
	}
	return m
}

// checkSize fails unless view is exactly h lines of at most w columns.
func checkSize(t *testing.T, what, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("%s at %dx%d: %d lines", what, w, h, len(lines))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%s at %dx%d: line %d is %d columns: %q", what, w, h, i+1, n, l)
		}
	}
}

// The report and a case's exchange, in both languages and two sizes.
func TestGoldens(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			w, h := size[0], size[1]
			suffix := fmt.Sprintf("_%s_%dx%d", lang, w, h)
			m := finished(t, lang, w, h)
			v := m.View()
			checkSize(t, "report", v, w, h)
			golden(t, "report"+suffix, v)

			// f: the FAILED cases only; enter opens 2.2, with its masked
			// pong (the frame that broke the rule) selected.
			m = keys(m, "f")
			v = m.View()
			checkSize(t, "failed only", v, w, h)
			golden(t, "failed"+suffix, v)
			m = keys(m, "enter")
			v = m.View()
			checkSize(t, "case", v, w, h)
			golden(t, "case"+suffix, v)
			// tab picks the first field of the frame, as in the
			// walkthrough; ↑ goes to the ping we sent.
			m = keys(m, "up", "tab", "tab")
			v = m.View()
			checkSize(t, "case, ping", v, w, h)
			golden(t, "ping"+suffix, v)
			m = keys(m, "?")
			golden(t, "help"+suffix, m.View())
			// g goes to the handshake, where tab picks a header, as in
			// the walkthrough.
			m = keys(m, "?", "g", "tab")
			v = m.View()
			checkSize(t, "case, a header", v, w, h)
			golden(t, "header"+suffix, v)
		}
	}
}

// What the goldens show, said in words, so that a golden rewritten by
// mistake cannot hide it.
func TestReportContent(t *testing.T) {
	m := finished(t, "en", 120, 40)
	v := m.View()
	for _, want := range []string{"9 passed, 2 failed", "section 2 · pings and pongs", "2.2", "FAILED", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "section B · masking"} {
		if !strings.Contains(v, want) {
			t.Errorf("the report lacks %q:\n%s", want, v)
		}
	}
	// A.1.1, the project's addition to section 1, is listed under 1.
	if i, j := strings.Index(v, "A.1.1"), strings.Index(v, "section 2 ·"); i < 0 || i > j {
		t.Errorf("A.1.1 is not in section 1:\n%s", v)
	}
	m = keys(m, "f")
	if v := m.View(); strings.Contains(v, "1.1.1") || !strings.Contains(v, "B.1") || !strings.Contains(v, "2.2") {
		t.Errorf("failed only shows the wrong cases:\n%s", v)
	}
	m = keys(m, "enter")
	v = m.View()
	for _, want := range []string{
		"verdict: FAILED",
		"peer: the pong is masked",
		"Upon receipt of a Ping frame, an endpoint MUST send a Pong frame", // the rule, verbatim
		"GET /2.2 HTTP/1.1", // the timeline's handshake
		"pong",
		"§5.1", // the views' own judgement of the pong
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the case screen lacks %q:\n%s", want, v)
		}
	}
	if m.entries[m.entrySel].Violation == nil {
		t.Errorf("the case opened on entry %d, not on the frame that broke a rule", m.entrySel)
	}
	m = keys(m, "esc")
	if m.screen != screenList {
		t.Errorf("esc did not go back to the list")
	}
}

// Every size from 1x1 up renders exactly its size, with no panic, on
// every screen; 40x10 still shows the counts and a case.
func TestSmallTerminals(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for w := 1; w <= 50; w += 7 {
			for h := 1; h <= 14; h++ {
				m := finished(t, lang, w, h)
				checkSize(t, "report", m.View(), w, h)
				m = keys(m, "f", "enter")
				checkSize(t, "case", m.View(), w, h)
				m = keys(m, "up", "tab", "]", "?")
				checkSize(t, "help", m.View(), w, h)
			}
		}
	}
	m := finished(t, "en", 40, 10)
	if v := m.View(); !strings.Contains(v, "9 passed, 2 failed") || !strings.Contains(v, "1.1.1") || !strings.Contains(v, "? help • q quit") {
		t.Errorf("40x10 report:\n%s", v)
	}
	m = keys(m, "f", "enter")
	if v := m.View(); !strings.Contains(v, "FAILED") || !strings.Contains(v, "pong") || !strings.Contains(v, "esc back • ? help • q quit") {
		t.Errorf("40x10 case:\n%s", v)
	}
	m = finished(t, "en", 12, 3)
	if v := m.View(); !strings.Contains(v, "11 cases") {
		t.Errorf("12x3:\n%s", v)
	}
}

// While the run goes on: N of M, the cases running, and the list filling
// in case order whatever order the results arrive in.
func TestProgress(t *testing.T) {
	cases := fakeCases(t)
	results := fakeResults(cases)
	m := New(cases, nil, Options{Target: "ws://127.0.0.1:9001/", Parallel: 2})
	m = update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := m.View(); !strings.Contains(v, "0 of 11") || !strings.Contains(v, "running 1.1.1 1.1.2") || !strings.Contains(v, "no verdict yet") {
		t.Errorf("before any result:\n%s", v)
	}
	m = update(m, resultMsg{results[1]})
	m = update(m, resultMsg{results[4]}) // 2.2, FAILED
	v := m.View()
	if !strings.Contains(v, "2 of 11") || !strings.Contains(v, "running 1.1.1 A.1.1") || !strings.Contains(v, "FAILED 1") {
		t.Errorf("after two results:\n%s", v)
	}
	if i, j := strings.Index(v, "1.1.2"), strings.Index(v, "2.2 "); i < 0 || j < 0 || i > j {
		t.Errorf("the list is not in case order:\n%s", v)
	}
	if strings.Contains(v, "1.1.1 ") && !strings.Contains(v, "running 1.1.1") {
		t.Errorf("a case with no result is listed:\n%s", v)
	}
	for _, r := range results {
		m = update(m, resultMsg{r}) // the two seen already are not counted twice
	}
	if m.done != len(cases) || m.failed != 2 {
		t.Errorf("done %d, failed %d; want %d and 2", m.done, m.failed, len(cases))
	}
	m = update(m, doneMsg{})
	if v := m.View(); !strings.Contains(v, "9 passed, 2 failed") || strings.Contains(v, "running") {
		t.Errorf("after the run:\n%s", v)
	}
}

// Every Chinese text is there.
func TestChineseComplete(t *testing.T) {
	en, zh := reflect.ValueOf(english), reflect.ValueOf(chinese)
	for i := 0; i < en.NumField(); i++ {
		name := en.Type().Field(i).Name
		switch e, z := en.Field(i), zh.Field(i); e.Kind() {
		case reflect.String:
			if z.String() == "" || z.String() == e.String() {
				t.Errorf("no Chinese for %s (%q)", name, e.String())
			}
		case reflect.Map:
			for _, k := range e.MapKeys() {
				if v := z.MapIndex(k); !v.IsValid() || v.String() == "" || v.String() == e.MapIndex(k).String() {
					t.Errorf("no Chinese for %s[%v]", name, k)
				}
			}
		}
	}
}

// Keys that arrive together in one message act one by one, as typed.
func TestKeyBurst(t *testing.T) {
	m := finished(t, "en", 100, 30)
	m = update(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("fjj")})
	if !m.failedOnly || m.cases[m.sel].ID != "B.1" {
		t.Errorf("after \"fjj\": failed only %v, selected %s; want true, B.1", m.failedOnly, m.cases[m.sel].ID)
	}
}

// pgdn scrolls the dissection down to its end (the hex dump of the
// masked pong a key or two away, then the explanation) and no further, so that one pgup
// always scrolls back.
func TestScroll(t *testing.T) {
	m := keys(finished(t, "en", 80, 24), "f", "enter")
	if strings.Contains(m.View(), "0000  8a 8d 01 02") {
		t.Fatalf("the hex dump is already in sight; the test needs a frame taller than the pane:\n%s", m.View())
	}
	pgdn := tea.KeyMsg{Type: tea.KeyPgDown}
	hex := -1
	for i := 1; i <= 20; i++ {
		m = update(m, pgdn)
		if hex < 0 && strings.Contains(m.View(), "0000  8a 8d 01 02") {
			hex = i
		}
	}
	if hex < 0 || hex > 3 {
		t.Errorf("the hex dump came in sight after %d pgdn (-1: never)", hex)
	}
	if v := m.View(); !strings.Contains(v, "── why") || !strings.Contains(v, "fails the connection with close code 1002") || m.detOff != m.maxScroll() || m.detOff == 0 {
		t.Errorf("after 20 pgdn: offset %d of %d, not the end:\n%s", m.detOff, m.maxScroll(), v)
	}
	top := m.detOff
	m = update(m, tea.KeyMsg{Type: tea.KeyPgUp})
	if m.detOff >= top {
		t.Errorf("pgup did not scroll back: %d, was %d", m.detOff, top)
	}
	m = keys(m, "up")
	if m.detOff != 0 {
		t.Errorf("another entry keeps the scroll: %d", m.detOff)
	}
}

// Every Chinese text follows the rules of package zhcheck.
func TestChineseText(t *testing.T) {
	zh := reflect.ValueOf(chinese)
	for i := 0; i < zh.NumField(); i++ {
		name := zh.Type().Field(i).Name
		switch z := zh.Field(i); z.Kind() {
		case reflect.String:
			zhcheck.Test(t, "checkui "+name, z.String())
		case reflect.Map:
			for _, k := range z.MapKeys() {
				zhcheck.Test(t, fmt.Sprintf("checkui %s[%v]", name, k), z.MapIndex(k).String())
			}
		}
	}
	for _, e := range []conformance.Ending{conformance.EndClean, conformance.EndFailed, conformance.EndNone} {
		zhcheck.Test(t, "checkui ending", chinese.ending(e))
	}
}

// The texts say how a connection ended in their own language, which they
// carry (not guessed from their punctuation): a change to one language's
// colon must not switch the other's words.
func TestEndingLanguage(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		tx := textsFor(lang)
		if tx.lang != lang {
			t.Errorf("textsFor(%q).lang = %q", lang, tx.lang)
		}
		tx.colon = "|" // neither language's
		for _, e := range []conformance.Ending{conformance.EndClean, conformance.EndFailed, conformance.EndNone} {
			han := strings.ContainsFunc(tx.ending(e), func(r rune) bool { return unicode.Is(unicode.Han, r) })
			if han != (lang == "zh") {
				t.Errorf("%s: ending %v is %q", lang, e, tx.ending(e))
			}
		}
	}
}

// TestCutInfoEndsOnce: a case's information cut to its third of the
// screen ends in one "…", not in a word cut with "…" and then another.
func TestCutInfoEndsOnce(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		m := keys(finished(t, lang, 60, 15), "f", "enter")
		v := m.View()
		cut := false
		for _, l := range strings.Split(v, "\n") {
			cut = cut || strings.HasSuffix(strings.TrimRight(l, " "), " …")
		}
		if m.cases[m.sel].ID != "2.2" || !cut {
			t.Fatalf("%s: case %s, no cut line:\n%s", lang, m.cases[m.sel].ID, v)
		}
		if strings.Contains(v, "… …") {
			t.Errorf("%s: the cut line ends in two ellipses:\n%s", lang, v)
		}
	}
}

// TestStartBeforeTheScreen: a run that started before the screen (check
// holds it back until a handshake is accepted) counts its time from its
// own start.
func TestStartBeforeTheScreen(t *testing.T) {
	cases := fakeCases(t)
	m := New(cases, nil, Options{Lang: "en", Target: "ws://127.0.0.1:9001/", Start: time.Now().Add(-90 * time.Second)})
	m = update(m, resultMsg{fakeResults(cases)[0]})
	if m.elapsed < 90*time.Second || !strings.Contains(m.View(), " · 1m3") {
		t.Errorf("elapsed %v:\n%s", m.elapsed, m.View())
	}
}
