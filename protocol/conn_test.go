package protocol

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"
)

// repeatReader yields the same bytes forever: a fixed "random" source that
// makes masking keys reproducible.
type repeatReader []byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r[i%len(r)]
	}
	return len(p), nil
}

// TestInjectedRandReproducesRFC: with the key 37 fa 21 3d, our client puts
// exactly the bytes of RFC 6455 §5.7 on the wire.
func TestInjectedRandReproducesRFC(t *testing.T) {
	var mu sync.Mutex
	var sent []*FrameEvent
	obs := func(e Event) {
		if fe, ok := e.(*FrameEvent); ok && fe.Dir == Sent {
			mu.Lock()
			sent = append(sent, fe)
			mu.Unlock()
		}
	}
	client, server := connPair(t, &Options{Rand: repeatReader{0x37, 0xfa, 0x21, 0x3d}, Observer: obs}, nil)
	ctx := context.Background()
	if err := client.WriteMessage(ctx, TextMessage, []byte("Hello")); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := server.ReadMessage(ctx); err != nil || string(msg) != "Hello" {
		t.Fatalf("server got %q, %v", msg, err)
	}
	mu.Lock()
	defer mu.Unlock()
	got := append(append([]byte(nil), sent[0].RawHeader...), sent[0].Payload...)
	if want := []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}; !bytes.Equal(got, want) {
		t.Errorf("wire % x, want % x", got, want)
	}
	if string(sent[0].Unmasked) != "Hello" {
		t.Errorf("unmasked %q", sent[0].Unmasked)
	}
}

func TestPingIsAnsweredWithSamePayload(t *testing.T) {
	pongs := make(chan []byte, 1)
	client, server := connPair(t, &Options{OnPong: func(p []byte) { pongs <- p }}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go server.ReadMessage(ctx) // the server answers pings while reading
	go client.ReadMessage(ctx) // the client needs a reader to see the pong
	payload := bytes.Repeat([]byte{0xAB}, 125)
	if err := client.Ping(ctx, payload); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-pongs:
		if !bytes.Equal(got, payload) {
			t.Errorf("pong payload % x, want the ping's", got)
		}
	case <-ctx.Done():
		t.Fatal("no pong")
	}
	if err := client.Ping(ctx, make([]byte, 126)); err == nil {
		t.Error("a 126-byte ping was sent; §5.5 allows at most 125")
	}
}

// TestControlFramesBetweenFragments: a ping and an unsolicited pong arrive
// in the middle of a fragmented message; the message is delivered whole,
// the ping is answered, the pong is reported and otherwise ignored.
func TestControlFramesBetweenFragments(t *testing.T) {
	var pongs [][]byte
	client, server := connPair(t, nil, &Options{OnPong: func(p []byte) { pongs = append(pongs, p) }})
	var wire []byte
	wire = append(wire, clientFrame(Header{Opcode: OpText}, []byte("Hel"))...)
	wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("ping!"))...)
	wire = append(wire, clientFrame(Header{Opcode: OpContinuation}, []byte("lo, "))...)
	wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpPong}, []byte("unasked"))...)
	wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("world"))...)
	client.WriteRaw(wire)
	ctx := context.Background()
	typ, msg, err := server.ReadMessage(ctx)
	if err != nil || typ != TextMessage || string(msg) != "Hello, world" {
		t.Fatalf("got %v %q %v", typ, msg, err)
	}
	if len(pongs) != 1 || string(pongs[0]) != "unasked" {
		t.Errorf("pongs reported: %q", pongs)
	}
	// The pong answering the ping is the first frame the client receives.
	h, err := ReadHeader(client.br)
	if err != nil || h.Opcode != OpPong || h.Length != 5 || h.Masked {
		t.Fatalf("client received %v, %v; want an unmasked 5-byte pong", h, err)
	}
}

