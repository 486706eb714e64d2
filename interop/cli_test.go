package interop

// The command-line peers beyond the conformance cases: serve's handshake
// refusals and shutdown, dial's failures, bytes that arrive together with
// the handshake, and the order in which TCP is closed.

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// rawRequest sends a hand-written request head (plus extra bytes) and
// returns the parsed response and the reader positioned after its head.
func rawRequest(t *testing.T, addr, head string, extra []byte) (*http.Response, *bufio.Reader, net.Conn) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write(append([]byte(head), extra...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	return resp, br, nc
}

func newKey() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

func upgradeHead(addr string, override map[string]string) string {
	h := map[string]string{
		"Host": addr, "Upgrade": "websocket", "Connection": "Upgrade",
		"Sec-WebSocket-Key": newKey(), "Sec-WebSocket-Version": "13",
	}
	for k, v := range override {
		h[k] = v
	}
	var b strings.Builder
	method := "GET"
	if m, ok := h["METHOD"]; ok {
		method = m
		delete(h, "METHOD")
	}
	b.WriteString(method + " /chat?x=1 HTTP/1.1\r\n")
	for _, k := range []string{"Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Origin", "Sec-WebSocket-Protocol"} {
		if v, ok := h[k]; ok && v != "" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	if method == "POST" {
		b.WriteString("Content-Length: 0\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// serverAddrs returns the in-process echo server (net/http handler), a raw
// AcceptConn echo server, and `serve`.
func serverAddrs(t *testing.T) map[string]string {
	raw := acceptConnEcho(t)
	return map[string]string{
		"inproc":     strings.TrimPrefix(inprocEcho(t, nil), "ws://"),
		"acceptconn": raw,
		"serve":      startServe(t).addr,
	}
}

// acceptConnEcho serves the echo loop through protocol.AcceptConn on a raw
// listener and returns its address.
func acceptConnEcho(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	conns := make(chan net.Conn, 64)
	go func() {
		defer close(done)
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- nc
			go func() {
				opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin, HandshakeTimeout: 2 * time.Second}
				c, err := protocol.AcceptConn(context.Background(), nc, opts)
				if err != nil {
					nc.Close()
					return
				}
				echoLoop(context.Background(), c)
				c.CloseNow()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		close(conns)
		for nc := range conns {
			nc.Close()
		}
	})
	return ln.Addr().String()
}

func TestHandshakeRefusals(t *testing.T) {
	for name, addr := range serverAddrs(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				name     string
				override map[string]string
				status   int
			}{
				{"version 12", map[string]string{"Sec-WebSocket-Version": "12"}, 426},
				{"no version", map[string]string{"Sec-WebSocket-Version": ""}, 400},
				{"no key", map[string]string{"Sec-WebSocket-Key": ""}, 400},
				{"short key", map[string]string{"Sec-WebSocket-Key": base64.StdEncoding.EncodeToString([]byte("short"))}, 400},
				{"no upgrade", map[string]string{"Upgrade": ""}, 400},
				{"connection keep-alive", map[string]string{"Connection": "keep-alive"}, 400},
				{"POST", map[string]string{"METHOD": "POST"}, 400},
			} {
				resp, _, _ := rawRequest(t, addr, upgradeHead(addr, tc.override), nil)
				resp.Body.Close()
				// net/http may answer a malformed request itself; a 4xx is
				// what matters, and 426 for the version.
				if resp.StatusCode != tc.status && !(tc.status == 400 && resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 426) {
					t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
				}
				if tc.status == 426 && resp.Header.Get("Sec-WebSocket-Version") != "13" {
					t.Errorf("%s: 426 without Sec-WebSocket-Version: 13 (§4.4)", tc.name)
				}
			}
			// Case-insensitive tokens and a Connection list are accepted,
			// and an echo server accepts a browser's Origin.
			head := upgradeHead(addr, map[string]string{"Upgrade": "WebSocket", "Connection": "keep-alive, upgrade", "Origin": "http://elsewhere.example"})
			resp, _, _ := rawRequest(t, addr, head, nil)
			if resp.StatusCode != 101 {
				t.Errorf("mixed-case tokens: status %d, want 101", resp.StatusCode)
			}
		})
	}
}

// TestEarlyData sends the first frames in the same write as the handshake
// request: the server must not lose them (§4.2.1 gives no reason to).
func TestEarlyData(t *testing.T) {
	for name, addr := range serverAddrs(t) {
		t.Run(name, func(t *testing.T) {
			head := upgradeHead(addr, nil)
			early := append(buildFrame(true, 0, opText, []byte("early bird"), true), buildFrame(true, 0, opPing, []byte("p"), true)...)
			resp, br, nc := rawRequest(t, addr, head, early)
			if resp.StatusCode != 101 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			p := rawPeer(t, nc, br, true)
			nc.SetDeadline(time.Time{})
			p.ExpectMessage(opText, []byte("early bird"))
			p.ExpectPong([]byte("p"))
			p.CloseHandshake(1000, "")
		})
	}
}

// fakeServer accepts one connection, reads the request, and lets respond
// write whatever it likes.
func fakeServer(t *testing.T, respond func(nc net.Conn, req *http.Request, br *bufio.Reader)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(20 * time.Second))
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(20 * time.Second))
		br := bufio.NewReader(nc)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		respond(nc, req, br)
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "ws://" + ln.Addr().String() + "/"
}

