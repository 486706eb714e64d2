package protocol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// deflatePair returns a client and a server that negotiated
// permessage-deflate over loopback TCP, with the given policies.
func deflatePair(t testing.TB, cc, sc *CompressionOptions, copts, sopts *Options) (client, server *Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	var serr error
	go func() {
		defer close(done)
		nc, err := ln.Accept()
		if err != nil {
			serr = err
			return
		}
		ao := &AcceptOptions{Compression: sc}
		if sopts != nil {
			ao.Options = *sopts
		}
		server, serr = AcceptConn(context.Background(), nc, ao)
	}()
	do := &DialOptions{Compression: cc}
	if copts != nil {
		do.Options = *copts
	}
	client, err = Dial(context.Background(), "ws://"+ln.Addr().String()+"/", do)
	if err != nil {
		t.Fatal(err)
	}
	<-done
	if serr != nil {
		t.Fatal(serr)
	}
	t.Cleanup(func() { client.CloseNow(); server.CloseNow() })
	return client, server
}

// eventLog collects observer events.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) observe(e Event) { l.mu.Lock(); l.events = append(l.events, e); l.mu.Unlock() }

func (l *eventLog) messages(dir Direction) []*MessageEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*MessageEvent
	for _, e := range l.events {
		if m, ok := e.(*MessageEvent); ok && m.Dir == dir {
			out = append(out, m)
		}
	}
	return out
}

