package protocol

import (
	"bufio"
	"errors"
	"io"
	"sync"
	"syscall"
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
//     for a frame header with no buffer, or an empty one, waits for the
//     first bytes without a buffer, and only then takes one from
//     readerPool. The wait, which may last hours, costs no buffer.
//   - On a TCP or Unix socket (most connections), the wait is the
//     runtime's poller, through syscall.RawConn.Read, and the read that
//     ends it goes straight into a pooled buffer of full size (waitAndFill).
//     One system call brings a whole 1 KiB message, or many small ones, as
//     it would with a buffer held all along. Deadlines interrupt the wait
//     as they interrupt any read of the socket: the poller checks them.
//   - On any other connection (TLS, net.Pipe, a wrapper) the wait is a
//     small read into readSource.pre, part of the connection. A message
//     longer than that small read then takes a second read.
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
	c *Conn
	// pre is the small first read, allocated with the connection only
	// when socket is nil: a socket read directly never needs it.
	pre    *[readPreSize]byte
	lo, hi int   // pre[lo:hi] is not yet handed to the bufio.Reader
	err    error // the error of the first read, handed on once

	// socket is netConn's raw socket when reads may go to it directly
	// (socketOf), else nil. fill is c.waitAndFill as a func value, made
	// once at NewConn so that handing it to socket.Read allocates nothing.
	// While waitAndFill reads, direct holds the file descriptor (fd): the
	// bufio.Reader's Read then lands in one non-blocking read of it.
	socket syscall.RawConn
	fill   func(fd uintptr) bool
	direct bool
	fd     uintptr
}

// socketReadHook, when set, is called before every read that a
// connection's reading makes of its socket or net.Conn (one system call
// each on a TCP or Unix socket): a test sets it once, before any
// connection exists, to count them for the connection it watches. What it
// counts is exactly what this file is about; a process-wide count of
// system calls would add those of every other goroutine. Nil otherwise.
var socketReadHook func(*Conn)

// errWouldBlock is a direct read finding nothing to read yet.
var errWouldBlock = errors.New("websocket: nothing to read yet")

// readPreSize is the small first read: a whole small message (a 16-byte
// chat line is 22 bytes on the wire) arrives in one system call, as it
// would into a full buffer.
const readPreSize = 256

func (s *readSource) Read(p []byte) (int, error) {
	if s.direct {
		if socketReadHook != nil {
			socketReadHook(s.c)
		}
		return readFD(s.fd, p)
	}
	if s.lo < s.hi {
		n := copy(p, s.pre[s.lo:s.hi])
		s.lo += n
		return n, nil
	}
	// The buffer is refilled in the middle of a frame or a header: this
	// read may wait, or the input has ended and the connection is about
	// to fail. Either way nothing may stay held (BatchReplies). The read
	// that handed out the last message sent what was held, unless it
	// found the frame lock taken: then it goes now, before an error
	// closes the connection under it.
	s.c.stopReadingAhead(s.c.rctx)
	if err := s.err; err != nil {
		s.err = nil
		return 0, err
	}
	s.c.armRead() // this read may wait: its deadline now
	if socketReadHook != nil {
		socketReadHook(s.c)
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
		if c.br.Buffered() > 0 {
			return
		}
		if c.keepBR {
			// The caller's reader is about to wait for input: nothing
			// may stay held (BatchReplies) while it does.
			c.stopReadingAhead(c.rctx)
			return
		}
		// An empty buffer (the handshake's, or one that a read drained
		// at a frame boundary): not worth holding through the wait.
		c.putReadBuffer()
	}
	s := &c.src
	if s.lo == s.hi {
		// Nothing is held while we wait for input, nor when the input has
		// ended (s.err: the peer's bytes came with the end of its stream)
		// and the read is about to fail and close the connection.
		c.stopReadingAhead(c.rctx)
	}
	if s.lo == s.hi && s.err == nil {
		c.armRead() // this read may wait: its deadline now
		if s.socket != nil {
			if err := s.socket.Read(s.fill); err != nil {
				s.err = err // a deadline, or the socket closed: handed on below
			}
			if c.br != nil {
				return // waitAndFill took a buffer and read into it
			}
		} else {
			if socketReadHook != nil {
				socketReadHook(c)
			}
			n, err := c.netConn.Read(s.pre[:])
			s.lo, s.hi, s.err = 0, n, err
		}
	}
	c.br = readerPool.Get().(*bufio.Reader)
	c.br.Reset(s)
	c.brSrc = true
}

// waitAndFill is the function the runtime's poller calls (through
// syscall.RawConn.Read) with the socket's file descriptor: at once, and
// again each time the socket becomes readable. It borrows a buffer and
// makes one non-blocking read into all of it. With nothing there yet, it
// gives the buffer back and returns false: the poller parks the goroutine
// until bytes arrive, or a deadline passes, holding no buffer. Otherwise
// the buffer, with what was read (or the error: the peer's end of the
// stream, a reset), becomes c.br. The caller holds readMu.
func (c *Conn) waitAndFill(fd uintptr) bool {
	s := &c.src
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(s)
	s.direct, s.fd = true, fd
	_, err := br.Peek(1) // the buffer is empty: one fill, one read(2) into all of it
	s.direct = false
	if err == errWouldBlock {
		br.Reset(nil)
		readerPool.Put(br)
		return false
	}
	// Peek hands an error out once and forgets it; keep it for the read
	// that comes next, like the error of the small read.
	s.err = err
	c.br, c.brSrc = br, true
	return true
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
	c.br, c.brSrc = nil, false
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
