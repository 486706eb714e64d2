package protocol

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scriptConn replays in as the peer's bytes (then io.EOF) and records
// each Write as one system call would be; with failWrites every write
// fails as a reset connection's does.
type scriptConn struct {
	nopConn
	in         *bytes.Reader
	writes     [][]byte
	failWrites bool
}

func (c *scriptConn) Read(p []byte) (int, error) { return c.in.Read(p) }

func (c *scriptConn) Write(p []byte) (int, error) {
	if c.failWrites {
		return 0, errors.New("write: connection reset by peer")
	}
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

// echoBatched runs an echo loop with BatchReplies until a read fails, and
// returns the read's error.
func echoBatched(t *testing.T, c *Conn) (writeErrs []error, readErr error) {
	t.Helper()
	ctx := context.Background()
	for range 100 {
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			return writeErrs, err
		}
		writeErrs = append(writeErrs, c.WriteMessage(ctx, typ, msg))
	}
	t.Fatal("the echo loop did not end")
	return nil, nil
}

// TestBatchRepliesOneWritePerBatch: three requests that arrive in one read
// are answered with two writes (the first two replies held and sent as
// the last request is handed out, then the last reply), in order and
// intact; without BatchReplies, one write each.
func TestBatchRepliesOneWritePerBatch(t *testing.T) {
	var in []byte
	for i := range 3 {
		in = append(in, clientFrame(Header{Fin: true, Opcode: OpText}, []byte("request "+strconv.Itoa(i)))...)
	}
	var want []byte
	for i := range 3 {
		want = AppendHeader(want, Header{Fin: true, Opcode: OpText, Length: 9})
		want = append(want, "request "+strconv.Itoa(i)...)
	}
	for _, batch := range []bool{false, true} {
		sc := &scriptConn{in: bytes.NewReader(in)}
		c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: batch})
		writeErrs, _ := echoBatched(t, c)
		for i, err := range writeErrs {
			if err != nil {
				t.Fatalf("batch=%v: reply %d: %v", batch, i, err)
			}
		}
		// The read that ends the loop (io.EOF) fails the connection and
		// sends nothing more: a server's close frame is not sent to a peer
		// that closed TCP. Only the replies are compared.
		got := bytes.Join(sc.writes, nil)
		if !bytes.HasPrefix(got, want) {
			t.Fatalf("batch=%v: the peer got %q, want the three replies %q first", batch, got, want)
		}
		// The replies end on a write boundary, in as many writes as
		// there were batches. HasPrefix above guarantees that the
		// writes cover want; the bound keeps a mistake here a failure.
		replyWrites, n := 0, 0
		for n < len(want) && replyWrites < len(sc.writes) {
			n += len(sc.writes[replyWrites])
			replyWrites++
		}
		if n != len(want) {
			t.Fatalf("batch=%v: the last reply ends inside a write (%d writes of %d bytes in all, the replies %d)", batch, replyWrites, n, len(want))
		}
		wantWrites := 3
		if batch {
			wantWrites = 2
		}
		if replyWrites != wantWrites {
			t.Errorf("batch=%v: the replies took %d writes, want %d", batch, replyWrites, wantWrites)
		}
	}
}

// TestBatchRepliesNeverDelayed: a peer that sends one message and waits
// for its echo gets it, and so does one that sends three at once and
// waits for all three: no reply is held while the server waits for input.
func TestBatchRepliesNeverDelayed(t *testing.T) {
	client, server := connPair(t, nil, &Options{BatchReplies: true})
	go func() {
		ctx := context.Background()
		for {
			typ, msg, err := server.ReadMessage(ctx)
			if err != nil {
				return
			}
			if server.WriteMessage(ctx, typ, msg) != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for round := range 20 {
		n := 1 + round%3
		var batch []byte
		for i := range n {
			batch = append(batch, clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte{byte(round), byte(i)})...)
		}
		if err := client.WriteRaw(batch); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			_, got, err := client.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("round %d, echo %d of %d: %v (held while the server waits for input?)", round, i, n, err)
			}
			if !bytes.Equal(got, []byte{byte(round), byte(i)}) {
				t.Fatalf("round %d, echo %d: %v", round, i, got)
			}
		}
	}
	client.CloseNow()
}

