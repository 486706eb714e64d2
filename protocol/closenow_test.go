package protocol

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// TestBatchRepliesCloseNowRepliesSurviveUnreadRequests: with BatchReplies,
// every reply whose WriteMessage returned nil must reach a peer that reads
// slowly but reads everything, even though CloseNow closes with the peer's
// pipelined requests still unread. Closing a socket with unread input
// makes the kernel send a TCP reset, and the reset throws away what our
// send queue still holds: the peer got 16 of 20 replies, then "connection
// reset by peer".
func TestBatchRepliesCloseNowRepliesSurviveUnreadRequests(t *testing.T) {
	ours, peer := tcpPair(t)
	t.Cleanup(func() { ours.Close(); peer.Close() })
	peer.SetReadBuffer(4096) // a slow reader: its window fills at once
	c := NewConn(ours, RoleServer, nil, &Options{BatchReplies: true, CloseTimeout: 2 * time.Second})
	req := clientFrame(Header{Fin: true, Opcode: OpBinary}, bytes.Repeat([]byte("q"), 1000))
	reqs := bytes.Repeat(req, 200) // 200 KB of pipelined requests: most stay unread in the kernel
	go peer.Write(reqs)
	reply := bytes.Repeat([]byte("r"), 1000)
	const replies = 20 // 20 KB: they fit in our send buffer
	for i := 0; i < replies; i++ {
		if _, _, err := c.ReadMessage(context.Background()); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if err := c.WriteMessage(context.Background(), BinaryMessage, reply); err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
	}
	// Let the peer's requests pile up in our receive queue before closing.
	time.Sleep(100 * time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- c.CloseNow() }()
	// The peer starts reading only after CloseNow was called, as a slow
	// reader would; CloseNow may wait for it (up to CloseTimeout).
	time.Sleep(100 * time.Millisecond)
	peer.SetReadBuffer(1 << 20)
	peer.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(peer)
	if n := len(got) / (len(reply) + 4); n < replies {
		t.Errorf("the peer got %d of %d replies whose WriteMessage returned nil; read error: %v", n, replies, err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("CloseNow: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("CloseNow still blocked after 10 s (CloseTimeout 2 s)")
	}
}

// TestBatchRepliesCloseNowBoundedByAPeerThatKeepsSending: the wait for
// the peer to stop sending, after CloseNow half-closed, lasts at most
// CloseTimeout: a peer that never stops cannot hold CloseNow.
func TestBatchRepliesCloseNowBoundedByAPeerThatKeepsSending(t *testing.T) {
	ours, peer := tcpPair(t)
	t.Cleanup(func() { ours.Close(); peer.Close() })
	c := NewConn(ours, RoleServer, nil, &Options{BatchReplies: true, CloseTimeout: 300 * time.Millisecond})
	req := clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("req"))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := peer.Write(req); err != nil {
				return
			}
		}
	}()
	if _, _, err := c.ReadMessage(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(context.Background(), BinaryMessage, []byte("reply")); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, peer)
	start := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- c.CloseNow() }()
	select {
	case <-closed:
		t.Logf("CloseNow returned after %v (CloseTimeout 300ms)", time.Since(start))
	case <-time.After(5 * time.Second):
		t.Fatal("CloseNow still blocked 5 s after it was called (CloseTimeout 300 ms), by a peer that keeps sending")
	}
	select {
	case <-c.Done():
	default:
		t.Error("CloseNow returned with the connection not closed")
	}
}

// TestCancelledWriteDoesNotBreakTheNext: a write whose context ends while
// the write still finishes (here while the observer is told of the frame)
// returns nil; its context's cancellation moved the socket's write
// deadline into the past. With WriteTimeout < 0 and no other deadline the
// next write armed nothing, met that past deadline and failed with an i/o
// timeout, and so did every write after it.
func TestCancelledWriteDoesNotBreakTheNext(t *testing.T) {
	ours, peer := tcpPair(t)
	t.Cleanup(func() { ours.Close(); peer.Close() })
	go io.Copy(io.Discard, peer)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := true
	obs := func(ev Event) {
		if fe, ok := ev.(*FrameEvent); ok && fe.Dir == Sent && first {
			first = false
			cancel()
			time.Sleep(100 * time.Millisecond) // the context's AfterFunc runs meanwhile
		}
	}
	c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: -1, Observer: obs, CloseTimeout: 200 * time.Millisecond})
	defer c.CloseNow()
	if err := c.WriteMessage(ctx, TextMessage, []byte("one")); err != nil {
		t.Fatalf("first write: %v", err)
	}
	if err := c.WriteMessage(context.Background(), TextMessage, []byte("two")); err != nil {
		t.Fatalf("second write, with a context that cannot end: %v", err)
	}
}

// TestCancelledReadDoesNotBreakTheNext is the same for reads: a read
// whose context ends while the read still finishes (while the observer is
// told of the frame) must leave no past deadline for the next read.
func TestCancelledReadDoesNotBreakTheNext(t *testing.T) {
	ours, peer := tcpPair(t)
	t.Cleanup(func() { ours.Close(); peer.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := true
	obs := func(ev Event) {
		if fe, ok := ev.(*FrameEvent); ok && fe.Dir == Received && first {
			first = false
			cancel()
			time.Sleep(100 * time.Millisecond) // the context's AfterFunc runs meanwhile
		}
	}
	c := NewConn(ours, RoleServer, nil, &Options{Observer: obs, CloseTimeout: 200 * time.Millisecond})
	defer c.CloseNow()
	m := clientFrame(Header{Fin: true, Opcode: OpText}, []byte("hi"))
	if _, err := peer.Write(m); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := c.ReadMessage(ctx); err != nil || string(msg) != "hi" {
		t.Fatalf("first read: %q %v", msg, err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond) // the second read waits for it
		peer.Write(m)
	}()
	if _, msg, err := c.ReadMessage(context.Background()); err != nil || string(msg) != "hi" {
		t.Fatalf("second read, with a context that cannot end: %q %v", msg, err)
	}
}

// TestBatchRepliesCloseNowKeepsTheCloseBound: a CloseNow after a close
// frame went out (StartClose, as a server shutting down does) lingers no
// later than the bound that close frame set, not a fresh CloseTimeout
// from its own call: a server that closes its connections one by one
// would otherwise wait CloseTimeout more for each peer that neither sends
// nor closes.
func TestBatchRepliesCloseNowKeepsTheCloseBound(t *testing.T) {
	const closeTimeout = time.Second
	ours, peer := tcpPair(t)
	defer peer.Close() // the peer reads nothing and never closes
	c := NewConn(ours, RoleServer, nil, &Options{BatchReplies: true, CloseTimeout: closeTimeout})
	start := time.Now()
	if err := c.StartClose(CloseGoingAway, "shutting down"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(closeTimeout * 8 / 10)
	if err := c.CloseNow(); err != nil {
		t.Fatalf("CloseNow: %v", err)
	}
	if took := time.Since(start); took > closeTimeout*3/2 {
		t.Errorf("StartClose then CloseNow took %v; the close frame's bound was %v from the start", took.Round(time.Millisecond), closeTimeout)
	}
}
