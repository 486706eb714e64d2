package lessonui

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// The tests here hold every demo to the prose beside it. A lesson step
// says what happens; its demo runs on a real connection and shows what
// did. Each rule below is one way the two have disagreed before: a rule
// is checked over every rendered line and event of every demo, in both
// languages, so a new lesson or a change to the runner or the renderers
// cannot bring that kind of contradiction back.

// demoRun is one lesson, in one language, with the result of every step
// that runs something (nil for the others).
type demoRun struct {
	lang    string
	lesson  lessons.Lesson
	results []*lessonrun.Result
}

var (
	demoOnce sync.Once
	demoRuns []demoRun
)

// allDemos runs every step of every lesson in both languages, once per
// test binary.
func allDemos(t *testing.T) []demoRun {
	t.Helper()
	if testing.Short() {
		t.Skip("runs every lesson's demos in both languages (about 25 s)")
	}
	demoOnce.Do(func() {
		for _, lang := range lessons.Languages {
			cat, err := lessons.Catalog(lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range cat {
				run := demoRun{lang: lang, lesson: l, results: make([]*lessonrun.Result, len(l.Steps))}
				r := lessonrun.New()
				for i, s := range l.Steps {
					if len(s.Actions) > 0 {
						res := r.Run(context.Background(), s.Actions)
						run.results[i] = &res
					}
				}
				r.Close()
				demoRuns = append(demoRuns, run)
			}
		}
	})
	if len(demoRuns) == 0 {
		t.Fatal("no demos ran")
	}
	return demoRuns
}

// TestDemosAgreeWithTheirSteps checks every rule of demoProblems over the
// demos of every lesson in both languages.
func TestDemosAgreeWithTheirSteps(t *testing.T) {
	runs := allDemos(t)
	steps := 0
	for _, run := range runs {
		for _, p := range demoProblems(run) {
			t.Error(p)
		}
		for _, r := range run.results {
			if r != nil {
				steps++
			}
		}
	}
	t.Logf("%d lessons, %d demos checked", len(runs), steps)
}

// TestBothLanguagesRunTheSameDemos: a step's demo is the same in English
// and Chinese, so a learner who switches language sees the same thing.
func TestBothLanguagesRunTheSameDemos(t *testing.T) {
	en, _ := lessons.Catalog("en")
	zh, _ := lessons.Catalog("zh")
	if len(en) != len(zh) {
		t.Fatalf("%d English lessons, %d Chinese", len(en), len(zh))
	}
	for i := range en {
		if len(en[i].Steps) != len(zh[i].Steps) {
			t.Errorf("lesson %d: %d English steps, %d Chinese", en[i].Number, len(en[i].Steps), len(zh[i].Steps))
			continue
		}
		for j := range en[i].Steps {
			a, b := sources(en[i].Steps[j].Actions), sources(zh[i].Steps[j].Actions)
			if !slices.Equal(a, b) {
				t.Errorf("lesson %d step %d: the demos differ:\n en %q\n zh %q", en[i].Number, j+1, a, b)
			}
		}
	}
}

func sources(as []lessons.Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Source)
	}
	return out
}

// rendered is one event as a learner sees it: its line in the timeline
// and, for those that have one, its dissection.
type rendered struct {
	e            lessonrun.Event
	line, detail string
}

func renderEvents(lang string, res *lessonrun.Result) []rendered {
	t := render.PlainTheme().WithLang(lang)
	var out []rendered
	for _, e := range res.Events {
		r := rendered{e: e, line: oneLine(lang, e, t)}
		if selectable(e) {
			r.detail = detail(lang, e, t, 80)
		}
		out = append(out, r)
	}
	return out
}

// Phrases that belong to an accepted (101) handshake only. A refused one
// is ordinary HTTP: its Connection header need not hold Upgrade, an HTTP
// body follows its blank line, and there is no accept value to derive.
var only101 = map[string][]string{
	"en": {"must hold the token", "must include the token", "frames start right after",
		"proves a WebSocket server", "WebSocket frames follow", labels["en"]["detail.accept"]},
	"zh": {"必须含有 token", "紧接着就是帧", "证明读了这个请求的是 WebSocket 服务器",
		"接下来就是 WebSocket 帧", labels["zh"]["detail.accept"]},
}

