package protocol

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loopConn is a connection whose reads replay data without end and whose
// writes vanish.
type loopConn struct {
	nopConn
	r *loopReader
}

func (c loopConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestIdleConnHoldsNoReadBuffer: once a message is read and nothing more is
// buffered, the connection gives its read buffer back (readbuf.go), and
// taking it again for the next message allocates nothing.
func TestIdleConnHoldsNoReadBuffer(t *testing.T) {
	msg := bytes.Repeat([]byte("a"), 1024) // more than the small first read
	c := NewConn(loopConn{r: &loopReader{data: clientFrame(Header{Fin: true, Opcode: OpText}, msg)}}, RoleServer, nil, nil)
	buf := make([]byte, len(msg))
	ctx := context.Background()
	read := func() {
		_, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, msg) {
			t.Fatalf("read %q, %v", buf, err)
		}
		if c.br != nil {
			t.Fatalf("the connection holds a read buffer with %d bytes buffered after the message", c.br.Buffered())
		}
	}
	read()
	if n := testing.AllocsPerRun(200, read); n != 0 && !raceEnabled {
		t.Errorf("reading a message with a pooled buffer allocates %v times", n)
	}
}

// TestBytesPastHandshakeAreKept: frames that arrive in the same packet as
// the handshake request sit in the handshake's buffer, and are read from
// it, not lost when the connection drops its buffers between messages.
func TestBytesPastHandshakeAreKept(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	req := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	wire := []byte(req)
	for _, m := range []string{"first", "second", "third"} {
		wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpText}, []byte(m))...)
	}
	go func() {
		peer.Write(wire)
		br := bufio.NewReader(peer)
		for { // read the response and whatever follows, until the end
			if _, err := br.ReadByte(); err != nil {
				return
			}
		}
	}()
	ctx := context.Background()
	c, err := AcceptConn(ctx, ours, &AcceptOptions{CheckOrigin: AcceptAnyOrigin})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	var got []string
	for range 3 {
		_, msg, err := c.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, string(msg))
	}
	if s := strings.Join(got, " "); s != "first second third" {
		t.Fatalf("read %q", s)
	}
}

// waitingReader is a server Conn on one end of a loopback TCP connection,
// and the peer's end, for the tests of the direct read (readbuf_unix.go).
func waitingReader(t *testing.T) (c *Conn, peer *net.TCPConn) {
	ours, peer := tcpPair(t)
	c = NewConn(ours, RoleServer, nil, nil)
	if runtime.GOOS != "windows" && c.src.socket == nil {
		t.Fatal("a TCP connection does not read its socket directly")
	}
	return c, peer
}

// socketReads holds, for each connection a test watches, how many reads
// of its socket it has made (socketReadHook, set by init below).
var socketReads sync.Map // *Conn -> *atomic.Int64

func init() {
	socketReadHook = func(c *Conn) {
		if n, ok := socketReads.Load(c); ok {
			n.(*atomic.Int64).Add(1)
		}
	}
}

// countSocketReads starts counting c's reads of its socket.
func countSocketReads(t *testing.T, c *Conn) *atomic.Int64 {
	n := new(atomic.Int64)
	socketReads.Store(c, n)
	t.Cleanup(func() { socketReads.Delete(c) })
	return n
}

// TestDirectReadOneSyscallPerMessage: a 1 KiB message that has arrived
// while the connection held no buffer is read with one system call, into
// a full-size pooled buffer. (With a small first read it took two: 256
// bytes, then the rest.) A read that finds nothing yet costs one more, so
// the bound is 1.5 per message on average rather than exactly 1. The
// reads are counted in the connection (socketReadHook), not from the
// process's count of system calls, to which any other goroutine adds.
func TestDirectReadOneSyscallPerMessage(t *testing.T) {
	c, peer := waitingReader(t)
	if c.src.socket == nil {
		t.Skip("the socket is read directly only on Unix systems (readbuf_unix.go)")
	}
	reads := countSocketReads(t, c)
	msg := bytes.Repeat([]byte("x"), 1024)
	frame := clientFrame(Header{Fin: true, Opcode: OpBinary}, msg)
	buf := make([]byte, len(msg))
	ctx := context.Background()
	const messages = 50
	for i := range messages {
		if _, err := peer.Write(frame); err != nil {
			t.Fatal(err)
		}
		_, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, msg) {
			t.Fatalf("message %d: read %d bytes, %v", i, n, err)
		}
		if c.br != nil {
			t.Fatalf("message %d: the connection holds a read buffer after the message", i)
		}
	}
	if n := reads.Load(); n > messages*3/2 {
		t.Errorf("%d reads of the socket for %d messages of 1 KiB; want at most %d", n, messages, messages*3/2)
	} else if n < messages {
		t.Fatalf("%d reads of the socket counted for %d messages: the count misses reads", n, messages)
	}
}