// TestFragmentedWriteAndStream sends a message in fragments and reads it as
// a stream.
func TestFragmentedWriteAndStream(t *testing.T) {
	var frames []Header
	var mu sync.Mutex
	obs := func(e Event) {
		if fe, ok := e.(*FrameEvent); ok {
			mu.Lock()
			frames = append(frames, fe.Header)
			mu.Unlock()
		}
	}
	client, server := connPair(t, nil, &Options{Observer: obs})
	ctx := context.Background()
	msg := bytes.Repeat([]byte("0123456789"), 100)
	go client.WriteFragmented(ctx, BinaryMessage, msg, 300)
	typ, r, err := server.NextReader(ctx)
	if err != nil || typ != BinaryMessage {
		t.Fatal(typ, err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(frames) != 4 || frames[0].Opcode != OpBinary || frames[1].Opcode != OpContinuation || frames[0].Fin || !frames[3].Fin || frames[3].Length != 100 {
		t.Errorf("frames: %v", frames)
	}
}

func TestNextWriterStreams(t *testing.T) {
	client, server := connPair(t, &Options{FragmentSize: 4}, nil)
	ctx := context.Background()
	go func() {
		w, _ := client.NextWriter(ctx, TextMessage)
		io.WriteString(w, "stream")
		io.WriteString(w, "ed text")
		w.Close()
	}()
	typ, msg, err := server.ReadMessage(ctx)
	if err != nil || typ != TextMessage || string(msg) != "streamed text" {
		t.Fatalf("got %v %q %v", typ, msg, err)
	}
}

// TestConcurrentWritersDoNotInterleave: eight goroutines each send
// fragmented messages filled with their own byte. Every message must arrive
// whole and pure: frames of different messages never interleave.
func TestConcurrentWritersDoNotInterleave(t *testing.T) {
	client, server := connPair(t, &Options{FragmentSize: 7}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(fill byte) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				msg := bytes.Repeat([]byte{fill}, 10+i)
				if err := client.WriteMessage(ctx, BinaryMessage, msg); err != nil {
					t.Error(err)
					return
				}
				if i%10 == 0 {
					client.Ping(ctx, []byte{fill})
				}
			}
		}('a' + byte(w))
	}
	for n := 0; n < writers*each; n++ {
		_, msg, err := server.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("message %d: %v", n, err)
		}
		if len(msg) < 10 || !bytes.Equal(msg, bytes.Repeat(msg[:1], len(msg))) {
			t.Fatalf("message %d is mixed: %q", n, msg)
		}
	}
	wg.Wait()
}

func TestReadHonoursContext(t *testing.T) {
	_, server := connPair(t, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := server.ReadMessage(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("read returned after %v", d)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel2() }()
	if _, _, err := server.ReadMessage(ctx2); err == nil {
		t.Error("read after a failed read succeeded")
	}
}

func TestWriteHonoursContext(t *testing.T) {
	client, _ := connPair(t, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	// Nobody reads on the server: a big enough write fills the TCP buffers
	// and must give up when the context ends.
	err := client.WriteMessage(ctx, BinaryMessage, make([]byte, 64<<20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want context.DeadlineExceeded", err)
	}
}

func TestCloseHandshake(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx := context.Background()
	serverErr := make(chan error, 1)
	go func() { _, _, err := server.ReadMessage(ctx); serverErr <- err }()
	// Close from two goroutines at once, then again: all must return.
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); client.Close(CloseNormal, "done") }()
	}
	wg.Wait()
	if err := client.Close(CloseNormal, "again"); err != nil {
		t.Errorf("second Close: %v", err)
	}
	err := <-serverErr
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != CloseNormal || ce.Reason != "done" {
		t.Fatalf("server read %v, want close 1000 \"done\"", err)
	}
	if pc := client.PeerClose(); pc == nil || pc.Code != CloseNormal {
		t.Errorf("client saw peer close %v, want the echoed 1000", pc)
	}
	if err := client.WriteMessage(ctx, TextMessage, []byte("late")); err == nil {
		t.Error("a data frame was sent after the close frame")
	}
	<-server.Done()
	<-client.Done()
}

// TestEmptyCloseIsAnsweredEmpty: a close with no code is answered with no
// code (1005 must not go on the wire), and reported as 1005.
func TestEmptyCloseIsAnsweredEmpty(t *testing.T) {
	client, server := connPair(t, nil, nil)
	client.WriteRaw(clientFrame(Header{Fin: true, Opcode: OpClose}, nil))
	_, _, err := server.ReadMessage(context.Background())
	if code, ok := CloseStatus(err); !ok || code != CloseNoStatusReceived {
		t.Fatalf("server read %v, want 1005", err)
	}
	h, err := ReadHeader(client.br)
	if err != nil || h.Opcode != OpClose || h.Length != 0 {
		t.Fatalf("client received %v, %v; want an empty close", h, err)
	}
}

