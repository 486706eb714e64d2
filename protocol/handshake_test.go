package protocol

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAcceptRFCExample(t *testing.T) {
	// §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
	steps := ComputeAcceptSteps("dGhlIHNhbXBsZSBub25jZQ==")
	if steps.Accept != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("accept %q", steps.Accept)
	}
	if steps.Concatenated != "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11" {
		t.Errorf("concatenated %q", steps.Concatenated)
	}
	// §1.3 gives the SHA-1 too: 0xb3 0x7a 0x4f 0x2c ... 0xc4 0xea.
	if steps.SHA1[0] != 0xb3 || steps.SHA1[1] != 0x7a || steps.SHA1[19] != 0xea {
		t.Errorf("sha1 % x", steps.SHA1)
	}
}

func TestValidKey(t *testing.T) {
	for key, want := range map[string]bool{
		"dGhlIHNhbXBsZSBub25jZQ==":     true,
		"dGhlIHNhbXBsZSBub25jZQ":       false, // no padding
		"dGhlIHNhbXBsZSBub25j":         false, // 15 bytes
		"dGhlIHNhbXBsZSBub25jZQ=!":     false,
		"":                             false,
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAA": false, // 21 bytes
	} {
		if validKey(key) != want {
			t.Errorf("validKey(%q) = %v", key, !want)
		}
	}
}

// rawHandshake sends a request head to AcceptConn and returns the status
// line of the response and the server's error.
func rawHandshake(t *testing.T, req string, opts *AcceptOptions) (string, http.Header, error) {
	t.Helper()
	cconn, sconn := net.Pipe()
	defer cconn.Close()
	errc := make(chan error, 1)
	go func() {
		c, err := AcceptConn(context.Background(), sconn, opts)
		if c != nil {
			c.CloseNow()
		}
		sconn.Close()
		errc <- err
	}()
	go io.WriteString(cconn, req)
	resp, err := http.ReadResponse(bufio.NewReader(cconn), nil)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	return resp.Status, resp.Header, <-errc
}

const goodRequest = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"