// TestDeflateNegotiatedOverTCP: every parameter combination, both
// directions, messages from 0 B to 1 MiB, text and binary, whole,
// fragmented and streamed, hundreds in a row. For every compressed message
// the observer's bytes are decoded by the token decoder, which must give
// back the message and find no back-reference beyond the agreed window.
func TestDeflateNegotiatedOverTCP(t *testing.T) {
	sizes := []int{0, 1, 5, 63, 64, 200, 1000, 4096, 70000, 1 << 20}
	for _, tc := range []struct {
		name   string
		cc, sc CompressionOptions
	}{
		{"defaults (context takeover both ways)", CompressionOptions{Threshold: -1}, CompressionOptions{Threshold: -1}},
		{"no context takeover asked by client", CompressionOptions{ServerNoContextTakeover: true, ClientNoContextTakeover: true, Threshold: -1}, CompressionOptions{Threshold: -1}},
		{"no context takeover imposed by server", CompressionOptions{Threshold: -1}, CompressionOptions{ServerNoContextTakeover: true, ClientNoContextTakeover: true, Threshold: -1}},
		{"small windows", CompressionOptions{ServerMaxWindowBits: 9, ClientMaxWindowBits: 8, Threshold: -1}, CompressionOptions{Threshold: -1}},
		{"server limits client window", CompressionOptions{Threshold: -1}, CompressionOptions{ClientMaxWindowBits: 10, ServerMaxWindowBits: 11, Threshold: -1}},
		{"threshold", CompressionOptions{}, CompressionOptions{Threshold: 1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var clog, slog eventLog
			client, server := deflatePair(t, &tc.cc, &tc.sc, &Options{Observer: clog.observe}, &Options{Observer: slog.observe, MessageLimit: 2 << 20})
			if client.Deflate() == nil || server.Deflate() == nil || *client.Deflate() != *server.Deflate() {
				t.Fatalf("agreements differ: client %+v, server %+v", client.Deflate(), server.Deflate())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			// The server echoes; the client sends in three ways.
			go func() {
				for {
					typ, r, err := server.NextReader(ctx)
					if err != nil {
						return
					}
					msg, err := io.ReadAll(r)
					if err != nil {
						return
					}
					if err := server.WriteFragmented(ctx, typ, msg, len(msg)/3); err != nil {
						return
					}
				}
			}()
			text := strings.Repeat("permessage-deflate 压缩 ", 1<<16)
			var sent [][]byte
			for round := 0; round < 3; round++ {
				for _, n := range sizes {
					typ := BinaryMessage
					msg := []byte(text[:n])
					if n%2 == 0 && n > 0 {
						typ = TextMessage
						msg = []byte(strings.ToValidUTF8(text[:n], ""))
					}
					var err error
					switch round {
					case 0:
						err = client.WriteMessage(ctx, typ, msg)
					case 1:
						err = client.WriteFragmented(ctx, typ, msg, 1000)
					case 2:
						var w io.WriteCloser
						if w, err = client.NextWriter(ctx, typ); err == nil {
							for rest := msg; len(rest) > 0 && err == nil; {
								k := min(len(rest), 777)
								_, err = w.Write(rest[:k])
								rest = rest[k:]
							}
							if err == nil {
								err = w.Close()
							}
						}
					}
					if err != nil {
						t.Fatalf("round %d, %d bytes: %v", round, n, err)
					}
					_, got, err := client.ReadMessage(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, msg) {
						t.Fatalf("round %d: %d bytes came back as %d different bytes", round, len(msg), len(got))
					}
					sent = append(sent, msg)
				}
			}
			// Many small messages in a row, so that context takeover
			// reaches back across hundreds of messages.
			for i := 0; i < 300; i++ {
				msg := []byte(fmt.Sprintf("message %d of a long conversation: %s", i, strings.ToValidUTF8(text[:i%100], "")))
				if err := client.WriteMessage(ctx, TextMessage, msg); err != nil {
					t.Fatal(err)
				}
				if _, got, err := client.ReadMessage(ctx); err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("message %d: %q, %v", i, got, err)
				}
				sent = append(sent, msg)
			}
			agreed := *client.Deflate()
			for _, side := range []struct {
				log  *eventLog
				bits int
			}{{&clog, agreed.ClientMaxWindowBits}, {&slog, agreed.ServerMaxWindowBits}} {
				msgs := side.log.messages(Sent)
				if tc.cc.Threshold < 0 && len(msgs) == 0 {
					t.Fatal("no compressed message was observed")
				}
				for i, m := range msgs {
					if m.WindowBits > side.bits {
						t.Fatalf("message %d was compressed with a %d-bit window, agreed %d", i, m.WindowBits, side.bits)
					}
					dec, err := DecodeDeflate(m.Window, m.Compressed, 0)
					if err != nil {
						t.Fatalf("message %d: %v", i, err)
					}
					if !bytes.Equal(dec.Inflated, m.Inflated) {
						t.Fatalf("message %d: the compressed bytes do not decode to the message", i)
					}
					if dec.MaxDistance > 1<<side.bits {
						t.Fatalf("message %d: back-reference %d bytes back, window %d", i, dec.MaxDistance, 1<<side.bits)
					}
					if len(m.Inflated) < tc.sc.threshold() && m.Role == RoleServer {
						t.Fatalf("server compressed a %d-byte message below its threshold %d", len(m.Inflated), tc.sc.threshold())
					}
				}
			}
			// The client observed sending the messages it sent, in order:
			// every one with no threshold, the ones at or above it
			// otherwise.
			csent := clog.messages(Sent)
			next := 0
			for i, m := range csent {
				for next < len(sent) && !bytes.Equal(sent[next], m.Inflated) {
					next++
				}
				if next == len(sent) {
					t.Fatalf("client observed sending compressed message %d (%d bytes), not one it sent, in order", i, len(m.Inflated))
				}
				next++
			}
			if tc.cc.Threshold < 0 && len(csent) != len(sent) {
				t.Fatalf("client observed %d compressed messages sent, sent %d with no threshold", len(csent), len(sent))
			}
			// What the server received, it observed inflated, equal to
			// what the client observed sending.
			srecv := slog.messages(Received)
			if len(srecv) != len(csent) {
				t.Fatalf("server observed %d received compressed messages, client %d sent", len(srecv), len(csent))
			}
			for i := range srecv {
				if !bytes.Equal(srecv[i].Inflated, csent[i].Inflated) {
					t.Fatalf("compressed message %d: server observed receiving %d bytes, client observed sending %d different bytes", i, len(srecv[i].Inflated), len(csent[i].Inflated))
				}
			}
		})
	}
}

// rawPair is a connection whose other end is a plain net.Conn, for
// sending exact bytes.
func rawPair(t *testing.T, role Role, a DeflateAgreement, opts *Options) (*Conn, net.Conn) {
	t.Helper()
	ours, theirs := net.Pipe()
	if opts == nil {
		opts = &Options{}
	}
	// The peer here never closes TCP: do not wait long for it.
	opts.CloseTimeout = 100 * time.Millisecond
	c := NewConn(ours, role, nil, opts)
	c.enableDeflate(a, &CompressionOptions{Threshold: -1})
	t.Cleanup(func() { c.CloseNow(); theirs.Close() })
	return c, theirs
}