// Claims a step's prose makes about how its demo's connection ends: a
// side that closes (or fails the connection) with a code sent it; a side
// that reports a code shows it as the code it saw.
var (
	sentClaims = map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`(?:closes|fails the connection|fail the connection) with (?:close )?(?:code )?(\d{4})`),
		"zh": regexp.MustCompile(`以 ?(\d{4})(?:（[^）]*）)? ?(?:使 WebSocket 连接失败|关闭)`),
	}
	reportClaims = map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`(?:server|client) reports (\d{4})`),
		"zh": regexp.MustCompile(`(?:服务器|客户端)报告 ?(\d{4})`),
	}
	// a close code with its name in parentheses, as the prose writes it
	namedCode = map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`\b(1\d{3}) \(([a-z][a-zA-Z ]+)\)`),
		"zh": regexp.MustCompile(`(1\d{3})（([^）§]+)）`),
	}
	fourDigits = regexp.MustCompile(`\b1\d{3}\b`)
)

// demoProblems returns every place where a demo contradicts its step or
// itself. The rules:
//
//  1. A refused (non-101) handshake carries no rule of an accepted one.
//  2. The events of a connection appear only in the demos that act on it:
//     once a connection has ended, nothing of it shows in a later demo, and
//     a connection's end shows only in a demo that did something on it.
//  3. At most one side of a connection closed TCP first.
//  4. An empty close frame is never labelled with a code, as if one were
//     on the wire (1005 is what the receiver reports, §7.4.1).
//  5. The end of each side shows both halves: the code it sent and the
//     code it saw. A receiver that refuses a frame sends the code of the
//     rule it broke, and its line shows that code and the 1006 it reports
//     when no answer came.
//  6. Payload labels agree with the payload: a payload that was not read
//     is not called empty, and a fragment of valid UTF-8 cut inside a
//     character is not called "not UTF-8".
//  7. A control frame that breaks a rule is not told it may sit between
//     fragments.
//  8. A close code or a report the prose states is the one the demo
//     shows; a refusal status or a refused frame's close code the demo
//     shows is one the prose mentions; and a close code named in the
//     prose has the name the screens give it.
//  9. No action of a demo fails.
//  10. A plain HTTP/1.1 exchange keeps its connection, as HTTP/1.1 does by
//     default and lesson 1 says: no "Connection: close".
//  11. A heartbeat reports a pong only after a ping of this demo and the
//     pong that answered it.
func demoProblems(run demoRun) []string {
	var out []string
	lang := run.lang
	where := func(step int) string {
		return fmt.Sprintf("%s step %d (%q)", run.lesson.File, step+1, run.lesson.Steps[step].Title)
	}
	ended := map[int]int{} // connection -> the step in which it ended
	firsts := map[int][]string{}
	for si, res := range run.results {
		step := run.lesson.Steps[si]
		// Rule 8, names: "1009 (message too big)" in the prose is the
		// screens' name of 1009.
		for _, m := range namedCode[lang].FindAllStringSubmatch(step.Text, -1) {
			n, _ := strconv.Atoi(m[1])
			want := lessons.CloseCodeName(lang, protocol.CloseCode(n))
			if !strings.Contains(want, m[2]) {
				out = append(out, fmt.Sprintf("%s: the prose names %s %q, the screens %q", where(si), m[1], m[2], want))
			}
		}
		if res == nil {
			continue
		}
		evs := renderEvents(lang, res)
		bad := func(r rendered, format string, args ...any) {
			out = append(out, fmt.Sprintf("%s: %s\n    line: %s", where(si), fmt.Sprintf(format, args...), r.line))
		}
		acted := map[int]bool{}    // connections something happened on in this step, so far
		pinged := map[int]bool{}   // the client has sent a ping in this step
		answered := map[int]bool{} // a pong answered one since the last heartbeat note
		closedHere := map[int]int{}
		for _, r := range evs {
			e := r.e
			// Rule 9.
			if e.Kind == lessonrun.KindNote && e.Note == lessonrun.NoteError {
				bad(r, "an action failed: %v", e.Err)
			}
			// Rule 2: nothing of a connection that ended in an earlier
			// step; no end of a connection this step did nothing on.
			if c := e.Conn; c != 0 {
				if s, ok := ended[c]; ok && s < si {
					bad(r, "an event of connection %d, which ended in step %d", c, s+1)
				}
				if e.Kind == lessonrun.KindClosed && !acted[c] {
					bad(r, "connection %d ends, but nothing in this demo acted on it", c)
				}
				if e.Kind != lessonrun.KindClosed && e.Kind != lessonrun.KindRead {
					acted[c] = true
				}
			}
			switch e.Kind {
			case lessonrun.KindHandshake:
				// Rule 1.
				hs := e.Entry.Handshake
				status, _, _ := strings.Cut(string(hs.Raw), "\r\n")
				if !hs.Request && !strings.Contains(status, " 101 ") {
					for _, p := range only101[lang] {
						if strings.Contains(r.detail, p) {
							bad(r, "a refused handshake is annotated with a rule of a 101: %q", p)
						}
					}
				}
			case lessonrun.KindFrame:
				h := e.Entry.Header
				switch {
				case h.Opcode == protocol.OpPing && e.Role == protocol.RoleClient:
					pinged[e.Conn] = true
				case h.Opcode == protocol.OpPong && e.Role == protocol.RoleServer && e.Received && pinged[e.Conn]:
					answered[e.Conn] = true
				}
				// Rule 4.
				if h.Opcode == protocol.OpClose && h.Length == 0 && e.Entry.Violation == nil {
					if fourDigits.MatchString(r.line) {
						bad(r, "an empty close frame is labelled with a code")
					}
				}
				// Rule 6.
				unread := int64(h.Length) - int64(len(e.Entry.Unmasked))
				if h.Length > 0 {
					for _, p := range []string{"payload is empty", "payload empty", "载荷为空", "载荷是空的"} {
						if strings.Contains(r.detail, p) {
							bad(r, "a %d-byte payload is called empty (%q)", h.Length, p)
						}
					}
				}
				if unread > 0 && !strings.Contains(r.detail, fmt.Sprintf(strings.TrimSpace(labels[lang]["detail.unread"]), unread)) {
					bad(r, "%d announced payload bytes were not read, and the dissection does not say so", unread)
				}
				if (h.Opcode == protocol.OpText || h.Opcode == protocol.OpContinuation) && e.Entry.Violation == nil &&
					(strings.Contains(r.line+r.detail, "not UTF-8") || strings.Contains(r.line+r.detail, "不是 UTF-8")) {
					bad(r, "an accepted text fragment is called not UTF-8")
				}
				// Rule 7.
				if h.Opcode.IsControl() && e.Entry.Violation != nil {
					for _, p := range []string{"between the fragments", "分片帧之间"} {
						if strings.Contains(r.detail, p) {
							bad(r, "a %s frame that breaks %s is told it may go between fragments", h.Opcode, e.Entry.Violation.Section)
						}
					}
				}
				// Rule 8: the code a refused frame is answered with is
				// one the prose gives.
				if v := e.Entry.Violation; v != nil && e.Received && !strings.Contains(step.Text, strconv.Itoa(int(v.Code))) {
					bad(r, "the receiver refuses this frame with %d, which the step never mentions", uint16(v.Code))
				}
				// Rule 5, the refusing side.
				if v := e.Entry.Violation; v != nil && e.Received {
					found := false
					for _, c := range evs {
						if c.e.Kind == lessonrun.KindClosed && c.e.Role == e.Role.Peer() && c.e.Conn == e.Conn {
							found = true
							if c.e.Entry.Closed.SentCode != v.Code {
								bad(c, "the %s refused a frame under §%s (%d) but sent %d", c.e.Role, v.Section, uint16(v.Code), uint16(c.e.Entry.Closed.SentCode))
							}
						}
					}
					if !found {
						bad(r, "the %s refused this frame, and its end is not shown", e.Role.Peer())
					}
				}
			case lessonrun.KindHTTP:
				// Rule 10.
				for _, m := range [][]byte{e.HTTP.Request, e.HTTP.Response} {
					if strings.Contains(strings.ToLower(string(m)), "connection: close") {
						bad(r, "an HTTP/1.1 exchange closes its connection, though HTTP/1.1 keeps it by default (lesson 1)")
					}
				}
			case lessonrun.KindClosed:
				c := e.Entry.Closed
				closedHere[e.Conn]++
				if closedHere[e.Conn] == 2 {
					ended[e.Conn] = si
				}
				// Rule 3.
				if c.ClosedTCPFirst {
					firsts[e.Conn] = append(firsts[e.Conn], fmt.Sprintf("%s in step %d", e.Role, si+1))
					if len(firsts[e.Conn]) == 2 {
						bad(r, "both sides of connection %d closed TCP first: %v", e.Conn, firsts[e.Conn])
					}
				}
				// Rule 5: both halves, each with its number.
				if !strings.Contains(r.line, strconv.Itoa(int(c.Code))) {
					bad(r, "the line does not show the code the %s saw (%d)", e.Role, uint16(c.Code))
				}
				if c.SentCode != 0 && c.SentCode != protocol.CloseNoStatusReceived && !strings.Contains(r.line, strconv.Itoa(int(c.SentCode))) {
					bad(r, "the line does not show the code the %s sent (%d)", e.Role, uint16(c.SentCode))
				}
			case lessonrun.KindNote:
				if e.Note == lessonrun.NoteRefused && e.Conn != 0 {
					ended[e.Conn] = si
				}
				// Rule 11: a heartbeat's pong comes after a ping it sent
				// and the pong that answered it, on the screen too.
				if e.Note == lessonrun.NotePong && !answered[e.Conn] {
					bad(r, "a heartbeat reports a pong before any of its pings was answered")
				}
				answered[e.Conn] = false
				// Rule 8: a refusal the demo shows is one the prose
				// speaks of.
				if e.Note == lessonrun.NoteRefused && !strings.Contains(step.Text, strconv.Itoa(e.N)) {
					bad(r, "the demo's handshake is refused with %d, which the step never mentions", e.N)
				}
			}
		}
		// Rule 8: what the prose says the demo shows.
		claim := func(re *regexp.Regexp, what string, match func(c *protocol.ClosedEvent, code protocol.CloseCode) bool) {
			for _, m := range re.FindAllStringSubmatch(step.Text, -1) {
				n, _ := strconv.Atoi(m[1])
				ok := false
				for _, r := range evs {
					if r.e.Kind == lessonrun.KindClosed && match(r.e.Entry.Closed, protocol.CloseCode(n)) && strings.Contains(r.line, m[1]) {
						ok = true
					}
				}
				if !ok {
					out = append(out, fmt.Sprintf("%s: the prose says %q, but no side's end in the demo shows %s %d", where(si), m[0], what, n))
				}
			}
		}
		claim(sentClaims[lang], "a close frame sent with", func(c *protocol.ClosedEvent, code protocol.CloseCode) bool { return c.SentCode == code })
		claim(reportClaims[lang], "a report of", func(c *protocol.ClosedEvent, code protocol.CloseCode) bool { return c.Code == code })
	}
	return out
}

