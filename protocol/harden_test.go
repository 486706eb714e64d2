package protocol

// Regression tests for hostile or stalled peers: a ping flood from a peer
// that never reads, a read that times out in the middle of a message, a
// header that claims more than will ever come, an endless fragmented
// message, payload copies nobody asked for, a peer that stops reading and
// one that dribbles.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// peerFrame builds a frame as the peer of role would send it: masked if
// the peer is a client (§5.1).
func peerFrame(role Role, h Header, payload []byte) []byte {
	if role == RoleServer {
		return clientFrame(h, payload)
	}
	h.Length = uint64(len(payload))
	return append(AppendHeader(nil, h), payload...)
}

// totalAlloc returns the bytes allocated so far by the whole program.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// TestPingFloodDoesNotPinTheReader: a peer that floods pings and never
// reads makes every pong write block. The read must still return when its
// context ends, in both roles, and with no context at all, when
// WriteTimeout strikes.
func TestPingFloodDoesNotPinTheReader(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, withCtx := range []bool{true, false} {
			name := role.String() + "/context"
			if !withCtx {
				name = role.String() + "/write-timeout"
			}
			t.Run(name, func(t *testing.T) {
				ours, peer := net.Pipe() // unbuffered: a write blocks until the peer reads
				defer peer.Close()
				opts := &Options{CloseTimeout: 100 * time.Millisecond}
				ctx := context.Background()
				if withCtx {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, 200*time.Millisecond)
					defer cancel()
				} else {
					opts.WriteTimeout = 200 * time.Millisecond
				}
				c := NewConn(ours, role, nil, opts)
				defer c.CloseNow()
				ping := peerFrame(role, Header{Fin: true, Opcode: OpPing}, []byte("flood"))
				go func() {
					for {
						if _, err := peer.Write(ping); err != nil {
							return
						}
					}
				}()
				errc := make(chan error, 1)
				go func() { _, _, err := c.ReadMessage(ctx); errc <- err }()
				select {
				case err := <-errc:
					if withCtx && !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("read: %v, want the context's deadline", err)
					}
					if !withCtx && !errors.Is(err, ErrWriteTimeout) {
						t.Errorf("read: %v, want an error wrapping ErrWriteTimeout", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("the read is still blocked after 5s: the pong write pins the reader")
				}
				// A pong that could not go out leaves a frame half
				// written: the connection is closed, and says why.
				select {
				case <-c.Done():
				case <-time.After(time.Second):
					t.Error("the connection is still open after its pong failed")
				}
				if _, _, err := c.ReadMessage(context.Background()); err == nil || !strings.Contains(err.Error(), "pong") {
					t.Errorf("the next read: %v, want the pong's failure", err)
				}
			})
		}
	}
}

// TestReadMessageResumesAfterTimeout: a ReadMessage whose context ends in
// the middle of a message must not lose it: the next read returns that
// message whole, then the next one. Through ReadMessage, and through
// NextReader.
func TestReadMessageResumesAfterTimeout(t *testing.T) {
	for _, next := range []string{"ReadMessage", "NextReader"} {
		t.Run(next, func(t *testing.T) {
			ours, peer := net.Pipe()
			defer peer.Close()
			c := NewConn(ours, RoleServer, nil, &Options{CloseTimeout: 100 * time.Millisecond})
			defer c.CloseNow()
			f1 := clientFrame(Header{Opcode: OpText}, []byte("first "))
			f2 := clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("message, cut in the middle"))
			f3 := clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("second"))
			gate := make(chan struct{})
			go func() {
				peer.Write(append(f1, f2[:12]...)) // the first frame, and part of the second
				<-gate
				peer.Write(append(f2[12:], f3...))
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if _, _, err := c.ReadMessage(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("first read: %v, want the context's deadline", err)
			}
			close(gate)
			var typ MessageType
			var got []byte
			var err error
			if next == "ReadMessage" {
				typ, got, err = c.ReadMessage(context.Background())
			} else {
				var r io.Reader
				typ, r, err = c.NextReader(context.Background())
				if err == nil {
					got, err = io.ReadAll(r)
				}
			}
			if err != nil || typ != TextMessage || string(got) != "first message, cut in the middle" {
				t.Fatalf("after the timeout: %v %q %v, want message 1 whole", typ, got, err)
			}
			typ, got, err = c.ReadMessage(context.Background())
			if err != nil || typ != BinaryMessage || string(got) != "second" {
				t.Fatalf("then: %v %q %v, want message 2", typ, got, err)
			}
		})
	}
}

