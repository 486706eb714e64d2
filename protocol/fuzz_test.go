package protocol

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeHeader: decoding never panics, and what decodes re-encodes to
// the same bytes (the header keeps the length form it was sent in).
func FuzzDecodeHeader(f *testing.F) {
	for _, ex := range rfcExamples {
		f.Add(unhex(f, ex.wire))
	}
	f.Add([]byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x01, 0xfe, 0x00, 0x05, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := DecodeHeader(b)
		if err != nil {
			if !errors.Is(err, ErrShortHeader) || n <= len(b) {
				t.Fatalf("err %v with need %d for %d bytes", err, n, len(b))
			}
			return
		}
		if n != h.Size() {
			t.Fatalf("size %d, Size() %d", n, h.Size())
		}
		if re := AppendHeader(nil, h); !bytes.Equal(re, b[:n]) {
			t.Fatalf("re-encoded % x, want % x", re, b[:n])
		}
		CheckHeader(h, State{Role: RoleServer, MessageLimit: 1 << 20})
	})
}

// FuzzUTF8Validator: the incremental validator agrees with unicode/utf8
// whatever the split.
func FuzzUTF8Validator(f *testing.F) {
	for _, tc := range utf8Cases {
		f.Add([]byte(tc.text), uint8(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, split uint8) {
		s := int(split) % (len(b) + 1)
		var v UTF8Validator
		ok := v.Write(b[:s]) < 0 && v.Write(b[s:]) < 0 && v.Complete()
		if ok != utf8.Valid(b) {
			t.Fatalf("% x split %d: validator %v", b, s, ok)
		}
	})
}

// FuzzServerRead feeds arbitrary bytes to a server connection as if a
// client had sent them. Whatever arrives, reading must end with a message,
// a close, a violation or an I/O error: never a panic or a hang.
func FuzzServerRead(f *testing.F) {
	f.Add(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("Hello")))
	f.Add(append(clientFrame(Header{Opcode: OpText}, []byte("He")), clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("x"))...))
	f.Add(clientFrame(Header{Fin: true, Opcode: OpClose}, []byte{0x03, 0xe8, 'o', 'k'}))
	f.Add([]byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, wire []byte) {
		cconn, sconn := net.Pipe()
		server := NewConn(sconn, RoleServer, nil, &Options{MessageLimit: 1 << 16, CloseTimeout: 50 * time.Millisecond})
		// The peer takes what we send (pongs, close frames), as a TCP
		// peer's kernel would: net.Pipe buffers nothing, and a peer that
		// never read would hold our pong write, bounded only by ctx, while
		// its own write of many pings waited for us to read (the input
		// kept in testdata/fuzz/FuzzServerRead).
		go io.Copy(io.Discard, cconn)
		go func() {
			cconn.Write(wire)
			cconn.Close()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for i := 0; i < 100; i++ {
			if _, _, err := server.ReadMessage(ctx); err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					t.Fatal("read hung")
				}
				break
			}
		}
		server.CloseNow()
	})
}

// FuzzAcceptRequest feeds arbitrary bytes to AcceptConn as a client's
// opening handshake (and whatever follows it). It must answer, refuse or
// time out within its bound: never panic, never hang, never accept a
// request that breaks §4.2.1.
func FuzzAcceptRequest(f *testing.F) {
	f.Add([]byte(goodRequest + "\r\n"))
	f.Add([]byte(goodRequest + "\r\n" + "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"))
	f.Add([]byte(strings.Replace(goodRequest, "HTTP/1.1", "HTTP/2.0", 1) + "\r\n"))
	f.Add([]byte(goodRequest + "Content-Length: 6\r\n\r\n\x81\x80abcd"))
	f.Add([]byte(goodRequest + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, req []byte) {
		cconn, sconn := net.Pipe()
		defer cconn.Close()
		go io.Copy(io.Discard, cconn) // the response
		go func() { cconn.Write(req); cconn.Close() }()
		start := time.Now()
		c, err := AcceptConn(context.Background(), sconn, &AcceptOptions{HandshakeTimeout: time.Second})
		if time.Since(start) > 5*time.Second {
			t.Fatal("AcceptConn hung")
		}
		if err == nil {
			r, perr := http.ReadRequest(bufio.NewReader(bytes.NewReader(req)))
			if perr != nil || r.Method != http.MethodGet || r.ProtoMajor != 1 || r.ProtoMinor < 1 ||
				r.ContentLength != 0 || len(r.TransferEncoding) > 0 || !validKey(strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key"))) {
				t.Fatalf("accepted a request that §4.2.1 refuses: %q", req)
			}
			c.CloseNow()
		}
		sconn.Close()
	})
}

