package main

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// closingServer accepts one connection, records its request head, reads
// one message and closes with code and reason.
func closingServer(t *testing.T, code protocol.CloseCode, reason string) (url string, request func() string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var head string
	done := make(chan struct{})
	go func() {
		defer close(done)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		c, err := protocol.AcceptConn(context.Background(), nc, &protocol.AcceptOptions{
			Subprotocols: []string{"b"},
			Options: protocol.Options{Observer: func(e protocol.Event) {
				if h, ok := e.(*protocol.HandshakeEvent); ok && h.Request {
					mu.Lock()
					head = string(h.Raw)
					mu.Unlock()
				}
			}},
		})
		if err != nil {
			nc.Close()
			return
		}
		c.ReadMessage(context.Background())
		c.Close(code, reason)
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "ws://" + ln.Addr().String() + "/x", func() string { <-done; mu.Lock(); defer mu.Unlock(); return head }
}

// TestDialReportsTheClose: dial prints the server's close code and reason
// and exits 0 only for 1000 and 1001.
func TestDialReportsTheClose(t *testing.T) {
	for _, tc := range []struct {
		code   protocol.CloseCode
		reason string
		exit   int
	}{
		{protocol.CloseNormal, "bye", 0},
		{protocol.CloseGoingAway, "", 0},
		{protocol.ClosePolicyViolation, "no token", 1},
		{4001, "custom", 1},
	} {
		url, _ := closingServer(t, tc.code, tc.reason)
		var out, errb strings.Builder
		code := run([]string{"dial", url}, strings.NewReader("hi\n"), &out, &errb)
		if code != tc.exit {
			t.Errorf("close %d: exit %d, want %d; stderr %q", tc.code, code, tc.exit, errb.String())
		}
		if !strings.Contains(errb.String(), "the server's close frame said "+tc.code.String()) || (tc.reason != "" && !strings.Contains(errb.String(), `"`+tc.reason+`"`)) {
			t.Errorf("close %d: stderr %q lacks the code and reason", tc.code, errb.String())
		}
	}
}

// TestDialHeadersSubprotocolsVerbose: -H and --subprotocol reach the
// server, and -v prints the handshake and frames.
func TestDialHeadersSubprotocolsVerbose(t *testing.T) {
	url, request := closingServer(t, protocol.CloseNormal, "")
	var out, errb strings.Builder
	code := run([]string{"dial", "-v", "-H", "Authorization: Bearer xyz", "-H", "X-Trace: 1", "--subprotocol", "a,b", url},
		strings.NewReader("hi\n"), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	head := request()
	for _, want := range []string{"Authorization: Bearer xyz", "X-Trace: 1", "Sec-WebSocket-Protocol: a, b"} {
		if !strings.Contains(head, want) {
			t.Errorf("request lacks %q:\n%s", want, head)
		}
	}
	for _, want := range []string{"→ GET /x HTTP/1.1", "← HTTP/1.1 101 Switching Protocols · subprotocols agreed: b", `→ text FIN len=2 (7-bit) masked key=`, `"hi"`, "← close FIN"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("-v output lacks %q:\n%s", want, errb.String())
		}
	}
	if code := run([]string{"dial", "-H", "no colon", url}, strings.NewReader(""), &out, &errb); code != 2 {
		t.Errorf("a malformed -H: exit %d, want 2", code)
	}
}