// frameBytes builds a frame, masked if mask is set.
func frameBytes(h Header, payload []byte, mask bool) []byte {
	h.Length = uint64(len(payload))
	if mask {
		h.Masked, h.MaskKey = true, [4]byte{0x37, 0xfa, 0x21, 0x3d}
	}
	b := AppendHeader(nil, h)
	p := append([]byte(nil), payload...)
	if mask {
		Mask(h.MaskKey, 0, p)
	}
	return append(b, p...)
}

var fullAgreement = DeflateAgreement{ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}

// TestDeflateRFC7692BytesReceived: the RFC's example payloads, received
// by a server (masked) and by a client, with context takeover; the
// §7.2.3 variant with BFINAL set; and an empty compressed message.
func TestDeflateRFC7692BytesReceived(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		t.Run(role.String(), func(t *testing.T) {
			c, peer := rawPair(t, role, fullAgreement, nil)
			mask := role == RoleServer
			go func() {
				for _, p := range [][]byte{
					{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, // §7.2.3.1
					{0xf2, 0x00, 0x11, 0x00, 0x00},             // §7.2.3.2, back into the first
					{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, // BFINAL set on the block
					{0x00}, // the empty message
					{},     // the empty message, no bytes at all
				} {
					peer.Write(frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, p, mask))
				}
				// "Hello" in two frames with a ping between them.
				peer.Write(frameBytes(Header{Rsv1: true, Opcode: OpText}, []byte{0xf2, 0x48, 0xcd}, mask))
				peer.Write(frameBytes(Header{Fin: true, Opcode: OpPing}, []byte("between"), mask))
				peer.Write(frameBytes(Header{Fin: true, Opcode: OpContinuation}, []byte{0xc9, 0xc9, 0x07, 0x00}, mask))
			}()
			go io.Copy(io.Discard, peer) // the pong
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for i, want := range []string{"Hello", "Hello", "Hello", "", "", "Hello"} {
				typ, got, err := c.ReadMessage(ctx)
				if err != nil || typ != TextMessage || string(got) != want {
					t.Fatalf("message %d: %v %q %v, want %q", i, typ, got, err, want)
				}
			}
		})
	}
}

// TestDeflateRFC7692BytesSent: "Hello" from a server is exactly the
// frame of RFC 7692 §7.2.3.1 (c1 07 f2 48 cd c9 c9 07 00).
func TestDeflateRFC7692BytesSent(t *testing.T) {
	c, peer := rawPair(t, RoleServer, fullAgreement, nil)
	got := make(chan []byte, 1)
	go func() {
		b := make([]byte, 9)
		io.ReadFull(peer, b)
		got <- b
	}()
	if err := c.WriteMessage(context.Background(), TextMessage, []byte("Hello")); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}) {
		t.Fatalf("wire % x", b)
	}
}

// failsWith reads from c after the peer sent frames, and checks the
// connection failed with code, and that the peer got a close frame with it.
func failsWith(t *testing.T, c *Conn, peer net.Conn, code CloseCode, frames ...[]byte) error {
	t.Helper()
	go func() {
		for _, f := range frames {
			peer.Write(f)
		}
	}()
	closeFrame := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(peer)
		closeFrame <- b
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	for err == nil {
		_, _, err = c.ReadMessage(ctx)
	}
	var v *Violation
	if !errors.As(err, &v) || v.Code != code {
		t.Fatalf("read error %v, want a violation with %d", err, code)
	}
	c.CloseNow()
	b := <-closeFrame
	if len(b) >= 8 && b[1]&0x80 != 0 { // a client's close frame is masked
		Mask([4]byte(b[2:6]), 0, b[6:])
		b = append(b[:2], b[6:]...)
	}
	if len(b) < 4 || b[0] != 0x88 || CloseCode(uint16(b[2])<<8|uint16(b[3])) != code {
		t.Fatalf("peer got % x, want a close frame with %d", b, code)
	}
	return err
}