func runDial(t *testing.T, args ...string) (exitCode int, output string, elapsed time.Duration) {
	t.Helper()
	bin := wsanatomyBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"dial"}, args...)...)
	cmd.Stdin = strings.NewReader("")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed = time.Since(start)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out), elapsed
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out), elapsed
	}
	t.Fatalf("dial: %v", err)
	return 0, "", 0
}

func TestDialFailures(t *testing.T) {
	respondWith := func(status string, headers func(req *http.Request) string) func(nc net.Conn, req *http.Request, br *bufio.Reader) {
		return func(nc net.Conn, req *http.Request, br *bufio.Reader) {
			io.WriteString(nc, "HTTP/1.1 "+status+"\r\n"+headers(req)+"\r\n")
			time.Sleep(100 * time.Millisecond)
		}
	}
	good := func(req *http.Request) string {
		return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n"
	}
	refused := freeAddr(t)
	for _, tc := range []struct {
		name string
		url  func() string
	}{
		{"http scheme", func() string { return "http://127.0.0.1:1/" }},
		{"fragment", func() string { return "ws://127.0.0.1:1/#frag" }},
		{"refused", func() string { return "ws://" + refused + "/" }},
		{"status 200", func() string {
			return fakeServer(t, respondWith("200 OK", func(*http.Request) string { return "Content-Length: 0\r\n" }))
		}},
		{"wrong accept", func() string {
			return fakeServer(t, respondWith("101 Switching Protocols", func(*http.Request) string {
				return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
			}))
		}},
		{"no upgrade header", func() string {
			return fakeServer(t, respondWith("101 Switching Protocols", func(req *http.Request) string {
				return "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n"
			}))
		}},
		{"extension not offered", func() string {
			return fakeServer(t, respondWith("101 Switching Protocols", func(req *http.Request) string {
				return good(req) + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
			}))
		}},
		{"subprotocol not offered", func() string {
			return fakeServer(t, respondWith("101 Switching Protocols", func(req *http.Request) string {
				return good(req) + "Sec-WebSocket-Protocol: chat\r\n"
			}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := runDial(t, "--echo", tc.url())
			if code == 0 {
				t.Errorf("exit status 0, want non-zero; output %q", out)
			}
			if lines := strings.Count(strings.TrimRight(out, "\n"), "\n") + 1; lines != 1 {
				t.Errorf("want one clear line, got %d:\n%s", lines, out)
			}
		})
	}
}

// TestClientTCPCloseOrder checks §7.1.1 from the client's side: after the
// closing handshake the client leaves closing TCP to the server, and when
// the server never closes, it gives up after a bounded time.
func TestClientTCPCloseOrder(t *testing.T) {
	for _, tg := range clientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			for _, serverCloses := range []bool{true, false} {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				res := tg.start(t, "ws://"+ln.Addr().String()+"/")
				ln.(*net.TCPListener).SetDeadline(time.Now().Add(15 * time.Second))
				nc, err := ln.Accept()
				ln.Close()
				if err != nil {
					t.Fatal(err)
				}
				p := acceptRaw(t, nc)
				p.SendFrame(true, 0, opText, []byte("hi"))
				p.ExpectMessage(opText, []byte("hi"))
				p.SendFrame(true, 0, opClose, closePayload(1000, "done"))
				p.ExpectCloseFrame(1000)
				start := time.Now()
				// The client must not close first: within 300ms it has not.
				if f, err := p.ReadFrame(300 * time.Millisecond); !errors.Is(err, errTimeout) {
					t.Errorf("client closed TCP (or sent %v) right after the closing handshake: %v; the server should close first (§7.1.1)", f, err)
				}
				if serverCloses {
					nc.Close()
					select {
					case r := <-res:
						if !r.clean {
							t.Errorf("clean handshake reported as failure: %s", r.detail)
						}
					case <-time.After(5 * time.Second):
						t.Errorf("client did not finish after the server closed TCP")
					}
					continue
				}
				// The server keeps TCP open: the client must give up on its own.
				if _, err := p.ReadFrame(20 * time.Second); !errors.Is(err, errPeerClosedTCP) {
					t.Errorf("client did not close TCP within 20s: %v", err)
				}
				if d := time.Since(start); d > 12*time.Second {
					t.Errorf("client waited %v for the server's TCP close", d)
				}
				select {
				case <-res:
				case <-time.After(10 * time.Second):
					t.Errorf("client did not finish")
				}
				nc.Close()
			}
		})
	}
}