// TestClaimedLengthIsNotAllocated: a header claiming nearly the message
// limit, followed by a few bytes, must cost memory for those bytes, not
// for the claim (1,000 such connections must not hold gigabytes).
func TestClaimedLengthIsNotAllocated(t *testing.T) {
	ours, peer := net.Pipe()
	c := NewConn(ours, RoleServer, nil, &Options{CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	hdr := AppendHeader(nil, Header{Fin: true, Opcode: OpBinary, Length: DefaultMessageLimit - 1, Masked: true, MaskKey: [4]byte{1, 2, 3, 4}})
	go func() {
		peer.Write(hdr)
		peer.Write(make([]byte, 100))
		peer.Close()
	}()
	before := totalAlloc()
	if _, _, err := c.ReadMessage(context.Background()); err == nil {
		t.Fatal("a message cut short was returned")
	}
	if d := totalAlloc() - before; d > 64<<10 {
		t.Errorf("a header claiming %d bytes and 100 bytes of payload made the read allocate %d bytes", DefaultMessageLimit-1, d)
	}
}

// TestEndlessFragmentsStayWithinLimit: an endless fragmented message is
// refused with 1009 at the limit, having allocated about twice the limit
// in all (a doubling buffer), not several times it.
func TestEndlessFragmentsStayWithinLimit(t *testing.T) {
	const limit = 4 << 20
	ours, peer := net.Pipe()
	c := NewConn(ours, RoleClient, nil, &Options{MessageLimit: limit, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	chunk := make([]byte, 64<<10)
	first := peerFrame(RoleClient, Header{Opcode: OpBinary}, chunk)
	cont := peerFrame(RoleClient, Header{Opcode: OpContinuation}, chunk)
	go io.Copy(io.Discard, peer) // the close frame must get out
	go func() {
		if _, err := peer.Write(first); err != nil {
			return
		}
		for {
			if _, err := peer.Write(cont); err != nil {
				return
			}
		}
	}()
	before := totalAlloc()
	_, _, err := c.ReadMessage(context.Background())
	used := totalAlloc() - before
	var v *Violation
	if !errors.As(err, &v) || v.Code != CloseMessageTooBig {
		t.Fatalf("read: %v, want 1009", err)
	}
	if used > limit*5/2 {
		t.Errorf("refusing an endless message at a %d-byte limit allocated %d bytes (%.1fx)", limit, used, float64(used)/limit)
	}
	peer.Close()
}

// TestHeadersOnlyObserverGetsNoPayloads: an observer that asked for
// headers only gets no payload copies, and reading costs about the message
// itself.
func TestHeadersOnlyObserverGetsNoPayloads(t *testing.T) {
	events := make(chan *FrameEvent, 16)
	obs := func(e Event) {
		if fe, ok := e.(*FrameEvent); ok {
			events <- fe
		}
	}
	client, server := connPair(t, nil, &Options{Observer: obs, ObserveHeadersOnly: true})
	msg := bytes.Repeat([]byte("x"), 1<<20)
	go client.WriteMessage(context.Background(), BinaryMessage, msg)
	before := totalAlloc()
	_, got, err := server.ReadMessage(context.Background())
	used := totalAlloc() - before
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("read: %d bytes, %v", len(got), err)
	}
	if err := server.WriteMessage(context.Background(), BinaryMessage, got); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		fe := <-events
		if fe.Payload != nil || fe.Unmasked != nil || fe.RawHeader == nil {
			t.Errorf("%s frame: payload %d bytes, unmasked %d, raw header % x; want the header only", fe.Dir, len(fe.Payload), len(fe.Unmasked), fe.RawHeader)
		}
	}
	if used > 5<<20/2 {
		t.Errorf("reading 1 MiB with a headers-only observer allocated %d bytes", used)
	}
}

// TestWriteTimeoutDropsAPeerThatDoesNotRead: a write to a peer that never
// reads fails within WriteTimeout, and the connection is closed.
func TestWriteTimeoutDropsAPeerThatDoesNotRead(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: 200 * time.Millisecond})
	errc := make(chan error, 1)
	go func() { errc <- c.WriteMessage(context.Background(), BinaryMessage, make([]byte, 1<<20)) }()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrWriteTimeout) {
			t.Errorf("write: %v, want an error wrapping ErrWriteTimeout", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a write to a peer that never reads is still blocked after 5s")
	}
	select {
	case <-c.Done():
	case <-time.After(time.Second):
		t.Error("the connection is still open after its write timed out")
	}
}