func TestServerHandshake(t *testing.T) {
	cases := []struct {
		name   string
		req    string
		opts   *AcceptOptions
		status int
		header string // the header the error must name
	}{
		{"valid", goodRequest + "\r\n", nil, 101, ""},
		{"tokens in any case and lists", strings.Replace(strings.Replace(goodRequest, "Upgrade: websocket", "Upgrade: WebSocket", 1), "Connection: Upgrade", "Connection: keep-alive, upgrade", 1) + "\r\n", nil, 101, ""},
		{"POST", strings.Replace(goodRequest, "GET", "POST", 1) + "\r\n", nil, 400, ""},
		{"HTTP/1.0", strings.Replace(goodRequest, "HTTP/1.1", "HTTP/1.0", 1) + "\r\n", nil, 400, ""},
		// §4.2.1 item 2 asks for a |Host| header field even when the
		// request target is an absolute URI, which net/http would
		// otherwise take the host from.
		{"no Host", strings.Replace(goodRequest, "Host: server.example.com\r\n", "", 1) + "\r\n", nil, 400, "Host"},
		{"absolute URI, no Host", strings.Replace(strings.Replace(goodRequest, "Host: server.example.com\r\n", "", 1), "GET /chat", "GET http://server.example.com/chat", 1) + "\r\n", nil, 400, "Host"},
		{"absolute URI and Host", strings.Replace(goodRequest, "GET /chat", "GET http://server.example.com/chat", 1) + "\r\n", nil, 101, ""},
		{"HTTP/2.0 request line", strings.Replace(goodRequest, "HTTP/1.1", "HTTP/2.0", 1) + "\r\n", nil, 505, ""},
		{"HTTP/3.0 request line", strings.Replace(goodRequest, "HTTP/1.1", "HTTP/3.0", 1) + "\r\n", nil, 505, ""},
		{"HTTP/1.2", strings.Replace(goodRequest, "HTTP/1.1", "HTTP/1.2", 1) + "\r\n", nil, 101, ""},
		{"a body, by length", goodRequest + "Content-Length: 6\r\n\r\n\x81\x80abcd", nil, 400, ""},
		{"a body, chunked", goodRequest + "Transfer-Encoding: chunked\r\n\r\n6\r\n\x81\x80abcd\r\n0\r\n\r\n", nil, 400, ""},
		{"an empty body", goodRequest + "Content-Length: 0\r\n\r\n", nil, 101, ""},
		{"no Upgrade", strings.Replace(goodRequest, "Upgrade: websocket\r\n", "", 1) + "\r\n", nil, 400, "Upgrade"},
		{"Upgrade: h2c", strings.Replace(goodRequest, "Upgrade: websocket", "Upgrade: h2c", 1) + "\r\n", nil, 400, "Upgrade"},
		{"no Connection", strings.Replace(goodRequest, "Connection: Upgrade\r\n", "", 1) + "\r\n", nil, 400, "Connection"},
		{"Connection: keep-alive", strings.Replace(goodRequest, "Connection: Upgrade", "Connection: keep-alive", 1) + "\r\n", nil, 400, "Connection"},
		{"no key", strings.Replace(goodRequest, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "", 1) + "\r\n", nil, 400, "Sec-WebSocket-Key"},
		{"short key", strings.Replace(goodRequest, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZQ==", 1) + "\r\n", nil, 400, "Sec-WebSocket-Key"},
		{"version 8", strings.Replace(goodRequest, "Version: 13", "Version: 8", 1) + "\r\n", nil, 426, "Sec-WebSocket-Version"},
		{"no version", strings.Replace(goodRequest, "Sec-WebSocket-Version: 13\r\n", "", 1) + "\r\n", nil, 400, "Sec-WebSocket-Version"},
		{"foreign origin", goodRequest + "Origin: http://evil.example\r\n\r\n", nil, 403, "Origin"},
		{"same origin", goodRequest + "Origin: http://server.example.com\r\n\r\n", nil, 101, ""},
		{"origin hook allows", goodRequest + "Origin: http://evil.example\r\n\r\n", &AcceptOptions{CheckOrigin: AcceptAnyOrigin}, 101, ""},
		{"head too large", goodRequest + "X-Big: " + strings.Repeat("a", 9000) + "\r\n\r\n", nil, 431, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, err := rawHandshake(t, tc.req, tc.opts)
			if !strings.HasPrefix(status, strconv.Itoa(tc.status)) {
				t.Fatalf("status %q, want %d (err %v)", status, tc.status, err)
			}
			if tc.status == 101 {
				if err != nil {
					t.Fatal(err)
				}
				if got := hdr.Get("Sec-WebSocket-Accept"); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
					t.Errorf("accept %q", got)
				}
				return
			}
			var herr *HandshakeError
			if !errors.As(err, &herr) || herr.Status != tc.status || herr.Header != tc.header {
				t.Errorf("error %#v, want status %d naming %q", err, tc.status, tc.header)
			}
			if tc.status == 426 && hdr.Get("Sec-WebSocket-Version") != "13" {
				t.Errorf("426 without Sec-WebSocket-Version: 13")
			}
		})
	}
}

func TestSubprotocolByServerPreference(t *testing.T) {
	req := goodRequest + "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n"
	_, hdr, err := rawHandshake(t, req, &AcceptOptions{Subprotocols: []string{"superchat", "chat"}})
	if err != nil || hdr.Get("Sec-WebSocket-Protocol") != "superchat" {
		t.Errorf("chose %q (err %v), want superchat", hdr.Get("Sec-WebSocket-Protocol"), err)
	}
	_, hdr, _ = rawHandshake(t, req, &AcceptOptions{Subprotocols: []string{"mqtt"}})
	if hdr.Get("Sec-WebSocket-Protocol") != "" {
		t.Errorf("chose %q with no common subprotocol", hdr.Get("Sec-WebSocket-Protocol"))
	}
}

// dialFake dials a server that answers one handshake with the response
// respond builds from the client's request, and returns Dial's error.
func dialFake(t *testing.T, subprotocols []string, respond func(key string) string) error {
	t.Helper()
	return dialWith(t, &DialOptions{Subprotocols: subprotocols}, func(r *http.Request) string {
		return respond(r.Header.Get("Sec-WebSocket-Key"))
	})
}

func dialWith(t *testing.T, opts *DialOptions, respond func(r *http.Request) string) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		r, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.WriteString(nc, respond(r))
		time.Sleep(100 * time.Millisecond)
	}()
	c, err := Dial(context.Background(), "ws://"+ln.Addr().String()+"/", opts)
	if c != nil {
		c.CloseNow()
	}
	return err
}

