package protocol

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// eofWithDataConn hands the peer's bytes out in one Read together with
// io.EOF, as io.Reader allows and crypto/tls does when a close_notify
// alert follows the data; writes after Close fail.
type eofWithDataConn struct {
	nopConn
	mu     sync.Mutex
	in     []byte
	writes []byte
	closed bool
}

func (c *eofWithDataConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := copy(p, c.in)
	c.in = c.in[n:]
	if len(c.in) == 0 {
		return n, io.EOF
	}
	return n, nil
}

func (c *eofWithDataConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	c.writes = append(c.writes, p...)
	return len(p), nil
}

func (c *eofWithDataConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// TestBatchRepliesHeldSentBeforeReadFailsWithoutWaiting: a peer pipelines
// two requests and half-closes; its bytes and the end of its stream come
// in one read. The first reply is held; the second request needs no
// reply. The read after it fails at once (1006) without waiting, so it
// never passes a point that sends held replies, and it closes TCP: the
// reply, whose WriteMessage returned nil, must have gone out before.
func TestBatchRepliesHeldSentBeforeReadFailsWithoutWaiting(t *testing.T) {
	in := append(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")),
		clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("b"))...)
	sc := &eofWithDataConn{in: in}
	c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: true})
	ctx := context.Background()
	if _, _, err := c.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(ctx, BinaryMessage, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReadMessage(ctx); err != nil { // a request with no reply
		t.Fatal(err)
	}
	_, _, err := c.ReadMessage(ctx)
	if err == nil {
		t.Fatal("the read after the peer's end of stream returned no error")
	}
	sc.mu.Lock()
	got := bytes.Clone(sc.writes)
	sc.mu.Unlock()
	if want := []byte{0x82, 0x01, 'a'}; !bytes.HasPrefix(got, want) {
		t.Fatalf("the peer got %x before the connection closed (read error %v), want the held reply %x: a reply whose WriteMessage returned nil was lost", got, err, want)
	}
}

// TestBatchRepliesLastHandlerDoesNotStrandHeld: in a request-reply loop
// (the use Options.BatchReplies documents), the peer pipelines A and B.
// B's reply depends on what the peer does once it has A's reply (a long
// poll, say, or a second step of a protocol): B's handler waits for it,
// writing nothing and not reading. A's reply must not wait for B's
// handler, or the two sides wait for each other: it goes out as B is
// handed out, the last request buffered. The handler waits at most 3 s,
// so that the test ends either way.
func TestBatchRepliesLastHandlerDoesNotStrandHeld(t *testing.T) {
	client, server := connPair(t, nil, &Options{BatchReplies: true})
	gotA := make(chan struct{})
	handlerErr := make(chan string, 1)
	go func() {
		ctx := context.Background()
		for {
			_, msg, err := server.ReadMessage(ctx)
			if err != nil {
				return
			}
			switch string(msg) {
			case "A":
				err = server.WriteMessage(ctx, BinaryMessage, []byte("a"))
			case "B":
				select {
				case <-gotA:
					handlerErr <- ""
				case <-time.After(3 * time.Second):
					handlerErr <- "B's handler waited 3 s for the peer, which waited for A's reply"
				}
				err = server.WriteMessage(ctx, BinaryMessage, []byte("b"))
			}
			if err != nil {
				return
			}
		}
	}()
	batch := append(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("A")),
		clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("B"))...)
	if err := client.WriteRaw(batch); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, msg, err := client.ReadMessage(ctx)
	if err != nil || string(msg) != "a" {
		t.Fatalf("first reply: %q, %v", msg, err)
	}
	close(gotA)
	if e := <-handlerErr; e != "" {
		t.Error(e)
	}
	if _, msg, err := client.ReadMessage(ctx); err != nil || string(msg) != "b" {
		t.Fatalf("second reply: %q, %v", msg, err)
	}
	client.CloseNow()
}

// TestBatchRepliesCancelledReadKeepsHeld: a request-reply loop stops (its
// context is cancelled, a server shutting down) while it handles the
// last request of a batch, which has no reply; it then closes with
// CloseNow. The held reply of the first request, whose WriteMessage
// returned nil, must reach the peer, or CloseNow must say it did not.
func TestBatchRepliesCancelledReadKeepsHeld(t *testing.T) {
	two := append(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")),
		clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("b"))...)
	c, peer := heldReplyPair(t, two, false, &Options{BatchReplies: true, CloseTimeout: 5 * time.Second})
	got := make(chan []byte, 1)
	go func() { // the peer reads all it is sent
		peer.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, _ := io.ReadAll(peer)
		got <- b
	}()
	ctx, cancel := context.WithCancel(context.Background())
	if _, _, err := c.ReadMessage(ctx); err != nil { // the last request: no reply
		t.Fatal(err)
	}
	cancel() // shutting down while it is handled
	if _, _, err := c.ReadMessage(ctx); err == nil {
		t.Fatal("a read with a cancelled context returned no error")
	}
	closeErr := c.CloseNow()
	if b := <-got; !bytes.HasPrefix(b, []byte{0x82, 0x01, 'a'}) && closeErr == nil {
		t.Fatalf("the peer got %x and CloseNow returned nil: the held reply, whose WriteMessage returned nil, was lost without an error", b)
	}
}