// TestBatchRepliesWriteErrorSurfaces: a held reply's WriteMessage returns
// nil; the write that sends it fails, and the next write returns that
// error, which says how many held frames it concerns (one reply is one
// frame here) and keeps the cause.
func TestBatchRepliesWriteErrorSurfaces(t *testing.T) {
	for held, what := range []string{1: "1 held frame", 2: "2 held frames"} {
		if what == "" {
			continue
		}
		var in []byte
		for range held + 1 {
			in = append(in, clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("x"))...)
		}
		sc := &scriptConn{in: bytes.NewReader(in), failWrites: true}
		c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: true})
		ctx := context.Background()
		for i := range held {
			if _, _, err := c.ReadMessage(ctx); err != nil {
				t.Fatal(err)
			}
			if err := c.WriteMessage(ctx, BinaryMessage, []byte("x")); err != nil {
				t.Fatalf("held reply %d of %d: %v, want nil (it is not sent yet)", i+1, held, err)
			}
		}
		if _, _, err := c.ReadMessage(ctx); err != nil { // the last buffered one: sends the held replies, which fails
			t.Fatal(err)
		}
		err := c.WriteMessage(ctx, BinaryMessage, []byte("x"))
		if err == nil {
			t.Fatalf("the write after %s failed to go out returned nil", what)
		}
		if want := "websocket: sending " + what + " (Options.BatchReplies): write: connection reset by peer"; err.Error() != want {
			t.Errorf("the write after %s failed to go out returned %q, want %q", what, err, want)
		}
	}
}

// TestBatchRepliesBoundedByWriteTimeout: a peer that pipelines requests
// and never reads the replies is dropped within the write timeout, held
// replies or not: the echo loop ends with a write or read error.
func TestBatchRepliesBoundedByWriteTimeout(t *testing.T) {
	peer, ours := net.Pipe() // net.Pipe has no buffer: a write waits for a reader
	c := NewConn(ours, RoleServer, nil, &Options{BatchReplies: true, WriteTimeout: 200 * time.Millisecond, CloseTimeout: 200 * time.Millisecond})
	frame := clientFrame(Header{Fin: true, Opcode: OpBinary}, bytes.Repeat([]byte("y"), 100))
	go func() {
		for {
			if _, err := peer.Write(bytes.Repeat(frame, 4)); err != nil {
				return
			}
		}
	}()
	defer peer.Close()
	done := make(chan error, 1)
	go func() {
		ctx := context.Background()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				done <- err
				return
			}
			if err := c.WriteMessage(ctx, typ, msg); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		// Whichever call saw it, a write or the read after it (which
		// reports why the connection was closed), the cause is the
		// write timeout.
		if !errors.Is(err, ErrWriteTimeout) {
			t.Errorf("the echo loop ended with %v, want an error wrapping ErrWriteTimeout", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a peer that never reads held the echo loop for 30 s with a 200 ms write timeout")
	}
}

// TestBatchRepliesStreamedMessages: the same with NextReader's reader and
// messages too long to be read ahead (1 KiB, a 16-bit length): a reply
// waits when the rest of its request and the whole next one are buffered.
func TestBatchRepliesStreamedMessages(t *testing.T) {
	var in, want []byte
	for i := range 3 {
		payload := bytes.Repeat([]byte{'a' + byte(i)}, 1024)
		in = append(in, clientFrame(Header{Fin: true, Opcode: OpBinary}, payload)...)
		want = AppendHeader(want, Header{Fin: true, Opcode: OpBinary, Length: 1024})
		want = append(want, payload...)
	}
	sc := &scriptConn{in: bytes.NewReader(in)}
	c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: true})
	ctx := context.Background()
	for i := range 3 {
		typ, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.WriteMessage(ctx, typ, msg); err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
	}
	if got := bytes.Join(sc.writes, nil); !bytes.Equal(got, want) {
		t.Fatalf("the peer got %d bytes, want the three replies in order (%d bytes)", len(got), len(want))
	}
	if len(sc.writes) != 2 {
		t.Errorf("three replies took %d writes, want 2", len(sc.writes))
	}
}

