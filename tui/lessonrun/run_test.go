package lessonrun

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// summary is a one-line description of an event, for failure messages.
func summary(e Event) string {
	switch e.Kind {
	case KindFrame:
		return fmt.Sprintf("frame %s→ %s fin=%v masked=%v len=%d received=%v violation=%v",
			e.Role, e.Entry.Header.Opcode, e.Entry.Header.Fin, e.Entry.Header.Masked, e.Entry.Header.Length, e.Received, e.Entry.Violation)
	case KindNote:
		return fmt.Sprintf("note %d n=%d d=%v err=%v", e.Note, e.N, e.D, e.Err)
	case KindClosed:
		return fmt.Sprintf("closed %s code=%s", e.Role, e.Entry.Closed.Code)
	case KindHandshake:
		line, _, _ := strings.Cut(string(e.Entry.Handshake.Raw), "\r\n")
		return "handshake " + line
	}
	return fmt.Sprintf("kind %d role %s %d bytes", e.Kind, e.Role, len(e.Bytes)+len(e.Entry.Wire))
}

func dump(t *testing.T, res Result) {
	t.Helper()
	for _, e := range res.Events {
		t.Logf("  %7s a%d %s", e.At.Round(time.Millisecond), e.Action, summary(e))
	}
}

// frameFrom returns the frames of action i sent by role.
func framesOf(res Result, i int, from protocol.Role) []Event {
	var out []Event
	for _, e := range res.Events {
		if e.Kind == KindFrame && e.Action == i && e.Role == from {
			out = append(out, e)
		}
	}
	return out
}

func closedCode(res Result, role protocol.Role, action int) (protocol.CloseCode, bool) {
	for _, e := range res.Events {
		if e.Kind == KindClosed && e.Role == role && (action < 0 || e.Action == action) {
			return e.Entry.Closed.Code, true
		}
	}
	return 0, false
}

// expectedViolation works out, without the runner, what a server must say
// about raw client bytes: the first header that breaks a rule, or the first
// text message that is not UTF-8. 0 means the bytes are fine.
func expectedViolation(raw []byte, deflate bool) protocol.CloseCode {
	st := protocol.State{Role: protocol.RoleServer, Deflate: deflate}
	if deflate {
		st.AllowedRSV = 0x40 // RSV1, the "Per-Message Compressed" bit (RFC 7692 §6)
	}
	var text []byte
	compressed := false // the message is compressed: its text is checked once inflated
	for len(raw) > 0 {
		h, n, err := protocol.DecodeHeader(raw)
		if err != nil {
			return 0
		}
		if v := protocol.CheckHeader(h, st); v != nil {
			return v.Code
		}
		p := append([]byte(nil), raw[n:n+int(h.Length)]...)
		protocol.Mask(h.MaskKey, 0, p)
		raw = raw[n+int(h.Length):]
		if h.Opcode.IsControl() {
			continue
		}
		if h.Opcode != protocol.OpContinuation {
			text, compressed = nil, h.Rsv1
		}
		text = append(text, p...)
		st.InMessage = !h.Fin
		if h.Fin && !compressed && (h.Opcode == protocol.OpText || len(text) > 0) && !utf8.Valid(text) {
			return protocol.CloseInvalidPayload
		}
	}
	return 0
}

// waitsForMore reports whether a server reading raw (client frames, no
// extension) is rightly still waiting: every complete frame keeps the
// rules of §5.2 and §5.5, every complete text message is UTF-8 (§8.1), no
// close frame came, and the last frame is cut short.
func waitsForMore(raw []byte) bool {
	st := protocol.State{Role: protocol.RoleServer}
	var text []byte
	isText := false
	for len(raw) > 0 {
		h, n, err := protocol.DecodeHeader(raw)
		if err != nil {
			return true // a header cut short
		}
		if protocol.CheckHeader(h, st) != nil || h.Opcode == protocol.OpClose {
			return false
		}
		if uint64(len(raw)-n) < h.Length {
			return true
		}
		p := append([]byte(nil), raw[n:n+int(h.Length)]...)
		protocol.Mask(h.MaskKey, 0, p)
		raw = raw[n+int(h.Length):]
		if h.Opcode.IsControl() {
			continue
		}
		if h.Opcode != protocol.OpContinuation {
			text, isText = nil, h.Opcode == protocol.OpText
		}
		text = append(text, p...)
		st.InMessage = !h.Fin
		if h.Fin && isText && !utf8.Valid(text) {
			return false
		}
	}
	return false
}