// TestIdleTimeoutDropsADribbler: a peer that sends a frame a byte at a
// time is dropped by IdleTimeout, with 1001, even though bytes keep coming.
func TestIdleTimeoutDropsADribbler(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	c := NewConn(ours, RoleServer, nil, &Options{IdleTimeout: 300 * time.Millisecond, CloseTimeout: 200 * time.Millisecond})
	defer c.CloseNow()
	frame := clientFrame(Header{Fin: true, Opcode: OpText}, bytes.Repeat([]byte("a"), 100))
	go func() {
		for _, b := range frame {
			if _, err := peer.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(30 * time.Millisecond)
		}
	}()
	start := time.Now()
	_, _, err := c.ReadMessage(context.Background())
	if !errors.Is(err, ErrIdleTimeout) {
		t.Fatalf("read: %v, want an error wrapping ErrIdleTimeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the dribbler was dropped after %v", d)
	}
}

// TestIdleTimeoutSparesALivePeer: frames that keep coming, control frames
// included, keep an idle clock from striking, and a read with its own
// shorter context is not mistaken for idleness.
func TestIdleTimeoutSparesALivePeer(t *testing.T) {
	client, server := connPair(t, nil, &Options{IdleTimeout: 400 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := server.ReadMessage(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read with a short context: %v", err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; i < 10; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			client.Ping(context.Background(), nil)
		}
		client.WriteMessage(context.Background(), TextMessage, []byte("after a second of pings"))
	}()
	if _, msg, err := server.ReadMessage(context.Background()); err != nil || string(msg) != "after a second of pings" {
		t.Fatalf("read: %q, %v", msg, err)
	}
}

// TestIdleClockStopsWhileNobodyReads: the idle clock runs while a read
// waits on the peer, not while the application does something else
// between a read that timed out and the one that resumes it.
func TestIdleClockStopsWhileNobodyReads(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	c := NewConn(ours, RoleServer, nil, &Options{IdleTimeout: 300 * time.Millisecond, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	frame := clientFrame(Header{Fin: true, Opcode: OpText}, []byte("half now, half later"))
	gate := make(chan struct{})
	go func() {
		peer.Write(frame[:10])
		<-gate
		peer.Write(frame[10:])
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := c.ReadMessage(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first read: %v", err)
	}
	time.Sleep(500 * time.Millisecond) // longer than the idle timeout, but nobody is reading
	close(gate)
	if _, msg, err := c.ReadMessage(context.Background()); err != nil || string(msg) != "half now, half later" {
		t.Fatalf("resumed read: %q, %v", msg, err)
	}
}

// tcpPair returns the two ends of a loopback TCP connection, with small
// socket buffers so that a slow reader is felt by the writer at once.
func tcpPair(t *testing.T) (ours, peer *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	d, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}
	ours, peer = a.(*net.TCPConn), d.(*net.TCPConn)
	ours.SetWriteBuffer(64 << 10)
	peer.SetReadBuffer(64 << 10)
	t.Cleanup(func() { ours.Close(); peer.Close() })
	return ours, peer
}

// TestWriteTimeoutSparesASlowReader: WriteTimeout bounds a peer that
// stopped reading, not throughput. A TCP peer that reads steadily but
// slowly (about 100 KB/s: it takes some bytes within every WriteTimeout,
// never the whole message within one) must get the whole message; one
// that stops reading must still be dropped. TLS: writebounds_test.go.
func TestWriteTimeoutSparesASlowReader(t *testing.T) {
	const wt = 500 * time.Millisecond
	t.Run("slow-reader", func(t *testing.T) {
		ours, peer := tcpPair(t)
		c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: wt, CloseTimeout: 100 * time.Millisecond})
		defer c.CloseNow()
		msg := bytes.Repeat([]byte("slow but steady "), 256<<10/16)
		errc := make(chan error, 1)
		go func() { errc <- c.WriteMessage(context.Background(), BinaryMessage, msg) }()
		want := len(msg) + 10 // a server's header for 256 KiB: 2+8 bytes
		got := 0
		buf := make([]byte, 2<<10)
		for got < want {
			peer.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, err := io.ReadFull(peer, buf[:min(len(buf), want-got)])
			got += n
			if err != nil {
				t.Fatalf("the reader got %d of %d bytes: %v (write: %v)", got, want, err, <-errc)
			}
			time.Sleep(20 * time.Millisecond) // 2 KiB per 20 ms: about 100 KB/s
		}
		if err := <-errc; err != nil {
			t.Fatalf("write to a slow but steady reader: %v", err)
		}
	})
	t.Run("non-reader", func(t *testing.T) {
		ours, _ := tcpPair(t)
		checkNonReaderTimesOut(t, ours, wt, "TCP")
	})
}

// checkNonReaderTimesOut writes 4 MiB on ours, whose peer never reads:
// the write must fail with ErrWriteTimeout, and well within 10 s.
func checkNonReaderTimesOut(t *testing.T, ours net.Conn, wt time.Duration, kind string) {
	t.Helper()
	c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: wt, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	errc := make(chan error, 1)
	go func() { errc <- c.WriteMessage(context.Background(), BinaryMessage, make([]byte, 4<<20)) }()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrWriteTimeout) {
			t.Errorf("write: %v, want an error wrapping ErrWriteTimeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("a write to a %s peer that never reads is still blocked after 10s", kind)
	}
}

// TestIdleTimeoutSurvivesShortReads: a silent peer is dropped by
// IdleTimeout even when the application reads with contexts shorter than
// it; each read must not start the idle clock afresh.
func TestIdleTimeoutSurvivesShortReads(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	go io.Copy(io.Discard, peer) // reads our close frame; sends nothing
	c := NewConn(ours, RoleServer, nil, &Options{IdleTimeout: 400 * time.Millisecond, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	for i := 0; i < 20; i++ { // 20 reads of 100 ms: 2 s, five idle timeouts
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, _, err := c.ReadMessage(ctx)
		cancel()
		if errors.Is(err, ErrIdleTimeout) {
			return
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("read %d: %v, want the context's deadline or ErrIdleTimeout", i, err)
		}
	}
	t.Fatal("a silent peer was not dropped after 2 s of reads with 100 ms contexts (IdleTimeout 400 ms)")
}

// TestStreamReadTimeoutIsNotSkipped: after NextReader's reader times out
// in the middle of a message, the next NextReader or ReadMessage must not
// skip the rest of it and return message 2: it returns an error that
// says so. The reader itself goes on where it stopped.
func TestStreamReadTimeoutIsNotSkipped(t *testing.T) {
	for _, next := range []string{"ReadMessage", "NextReader"} {
		t.Run(next, func(t *testing.T) {
			ours, peer := net.Pipe()
			defer peer.Close()
			c := NewConn(ours, RoleServer, nil, &Options{CloseTimeout: 100 * time.Millisecond})
			defer c.CloseNow()
			f1 := clientFrame(Header{Opcode: OpText}, []byte("first "))
			f2 := clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("message, cut in the middle"))
			f3 := clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("second"))
			gate := make(chan struct{})
			go func() {
				peer.Write(append(f1, f2[:12]...))
				<-gate
				peer.Write(append(f2[12:], f3...))
			}()
			typ, r, err := c.NextReader(context.Background())
			if err != nil || typ != TextMessage {
				t.Fatalf("NextReader: %v %v", typ, err)
			}
			c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			var got []byte
			buf := make([]byte, 64)
			for {
				n, err := r.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					if !isTimeout(err) {
						t.Fatalf("stream read: %v, want a timeout", err)
					}
					break
				}
			}
			c.SetReadDeadline(time.Time{})
			close(gate)
			if next == "ReadMessage" {
				_, msg, err := c.ReadMessage(context.Background())
				if !errors.Is(err, ErrReadInterrupted) {
					t.Fatalf("ReadMessage after the timeout: %q %v, want ErrReadInterrupted", msg, err)
				}
			} else {
				_, _, err := c.NextReader(context.Background())
				if !errors.Is(err, ErrReadInterrupted) {
					t.Fatalf("NextReader after the timeout: %v, want ErrReadInterrupted", err)
				}
			}
			rest, err := io.ReadAll(r)
			got = append(got, rest...)
			if err != nil || string(got) != "first message, cut in the middle" {
				t.Fatalf("the same reader, going on: %q %v, want message 1 whole", got, err)
			}
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil || typ != BinaryMessage || string(msg) != "second" {
				t.Fatalf("then: %v %q %v, want message 2", typ, msg, err)
			}
		})
	}
}