// FuzzBatchReplies echoes whatever a peer sends, once with BatchReplies
// and once without: the bytes that go out must be the same (holding
// changes where writes end, never what is sent or in which order).
func FuzzBatchReplies(f *testing.F) {
	f.Add(bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("Hello")), 3))
	f.Add(append(clientFrame(Header{Fin: true, Opcode: OpBinary}, bytes.Repeat([]byte("b"), 300)), clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("p"))...))
	f.Add(append(clientFrame(Header{Opcode: OpText}, []byte("He")), clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("llo"))...))
	f.Add(append(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("ok")), clientFrame(Header{Fin: true, Opcode: OpText}, []byte("\xff"))...))
	f.Fuzz(func(t *testing.T, wire []byte) {
		var out [2][]byte
		for i, batch := range []bool{false, true} {
			sc := &scriptConn{in: bytes.NewReader(wire)}
			c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: batch, MessageLimit: 1 << 16})
			ctx := context.Background()
			for n := 0; n < 100; n++ {
				var typ MessageType
				var msg []byte
				var err error
				if n%2 == 0 {
					typ, msg, err = c.ReadMessage(ctx)
				} else {
					var r io.Reader
					if typ, r, err = c.NextReader(ctx); err == nil {
						msg, err = io.ReadAll(r)
					}
				}
				if err != nil {
					break
				}
				if c.WriteMessage(ctx, typ, msg) != nil {
					break
				}
			}
			c.CloseNow()
			out[i] = bytes.Join(sc.writes, nil)
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Fatalf("with BatchReplies the peer got %x, without %x", out[1], out[0])
		}
	})
}

// TestBatchRepliesKeepOrderWithWriteRaw: bytes written raw after a held
// reply go after it.
func TestBatchRepliesKeepOrderWithWriteRaw(t *testing.T) {
	in := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("q")), 2)
	sc := &scriptConn{in: bytes.NewReader(in)}
	c := NewConn(sc, RoleServer, nil, &Options{BatchReplies: true})
	ctx := context.Background()
	if _, _, err := c.ReadMessage(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(ctx, BinaryMessage, []byte("r")); err != nil {
		t.Fatal(err)
	}
	if len(sc.writes) != 0 {
		t.Fatalf("the reply was not held (%d writes)", len(sc.writes))
	}
	if err := c.WriteRaw([]byte{0x82, 0x01, 'z'}); err != nil {
		t.Fatal(err)
	}
	want := []byte{0x82, 0x01, 'r', 0x82, 0x01, 'z'}
	if got := bytes.Join(sc.writes, nil); !bytes.Equal(got, want) {
		t.Fatalf("the peer got %x, want %x", got, want)
	}
}

// heldReplyPair sets up a server with BatchReplies on one end of a
// net.Pipe (whose writes wait for the other end to read) and a peer that
// sends in, then nothing. The server reads the first message and writes
// its reply, which is held, since the second message is already whole in
// the read buffer. withBR hands NewConn a bufio.Reader of its own.
func heldReplyPair(t *testing.T, in []byte, withBR bool, opts *Options) (c *Conn, peer net.Conn) {
	t.Helper()
	peer, ours := net.Pipe()
	return heldReplyOn(t, ours, peer, in, withBR, opts), peer
}

// heldReplyOn is heldReplyPair on a connection of the caller's (ours, whose
// other end is peer).
func heldReplyOn(t *testing.T, ours, peer net.Conn, in []byte, withBR bool, opts *Options) (c *Conn) {
	t.Helper()
	t.Cleanup(func() { peer.Close(); ours.Close() })
	var br *bufio.Reader
	if withBR {
		br = bufio.NewReader(ours)
	}
	c = NewConn(ours, RoleServer, br, opts)
	go peer.Write(in) // net.Pipe: returns once the server has read it all
	ctx := context.Background()
	typ, msg, err := c.ReadMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(ctx, typ, msg); err != nil {
		t.Fatal(err)
	}
	c.frameMu.Lock()
	held := c.held != nil
	c.frameMu.Unlock()
	if !held {
		t.Fatal("the first reply was not held: the test sets up nothing")
	}
	return c
}