// TestDirectReadDeadlines: a read waiting in the poller with no buffer is
// interrupted by everything that interrupts a read of the socket (the read
// deadline, a context's deadline or cancellation, CloseNow), holds no
// buffer afterwards, and the connection goes on reading (except after
// CloseNow).
func TestDirectReadDeadlines(t *testing.T) {
	c, peer := waitingReader(t)
	msg := []byte("after the timeout")
	send := func() {
		if _, err := peer.Write(clientFrame(Header{Fin: true, Opcode: OpText}, msg)); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(what string) {
		t.Helper()
		send()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, got, err := c.ReadMessage(ctx); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("after %s: %q, %v", what, got, err)
		}
	}
	noBuffer := func(what string) {
		t.Helper()
		if c.br != nil {
			t.Fatalf("after %s the connection holds a read buffer", what)
		}
	}

	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, _, err := c.ReadMessage(context.Background()); !isTimeout(err) {
		t.Fatalf("read past SetReadDeadline: %v, want a timeout", err)
	}
	noBuffer("SetReadDeadline")
	c.SetReadDeadline(time.Time{})
	expect("SetReadDeadline")

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, _, err := c.ReadMessage(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read past its context's deadline: %v", err)
	}
	noBuffer("a context's deadline")
	expect("a context's deadline")

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, _, err := c.NextReader(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("read with a cancelled context: %v", err)
	}
	noBuffer("a cancelled context")
	expect("a cancelled context")

	time.AfterFunc(50*time.Millisecond, func() { c.CloseNow() })
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := c.ReadMessage(ctx); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read interrupted by CloseNow: %v", err)
	}
}

