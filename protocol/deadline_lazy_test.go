package protocol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// countingConn counts the reads of the socket and the read deadlines set
// on it.
type countingConn struct {
	net.Conn
	reads, deadlines atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.Conn.Read(p)
}

func (c *countingConn) SetReadDeadline(t time.Time) error {
	c.deadlines.Add(1)
	return c.Conn.SetReadDeadline(t)
}

// TestIdleTimeoutArmsOnlyWaits: with IdleTimeout, messages that are
// already buffered are read without touching the socket's deadline: it is
// armed only before a read of the socket, so never more often than the
// socket is read (the code before armed it three times per message). Every
// message still arrives whole and in order, through NextReader's shortest
// way and ReadMessage alike.
func TestIdleTimeoutArmsOnlyWaits(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	cc := &countingConn{Conn: ours}
	c := NewConn(cc, RoleServer, nil, &Options{IdleTimeout: 5 * time.Second, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	const n = 40
	var all []byte
	for i := 0; i < n; i++ {
		all = append(all, clientFrame(Header{Fin: true, Opcode: OpText}, []byte(fmt.Sprintf("message %02d", i)))...)
	}
	go peer.Write(all) // one write: most messages wait whole in the buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < n; i++ {
		var msg []byte
		var err error
		if i%4 == 3 {
			_, msg, err = c.ReadMessage(ctx)
		} else {
			var r io.Reader
			if _, r, err = c.NextReader(context.Background()); err == nil {
				msg, err = io.ReadAll(r)
			}
		}
		if want := fmt.Sprintf("message %02d", i); err != nil || string(msg) != want {
			t.Fatalf("message %d: %q, %v; want %q", i, msg, err, want)
		}
	}
	reads, deadlines := cc.reads.Load(), cc.deadlines.Load()
	t.Logf("%d messages: %d reads of the socket, %d read deadlines set", n, reads, deadlines)
	if deadlines > reads {
		t.Errorf("%d read deadlines set for %d reads of the socket: a deadline was set where no read waited", deadlines, reads)
	}
}

// TestIdleTimeoutDropsADribblerAfterABufferedMessage: a whole message in
// the buffer is handed out (NextReader's shortest way, which sets no
// deadline), and the frame after it, which the peer then sends a byte at
// a time, is still bounded by IdleTimeout: the rule is that each frame
// arrives whole in time, however its bytes trickle in. On a TCP socket
// (the poller's way, readbuf.go) and on a pipe (the small first read).
func TestIdleTimeoutDropsADribblerAfterABufferedMessage(t *testing.T) {
	for _, kind := range []string{"tcp", "pipe"} {
		t.Run(kind, func(t *testing.T) {
			var ours, peer net.Conn
			if kind == "tcp" {
				ours, peer = tcpPair(t)
			} else {
				ours, peer = net.Pipe()
			}
			defer peer.Close()
			c := NewConn(ours, RoleServer, nil, &Options{IdleTimeout: 300 * time.Millisecond, CloseTimeout: 200 * time.Millisecond})
			defer c.CloseNow()
			first := clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("whole"))
			next := clientFrame(Header{Fin: true, Opcode: OpText}, bytes.Repeat([]byte("a"), 100))
			go func() {
				// The first message and three bytes of the next frame in
				// one write, then the rest a byte every 30 ms (3 s in all).
				if _, err := peer.Write(append(append([]byte(nil), first...), next[:3]...)); err != nil {
					return
				}
				for _, b := range next[3:] {
					time.Sleep(30 * time.Millisecond)
					if _, err := peer.Write([]byte{b}); err != nil {
						return
					}
				}
			}()
			typ, r, err := c.NextReader(context.Background())
			if err != nil {
				t.Fatalf("first message: %v", err)
			}
			if msg, err := io.ReadAll(r); typ != BinaryMessage || err != nil || string(msg) != "whole" {
				t.Fatalf("first message: %v %q, %v; want binary \"whole\"", typ, msg, err)
			}
			start := time.Now()
			_, r, err = c.NextReader(context.Background())
			if err == nil {
				_, err = io.ReadAll(r)
			}
			if !errors.Is(err, ErrIdleTimeout) {
				t.Fatalf("second message: %v, want an error wrapping ErrIdleTimeout", err)
			}
			if d := time.Since(start); d > 2500*time.Millisecond {
				t.Errorf("the dribbler was dropped after %v (IdleTimeout 300 ms; its frame takes 3 s)", d)
			}
		})
	}
}
