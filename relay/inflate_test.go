package relay

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// deflateUpstream is a compressing echo server on loopback that keeps
// every message it read, and taps its connections' bytes.
type deflateUpstream struct {
	ln    net.Listener
	mu    sync.Mutex
	got   [][]byte
	conns []*tapConn
	wg    sync.WaitGroup
}

func startDeflateUpstream(t *testing.T, comp *protocol.CompressionOptions) *deflateUpstream {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &deflateUpstream{ln: ln}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			tc := &tapConn{Conn: nc}
			u.mu.Lock()
			u.conns = append(u.conns, tc)
			u.mu.Unlock()
			u.wg.Add(1)
			go func() {
				defer u.wg.Done()
				c, err := protocol.AcceptConn(context.Background(), tc, &protocol.AcceptOptions{
					Options:     protocol.Options{CloseTimeout: time.Second},
					CheckOrigin: protocol.AcceptAnyOrigin,
					Compression: comp,
				})
				if err != nil {
					tc.Close()
					return
				}
				defer c.CloseNow()
				for {
					typ, msg, err := c.ReadMessage(context.Background())
					if err != nil {
						return
					}
					u.mu.Lock()
					u.got = append(u.got, msg)
					u.mu.Unlock()
					if err := c.WriteMessage(context.Background(), typ, msg); err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); u.wg.Wait() })
	return u
}