// TestDirectReadPeerGone: the end of the stream found by a direct read is
// reported as a read of the socket would report it: 1006, no close frame.
func TestDirectReadPeerGone(t *testing.T) {
	c, peer := waitingReader(t)
	time.AfterFunc(50*time.Millisecond, func() { peer.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.ReadMessage(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != CloseAbnormalClosure {
		t.Fatalf("read after the peer closed TCP: %v, want 1006", err)
	}
}

// TestDirectReadMessagesOfEverySize: messages that fill the buffer, spill
// over it, and come several to one read all arrive intact through the
// direct read.
func TestDirectReadMessagesOfEverySize(t *testing.T) {
	c, peer := waitingReader(t)
	var wire []byte
	var want [][]byte
	for _, size := range []int{0, 1, 125, 126, 255, 256, 1024, bufferSize - 8, bufferSize, 3*bufferSize + 7, 65536, 5, 5, 5} {
		m := bytes.Repeat([]byte{byte(size)}, size)
		want = append(want, m)
		wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpBinary}, m)...)
	}
	go func() {
		for len(wire) > 0 { // in uneven pieces, with pauses, so that reads wait
			n := min(len(wire), 7000)
			peer.Write(wire[:n])
			wire = wire[n:]
			time.Sleep(time.Millisecond)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, w := range want {
		_, got, err := c.ReadMessage(ctx)
		if err != nil || !bytes.Equal(got, w) {
			t.Fatalf("message %d (%d bytes): got %d bytes, %v", i, len(w), len(got), err)
		}
	}
}

// wrappedTCP is a net.Conn around a TCP connection, as a program might
// write one to count or throttle bytes. It implements syscall.Conn through
// the embedded *net.TCPConn, but reading its socket directly would bypass
// its own Read.
type wrappedTCP struct{ *net.TCPConn }

// TestDirectReadOnlyPlainSockets: only the net package's own TCP and Unix
// connections are read directly; a wrapper, TLS and net.Pipe keep Read.
func TestDirectReadOnlyPlainSockets(t *testing.T) {
	ours, _ := tcpPair(t)
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	for name, nc := range map[string]net.Conn{
		"wrapper":  wrappedTCP{ours},
		"TLS":      tls.Client(ours, &tls.Config{}),
		"net.Pipe": a,
	} {
		if socketOf(nc) != nil {
			t.Errorf("%s: read directly from its socket, bypassing its Read", name)
		}
	}
}

// TestPlainHeaderAgreesWithCheckHeader: the short cut for the commonest
// header (takePlainHeader) takes only headers that the general decoder reads
// the same way and that CheckHeader passes, for every possible pair of
// first bytes, in both roles, inside and outside a fragmented message, and
// with message limits below, at and above the 7-bit lengths. It must also
// take the frames it was made for, or it would be dead code.
func TestPlainHeaderAgreesWithCheckHeader(t *testing.T) {
	taken := 0
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, inMessage := range []bool{false, true} {
			for _, limit := range []int64{-1, 10, 125, 0} {
				src := bytes.NewReader(nil)
				c := NewConn(nopConn{}, role, bufio.NewReader(src), &Options{MessageLimit: limit})
				for b0 := range 256 {
					for b1 := range 256 {
						wire := []byte{byte(b0), byte(b1), 0x37, 0xfa, 0x21, 0x3d}
						src.Reset(wire)
						c.br.Reset(src)
						c.br.Peek(len(wire))
						c.reader.inMessage = inMessage
						if !c.takePlainHeader() {
							if c.br.Buffered() != len(wire) {
								t.Fatalf("% x: refused, yet %d bytes consumed", wire[:2], len(wire)-c.br.Buffered())
							}
							continue
						}
						taken++
						h, size := c.reader.frame, len(wire)-c.br.Buffered()
						want, n, err := DecodeHeader(wire)
						if err != nil || n != size || h != want {
							t.Fatalf("% x: takePlainHeader %+v (%d bytes), DecodeHeader %+v (%d bytes, %v)", wire[:2], h, size, want, n, err)
						}
						st := State{Role: role, InMessage: inMessage, MessageLimit: c.opts.MessageLimit}
						if v := CheckHeader(h, st); v != nil {
							t.Fatalf("% x (%v, in message %v, limit %d): takePlainHeader took a header CheckHeader refuses: %v",
								wire[:2], role, inMessage, limit, v)
						}
					}
				}
			}
		}
	}
	if taken == 0 {
		t.Fatal("takePlainHeader took no header at all")
	}
	// A 16-byte masked text message from a client, the commonest frame.
	c := NewConn(nopConn{}, RoleServer, bufio.NewReader(bytes.NewReader(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("0123456789abcdef")))), nil)
	c.br.Peek(2)
	if !c.takePlainHeader() {
		t.Fatal("takePlainHeader does not take a 16-byte masked text frame from a client")
	}
}