// TestClientEarlyData sends the first frame in the same write as the 101
// response: the client must not lose it.
func TestClientEarlyData(t *testing.T) {
	for _, tg := range clientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			res := tg.start(t, "ws://"+ln.Addr().String()+"/")
			ln.(*net.TCPListener).SetDeadline(time.Now().Add(15 * time.Second))
			nc, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			nc.SetDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(nc)
			req, err := http.ReadRequest(br)
			if err != nil {
				t.Fatal(err)
			}
			resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
				acceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n\r\n"
			nc.Write(append([]byte(resp), buildFrame(true, 0, opBinary, []byte("early"), false)...))
			nc.SetDeadline(time.Time{})
			p := rawPeer(t, nc, br, false)
			p.ExpectMessage(opBinary, []byte("early"))
			p.CloseHandshake(1000, "")
			select {
			case r := <-res:
				if !r.clean {
					t.Errorf("client reports failure: %s", r.detail)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("client did not finish")
			}
		})
	}
}

// TestServeShutdown checks that SIGTERM makes serve close its clients with
// 1001 (going away) and exit 0.
func TestServeShutdown(t *testing.T) {
	s := startServe(t)
	p := dialRaw(t, s.url("/shutdown"))
	p.SendFrame(true, 0, opText, []byte("before"))
	p.ExpectMessage(opText, []byte("before"))
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.ExpectCloseFrame(1001)
	p.SendFrame(true, 0, opClose, closePayload(1001, ""))
	p.FinishTCP()
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("serve exited with %v", s.err)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("serve did not exit after SIGTERM")
	}
	if log := s.stderr.String(); !strings.Contains(log, "text") {
		t.Errorf("serve's log shows no frame:\n%s", tail(log, 2000))
	}
}

// TestServerSurvivesAbruptClients checks that clients vanishing without a
// close frame, mid-frame or mid-handshake, leave the server working.
func TestServerSurvivesAbruptClients(t *testing.T) {
	for name, addr := range serverAddrs(t) {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 20; i++ {
				nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				switch i % 4 {
				case 0: // half a handshake
					io.WriteString(nc, "GET / HTTP/1.1\r\nHost: x\r\n")
				case 1: // a handshake, then half a frame
					io.WriteString(nc, upgradeHead(addr, nil))
					nc.Write(buildFrame(true, 0, opText, textPattern(1000), true)[:300])
				case 2: // a frame header claiming 1 MiB, then nothing
					io.WriteString(nc, upgradeHead(addr, nil))
					nc.Write(buildFrame(true, 0, opBinary, make([]byte, 1<<20), true)[:14])
				case 3: // nothing at all
				}
				time.Sleep(5 * time.Millisecond)
				nc.Close()
			}
			p := dialRaw(t, "ws://"+addr+"/")
			p.SendFrame(true, 0, opText, []byte("still here"))
			p.ExpectMessage(opText, []byte("still here"))
			p.CloseHandshake(1000, "")
		})
	}
}
