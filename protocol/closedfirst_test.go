package protocol

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// resetConn is the client's end of a connection whose server sent a close
// frame and then closed its socket with bytes unread, so that its kernel
// answered with RST: reads return the close frame, then a reset.
type resetConn struct {
	net.Conn // nil: only the methods below are used
	in       *bytes.Reader
}

func (c *resetConn) Read(p []byte) (int, error) {
	if c.in.Len() > 0 {
		return c.in.Read(p)
	}
	return 0, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}
func (c *resetConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *resetConn) Close() error                     { return nil }
func (c *resetConn) SetDeadline(time.Time) error      { return nil }
func (c *resetConn) SetReadDeadline(time.Time) error  { return nil }
func (c *resetConn) SetWriteDeadline(time.Time) error { return nil }
func (c *resetConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *resetConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }

// TestResetMeansThePeerClosedFirst: a client that answers the server's
// close frame and then reads a reset did not close TCP first; the server
// did. Reporting both sides as "first" contradicted §7.1.1's order on the
// lesson screens.
func TestResetMeansThePeerClosedFirst(t *testing.T) {
	var got *ClosedEvent
	nc := &resetConn{in: bytes.NewReader([]byte{0x88, 0x02, 0x03, 0xEA})} // close 1002
	c := NewConn(nc, RoleClient, nil, &Options{CloseTimeout: time.Second, Observer: func(ev Event) {
		if e, ok := ev.(*ClosedEvent); ok {
			got = e
		}
	}})
	_, _, err := c.ReadMessage(context.Background())
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != CloseProtocolError {
		t.Fatalf("ReadMessage: %v, want the server's close 1002", err)
	}
	<-c.Done()
	if got == nil {
		t.Fatal("no ClosedEvent")
	}
	if got.ClosedTCPFirst {
		t.Error("the client reports that it closed TCP first, though the server's reset came first")
	}
	if got.SentCode != CloseProtocolError {
		t.Errorf("SentCode = %d, want the echoed 1002", got.SentCode)
	}
}

// TestFailedServerReportsItsCloseFirst: a server that fails the connection
// half-closes TCP (its FIN goes out) and then lingers until the client
// closes too. Its end must be reported when its FIN goes out, not after the
// linger: an observer of both ends otherwise lists "client TCP closed"
// before "server closed TCP first", a timeline that contradicts itself.
func TestFailedServerReportsItsCloseFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cnc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	snc, err := ln.Accept()
	if err != nil {
		cnc.Close()
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		order []Role
	)
	observe := func(ev Event) {
		if e, ok := ev.(*ClosedEvent); ok {
			mu.Lock()
			order = append(order, e.Role)
			mu.Unlock()
		}
	}
	opts := func() *Options { return &Options{CloseTimeout: 5 * time.Second, Observer: observe} }
	srv := NewConn(snc, RoleServer, nil, opts())
	cl := NewConn(cnc, RoleClient, nil, opts())
	// An unmasked frame from the client: the server MUST fail (§5.1).
	if _, err := cnc.Write([]byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ReadMessage(context.Background())
	}()
	if _, _, err := cl.ReadMessage(context.Background()); err == nil {
		t.Fatal("client ReadMessage: no error, want the server's close 1002")
	}
	<-done
	<-cl.Done()
	<-srv.Done()
	mu.Lock()
	defer mu.Unlock()
	if len(order) != 2 || order[0] != RoleServer || order[1] != RoleClient {
		t.Fatalf("ClosedEvents reported in the order %v, want [server client]: the server closed first", order)
	}
}
