package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestServeLogsARefusalOnceAndBounded: a refused handshake is one line
// of log, and a large header value in it costs the log a bounded quote,
// not 4 bytes per byte twice over (once 8 times the request).
func TestServeLogsARefusalOnceAndBounded(t *testing.T) {
	addr, log, stop := startEcho(t, defaultServeConfig())
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	huge := strings.Repeat("\xff", 6000) // obs-text: HTTP takes it, %q spends 4 bytes on each
	req := fmt.Sprintf("GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", addr, huge)
	if _, err := nc.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("response %v, %v; want 400", resp, err)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	if n := strings.Count(out, "Sec-WebSocket-Key is "); n != 1 {
		t.Errorf("the refusal is in the log %d times, want once:\n%.2000s", n, out)
	}
	if len(out) > 2000 {
		t.Errorf("a %d-byte request made %d bytes of log:\n%.2000s", len(req), len(out), out)
	}
}
