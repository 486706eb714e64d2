package protocol

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
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