// FuzzClientHandshakeResponse feeds arbitrary bytes to ClientHandshake as
// the server's response. It must succeed only when §4.1's checks pass
// (the right Sec-WebSocket-Accept above all), and never panic or hang.
func FuzzClientHandshakeResponse(f *testing.F) {
	// With this fixed nonce source the key is always the same, so the
	// corpus can hold a valid response.
	key, _ := NewKey(repeatReader{7})
	ok := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + ComputeAccept(key) + "\r\n\r\n"
	f.Add([]byte(ok))
	f.Add([]byte(ok + "\x81\x05Hello"))
	f.Add([]byte(strings.Replace(ok, "101", "200", 1)))
	f.Add([]byte(strings.Replace(ok, "\r\n\r\n", "\r\nSec-WebSocket-Extensions: x\r\n\r\n", 1)))
	f.Add([]byte("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	u, _ := ParseURL("ws://example.com/chat")
	f.Fuzz(func(t *testing.T, resp []byte) {
		cconn, sconn := net.Pipe()
		defer sconn.Close()
		go func() {
			br := bufio.NewReader(sconn)
			if _, err := readHead(br, 64<<10); err != nil {
				return
			}
			sconn.Write(resp)
			sconn.Close()
		}()
		start := time.Now()
		c, err := ClientHandshake(context.Background(), cconn, u, &DialOptions{Options: Options{Rand: repeatReader{7}}, HandshakeTimeout: time.Second})
		if time.Since(start) > 5*time.Second {
			t.Fatal("ClientHandshake hung")
		}
		if err == nil {
			r, perr := http.ReadResponse(bufio.NewReader(bytes.NewReader(resp)), nil)
			if perr != nil || r.StatusCode != 101 || r.Header.Get("Sec-WebSocket-Accept") != ComputeAccept(key) {
				t.Fatalf("accepted a response that §4.1 refuses: %q", resp)
			}
			c.CloseNow()
		}
		cconn.Close()
	})
}

// FuzzClosePayload: parsing a close frame's payload never panics; what it
// accepts has a code that may be on the wire (or none: 1005) and a UTF-8
// reason, and encodes back to the same bytes.
func FuzzClosePayload(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x03, 0xe8})
	f.Add([]byte{0x03, 0xe8, 'o', 'k'})
	f.Add([]byte{0x03})
	f.Add([]byte{0x03, 0xed})
	f.Add([]byte{0x0f, 0xa0, 0xff})
	f.Fuzz(func(t *testing.T, p []byte) {
		code, reason, v := ParseClosePayload(p)
		if v != nil {
			if v.Code != CloseProtocolError && v.Code != CloseInvalidPayload {
				t.Fatalf("% x: violation with code %v", p, v.Code)
			}
			return
		}
		if len(p) > maxControlPayload {
			// Longer than a control frame may be: CheckHeader refuses
			// the frame before its payload is parsed (§5.5), so nothing
			// round-trips. (This corpus entry found that.)
			return
		}
		if len(p) == 0 {
			if code != CloseNoStatusReceived {
				t.Fatalf("empty payload: code %v, want 1005", code)
			}
			return
		}
		if !code.ValidOnWire() || !utf8.ValidString(reason) {
			t.Fatalf("% x: accepted code %v, reason %q", p, code, reason)
		}
		re, err := AppendClosePayload(nil, code, reason)
		if err != nil || !bytes.Equal(re, p) {
			t.Fatalf("% x re-encodes to % x (%v)", p, re, err)
		}
	})
}