// TestBatchRepliesSentBeforeEveryWait: the reader's last chance to send
// held replies is right before it waits for input. The send after
// handing out the last buffered request never waits for the frame lock
// (a writer stuck on a peer that does not read holds it), so it can miss,
// as here where the test holds the lock at that moment (as a goroutine
// that releases it without looking at the held replies would, or a
// mutex handing itself to a waiter). The read that then waits must send
// them: for a connection that reads through its own pooled buffer (an
// empty one, or one holding part of the next header) and for one that
// reads through the caller's bufio.Reader (NewConn). Before the fix, the
// reply stayed held while the server waited for the peer, which waited
// for the reply.
func TestBatchRepliesSentBeforeEveryWait(t *testing.T) {
	msg := func(b byte) []byte { return clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte{b}) }
	two := append(msg('a'), msg('b')...)
	for _, tc := range []struct {
		name   string
		in     []byte
		withBR bool
	}{
		{"pooled buffer, emptied", two, false},
		{"pooled buffer, part of a header left", append(two, msg('c')[:1]...), false},
		{"caller's bufio.Reader", two, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, peer := heldReplyPair(t, tc.in, tc.withBR, &Options{BatchReplies: true})
			ctx := context.Background()
			c.frameMu.Lock() // the send after the last buffered request misses
			if _, _, err := c.ReadMessage(ctx); err != nil {
				t.Fatal(err)
			}
			c.frameMu.Unlock()    // as a holder that does not look at held replies
			go c.ReadMessage(ctx) // waits for input: the held reply must go first
			peer.SetReadDeadline(time.Now().Add(10 * time.Second))
			got := make([]byte, 3)
			if _, err := io.ReadFull(peer, got); err != nil {
				t.Fatalf("the held reply never came while the server waited for input: %v", err)
			}
			if want := []byte{0x82, 0x01, 'a'}; !bytes.Equal(got, want) {
				t.Fatalf("the peer got %x, want %x", got, want)
			}
		})
	}
}

// TestBatchRepliesFlushBoundedByReadContext: the reader sends held
// replies itself, and that write is bounded by the read's context, as the
// pongs it sends are: a peer that pipelines two requests and never reads
// cannot hold NextReader or ReadMessage past their context, even with no
// WriteTimeout. Before the fix the call hung for good.
func TestBatchRepliesFlushBoundedByReadContext(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("q")), 2)
	for _, useNextReader := range []bool{false, true} {
		c, _ := heldReplyPair(t, two, false, &Options{BatchReplies: true, WriteTimeout: -1})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		done := make(chan error, 1)
		go func() {
			var err error
			if useNextReader {
				_, _, err = c.NextReader(ctx)
			} else {
				_, _, err = c.ReadMessage(ctx)
			}
			done <- err
		}()
		select {
		case <-done: // the second request is handed out (or the read fails): either way, not held
		case <-time.After(10 * time.Second):
			t.Fatalf("NextReader=%v: a read with a 100 ms context was held 10 s sending a held reply to a peer that does not read", useNextReader)
		}
		cancel()
		if err := c.WriteMessage(context.Background(), BinaryMessage, []byte("r")); err == nil {
			t.Errorf("NextReader=%v: the write after a held reply that could not be sent returned nil", useNextReader)
		}
		c.CloseNow()
	}
}