func TestWaitsForMore(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	frame := func(op protocol.Opcode, fin bool, payload string) []byte {
		b := protocol.AppendHeader(nil, protocol.Header{Fin: fin, Opcode: op, Masked: true, MaskKey: key, Length: uint64(len(payload))})
		n := len(b)
		b = append(b, payload...)
		protocol.Mask(key, 0, b[n:])
		return b
	}
	hello := frame(protocol.OpText, true, "Hello")
	for _, c := range []struct {
		name string
		raw  []byte
		want bool
	}{
		{"a whole frame", hello, false},
		{"a frame, then half a header", append(append([]byte(nil), hello...), 0x81), true},
		{"a frame, then a header whose payload is missing", append(append([]byte(nil), hello...), hello[:8]...), true},
		{"RSV2 set, then a short frame", append([]byte{0xa1, 0x85, 1, 2, 3, 4}, hello[:8]...), false},
		{"text that is not UTF-8, then a short frame", append(frame(protocol.OpText, true, "\xff"), hello[:8]...), false},
		{"a close frame, then a short frame", append(frame(protocol.OpClose, true, ""), hello[:8]...), false},
	} {
		if got := waitsForMore(c.raw); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestEveryActionOfEveryLesson runs every step of every lesson in both
// languages against the real codec and checks that each action produced
// what it implies.
func TestEveryActionOfEveryLesson(t *testing.T) {
	for _, lang := range lessons.Languages {
		cat, err := lessons.Catalog(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range cat {
			t.Run(fmt.Sprintf("%s/%02d", lang, l.Number), func(t *testing.T) {
				if lang == "zh" && testing.Short() {
					t.Log("zh runs the same actions as en")
				}
				r := New()
				defer r.Close()
				deflate := false // the pair now connected negotiated permessage-deflate
				for si, s := range l.Steps {
					if len(s.Actions) == 0 {
						continue
					}
					res := r.Run(context.Background(), s.Actions)
					if errs := res.Errors(); len(errs) > 0 {
						dump(t, res)
						t.Fatalf("step %d: %v", si+1, errs)
					}
					for ai, a := range s.Actions {
						if a.Kind == lessons.ActHandshake {
							_, deflate = deflateOffer(a.Handshake.Extensions)
						}
						checkAction(t, l, si, ai, a, res, deflate)
					}
				}
			})
		}
	}
}

func checkAction(t *testing.T, l lessons.Lesson, si, ai int, a lessons.Action, res Result, deflate bool) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		dump(t, res)
		t.Fatalf("%s step %d action %q: %s", l.File, si+1, a.Source, fmt.Sprintf(format, args...))
	}
	switch a.Kind {
	case lessons.ActSend, lessons.ActFragments:
		want, err := a.Frames([4]byte{})
		if err != nil {
			fail("%v", err)
		}
		var got []Event
		for _, e := range framesOf(res, ai, a.From) {
			if e.Entry.Header.Opcode != protocol.OpClose {
				got = append(got, e)
			}
		}
		limit := 0
		for _, b := range l.Steps[si].Actions[:ai] {
			if b.Kind == lessons.ActLimit {
				limit = b.Size
			}
		}
		if limit > 0 && len(a.Payload) > limit && deflate && a.Opcode.IsData() {
			// A compressed message is judged once inflated: its frame is
			// fine, and the server stops inflating at the limit (§10.4).
			code, ok := closedCode(res, a.From, ai)
			if !ok || code != protocol.CloseMessageTooBig {
				fail("the server did not refuse a message inflating past its limit of %d with 1009 (got %d, %v)", limit, code, ok)
			}
			return
		}
		if limit > 0 && len(a.Payload) > limit {
			if len(got) != 1 || got[0].Entry.Violation == nil || got[0].Entry.Violation.Code != protocol.CloseMessageTooBig {
				fail("the server did not refuse a %d-byte message over its limit of %d with 1009", len(a.Payload), limit)
			}
			return
		}
		if deflate && a.Opcode.IsData() {
			// Compressed (RFC 7692): RSV1 on the first frame only, and
			// the peer gets the message back, inflated (checked below).
			if len(got) == 0 || !got[0].Entry.Header.Rsv1 {
				fail("a message on a permessage-deflate connection went out uncompressed")
			}
			for _, e := range got[1:] {
				if e.Entry.Header.Rsv1 {
					fail("RSV1 on a continuation frame")
				}
			}
		} else if len(got) != len(want) {
			fail("got %d frames, want %d", len(got), len(want))
		}
		var whole []byte
		for i, e := range got {
			h := e.Entry.Header
			if !e.Received || e.Entry.Violation != nil {
				fail("frame %d not received cleanly", i)
			}
			if wh, _, _ := protocol.DecodeHeader(want[min(i, len(want)-1)]); !(deflate && a.Opcode.IsData()) &&
				(h.Fin != wh.Fin || h.Opcode != wh.Opcode || h.Length != wh.Length) {
				fail("frame %d is %v, want %v", i, h, wh)
			}
			if h.Masked != (a.From == protocol.RoleClient) {
				fail("frame %d masked=%v from %s", i, h.Masked, a.From)
			}
			whole = append(whole, e.Entry.Unmasked...)
		}
		if !bytes.Equal(whole, a.Payload) && !(deflate && a.Opcode.IsData()) {
			fail("payload %q, want %q", whole, a.Payload)
		}
		if a.Opcode.IsData() {
			found := false
			for _, e := range res.Events {
				if e.Kind == KindMessage && e.Role == a.From.Peer() && bytes.Equal(e.Bytes, a.Payload) && e.Opcode == a.Opcode {
					found = true
				}
			}
			if !found {
				fail("the %s was not handed a %d-byte %s message", a.From.Peer(), len(a.Payload), a.Opcode)
			}
		}
		if a.Opcode == protocol.OpPing {
			pong := false
			for _, e := range res.Events {
				if e.Kind == KindFrame && e.Role == a.From.Peer() && e.Entry.Header.Opcode == protocol.OpPong &&
					bytes.Equal(e.Entry.Unmasked, a.Payload) && e.Received {
					pong = true
				}
			}
			if !pong {
				fail("no pong echoing %q", a.Payload)
			}
		}
	case lessons.ActRaw:
		want := expectedViolation(a.Raw, deflate)
		var raw bool
		for _, e := range res.Events {
			raw = raw || (e.Kind == KindRaw && e.Action == ai && bytes.Equal(e.Entry.Wire, a.Raw))
		}
		if !raw {
			fail("the raw bytes were not recorded")
		}
		var got protocol.CloseCode
		for _, e := range framesOf(res, ai, protocol.RoleClient) {
			if e.Entry.Violation != nil {
				got = e.Entry.Violation.Code
			}
		}
		if got != want {
			fail("server's violation code %d, want %d", got, want)
		}
		if want != 0 {
			code, ok := closedCode(res, protocol.RoleClient, ai)
			if !ok || code != want {
				fail("client saw close %d (%v), want the server's %d", code, ok, want)
			}
		}
	case lessons.ActRace:
		var race *Race
		for _, e := range res.Events {
			if e.Kind == KindRace {
				race = e.Race
			}
		}
		if race == nil || len(race.Segments) != 3 || !bytes.Equal(race.Segments[1].Bytes, race.B) ||
			!bytes.Equal(append(append([]byte(nil), race.Segments[0].Bytes...), race.Segments[2].Bytes...), race.A) {
			fail("race not recorded as A, B, A: %+v", race)
		}
		var v *protocol.Violation
		for _, e := range framesOf(res, ai, protocol.RoleClient) {
			if e.Entry.Violation != nil {
				v = e.Entry.Violation
			}
		}
		// The first "frame" the server parses takes B's header as A's
		// masking key; whatever follows, the stream is garbage and the
		// server must fail the connection, or at least not deliver
		// "Hello".
		for _, e := range res.Events {
			if e.Kind == KindMessage && (bytes.Equal(e.Bytes, a.Payload) || bytes.Equal(e.Bytes, a.Payload2)) {
				fail("server delivered %q intact", e.Bytes)
			}
		}
		// The garbage depends on the random masking keys: now and then
		// every header it makes keeps the rules and the last one claims
		// more bytes than will come, and then the server rightly waits.
		if v == nil && !waitsForMore(race.Stream()) {
			fail("the server noticed nothing")
		}
	case lessons.ActClose:
		code, ok := closedCode(res, a.From.Peer(), ai)
		if !ok || code != a.Code {
			fail("peer reported %d (%v), want %d", code, ok, a.Code)
		}
	case lessons.ActDrop:
		code, ok := closedCode(res, a.From.Peer(), ai)
		if !ok || code != protocol.CloseAbnormalClosure {
			fail("peer reported %d (%v), want 1006", code, ok)
		}
	case lessons.ActHandshake:
		var req, resp *protocol.HandshakeEvent
		for _, e := range res.Events {
			if e.Kind == KindHandshake && e.Action == ai {
				if e.Entry.Handshake.Request {
					req = e.Entry.Handshake
				} else {
					resp = e.Entry.Handshake
				}
			}
		}
		if req == nil || resp == nil {
			fail("handshake request or response missing")
		}
		status := strings.Fields(string(resp.Raw))[1]
		wantStatus := "101"
		switch {
		case a.Handshake.Version != "" && a.Handshake.Version != "13":
			wantStatus = "426"
		case a.Handshake.Origin != "" && !strings.Contains(strings.Join(AllowedOrigins, " "), a.Handshake.Origin):
			wantStatus = "403"
		}
		if status != wantStatus {
			fail("status %s, want %s", status, wantStatus)
		}
		if len(a.Handshake.Subprotocols) > 0 && wantStatus == "101" &&
			!strings.Contains(string(resp.Raw), "Sec-WebSocket-Protocol: "+ServerSubprotocols[0]) {
			fail("no subprotocol chosen")
		}
		hasExt := strings.Contains(strings.ToLower(string(resp.Raw)), "sec-websocket-extensions: permessage-deflate")
		if _, deflate := deflateOffer(a.Handshake.Extensions); deflate && wantStatus == "101" && !hasExt {
			fail("the server declined a permessage-deflate offer it implements")
		} else if !deflate && hasExt {
			fail("the server accepted an extension that was not offered")
		}
	case lessons.ActHTTP:
		var ex *HTTPExchange
		for _, e := range res.Events {
			if e.Kind == KindHTTP {
				ex = e.HTTP
			}
		}
		if ex == nil || ex.Status != 200 || !bytes.Equal(ex.Body, a.Payload) ||
			!bytes.HasPrefix(ex.Request, []byte("POST / HTTP/1.1\r\n")) || !bytes.HasSuffix(ex.Request, a.Payload) ||
			!bytes.HasPrefix(ex.Response, []byte("HTTP/1.1 200 OK\r\n")) {
			fail("bad HTTP exchange %+v", ex)
		}
	case lessons.ActLimit:
		// Checked by the send that follows: see TestLimit.
	case lessons.ActHeartbeat:
		var dead, pong bool
		for _, e := range res.Events {
			dead = dead || (e.Kind == KindNote && e.Note == NoteDead)
			pong = pong || (e.Kind == KindNote && e.Note == NotePong)
		}
		mute := false
		for _, b := range l.Steps[si].Actions {
			mute = mute || b.Kind == lessons.ActMute
		}
		if !pong || dead != mute {
			fail("pong=%v dead=%v with mute=%v", pong, dead, mute)
		}
	case lessons.ActDribble:
		// The server must have read the next frame in pieces of at most
		// Size bytes, and still parsed one frame.
		var reads []int
		for _, e := range res.Events {
			if e.Kind == KindRead && e.Role == protocol.RoleServer && e.Action > ai {
				reads = append(reads, len(e.Entry.Wire))
			}
		}
		if len(reads) < 2 {
			fail("server reads %v: the frame was not dribbled", reads)
		}
		for _, n := range reads {
			if n > a.Size {
				fail("a read of %d bytes, more than %d", n, a.Size)
			}
		}
	}
}

func TestLimit(t *testing.T) {
	r := New()
	defer r.Close()
	acts := []lessons.Action{
		{Kind: lessons.ActLimit, From: protocol.RoleServer, Size: 1024},
		{Kind: lessons.ActSend, From: protocol.RoleClient, Opcode: protocol.OpBinary, Payload: lessons.Filler(2000)},
	}
	res := r.Run(context.Background(), acts)
	var v *protocol.Violation
	for _, e := range res.Frames() {
		if e.Entry.Violation != nil {
			v = e.Entry.Violation
		}
	}
	if v == nil || v.Code != protocol.CloseMessageTooBig {
		dump(t, res)
		t.Fatalf("violation %v, want 1009", v)
	}
	if code, _ := closedCode(res, protocol.RoleClient, -1); code != protocol.CloseMessageTooBig {
		t.Fatalf("client saw %d, want 1009", code)
	}
}

// TestHelloFrame pins the frame the first lesson shows: a masked text FIN
// frame carrying Hello, 11 bytes on the wire.
func TestHelloFrame(t *testing.T) {
	r := New()
	defer r.Close()
	res := r.Run(context.Background(), []lessons.Action{{Kind: lessons.ActSend, From: protocol.RoleClient, Opcode: protocol.OpText, Payload: []byte("Hello")}})
	fs := res.Frames()
	if len(fs) != 1 {
		dump(t, res)
		t.Fatalf("%d frames", len(fs))
	}
	f := fs[0]
	h := f.Entry.Header
	if !h.Fin || h.Opcode != protocol.OpText || !h.Masked || string(f.Entry.Unmasked) != "Hello" || len(f.Entry.Wire) != 11 || f.Entry.Wire[0] != 0x81 || f.Entry.Wire[1] != 0x85 {
		t.Fatalf("frame % x", f.Entry.Wire)
	}
}

// TestReconnectAfterFailure: an action after the server failed the
// connection gets a fresh one and says so.
func TestReconnectAfterFailure(t *testing.T) {
	r := New()
	defer r.Close()
	r.Run(context.Background(), []lessons.Action{{Kind: lessons.ActRaw, From: protocol.RoleClient, Raw: []byte{0x81, 0x00}}})
	res := r.Run(context.Background(), []lessons.Action{{Kind: lessons.ActSend, From: protocol.RoleClient, Opcode: protocol.OpText, Payload: []byte("x")}})
	if len(res.Errors()) > 0 {
		t.Fatal(res.Errors())
	}
	found := false
	for _, e := range res.Events {
		found = found || (e.Kind == KindNote && e.Note == NoteReconnect)
	}
	if !found {
		dump(t, res)
		t.Fatal("no reconnect note")
	}
}

// TestCloseInterruptsStep: Close during a long wait returns promptly and
// leaves no goroutine behind.
func TestCloseInterruptsStep(t *testing.T) {
	before := runtime.NumGoroutine()
	r := New()
	done := make(chan Result)
	go func() {
		done <- r.Run(context.Background(), []lessons.Action{
			{Kind: lessons.ActSend, From: protocol.RoleClient, Opcode: protocol.OpText, Payload: []byte("x")},
			{Kind: lessons.ActHeartbeat, From: protocol.RoleClient, Interval: 50 * time.Millisecond, Timeout: time.Second},
			{Kind: lessons.ActWait, Interval: time.Minute},
		})
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	r.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Close")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Close took %v", d)
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails if more goroutines than before are still running
// after a grace period.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left (was %d):\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