// TestDemoRulesCanFail breaks the rules of demoProblems on purpose, one
// at a time, and checks that each break is reported: a rule that cannot
// fail guards nothing.
func TestDemoRulesCanFail(t *testing.T) {
	closed := func(conn int, role protocol.Role, code, sent protocol.CloseCode, first bool) lessonrun.Event {
		return lessonrun.Event{Kind: lessonrun.KindClosed, Role: role, Conn: conn, Entry: capture.Entry{Kind: capture.KindClosed,
			Closed: &protocol.ClosedEvent{Role: role, Code: code, SentCode: sent, ClosedTCPFirst: first}}}
	}
	frame := func(conn int, from protocol.Role, v *protocol.Violation) lessonrun.Event {
		wire := []byte{0x81, 0x02, 'h', 'i'}
		h, _, _ := protocol.DecodeHeader(wire)
		return lessonrun.Event{Kind: lessonrun.KindFrame, Role: from, Conn: conn, Received: true,
			Entry: capture.Entry{Kind: capture.KindFrame, Header: h, Wire: wire, Unmasked: wire[2:], Violation: v}}
	}
	note := func(conn int, n lessonrun.Note) lessonrun.Event {
		return lessonrun.Event{Kind: lessonrun.KindNote, Note: n, Conn: conn, Err: fmt.Errorf("boom")}
	}
	v1002 := &protocol.Violation{Section: "5.1", Code: protocol.CloseProtocolError, Msg: "x"}
	const (
		c = protocol.RoleClient
		s = protocol.RoleServer
	)
	for _, tc := range []struct {
		name  string
		texts []string
		steps [][]lessonrun.Event
		want  string
	}{
		{"a connection's events in a later demo", []string{"", ""}, [][]lessonrun.Event{
			{frame(1, c, nil), closed(1, s, 1000, 1000, true), closed(1, c, 1000, 1000, false)},
			{frame(1, c, nil)},
		}, "which ended in step 1"},
		{"an end no action caused", []string{""}, [][]lessonrun.Event{
			{closed(1, c, 1006, 0, true), frame(2, c, nil)},
		}, "nothing in this demo acted on it"},
		{"both sides closed TCP first", []string{""}, [][]lessonrun.Event{
			{frame(1, c, nil), closed(1, s, 1000, 1000, true), closed(1, c, 1000, 1000, true)},
		}, "both sides of connection 1 closed TCP first"},
		{"the refusing side sent another code", []string{""}, [][]lessonrun.Event{
			{frame(1, c, v1002), closed(1, s, 1006, 1000, true)},
		}, "refused a frame under §5.1 (1002) but sent 1000"},
		{"the refusing side's end missing", []string{""}, [][]lessonrun.Event{
			{frame(1, c, v1002)},
		}, "its end is not shown"},
		{"the prose's code not in the demo", []string{"The server closes with 1002."}, [][]lessonrun.Event{
			{frame(1, c, nil), closed(1, s, 1006, 1009, true)},
		}, "no side's end in the demo shows a close frame sent with 1002"},
		{"the prose's report not in the demo", []string{"Then the client reports 1006."}, [][]lessonrun.Event{
			{frame(1, c, nil), closed(1, c, 1000, 1000, false)},
		}, "a report of 1006"},
		{"a close code named otherwise", []string{"It closes with 1009 (message far too big)."}, [][]lessonrun.Event{nil}, "the prose names 1009"},
		{"an action failed", []string{""}, [][]lessonrun.Event{{note(0, lessonrun.NoteError)}}, "an action failed"},
		{"a refused frame's code the prose never gives", []string{"The server notices."}, [][]lessonrun.Event{
			{frame(1, c, v1002), closed(1, s, 1006, 1002, true)},
		}, "refuses this frame with 1002, which the step never mentions"},
		{"a pong reported before its ping", []string{""}, [][]lessonrun.Event{
			{frame(1, c, nil), {Kind: lessonrun.KindNote, Note: lessonrun.NotePong, Conn: 1}},
		}, "reports a pong before any of its pings was answered"},
		{"a refusal the prose never gives", []string{"The server refuses with 426."}, [][]lessonrun.Event{
			{lessonrun.Event{Kind: lessonrun.KindNote, Note: lessonrun.NoteRefused, N: 403, Conn: 1}},
		}, "refused with 403, which the step never mentions"},
	} {
		run := demoRun{lang: "en", lesson: lessons.Lesson{File: "en/99-test.md"}}
		for i, evs := range tc.steps {
			run.lesson.Steps = append(run.lesson.Steps, lessons.Step{Title: "t", Text: tc.texts[i]})
			if evs != nil {
				run.results = append(run.results, &lessonrun.Result{Events: evs})
			} else {
				run.results = append(run.results, nil)
			}
		}
		got := strings.Join(demoProblems(run), "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: want a problem with %q, got:\n%s", tc.name, tc.want, got)
		}
	}
}