// TestBatchRepliesCloseNowBounded: CloseNow sends held replies, but a peer
// that does not read holds it no longer than CloseTimeout, even with no
// WriteTimeout. Before the fix CloseNow hung for good.
func TestBatchRepliesCloseNowBounded(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("q")), 2)
	c, _ := heldReplyPair(t, two, false, &Options{BatchReplies: true, WriteTimeout: -1, CloseTimeout: 100 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- c.CloseNow() }()
	select {
	case err := <-done:
		// The reply was lost, and CloseNow says so.
		if err == nil || !strings.HasPrefix(err.Error(), "websocket: sending 1 held frame (Options.BatchReplies): ") {
			t.Errorf("CloseNow: %v, want the error of sending the 1 held frame", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("CloseNow was held 10 s sending a held reply to a peer that does not read (CloseTimeout 100 ms)")
	}
	select {
	case <-c.Done():
	default:
		t.Error("CloseNow returned without closing the connection")
	}
}

// watchConn reports the socket calls that tell what CloseNow does first,
// arming a write deadline or closing the socket, so that a test can tell
// without a sleep whether it waits or closes at once.
type watchConn struct {
	net.Conn
	events chan string
}

func (w *watchConn) SetWriteDeadline(t time.Time) error {
	w.note("deadline")
	return w.Conn.SetWriteDeadline(t)
}

func (w *watchConn) Close() error {
	w.note("close")
	return w.Conn.Close()
}

func (w *watchConn) note(ev string) {
	select {
	case w.events <- ev:
	default: // nobody is watching this many: the test looks at the first few
	}
}

// drain forgets the events reported so far.
func (w *watchConn) drain() {
	for {
		select {
		case <-w.events:
		default:
			return
		}
	}
}

// TestBatchRepliesCloseNowKeepsHeldReplies: CloseNow must not lose a reply
// whose WriteMessage returned nil. It used to try the frame lock once and,
// finding it taken, close the socket at once: a reply held in the buffer,
// or being sent by the goroutine holding the lock, never reached the
// peer. Now CloseNow bounds writes by CloseTimeout (its first act on the
// socket is to arm that write deadline, where it used to close), waits for
// the lock, sends what is held and only then closes. Two cases: a
// goroutine holds the lock with a reply still held (the test itself takes
// the lock, as any writer between frames would), and a goroutine is
// writing the held reply and its own frame to a peer that reads slowly.
func TestBatchRepliesCloseNowKeepsHeldReplies(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")), 2)
	reply := []byte{0x82, 0x01, 'a'}
	setup := func(t *testing.T) (*Conn, net.Conn, *watchConn) {
		peer, ours := net.Pipe()
		w := &watchConn{Conn: ours, events: make(chan string, 16)}
		// No WriteTimeout: CloseTimeout's is then the write deadline
		// that CloseNow must arm.
		c := heldReplyOn(t, w, peer, two, false, &Options{BatchReplies: true, WriteTimeout: -1, CloseTimeout: 10 * time.Second})
		peer.SetReadDeadline(time.Now().Add(20 * time.Second))
		return c, peer, w
	}
	closeNow := func(c *Conn) chan error {
		done := make(chan error, 1)
		go func() { done <- c.CloseNow() }()
		return done
	}

	t.Run("the frame lock is taken", func(t *testing.T) {
		c, peer, w := setup(t)
		w.drain()
		c.frameMu.Lock()
		done := closeNow(c)
		if ev := <-w.events; ev != "deadline" {
			c.frameMu.Unlock()
			t.Fatalf("CloseNow's first act on the socket was %q while another goroutine held the frame lock: the held reply is lost", ev)
		}
		c.frameMu.Unlock()
		got, err := io.ReadAll(peer) // to the end: CloseNow closes the socket once the reply is out
		if err != nil || !bytes.Equal(got, reply) {
			t.Fatalf("the peer got %x (%v), want the held reply %x and then the end of the stream", got, err, reply)
		}
		if err := <-done; err != nil {
			t.Errorf("CloseNow: %v", err)
		}
	})

	t.Run("a writer is sending the held reply", func(t *testing.T) {
		c, peer, w := setup(t)
		pinged := make(chan error, 1)
		go func() { pinged <- c.Ping(context.Background(), []byte("p")) }()
		// A ping is never held: it goes out with the held reply, in one
		// write, which net.Pipe hands over as the peer reads. One byte
		// read means that the writer holds the frame lock, in the
		// middle of the write, and has already taken the reply out of
		// the held buffer.
		first := make([]byte, 1)
		if _, err := io.ReadFull(peer, first); err != nil {
			t.Fatal(err)
		}
		w.drain() // the writer's own deadline
		done := closeNow(c)
		if ev := <-w.events; ev != "deadline" {
			t.Fatalf("CloseNow's first act on the socket was %q while a writer was sending the held reply: the rest of it is lost", ev)
		}
		rest, err := io.ReadAll(peer)
		want := append(bytes.Clone(reply), 0x89, 0x01, 'p')
		if got := append(first, rest...); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("the peer got %x (%v), want the held reply and the ping %x and then the end of the stream", got, err, want)
		}
		if err := <-pinged; err != nil {
			t.Errorf("Ping: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("CloseNow: %v", err)
		}
	})
}

// TestBatchRepliesCloseNowBoundedWithBlockedWriter: CloseNow waits for a
// writer that holds the frame lock, but no longer than CloseTimeout: a
// writer stuck on a peer that never reads is interrupted by the write
// deadline CloseNow arms, even with no WriteTimeout. The held reply is
// then lost, as the peer would not take it, and the writer is told.
func TestBatchRepliesCloseNowBoundedWithBlockedWriter(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")), 2)
	peer, ours := net.Pipe()
	w := &watchConn{Conn: ours, events: make(chan string, 16)}
	c := heldReplyOn(t, w, peer, two, false, &Options{BatchReplies: true, WriteTimeout: -1, CloseTimeout: 100 * time.Millisecond})
	pinged := make(chan error, 1)
	go func() { pinged <- c.Ping(context.Background(), []byte("p")) }()
	first := make([]byte, 1)
	if _, err := io.ReadFull(peer, first); err != nil { // the writer is now stuck in its write
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.CloseNow() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("CloseNow was held 10 s by a writer stuck on a peer that does not read (CloseTimeout 100 ms)")
	}
	if err := <-pinged; err == nil {
		t.Error("the ping stuck on a peer that does not read returned nil")
	}
}

// TestBatchRepliesCloseNowGivesUpOnTheLock: a goroutine that holds the
// frame lock without writing (an Observer that does not return would)
// cannot hold CloseNow past CloseTimeout either: it returns an error
// saying the held reply was not sent, closes the connection, and the lock
// it was waiting for is released once the holder lets go.
func TestBatchRepliesCloseNowGivesUpOnTheLock(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")), 2)
	c, _ := heldReplyPair(t, two, false, &Options{BatchReplies: true, CloseTimeout: 100 * time.Millisecond})
	c.frameMu.Lock()
	done := make(chan error, 1)
	go func() { done <- c.CloseNow() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "held replies") {
			t.Errorf("CloseNow: %v, want an error saying the held replies were not sent", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("CloseNow was held 10 s by a goroutine holding the frame lock (CloseTimeout 100 ms)")
	}
	select {
	case <-c.Done():
	default:
		t.Error("CloseNow returned without closing the connection")
	}
	c.frameMu.Unlock()
	locked := make(chan struct{})
	go func() { c.frameMu.Lock(); close(locked) }()
	select {
	case <-locked:
		c.frameMu.Unlock()
	case <-time.After(10 * time.Second):
		t.Fatal("the frame lock stayed taken after CloseNow gave up waiting for it")
	}
}

// TestBatchRepliesCloseSendsHeldFirst: Close sends a held reply ahead of
// its close frame (the close frame is written like any frame that may not
// wait, after what is held), and after it nothing: §5.5.1, "The
// application MUST NOT send any more data frames after sending a Close
// frame."
func TestBatchRepliesCloseSendsHeldFirst(t *testing.T) {
	two := bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("a")), 2)
	c, peer := heldReplyPair(t, two, false, &Options{BatchReplies: true, CloseTimeout: 10 * time.Second})
	closed := make(chan error, 1)
	go func() { closed <- c.Close(CloseNormal, "") }()
	peer.SetReadDeadline(time.Now().Add(20 * time.Second))
	want := []byte{0x82, 0x01, 'a', 0x88, 0x02, 0x03, 0xe8}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(peer, got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the peer got %x (%v), want the held reply, then the close frame: %x", got, err, want)
	}
	if _, err := peer.Write(clientFrame(Header{Fin: true, Opcode: OpClose}, []byte{0x03, 0xe8})); err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if rest, err := io.ReadAll(peer); err != nil || len(rest) != 0 {
		t.Errorf("after the close frame the peer got %x (%v), want nothing", rest, err)
	}
}

// TestBatchRepliesConcurrentWriters: with BatchReplies, an echo loop
// answers pipelined batches while other goroutines write their own
// messages, send pings and write raw frames, and the peer pings too.
// Every message arrives, whole, each writer's in the order written, each
// batch's echoes in order, and no batch waits for its echoes longer than
// a generous bound (a reply held while the server waits for input would).
// Run it with -race: the held buffer is shared by all writers and the
// reader.
func TestBatchRepliesConcurrentWriters(t *testing.T) {
	client, server := connPair(t, nil, &Options{BatchReplies: true})
	ctx := context.Background()
	go func() {
		for {
			typ, msg, err := server.ReadMessage(ctx)
			if err != nil {
				return
			}
			if server.WriteMessage(ctx, typ, msg) != nil {
				return
			}
		}
	}()
	const writers, perWriter = 4, 150
	writerErr := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range perWriter {
				var err error
				switch {
				case w == 0 && i%10 == 0:
					err = server.Ping(ctx, []byte("p"))
				case w == 1 && i%10 == 0: // a whole frame, raw: it must not land inside a held one
					p := []byte("w1:raw")
					err = server.WriteRaw(append([]byte{0x81, byte(len(p))}, p...))
				}
				if err == nil {
					err = server.WriteMessage(ctx, TextMessage, []byte("w"+strconv.Itoa(w)+":"+strconv.Itoa(i)))
				}
				if err != nil {
					writerErr <- err
					return
				}
			}
			writerErr <- nil
		}()
	}
	next := make([]int, writers) // the next sequence number of each writer
	read := func(rctx context.Context) []byte {
		t.Helper()
		for {
			_, msg, err := client.ReadMessage(rctx)
			if err != nil {
				t.Fatalf("reading (writers at %v): %v (a reply held while the server waits for input?)", next, err)
			}
			s := string(msg)
			if s == "w1:raw" {
				continue
			}
			if ws, is, ok := strings.Cut(s, ":"); ok && strings.HasPrefix(ws, "w") {
				w, werr := strconv.Atoi(ws[1:])
				i, ierr := strconv.Atoi(is)
				if werr != nil || ierr != nil || w < 0 || w >= writers {
					t.Fatalf("got %q, which is no writer's message", s)
				}
				if i != next[w] {
					t.Fatalf("got %q, want writer %d's message %d next", s, w, next[w])
				}
				next[w]++
				continue
			}
			return msg
		}
	}
	for round := range 60 {
		n := 1 + round%8
		var batch []byte
		for i := range n {
			batch = append(batch, clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte{'e', byte(round), byte(i)})...)
		}
		if round%7 == 0 {
			batch = append(batch, clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("cp"))...)
		}
		if err := client.WriteRaw(batch); err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		for i := range n {
			if got := read(rctx); !bytes.Equal(got, []byte{'e', byte(round), byte(i)}) {
				t.Fatalf("round %d: echo %d is %q", round, i, got)
			}
		}
		cancel()
	}
	for range writers {
		if err := <-writerErr; err != nil {
			t.Fatal(err)
		}
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for w := 0; w < writers; {
		if next[w] == perWriter {
			w++
			continue
		}
		if got := read(rctx); got != nil {
			t.Fatalf("an echo nobody asked for: %q", got)
		}
	}
	client.CloseNow()
}