// FuzzClientRead is FuzzServerRead for the client: arbitrary bytes as if
// from a server.
func FuzzClientRead(f *testing.F) {
	f.Add(peerFrame(RoleClient, Header{Fin: true, Opcode: OpText}, []byte("Hello")))
	f.Add(append(peerFrame(RoleClient, Header{Opcode: OpText}, []byte("He")), peerFrame(RoleClient, Header{Fin: true, Opcode: OpPing}, []byte("x"))...))
	f.Add(peerFrame(RoleClient, Header{Fin: true, Opcode: OpClose}, []byte{0x03, 0xe8, 'o', 'k'}))
	f.Add(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("masked from a server")))
	f.Add([]byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, wire []byte) {
		sconn, cconn := net.Pipe()
		client := NewConn(cconn, RoleClient, nil, &Options{MessageLimit: 1 << 16, CloseTimeout: 50 * time.Millisecond})
		go io.Copy(io.Discard, sconn) // pongs and close frames
		go func() {
			sconn.Write(wire)
			sconn.Close()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for i := 0; i < 100; i++ {
			_, msg, err := client.ReadMessage(ctx)
			if err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					t.Fatal("read hung")
				}
				break
			}
			if len(msg) > 1<<16 {
				t.Fatalf("a message of %d bytes passed a limit of %d", len(msg), 1<<16)
			}
		}
		client.CloseNow()
	})
}

// FuzzConnection runs a whole connection, in either role, against a peer
// that sends arbitrary bytes and reads everything: our side echoes what
// it reads, as a server would. The connection must end with a close code
// or with the peer's end of the stream (1006), within a bound: never a
// panic, a hang, or a message beyond the limit.
func FuzzConnection(f *testing.F) {
	for _, server := range []bool{true, false} {
		role := RoleClient
		if server {
			role = RoleServer
		}
		f.Add(server, peerFrame(role, Header{Fin: true, Opcode: OpText}, []byte("Hello")))
		f.Add(server, append(peerFrame(role, Header{Fin: true, Opcode: OpPing}, []byte("hb")),
			peerFrame(role, Header{Fin: true, Opcode: OpClose}, []byte{0x03, 0xe8})...))
		f.Add(server, append(peerFrame(role, Header{Opcode: OpBinary}, []byte("a")), peerFrame(role, Header{Opcode: OpContinuation}, []byte("b"))...))
		f.Add(server, []byte{0x88, 0x80, 0, 0, 0, 0})
	}
	f.Fuzz(func(t *testing.T, server bool, wire []byte) {
		role := RoleClient
		if server {
			role = RoleServer
		}
		ours, peer := net.Pipe()
		const limit = 1 << 12
		c := NewConn(ours, role, nil, &Options{MessageLimit: limit, CloseTimeout: 50 * time.Millisecond, WriteTimeout: time.Second})
		go io.Copy(io.Discard, peer)
		go func() {
			peer.Write(wire)
			// The peer's end of the stream. (A peer that keeps the
			// connection open is bounded by the timeouts, tested apart.)
			peer.Close()
		}()
		ended := make(chan error, 1)
		go func() {
			ctx := context.Background()
			for {
				typ, msg, err := c.ReadMessage(ctx)
				if err != nil {
					ended <- err
					return
				}
				if len(msg) > limit {
					ended <- fmt.Errorf("a message of %d bytes passed the %d-byte limit", len(msg), limit)
					return
				}
				if err := c.WriteMessage(ctx, typ, msg); err != nil && !errors.Is(err, ErrCloseSent) {
					// The peer went away while we answered: the read
					// that follows reports how the connection ended.
					continue
				}
			}
		}()
		select {
		case err := <-ended:
			var v *Violation
			if _, ok := CloseStatus(err); !ok && !errors.As(err, &v) && !errors.Is(err, ErrClosed) {
				t.Fatalf("the connection ended with %v: neither a close code nor the end of the stream", err)
			}
			if strings.Contains(fmt.Sprint(err), "bytes passed the") {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the connection did not end")
		}
		c.CloseNow()
		<-c.Done()
	})
}