func TestDeflateRSV1Misuse(t *testing.T) {
	hello := []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}
	t.Run("continuation", func(t *testing.T) {
		c, peer := rawPair(t, RoleServer, fullAgreement, nil)
		err := failsWith(t, c, peer, CloseProtocolError,
			frameBytes(Header{Rsv1: true, Opcode: OpText}, hello[:3], true),
			frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpContinuation}, hello[3:], true))
		if !strings.Contains(err.Error(), "RFC 7692 §6") {
			t.Errorf("error %q does not cite RFC 7692 §6", err)
		}
	})
	t.Run("ping", func(t *testing.T) {
		c, peer := rawPair(t, RoleClient, fullAgreement, nil)
		failsWith(t, c, peer, CloseProtocolError, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpPing}, nil, false))
	})
	t.Run("not negotiated", func(t *testing.T) {
		ours, peer := net.Pipe()
		c := NewConn(ours, RoleClient, nil, &Options{CloseTimeout: 100 * time.Millisecond})
		t.Cleanup(func() { c.CloseNow(); peer.Close() })
		failsWith(t, c, peer, CloseProtocolError, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, hello, false))
	})
	t.Run("RSV2 stays reserved", func(t *testing.T) {
		c, peer := rawPair(t, RoleClient, fullAgreement, nil)
		failsWith(t, c, peer, CloseProtocolError, frameBytes(Header{Fin: true, Rsv2: true, Opcode: OpText}, hello, false))
	})
}

func TestDeflateCorruptData(t *testing.T) {
	for name, payload := range map[string][]byte{
		"reserved block type": {0x07, 0x00},
		"cut off block":       {0xf2, 0x48},
		"bad stored length":   {0x01, 0x05, 0x00, 0x00, 0x00},
	} {
		t.Run(name, func(t *testing.T) {
			c, peer := rawPair(t, RoleClient, fullAgreement, nil)
			err := failsWith(t, c, peer, CloseInvalidPayload, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpBinary}, payload, false))
			if !strings.Contains(err.Error(), "does not inflate") {
				t.Errorf("error %q does not say the data does not inflate", err)
			}
		})
	}
	t.Run("invalid UTF-8 once inflated", func(t *testing.T) {
		c, peer := rawPair(t, RoleClient, fullAgreement, nil)
		d := newDeflater(15)
		d.write([]byte("ok \xff"))
		failsWith(t, c, peer, CloseInvalidPayload, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, d.finish(), false))
	})
}

// TestDeflateBomb: a small compressed message that inflates past the
// limit fails with 1009 once the limit is passed, having allocated about
// the limit, not the inflated size.
func TestDeflateBomb(t *testing.T) {
	const limit = 1 << 20
	d := newDeflater(15)
	big := make([]byte, 64<<20)
	d.write(big)
	bomb := append([]byte(nil), d.finish()...)
	big = nil
	c, peer := rawPair(t, RoleClient, fullAgreement, &Options{MessageLimit: limit})
	frame := frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpBinary}, bomb, false)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := failsWith(t, c, peer, CloseMessageTooBig, frame)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*limit {
		t.Fatalf("a %d-byte bomb (64 MiB inflated) made the reader allocate %d bytes with a limit of %d", len(bomb), alloc, limit)
	}
	if !strings.Contains(err.Error(), "1009") {
		t.Errorf("error %q", err)
	}
	t.Logf("bomb of %d bytes refused after %d bytes allocated: %v", len(bomb), after.TotalAlloc-before.TotalAlloc, err)
}

// TestDeflateSteadyStateAllocs: once warm, sending and receiving a
// compressed message allocates (almost) nothing.
func TestDeflateSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	for _, takeover := range []bool{true, false} {
		t.Run(fmt.Sprintf("takeover=%v", takeover), func(t *testing.T) {
			opts := &CompressionOptions{Threshold: -1, ServerNoContextTakeover: !takeover, ClientNoContextTakeover: !takeover}
			client, server := deflatePair(t, opts, opts, nil, nil)
			msg := []byte(strings.Repeat("steady state message ", 50))
			buf := make([]byte, 4096)
			ctx := context.Background()
			roundTrip := func() {
				if err := client.WriteMessage(ctx, TextMessage, msg); err != nil {
					t.Fatal(err)
				}
				_, r, err := server.NextReader(ctx)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for err == nil {
					var k int
					k, err = r.Read(buf[n:])
					n += k
				}
				if err != io.EOF || n != len(msg) {
					t.Fatalf("read %d bytes, %v", n, err)
				}
			}
			for i := 0; i < 10; i++ {
				roundTrip()
			}
			if a := testing.AllocsPerRun(200, roundTrip); a > 1 {
				t.Errorf("%.1f allocations per compressed message", a)
			}
		})
	}
}

