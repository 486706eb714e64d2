package conformance

// A deliberately broken echo server: a hand-written frame loop that keeps
// every rule (judged by the codec's CheckHeader and ParseClosePayload)
// except the one a test breaks on purpose. Each test lists by hand the
// cases that the broken rule must fail, and the runner must fail exactly
// those, naming the rule.

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/protocol"
)

type breakage int

const (
	breakNothing   breakage = iota // the control: every case passes
	breakNoPong                    // ignores pings (§5.5.2)
	breakNoUTF8                    // echoes text without validating it (§8.1)
	breakUTF8AtEnd                 // validates text only when the message is complete
)

// brokenServer starts the server on 127.0.0.1 and returns its ws:// URL.
func brokenServer(t *testing.T, b breakage) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				serveBroken(nc, b)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return "ws://" + ln.Addr().String() + "/"
}

func serveBroken(nc net.Conn, b breakage) {
	br := bufio.NewReader(nc)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
		protocol.ComputeAccept(req.Header.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
	write := func(op protocol.Opcode, p []byte) {
		nc.Write(append(protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: op, Length: uint64(len(p))}), p...))
	}
	// fail sends a close frame with code, skips the rest of the frame
	// whose header is h, and reads until the peer's close arrives; then
	// the server closes TCP first, as §5.5.1 wants.
	fail := func(code protocol.CloseCode, h protocol.Header, left uint64) {
		write(protocol.OpClose, ClosePayload(int(code), ""))
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		if left > 1<<20 {
			return
		}
		if _, err := io.CopyN(io.Discard, br, int64(left)); err != nil {
			return
		}
		for {
			h, err := protocol.ReadHeader(br)
			if err != nil || h.Length > 1<<20 {
				return
			}
			if _, err := io.CopyN(io.Discard, br, int64(h.Length)); err != nil || h.Opcode == protocol.OpClose {
				return
			}
		}
	}
	// No connection outlives a minute, whatever the client does.
	nc.SetDeadline(time.Now().Add(time.Minute))
	st := protocol.State{Role: protocol.RoleServer, MessageLimit: 32 << 20}
	var msg []byte
	var msgOp protocol.Opcode
	var v protocol.UTF8Validator
	for {
		h, err := protocol.ReadHeader(br)
		if err != nil {
			return
		}
		if viol := protocol.CheckHeader(h, st); viol != nil {
			fail(viol.Code, h, h.Length)
			return
		}
		if h.Opcode != protocol.OpContinuation && !h.Opcode.IsControl() {
			msg, msgOp = msg[:0], h.Opcode
			v.Reset()
		}
		// Read the payload as it arrives, so that text can be judged byte
		// by byte (fail fast), as the codec does.
		p := make([]byte, h.Length)
		for got := 0; got < len(p); {
			n, err := br.Read(p[got:])
			if err != nil {
				return
			}
			protocol.Mask(h.MaskKey, got, p[got:got+n])
			if h.Opcode.IsData() && msgOp == protocol.OpText && (b == breakNothing || b == breakNoPong) && v.Write(p[got:got+n]) >= 0 {
				fail(protocol.CloseInvalidPayload, h, uint64(len(p)-got-n))
				return
			}
			got += n
		}
		switch h.Opcode {
		case protocol.OpPing:
			if b != breakNoPong {
				write(protocol.OpPong, p)
			}
			continue
		case protocol.OpPong:
			continue
		case protocol.OpClose:
			code, reason, viol := protocol.ParseClosePayload(p)
			if viol != nil {
				// The peer's close frame was received, bad as it is:
				// answer it and close TCP at once (§5.5.1).
				write(protocol.OpClose, ClosePayload(int(viol.Code), ""))
				return
			}
			if code == protocol.CloseNoStatusReceived {
				write(protocol.OpClose, nil)
			} else {
				write(protocol.OpClose, ClosePayload(int(code), reason))
			}
			return // the server closes TCP first
		}
		msg = append(msg, p...)
		st.InMessage, st.MessageSoFar = !h.Fin, int64(len(msg))
		if !h.Fin {
			continue
		}
		if msgOp == protocol.OpText && (b == breakNothing || b == breakNoPong) && !v.Complete() ||
			msgOp == protocol.OpText && b == breakUTF8AtEnd && !utf8.Valid(msg) {
			fail(protocol.CloseInvalidPayload, h, 0)
			return
		}
		write(msgOp, msg)
		st.MessageSoFar = 0
	}
}

func runBroken(t *testing.T, b breakage, broken func(id string) bool, verdict Verdict, rule string) {
	url := brokenServer(t, b)
	cfg := testConfig()
	if b != breakNothing {
		// These servers never fail fast: waiting longer for it only
		// makes the test slower.
		cfg.FailFastWait = 500 * time.Millisecond
	}
	results := RunServer(context.Background(), url, notBig(ForServers(All())), cfg)
	checkVerdicts(t, results, plain(func(id string) Verdict {
		switch {
		case broken(id):
			return verdict
		case informational[id]:
			return Informational
		}
		return OK
	}))
	for _, r := range results {
		if broken(r.ID) && !strings.Contains(r.Rule, rule) {
			t.Errorf("case %s does not name the rule %q: %s", r.ID, rule, r.Rule)
		}
	}
}

func TestBrokenServerControl(t *testing.T) {
	runBroken(t, breakNothing, func(string) bool { return false }, OK, "")
}

func TestBrokenServerNoPong(t *testing.T) {
	// Every case that expects a pong, and no other.
	pongs := map[string]bool{}
	for _, id := range strings.Fields("2.1 2.2 2.3 2.4 2.6 2.9 2.10 2.11 5.6 5.7 5.8 A.5.1 5.19 5.20 A.5.3") {
		pongs[id] = true
	}
	url := brokenServer(t, breakNoPong)
	cfg := testConfig()
	cfg.Timeout = 5 * time.Second // how long each missing pong is waited for
	results := RunServer(context.Background(), url, notBig(ForServers(All())), cfg)
	checkVerdicts(t, results, plain(func(id string) Verdict {
		switch {
		case pongs[id]:
			return Failed
		case informational[id]:
			return Informational
		}
		return OK
	}))
	for _, r := range results {
		if pongs[r.ID] && !strings.Contains(r.Detail, "expected a pong") {
			t.Errorf("case %s: the detail does not say a pong was missing: %s", r.ID, r.Detail)
		}
		if pongs[r.ID] && !strings.Contains(r.Rule+" ", "§5.5.2: \"Upon receipt of a Ping frame, an endpoint MUST send a Pong frame") &&
			!strings.Contains(r.Rule, "MUST be capable of handling control frames") {
			t.Errorf("case %s does not name the ping rule: %s", r.ID, r.Rule)
		}
	}
}

func TestBrokenServerNoUTF8(t *testing.T) {
	runBroken(t, breakNoUTF8, func(id string) bool {
		return strings.HasPrefix(id, "6.I.") || strings.HasPrefix(id, "6.F.") || strings.HasPrefix(id, "6.4.")
	}, Failed, "§8.1")
}

func TestBrokenServerUTF8AtEnd(t *testing.T) {
	runBroken(t, breakUTF8AtEnd, func(id string) bool {
		return strings.HasPrefix(id, "6.F.") || strings.HasPrefix(id, "6.4.")
	}, NonStrict, "fail")
}