// TestSmallMessageReadAhead: a small message that NextReader read ahead
// (streamReader.takeSmall) reads like any other: whole, in pieces, or not
// at all (the next NextReader drops it); a text message that is not UTF-8
// fails with 1007 from Read, as before; and none of it allocates.
func TestSmallMessageReadAhead(t *testing.T) {
	var wire []byte
	for _, m := range []string{"first", "second, read in pieces", "third, never read", "fourth", ""} {
		wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpText}, []byte(m))...)
	}
	wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpText}, []byte("bad \xff byte"))...)
	c := NewConn(nopConn{}, RoleServer, bufio.NewReader(bytes.NewReader(wire)), nil)
	ctx := context.Background()
	next := func() io.Reader {
		t.Helper()
		_, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !c.stream.ready {
			t.Fatal("a small message, buffered whole, was not read ahead")
		}
		return r
	}
	if b, err := io.ReadAll(next()); err != nil || string(b) != "first" {
		t.Fatalf("first: %q, %v", b, err)
	}
	r := next()
	var got []byte
	piece := make([]byte, 3)
	for {
		n, err := r.Read(piece)
		got = append(got, piece[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(got) != "second, read in pieces" {
		t.Fatalf("second: %q", got)
	}
	next() // third, dropped unread
	if b, err := io.ReadAll(next()); err != nil || string(b) != "fourth" {
		t.Fatalf("after a message left unread: %q, %v", b, err)
	}
	if b, err := io.ReadAll(next()); err != nil || len(b) != 0 {
		t.Fatalf("empty message: %q, %v", b, err)
	}
	_, r, err := c.NextReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(r)
	var v *Violation
	if !errors.As(err, &v) || v.Code != CloseInvalidPayload {
		t.Fatalf("text that is not UTF-8: %v, want 1007", err)
	}
	if _, _, err := c.NextReader(ctx); !errors.As(err, &v) {
		t.Fatalf("after the violation: %v, want it again", err)
	}

	// Allocations: a replayed 16-byte message, read ahead every time.
	loop := NewConn(loopConn{r: &loopReader{data: clientFrame(Header{Fin: true, Opcode: OpText}, []byte("0123456789abcdef"))}}, RoleServer, nil, nil)
	buf := make([]byte, 64)
	read := func() {
		_, r, err := loop.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := r.Read(buf); err != io.EOF || n != 16 {
			t.Fatalf("read %d bytes, %v", n, err)
		}
	}
	read()
	if n := testing.AllocsPerRun(200, read); n != 0 && !raceEnabled {
		t.Errorf("reading a small message allocates %v times", n)
	}
}

// TestBufferedShortcutJudgesTextAsTheValidator holds NextReader's shortest
// way (takeBuffered), which checks a whole small text with utf8.Valid, to
// the validator the general path uses (§8.1): the same texts pass, and one
// that fails still fails with 1007 naming its first bad byte.
func TestBufferedShortcutJudgesTextAsTheValidator(t *testing.T) {
	texts := []string{
		"", "plain", "héllo 世界 🎉", "\u007f\u0080\u07ff\u0800\uffff\U00010000\U0010ffff",
		"\xed\xa0\x80",         // a surrogate, U+D800
		"\xc0\x80",             // an overlong NUL
		"\xf4\x90\x80\x80",     // above U+10FFFF
		"ok \xe2\x82",          // a character cut short at the end
		"\x80 starts mid-char", // a continuation byte first
		"abcdefgh\xff",         // bad after a whole ASCII word
	}
	for _, text := range texts {
		var v UTF8Validator
		valid := v.Write([]byte(text)) < 0 && v.Complete()
		wire := clientFrame(Header{Fin: true, Opcode: OpText}, []byte(text))
		c := NewConn(nopConn{}, RoleServer, bufio.NewReader(bytes.NewReader(wire)), nil)
		_, r, err := c.NextReader(context.Background())
		if err == nil {
			var got []byte
			got, err = io.ReadAll(r)
			if err == nil && string(got) != text {
				t.Errorf("%q read as %q", text, got)
			}
		}
		var viol *Violation
		switch {
		case valid && err != nil:
			t.Errorf("%q: %v, want it read", text, err)
		case !valid && (!errors.As(err, &viol) || viol.Code != CloseInvalidPayload):
			t.Errorf("%q: %v, want 1007", text, err)
		}
	}
}

// FuzzBufferedShortcutAgrees: NextReader's shortest way (takeBuffered)
// judges a frame exactly as the general path does. The same bytes go to
// three servers: one plain, one with an IdleTimeout (far off), which takes
// the shortcut too, and one that cannot take it (it has an observer): the
// messages handed out, the error that ends reading and every byte sent
// back (pongs, close frames and the codes in them) must be the same.
func FuzzBufferedShortcutAgrees(f *testing.F) {
	f.Add(bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("Hello")), 3), uint16(0))
	f.Add(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("\xed\xa0\x80")), uint16(8))
	f.Add(append(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("b")), clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("p"))...), uint16(1))
	f.Add([]byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}, uint16(0)) // unmasked from a client: §5.1
	f.Fuzz(func(t *testing.T, wire []byte, limit uint16) {
		type result struct {
			msgs []string
			err  string
			sent []byte
		}
		var res [3]result
		for i, opts := range []Options{{}, {IdleTimeout: time.Hour}, {Observer: func(Event) {}}} {
			sc := &scriptConn{in: bytes.NewReader(wire)}
			opts.MessageLimit, opts.CloseTimeout = int64(limit)+1, time.Millisecond
			c := NewConn(sc, RoleServer, nil, &opts)
			ctx := context.Background()
			for range 50 {
				typ, r, err := c.NextReader(ctx)
				if err != nil {
					res[i].err = err.Error()
					break
				}
				msg, err := io.ReadAll(r)
				res[i].msgs = append(res[i].msgs, fmt.Sprintf("%v %x %v", typ, msg, err))
				if err != nil {
					break
				}
			}
			c.CloseNow()
			res[i].sent = bytes.Join(sc.writes, nil)
		}
		if !reflect.DeepEqual(res[0], res[2]) || !reflect.DeepEqual(res[1], res[2]) {
			t.Fatalf("with the shortcut: %+v\nwith it and IdleTimeout: %+v\nwithout it: %+v", res[0], res[1], res[2])
		}
	})
}