func TestClientChecksResponse(t *testing.T) {
	ok := func(key string) string {
		return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + ComputeAccept(key) + "\r\n"
	}
	cases := []struct {
		name    string
		offered []string
		respond func(string) string
		header  string // "" means success
		status  int
	}{
		{"valid", nil, func(k string) string { return ok(k) + "\r\n" }, "", 0},
		{"valid, odd case", nil, func(k string) string {
			return strings.Replace(strings.Replace(ok(k), "websocket", "WEBSOCKET", 1), "Connection: Upgrade", "connection: upgrade", 1) + "\r\n"
		}, "", 0},
		{"status 200", nil, func(k string) string { return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" }, "-", 200},
		{"426", nil, func(k string) string { return "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n" }, "-", 426},
		{"no Upgrade", nil, func(k string) string { return strings.Replace(ok(k), "Upgrade: websocket\r\n", "", 1) + "\r\n" }, "Upgrade", 101},
		{"no Connection", nil, func(k string) string { return strings.Replace(ok(k), "Connection: Upgrade\r\n", "", 1) + "\r\n" }, "Connection", 101},
		{"wrong accept", nil, func(k string) string { return strings.Replace(ok(k), ComputeAccept(k), ComputeAccept("x"), 1) + "\r\n" }, "Sec-WebSocket-Accept", 101},
		{"accept of the key itself", nil, func(k string) string { return strings.Replace(ok(k), ComputeAccept(k), k, 1) + "\r\n" }, "Sec-WebSocket-Accept", 101},
		{"extension not offered", nil, func(k string) string { return ok(k) + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n" }, "Sec-WebSocket-Extensions", 101},
		{"subprotocol not offered", []string{"chat"}, func(k string) string { return ok(k) + "Sec-WebSocket-Protocol: mqtt\r\n\r\n" }, "Sec-WebSocket-Protocol", 101},
		{"subprotocol offered", []string{"chat"}, func(k string) string { return ok(k) + "Sec-WebSocket-Protocol: chat\r\n\r\n" }, "", 0},
		{"Upgrade as a list", nil, func(k string) string {
			return strings.Replace(ok(k), "Upgrade: websocket", "Upgrade: websocket, h2c", 1) + "\r\n"
		}, "Upgrade", 101},
		{"empty then real extension", nil, func(k string) string {
			return ok(k) + "Sec-WebSocket-Extensions: \r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
		}, "Sec-WebSocket-Extensions", 101},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := dialFake(t, tc.offered, tc.respond)
			if tc.header == "" {
				if err != nil {
					t.Fatalf("dial failed: %v", err)
				}
				return
			}
			var herr *HandshakeError
			if !errors.As(err, &herr) {
				t.Fatalf("err %v, want a *HandshakeError", err)
			}
			if herr.Status != tc.status || (tc.header != "-" && herr.Header != tc.header) {
				t.Errorf("got status %d header %q (%v), want %d %q", herr.Status, herr.Header, herr, tc.status, tc.header)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"ws://127.0.0.1:8080/":       true,
		"wss://example.com/chat?x=1": true,
		"http://example.com/":        false,
		"ws:///path":                 false,
		"ws://example.com/#frag":     false,
		"://nonsense":                false,
		"example.com":                false,
	} {
		if _, err := ParseURL(raw); (err == nil) != ok {
			t.Errorf("ParseURL(%q) err = %v", raw, err)
		}
	}
}

// A URL without a WebSocket scheme gets the one that was probably meant.
func TestParseURLSuggests(t *testing.T) {
	for raw, want := range map[string]string{
		"localhost:8080":          "did you mean ws://localhost:8080/?",
		"127.0.0.1:9000/chat":     "did you mean ws://127.0.0.1:9000/chat?",
		"http://example.com/chat": "did you mean ws://example.com/chat?",
		"https://example.com":     "did you mean wss://example.com/?",
		"ftp://example.com/":      "the scheme must be ws or wss (§3)",
	} {
		_, err := ParseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) = %v, want it to say %q", raw, err, want)
		}
	}
}

func TestRequestHostHeader(t *testing.T) {
	for raw, want := range map[string]string{
		"ws://example.com/":      "Host: example.com\r\n",
		"ws://example.com:80/":   "Host: example.com\r\n",
		"ws://example.com:8080/": "Host: example.com:8080\r\n",
		"wss://example.com:443/": "Host: example.com\r\n",
		"ws://[::1]:9000/":       "Host: [::1]:9000\r\n",
	} {
		u, _ := ParseURL(raw)
		req := string(buildRequest(u, "dGhlIHNhbXBsZSBub25jZQ==", &DialOptions{}))
		if !strings.Contains(req, want) || !strings.HasPrefix(req, "GET / HTTP/1.1\r\n") {
			t.Errorf("%s: request\n%s\nwant %q", raw, req, want)
		}
	}
}

// TestDialRefusesHeaderInjection: option values go into the request as
// header lines, so a line break in one would smuggle in headers.
func TestDialRefusesHeaderInjection(t *testing.T) {
	for _, opts := range []*DialOptions{
		{Origin: "http://a\r\nX-Injected: 1"},
		{Header: http.Header{"X-Ok": {"fine\r\nX-Injected: 1"}}},
		{Header: http.Header{"Bad Name": {"x"}}},
		{Subprotocols: []string{"bad proto,x"}},
		{Subprotocols: []string{""}},
	} {
		err := dialFakeOpts(t, opts)
		if err == nil || !strings.Contains(err.Error(), "websocket:") {
			t.Errorf("%+v: err %v, want a refusal", opts, err)
		}
	}
	if err := dialFakeOpts(t, &DialOptions{Subprotocols: []string{"chat.v1"}, Origin: "http://example.com"}); err != nil {
		t.Errorf("valid options refused: %v", err)
	}
}

// dialFakeOpts dials a server that accepts any handshake.
func dialFakeOpts(t *testing.T, opts *DialOptions) error {
	t.Helper()
	return dialWith(t, opts, func(r *http.Request) string {
		resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + ComputeAccept(r.Header.Get("Sec-WebSocket-Key")) + "\r\n"
		if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
			resp += "Sec-WebSocket-Protocol: " + strings.Split(p, ",")[0] + "\r\n"
		}
		return resp + "\r\n"
	})
}

// TestHandlerRefusalIsObservedExactly: a refusal from the net/http handler
// path reaches the observer as the bytes the client received.
func TestHandlerRefusalIsObservedExactly(t *testing.T) {
	sent := make(chan []byte, 1)
	opts := &AcceptOptions{Options: Options{Observer: func(e Event) {
		if he, ok := e.(*HandshakeEvent); ok && he.Dir == Sent {
			sent <- he.Raw
		}
	}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Accept(w, r, opts) }))
	defer srv.Close()
	nc, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	io.WriteString(nc, strings.Replace(goodRequest, "Version: 13", "Version: 8", 1)+"\r\n")
	got, _ := io.ReadAll(nc)
	raw := <-sent
	if string(got) != string(raw) || !strings.Contains(string(raw), "426") || !strings.Contains(string(raw), "Sec-WebSocket-Version: 13\r\n") {
		t.Errorf("client got %q\nobserver saw %q", got, raw)
	}
}

// TestRefusalQuotesABoundedValue: a refusal names the offending header
// value, but a peer chooses that value: quoting all of it (%q spends up
// to 4 bytes per byte) would let a large header grow the log and the
// response several times over. The error quotes at most maxQuoted bytes
// and says how long the value was.
func TestRefusalQuotesABoundedValue(t *testing.T) {
	huge := strings.Repeat("\x01", 4000)
	for _, header := range []string{"Upgrade", "Connection", "Sec-WebSocket-Version", "Sec-WebSocket-Key", "Origin"} {
		t.Run(header, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Upgrade", "websocket")
			r.Header.Set("Connection", "Upgrade")
			r.Header.Set("Sec-WebSocket-Version", "13")
			r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			r.Header.Set(header, huge)
			_, _, herr := checkRequest(r, &AcceptOptions{})
			if herr == nil || herr.Header != header {
				t.Fatalf("refusal %v, want one naming %s", herr, header)
			}
			msg := herr.Error()
			if len(msg) > 600 {
				t.Errorf("the refusal is %d bytes for a %d-byte value: %.200s...", len(msg), len(huge), msg)
			}
			if !strings.Contains(msg, "(4000 bytes)") {
				t.Errorf("the refusal does not say how long the value was: %s", msg)
			}
		})
	}
}

// TestDialSaysWhyTheResponseFailed: a response head too large and a
// server that hangs up are refused at once; the error says so, and does
// not claim the client waited for the handshake timeout.
func TestDialSaysWhyTheResponseFailed(t *testing.T) {
	for _, tc := range []struct {
		name, response, want string
	}{
		{"too large", "HTTP/1.1 101 Switching Protocols\r\nX-Big: " + strings.Repeat("a", 20<<10) + "\r\n\r\n", "larger than 16384 bytes"},
		{"hung up", "HTTP/1.1 101 Switching", "closed the connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := dialFake(t, nil, func(string) string { return tc.response })
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "waited") {
				t.Errorf("dial: %v, want an error saying %q and not that it waited", err, tc.want)
			}
		})
	}
}
