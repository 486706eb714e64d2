package testvectors

import (
	"bytes"
	"io"
	"net"
	"sync"
	"time"
)

// scriptConn is a net.Conn whose peer is a script: reads return the input
// segments in order, one segment per Read at most, as if each had arrived
// in its own TCP segment, then io.EOF; writes are recorded.
//
// The runner uses it instead of a net.Pipe because the end of a vector's
// input must look like a peer that stopped sending but still listens: a
// receiver answering the last ping must be able to write its pong after
// reading the final byte. A pipe cannot half-close; a script can, and it
// needs no goroutine, so a vector's run is deterministic.
type scriptConn struct {
	mu       sync.Mutex
	segments [][]byte
	written  bytes.Buffer
	closed   bool
}

func newScriptConn(segments ...[]byte) *scriptConn {
	return &scriptConn{segments: segments}
}

func (c *scriptConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	for len(c.segments) > 0 && len(c.segments[0]) == 0 {
		c.segments = c.segments[1:]
	}
	if len(c.segments) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.segments[0])
	c.segments[0] = c.segments[0][n:]
	return n, nil
}

func (c *scriptConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return c.written.Write(p)
}

// Written returns a copy of everything the endpoint under test wrote.
func (c *scriptConn) Written() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.written.Bytes())
}

func (c *scriptConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// Deadlines cannot fire: a script never blocks.
func (c *scriptConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

func (c *scriptConn) LocalAddr() net.Addr  { return scriptAddr("receiver") }
func (c *scriptConn) RemoteAddr() net.Addr { return scriptAddr("vector") }

type scriptAddr string

func (a scriptAddr) Network() string { return "script" }
func (a scriptAddr) String() string  { return string(a) }