// TestServerClosesTCPFirst: §7.1.1, after the closing handshake the server
// closes TCP, and the client does not wait forever if it does not.
func TestClientWaitIsBounded(t *testing.T) {
	// A server that answers the close but never closes TCP.
	cconn, sconn := net.Pipe()
	defer sconn.Close()
	client := NewConn(cconn, RoleClient, nil, &Options{CloseTimeout: 200 * time.Millisecond})
	go func() {
		h, _ := ReadHeader(sconn)
		io.CopyN(io.Discard, sconn, int64(h.Length))
		sconn.Write([]byte{0x88, 0x02, 0x03, 0xe8})
		io.Copy(io.Discard, sconn)
	}()
	start := time.Now()
	client.Close(CloseNormal, "")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with CloseTimeout 200ms", d)
	}
	select {
	case <-client.Done():
	default:
		t.Error("client TCP still open after Close")
	}
}

func TestPeerVanishesIs1006(t *testing.T) {
	client, server := connPair(t, nil, nil)
	client.CloseNow()
	_, _, err := server.ReadMessage(context.Background())
	if code, ok := CloseStatus(err); !ok || code != CloseAbnormalClosure {
		t.Fatalf("err %v, want 1006", err)
	}
}

func TestWriteRefusesWhatPeerWouldReject(t *testing.T) {
	client, _ := connPair(t, nil, nil)
	ctx := context.Background()
	if err := client.WriteMessage(ctx, TextMessage, []byte{0xff}); err == nil {
		t.Error("invalid UTF-8 text was sent")
	}
	if err := client.WriteMessage(ctx, OpPing, nil); err == nil {
		t.Error("WriteMessage sent a ping as a message")
	}
	if err := client.Close(CloseNoStatusReceived, "x"); err == nil {
		t.Error("Close with 1005 was accepted")
	}
	if err := client.WriteFrame(ctx, Header{Fin: true, Opcode: OpContinuation}, []byte("x")); err == nil {
		t.Error("WriteFrame sent a continuation with nothing to continue")
	}
	if err := client.WriteFrame(ctx, Header{Fin: false, Opcode: OpPing}, nil); err == nil {
		t.Error("WriteFrame sent a fragmented ping")
	}
}

// TestNoGoroutinesLeft: after connections close, nothing of ours runs.
func TestNoGoroutinesLeft(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		client, server := connPair(t, nil, nil)
		ctx := context.Background()
		go func() {
			for {
				typ, msg, err := server.ReadMessage(ctx)
				if err != nil {
					return
				}
				server.WriteMessage(ctx, typ, msg)
			}
		}()
		client.WriteMessage(ctx, TextMessage, []byte("hi"))
		client.ReadMessage(ctx)
		client.Close(CloseNormal, "")
		<-server.Done()
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// nopConn is a net.Conn that discards writes and never reads; benchmarks
// give the connection its bytes through a bufio.Reader instead.
type nopConn struct{ net.Conn }

func (nopConn) Write(p []byte) (int, error)      { return len(p), nil }
func (nopConn) Read(p []byte) (int, error)       { return 0, io.EOF }
func (nopConn) Close() error                     { return nil }
func (nopConn) SetReadDeadline(time.Time) error  { return nil }
func (nopConn) SetWriteDeadline(time.Time) error { return nil }
func (nopConn) SetDeadline(time.Time) error      { return nil }

// TestCloseWhileStreaming: Close from another goroutine while the
// application reads a message through NextReader must not read the socket
// at the same time (run with -race).
func TestCloseWhileStreaming(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx := context.Background()
	go func() {
		w, _ := client.NextWriter(ctx, BinaryMessage)
		for i := 0; i < 200; i++ {
			if _, err := w.Write(make([]byte, 1024)); err != nil {
				return
			}
		}
		w.Close()
		client.ReadMessage(ctx) // answers the server's close
	}()
	_, r, err := server.NextReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); server.Close(CloseNormal, "") }()
	buf := make([]byte, 100)
	for {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
	<-done
	<-server.Done()
}