// startInflatingRelay is startRelay with a decode limit.
func startInflatingRelay(t *testing.T, up string, st *capture.Store, limit int64) string {
	u, _ := url.Parse(up)
	r, err := New(Config{Upstream: u, Store: st, WriteTimeout: 2 * time.Second, LingerTimeout: 2 * time.Second, Keep: 1 << 20, InflateLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

func dialDeflate(t *testing.T, addr string, comp *protocol.CompressionOptions) *protocol.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := protocol.Dial(ctx, "ws://"+addr+"/", &protocol.DialOptions{
		Options:     protocol.Options{CloseTimeout: 2 * time.Second},
		Compression: comp,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Deflate() == nil {
		t.Fatal("permessage-deflate was not negotiated through the relay")
	}
	return c
}

// messages returns the inflated messages captured on connection 1 in
// direction d, once n of them are there (waiting boundedly).
func messages(t *testing.T, st *capture.Store, d capture.Dir, n int) []capture.Entry {
	for i := 0; i < 1000; i++ {
		var out []capture.Entry
		for _, e := range st.Window(1, 0, 100000) {
			if e.Kind == capture.KindMessage && e.Dir == d {
				out = append(out, e)
			}
		}
		if len(out) >= n {
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d inflated messages captured %s", n, d.Arrow())
	return nil
}

// TestRelayInflates: a compressing client and server talk through the
// relay; every compressed message is captured inflated, in both
// directions, equal to what was sent, whether each side keeps its
// context from message to message or not, and whether a message is one
// frame or several. The bytes on both legs are still the same.
func TestRelayInflates(t *testing.T) {
	cases := []struct {
		name string
		comp protocol.CompressionOptions
	}{
		{"context takeover", protocol.CompressionOptions{Threshold: -1}},
		{"no context takeover", protocol.CompressionOptions{Threshold: -1, ClientNoContextTakeover: true, ServerNoContextTakeover: true}},
		{"client takeover only, small windows", protocol.CompressionOptions{Threshold: -1, ServerNoContextTakeover: true, ClientMaxWindowBits: 9, ServerMaxWindowBits: 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			comp := tc.comp
			up := startDeflateUpstream(t, &comp)
			st := capture.NewStore(capture.Limits{Payload: 1 << 20})
			addr := startInflatingRelay(t, "ws://"+up.ln.Addr().String()+"/", st, 1<<20)
			c := dialDeflate(t, addr, &comp)
			ctx := context.Background()
			// Repeats make later messages point back into earlier ones
			// under context takeover.
			var sent [][]byte
			for i := 0; i < 6; i++ {
				sent = append(sent, []byte(strings.Repeat(fmt.Sprintf("message %d: hello, 世界! ", i%2), 40+i)))
			}
			sent = append(sent, []byte{})
			big := bytes.Repeat([]byte("0123456789abcdef"), 5000) // 80,000 bytes, past one 32 KiB piece
			sent = append(sent, big)
			for i, m := range sent {
				var err error
				if i%3 == 1 {
					// A compressed message in several frames: one DEFLATE
					// stream across them (RFC 7692 §7.2.1).
					err = c.WriteFragmented(ctx, protocol.TextMessage, m, 7)
				} else {
					err = c.WriteMessage(ctx, protocol.TextMessage, m)
				}
				if err != nil {
					t.Fatal(err)
				}
				if _, got, err := c.ReadMessage(ctx); err != nil || !bytes.Equal(got, m) {
					t.Fatalf("echo %d: %d bytes, %v", i, len(got), err)
				}
			}
			for _, d := range []capture.Dir{capture.ClientToServer, capture.ServerToClient} {
				got := messages(t, st, d, len(sent))
				if len(got) != len(sent) {
					t.Fatalf("%s: %d messages captured, sent %d", d.Arrow(), len(got), len(sent))
				}
				for i, e := range got {
					if e.Violation != nil {
						t.Errorf("%s message %d flagged: %v", d.Arrow(), i, e.Violation)
					}
					if !bytes.Equal(e.Unmasked, sent[i]) || e.Header.Length != uint64(len(sent[i])) || e.Header.Opcode != protocol.OpText {
						t.Errorf("%s message %d: captured %d bytes (%q…), sent %d", d.Arrow(), i, len(e.Unmasked), e.Unmasked[:min(20, len(e.Unmasked))], len(sent[i]))
					}
					if e.WireSize <= 0 && len(sent[i]) > 0 {
						t.Errorf("%s message %d: wire size %d", d.Arrow(), i, e.WireSize)
					}
					// Whole and kept: the message view can take it apart
					// into literals and back-references, as for serve.
					if !e.Decodable() {
						t.Errorf("%s message %d: not decodable (kept %d of %d compressed bytes)", d.Arrow(), i, len(e.Message.Compressed), e.WireSize)
					} else if dec, err := protocol.DecodeDeflate(e.Message.Window, e.Message.Compressed, 0); err != nil || !bytes.Equal(dec.Inflated, sent[i]) {
						t.Errorf("%s message %d: the token decoder says %v", d.Arrow(), i, err)
					}
				}
			}
			if err := c.Close(protocol.CloseNormal, ""); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, st, 1)
			// The relay only watches: what the client wrote the server read.
			up.mu.Lock()
			sr, sw := up.conns[0].bytes()
			up.mu.Unlock()
			var wire [2][]byte
			for _, e := range st.Window(1, 0, 100000) {
				if e.Kind == capture.KindFrame {
					wire[e.Dir.Index()] = append(wire[e.Dir.Index()], e.Wire...)
				}
			}
			if !bytes.HasSuffix(sr, wire[0]) || !bytes.HasSuffix(sw, wire[1]) || len(wire[0]) == 0 {
				t.Errorf("the frames captured are not the bytes the server read and wrote")
			}
		})
	}
}

// TestRelayInflateNegotiation: the handshake's agreement is what the
// relay inflates with, and it shows it on the response.
func TestRelayInflateNegotiation(t *testing.T) {
	comp := protocol.CompressionOptions{Threshold: -1, ClientNoContextTakeover: true, ServerMaxWindowBits: 10}
	up := startDeflateUpstream(t, &comp)
	st := capture.NewStore(capture.Limits{})
	addr := startInflatingRelay(t, "ws://"+up.ln.Addr().String()+"/", st, 1<<20)
	c := dialDeflate(t, addr, &comp)
	defer c.CloseNow()
	want := *c.Deflate()
	// The response is recorded just after it is forwarded: wait for it.
	for i := 0; i < 500; i++ {
		for _, e := range st.Window(1, 0, 10) {
			if e.Kind == capture.KindHandshake && !e.Handshake.Request {
				n := e.Handshake.Negotiation
				if n == nil || !n.Accepted || n.Agreed != want {
					t.Fatalf("negotiation on the response: %+v, the client agreed %+v", n, want)
				}
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no response captured")
}

// TestRelayInflateBombAndCorrupt: a message that inflates past the
// relay's limit is flagged with §10.4, and one that does not inflate
// with RFC 7692 §7.2.2; both are forwarded byte for byte, and the
// upstream sees them (and fails the connection as it must).
func TestRelayInflateBombAndCorrupt(t *testing.T) {
	d, err := protocol.NewDeflater(15)
	if err != nil {
		t.Fatal(err)
	}
	bomb := d.Compress(make([]byte, 4<<20)) // 4 MiB of zeros, a few KiB on the wire
	corrupt := []byte{0xff, 0xff, 0xff, 0xff, 0x00, 0x13}
	cases := []struct {
		name    string
		payload []byte
		section string
		close   protocol.CloseCode
	}{
		{"bomb", bomb, "10.4", protocol.CloseMessageTooBig},
		{"corrupt", corrupt, "7.2.2", protocol.CloseInvalidPayload},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			comp := protocol.CompressionOptions{Threshold: -1}
			up := startDeflateUpstream(t, &comp)
			st := capture.NewStore(capture.Limits{Payload: 1 << 20})
			const limit = 64 << 10
			addr := startInflatingRelay(t, "ws://"+up.ln.Addr().String()+"/", st, limit)
			c := dialDeflate(t, addr, &comp)
			defer c.CloseNow()
			ctx := context.Background()
			if err := c.WriteFrame(ctx, protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpBinary}, tc.payload); err != nil {
				t.Fatal(err)
			}
			got := messages(t, st, capture.ClientToServer, 1)[0]
			if got.Violation == nil || got.Violation.Section != tc.section || got.Violation.Code != tc.close {
				t.Errorf("violation %v, want §%s (%d)", got.Violation, tc.section, tc.close)
			}
			if len(got.Unmasked) > limit || got.Header.Length > limit+1 {
				t.Errorf("kept %d bytes, counted %d, past the limit %d", len(got.Unmasked), got.Header.Length, limit)
			}
			if got.WireSize != int64(len(tc.payload)) {
				t.Errorf("wire size %d, sent %d", got.WireSize, len(tc.payload))
			}
			// With context takeover, the messages after it cannot be
			// inflated: a note says so.
			var noted bool
			for i := 0; i < 500 && !noted; i++ {
				for _, e := range st.Window(1, 0, 100) {
					noted = noted || (e.Kind == capture.KindNote && strings.Contains(e.Note, "later compressed messages are not inflated"))
				}
				if !noted {
					time.Sleep(10 * time.Millisecond)
				}
			}
			if !noted {
				t.Errorf("no note that the context was lost")
			}
			// The frame reached the server whole: the relay forwards all.
			var frame []byte
			for _, e := range st.Window(1, 0, 100) {
				if e.Kind == capture.KindFrame && e.Dir == capture.ClientToServer {
					frame = e.Wire
				}
			}
			for i := 0; i < 500; i++ {
				up.mu.Lock()
				sr, _ := up.conns[0].bytes()
				up.mu.Unlock()
				if len(frame) > 0 && bytes.HasSuffix(sr, frame) {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			t.Errorf("the %d-byte frame never reached the server whole", len(frame))
		})
	}
}