// TestDeflatePooledCompressorForgetsItsPast is the regression test for a
// compressor taken from the pool (where connections without context
// takeover leave theirs) keeping the previous connection's window: a
// connection with context takeover then sent back-references to bytes
// its peer never saw.
func TestDeflatePooledCompressorForgetsItsPast(t *testing.T) {
	noTakeover := &CompressionOptions{Threshold: -1, ClientNoContextTakeover: true}
	c1, s1 := deflatePair(t, noTakeover, &CompressionOptions{Threshold: -1}, nil, nil)
	ctx := context.Background()
	secret := []byte(strings.Repeat("only the first connection saw this ", 20))
	if err := c1.WriteMessage(ctx, TextMessage, secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s1.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	// The same window size, context takeover: it may get c1's compressor.
	c2, s2 := deflatePair(t, &CompressionOptions{Threshold: -1}, &CompressionOptions{Threshold: -1}, nil, nil)
	for i := 0; i < 3; i++ {
		if err := c2.WriteMessage(ctx, TextMessage, secret); err != nil {
			t.Fatal(err)
		}
		if _, got, err := s2.ReadMessage(ctx); err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("message %d: %v", i, err)
		}
	}
}

// TestDeflateWriteFrameSendsCompressedBytes: a lesson sends the RFC 7692
// §7.2.3 bytes itself with WriteFrame, RSV1 set, and the peer inflates
// them (the text check waits for the inflated text).
func TestDeflateWriteFrameSendsCompressedBytes(t *testing.T) {
	client, server := deflatePair(t, &CompressionOptions{}, &CompressionOptions{}, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, p := range [][]byte{{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, {0xf2, 0x00, 0x11, 0x00, 0x00}} {
		if err := client.WriteFrame(ctx, Header{Fin: true, Rsv1: true, Opcode: OpText}, p); err != nil {
			t.Fatal(err)
		}
		if _, got, err := server.ReadMessage(ctx); err != nil || string(got) != "Hello" {
			t.Fatalf("% x arrived as %q, %v", p, got, err)
		}
	}
}

// TestDeflateMessageAtTheLimit: a compressed message that inflates to
// exactly the limit is delivered, in a buffer no bigger than the limit
// (plus the byte that reads its end); one byte more fails with 1009.
func TestDeflateMessageAtTheLimit(t *testing.T) {
	const limit = 100000
	client, server := deflatePair(t, &CompressionOptions{Threshold: -1}, &CompressionOptions{Threshold: -1}, nil, &Options{MessageLimit: limit})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := bytes.Repeat([]byte("at the limit "), limit/13+1)[:limit]
	if err := client.WriteMessage(ctx, BinaryMessage, msg); err != nil {
		t.Fatal(err)
	}
	_, got, err := server.ReadMessage(ctx)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("%d bytes, %v", len(got), err)
	}
	if cap(got) > limit+1 {
		t.Fatalf("a message of the limit's size came in a buffer of %d bytes", cap(got))
	}
	if err := client.WriteMessage(ctx, BinaryMessage, append(msg, 'x')); err != nil {
		t.Fatal(err)
	}
	if _, _, err := server.ReadMessage(ctx); !strings.Contains(fmt.Sprint(err), "close 1009") {
		t.Fatalf("one byte over the limit: %v", err)
	}
}

// FuzzDeflateMessage sends arbitrary bytes as a compressed message (split
// in two frames) to a client: it must deliver a message or fail the
// connection with 1002, 1007 or 1009, never panic or hang.
func FuzzDeflateMessage(f *testing.F) {
	f.Add([]byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, true, 3)
	f.Add([]byte{0x07, 0x00}, false, 0)
	f.Fuzz(func(t *testing.T, payload []byte, text bool, split int) {
		ours, peer := net.Pipe()
		c := NewConn(ours, RoleClient, nil, &Options{MessageLimit: 1 << 16, CloseTimeout: 50 * time.Millisecond})
		c.enableDeflate(fullAgreement, &CompressionOptions{})
		defer func() { c.CloseNow(); peer.Close() }()
		op := OpBinary
		if text {
			op = OpText
		}
		split = min(max(split, 0), len(payload))
		go func() {
			peer.Write(frameBytes(Header{Rsv1: true, Opcode: op}, payload[:split], false))
			peer.Write(frameBytes(Header{Fin: true, Opcode: OpContinuation}, payload[split:], false))
		}()
		go io.Copy(io.Discard, peer)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, msg, err := c.ReadMessage(ctx)
		if err == nil {
			if len(msg) > 1<<16 {
				t.Fatalf("delivered %d bytes past the limit", len(msg))
			}
			return
		}
		var v *Violation
		if !errors.As(err, &v) || (v.Code != CloseProtocolError && v.Code != CloseInvalidPayload && v.Code != CloseMessageTooBig) {
			t.Fatalf("error %v", err)
		}
	})
}

// TestDeflateSentFragmentsWithPingBetween: a compressed message streamed
// in several frames, with a ping sent between two of them; the peer gets
// RSV1 on the first frame only, the ping in between, and the message.
func TestDeflateSentFragmentsWithPingBetween(t *testing.T) {
	var slog eventLog
	pinged := make(chan string, 1)
	client, server := deflatePair(t, &CompressionOptions{}, &CompressionOptions{},
		&Options{FragmentSize: 64}, &Options{Observer: slog.observe, OnPing: func(p []byte) { pinged <- string(p) }})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := []byte(strings.Repeat("a fragmented compressed message; ", 200))
	done := make(chan error, 1)
	go func() {
		_, got, err := server.ReadMessage(ctx)
		if err == nil && !bytes.Equal(got, msg) {
			err = fmt.Errorf("got %d different bytes", len(got))
		}
		done <- err
	}()
	w, err := client.NextWriter(ctx, TextMessage)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(msg[:len(msg)/2])
	if err := client.Ping(ctx, []byte("between")); err != nil {
		t.Fatal(err)
	}
	w.Write(msg[len(msg)/2:])
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if p := <-pinged; p != "between" {
		t.Fatalf("ping %q", p)
	}
	var ops []string
	slog.mu.Lock()
	events := append([]Event(nil), slog.events...)
	slog.mu.Unlock()
	for _, e := range events {
		if f, ok := e.(*FrameEvent); ok && f.Dir == Received {
			ops = append(ops, fmt.Sprintf("%s rsv1=%v", f.Header.Opcode, f.Header.Rsv1))
		}
	}
	if len(ops) < 3 || ops[0] != "text rsv1=true" {
		t.Fatalf("frames %v", ops)
	}
	sawPing := false
	for _, o := range ops[1:] {
		switch o {
		case "ping rsv1=false":
			sawPing = true
		case "continuation rsv1=false":
		default:
			t.Fatalf("frame %q after the first; frames %v", o, ops)
		}
	}
	if !sawPing || ops[len(ops)-1] == "ping rsv1=false" {
		t.Fatalf("the ping did not come between the fragments: %v", ops)
	}
}

// TestDeflateObserveHeadersOnly: with ObserveHeadersOnly the message
// event still says how big the message was on the wire and inflated, and
// copies no bytes.
func TestDeflateObserveHeadersOnly(t *testing.T) {
	var slog eventLog
	client, server := deflatePair(t, &CompressionOptions{Threshold: -1}, &CompressionOptions{Threshold: -1},
		nil, &Options{Observer: slog.observe, ObserveHeadersOnly: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := bytes.Repeat([]byte("headers only "), 100)
	if err := client.WriteMessage(ctx, TextMessage, msg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := server.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	got := slog.messages(Received)
	if len(got) != 1 || got[0].InflatedLen != int64(len(msg)) || got[0].WireLen == 0 || got[0].WireLen >= int64(len(msg)) ||
		got[0].Inflated != nil || got[0].Compressed != nil || got[0].Window != nil {
		t.Fatalf("events %+v", got)
	}
}