// TestDeadlinesSurviveContexts: a context-bound read keeps the caller's
// own deadline, and a read that timed out between frames leaves the
// connection usable.
func TestDeadlinesSurviveContexts(t *testing.T) {
	client, server := connPair(t, nil, nil)
	start := time.Now()
	server.SetReadDeadline(start.Add(300 * time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := server.ReadMessage(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first read: %v, want the context's deadline", err)
	}
	// The caller's deadline still holds for the next read.
	_, _, err := server.ReadMessage(context.Background())
	if d := time.Since(start); !isTimeout(err) || d > 2*time.Second {
		t.Fatalf("second read: %v after %v, want the caller's 300ms deadline", err, d)
	}
	// Nothing was lost: with the deadline lifted, the next message arrives.
	server.SetReadDeadline(time.Time{})
	client.WriteMessage(context.Background(), TextMessage, []byte("still here"))
	if _, msg, err := server.ReadMessage(context.Background()); err != nil || string(msg) != "still here" {
		t.Fatalf("after timeouts: %q, %v", msg, err)
	}
}

// TestCloseWhileAWriteIsStuck: a peer that stops reading leaves a big
// write blocked, holding the frame lock. Close must still end the
// connection within its timeout.
func TestCloseWhileAWriteIsStuck(t *testing.T) {
	_, server := connPair(t, nil, &Options{CloseTimeout: 300 * time.Millisecond})
	go server.WriteMessage(context.Background(), BinaryMessage, make([]byte, 64<<20))
	time.Sleep(100 * time.Millisecond) // the write fills the TCP buffers and blocks
	done := make(chan struct{})
	go func() { server.Close(CloseGoingAway, "shutting down"); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung behind a stuck write")
	}
	<-server.Done()
}

// TestPingDuringAStuckWrite: while a big write waits on a peer that does
// not read, a ping must not stall the reader: the pong is queued and the
// next message is still delivered.
func TestPingDuringAStuckWrite(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx := context.Background()
	go server.WriteMessage(ctx, BinaryMessage, make([]byte, 64<<20)) // the client never reads it
	time.Sleep(100 * time.Millisecond)
	client.WriteRaw(append(clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("hb")),
		clientFrame(Header{Fin: true, Opcode: OpText}, []byte("after the ping"))...))
	got := make(chan string, 1)
	go func() {
		_, msg, _ := server.ReadMessage(ctx)
		got <- string(msg)
	}()
	select {
	case msg := <-got:
		if msg != "after the ping" {
			t.Errorf("read %q", msg)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the reader is stuck behind the writer")
	}
}

// A Read that takes the last bytes of a message reports io.EOF with them,
// so that a small message costs one Read (and one lock), and a message of
// two frames still gives its first frame's bytes without io.EOF.
func TestReadReturnsEOFWithLastBytes(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx := context.Background()
	if err := client.WriteFragmented(ctx, TextMessage, []byte("hello, world"), 5); err != nil {
		t.Fatal(err)
	}
	if err := client.WriteMessage(ctx, TextMessage, []byte("whole")); err != nil {
		t.Fatal(err)
	}
	_, r, err := server.NextReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	var got []byte
	for i := 0; ; i++ {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			if n == 0 || len(got) != 12 {
				t.Fatalf("io.EOF came with %d bytes after %q; want it with the last frame's bytes", n, got)
			}
			break
		}
		if err != nil || n == 0 || n > 5 || i > 3 {
			t.Fatalf("read %d: %d bytes, %v", i, n, err)
		}
	}
	_, r, err = server.NextReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Read(buf); n != 5 || err != io.EOF || string(buf[:n]) != "whole" {
		t.Fatalf("one-frame message: %d bytes %q, %v; want 5 bytes and io.EOF in one Read", n, buf[:n], err)
	}
}

// TestMessageLimitAsItApplies: Conn.MessageLimit reports the limit the
// reader enforces, zero read as DefaultMessageLimit, so that a caller
// sizing its own buffers (serve's echo) need not repeat that rule.
func TestMessageLimitAsItApplies(t *testing.T) {
	for _, tc := range []struct{ set, want int64 }{
		{0, DefaultMessageLimit},
		{-1, -1},
		{4096, 4096},
	} {
		a, b := net.Pipe()
		c := NewConn(a, RoleServer, nil, &Options{MessageLimit: tc.set})
		if got := c.MessageLimit(); got != tc.want {
			t.Errorf("MessageLimit %d: Conn.MessageLimit() = %d, want %d", tc.set, got, tc.want)
		}
		a.Close()
		b.Close()
	}
}
