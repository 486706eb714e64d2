package protocol

import (
	"bufio"
	"io"
	"sync"
)

// The read buffer, held only while it holds something
//
// Reading frames goes through a bufio.Reader: a header is peeked at in
// place, and many small frames come in with one system call. But a
// connection spends most of its life waiting for the next message, and a
// 16 KiB buffer held through that wait is most of what an idle connection
// costs. So the connection holds its bufio.Reader only while it needs it:
//
//   - A read call (NextReader, its reader's Read, ReadMessage) about to wait
//     for a frame header with no buffer, or an empty one, first waits for
//     the first bytes with a small read into readSource.pre, part of the
//     connection, and only then takes a buffer from readerPool. The wait,
//     which may last hours, costs no buffer.
//   - When the call returns between messages with nothing buffered, the
//     buffer goes back to the pool. A call that returns with bytes in the
//     buffer (the next messages, already read), or in the middle of a
//     message, keeps it: nothing read is ever dropped.
//
// The bufio.Reader of our own handshake (Accept, Dial), which may hold the
// first frames (bytes the peer sent right after the handshake), is kept
// the same way until it is drained. One that a caller hands to NewConn is
// kept for good: it may read from something other than the socket.
//
// All of it is guarded by readMu.

// readSource is what a pooled bufio.Reader reads from: the bytes of the
// small first read, then the socket.
type readSource struct {
	c      *Conn
	pre    [readPreSize]byte
	lo, hi int   // pre[lo:hi] is not yet handed to the bufio.Reader
	err    error // the error of the small read, handed on once
}

// readPreSize is the small first read: a whole small message (a 16-byte
// chat line is 22 bytes on the wire) arrives in one system call, as it
// would into a full buffer.
const readPreSize = 256

func (s *readSource) Read(p []byte) (int, error) {
	if s.lo < s.hi {
		n := copy(p, s.pre[s.lo:s.hi])
		s.lo += n
		return n, nil
	}
	if err := s.err; err != nil {
		s.err = nil
		return 0, err
	}
	return s.c.netConn.Read(p)
}

// readerPool holds the read buffers of connections between messages. It
// holds pointers, so Get and Put allocate nothing in steady state.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufferSize) }}

// takeReadBuffer makes sure c.br is set, waiting for the first bytes
// first if it is not (the read deadline is already armed). An error of
// that wait is kept in readSource and comes out of c.br, where every
// read error is handled.
func (c *Conn) takeReadBuffer() {
	if c.br != nil {
		if c.keepBR || c.br.Buffered() > 0 {
			return
		}
		// An empty buffer (the handshake's, or one that a read drained
		// at a frame boundary): not worth holding through the wait.
		c.putReadBuffer()
	}
	s := &c.src
	if s.lo == s.hi && s.err == nil {
		n, err := c.netConn.Read(s.pre[:])
		s.lo, s.hi, s.err = 0, n, err
	}
	c.br = readerPool.Get().(*bufio.Reader)
	c.br.Reset(s)
}

// releaseReadBuffer gives the read buffer back when a read call ends
// between messages with nothing in it.
func (c *Conn) releaseReadBuffer() {
	br := c.br
	if br == nil || c.keepBR || br.Buffered() > 0 || c.reader.inMessage || c.reader.frameLeft > 0 {
		return
	}
	c.putReadBuffer()
}

// putReadBuffer gives the empty c.br back to the pool.
func (c *Conn) putReadBuffer() {
	br := c.br
	c.br = nil
	if br.Size() != bufferSize {
		return // not one of ours: left to the GC
	}
	br.Reset(nil) // forget the source and any error
	readerPool.Put(br)
}

// unread is what is left to read from the connection: the buffer's bytes
// and then the socket's. For the reads that end a connection (finishTCP).
func (c *Conn) unread() io.Reader {
	if c.br != nil {
		return c.br
	}
	return &c.src
}
