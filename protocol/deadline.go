package protocol

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// How long a read or a write may take
//
// A socket has one read deadline and one write deadline; several clocks
// want a say in each:
//
//   - the caller's own, set with SetReadDeadline and SetWriteDeadline;
//   - the context of the call in progress (its deadline, or its
//     cancellation, which must interrupt I/O already blocked);
//   - IdleTimeout, for reads: the next frame must arrive whole in time;
//   - WriteTimeout, for writes: the peer must take some of what is
//     written in time, whoever writes it (the application, or the reader
//     answering a ping or a close);
//   - CloseTimeout, for writes once our close frame is due.
//
// The connection arms the earliest of them on the socket before each wait
// (for reads, just before the socket is asked for bytes: see the part on
// arming the read deadline lazily, below; for writes, before a write that
// the socket could not take at once, and again each time the peer takes
// some of it), so no clock overrides another. A context's cancellation is checked after
// arming: context.AfterFunc moves the deadline into the past when the
// context ends, and whichever of the two runs last, the past deadline
// wins (the context is done before its AfterFunc runs, so arming that
// misses the AfterFunc sees the context done).

// aLongTimeAgo is a deadline that has passed: it interrupts blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// ErrWriteTimeout is wrapped by the error of a write that the peer did not
// take within Options.WriteTimeout. The connection can send no more (a
// frame may be half written), so it is closed.
var ErrWriteTimeout = errors.New("websocket: the peer took no data within the write timeout")

// earliest returns the earlier of two deadlines, where zero means none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func done(ctx context.Context) bool {
	if ctx == nil || ctx.Done() == nil {
		return false
	}
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

func (c *Conn) callerReadDeadline() time.Time {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	return c.readDeadline
}

func (c *Conn) callerWriteDeadline() time.Time {
	c.deadlineMu.Lock()
	defer c.deadlineMu.Unlock()
	return c.writeDeadline
}

// Arming the read deadline lazily
//
// Setting a socket's deadline is not free: each call moves a timer of the
// runtime's poller, under a lock. Arming it at every read call and every
// frame (beginRead, armIdle, endRead: three times a message) was a few
// percent of a busy server's time, and for nothing when the frame was
// already in the read buffer, as pipelined messages are: a read that
// waits for no byte cannot time out. So when every wait for input goes
// through readSource (a pooled read buffer, or none: c.brSrc), the three
// only work out the clocks and mark the deadline out of date
// (rdPending); readSource arms it, with the same clocks, just before it
// asks the socket for bytes (armRead). The rules stay exactly as they
// were: the clocks are read at the same moments, and whatever waits is
// bounded by them. A buffer that reads the socket by itself (the
// caller's, given to NewConn, or the handshake's until it is drained) has
// no such hook, so for it the deadline is armed at once, as before.

// lazyDeadline says that the read deadline may wait until a read must
// wait: every wait goes through readSource (caller holds readMu).
func (c *Conn) lazyDeadline() bool { return c.br == nil || c.brSrc }

// setReadClocks puts the earliest of the read's clocks on the socket, now
// or, when lazyDeadline allows, at the next wait (caller holds readMu).
func (c *Conn) setReadClocks() {
	if c.lazyDeadline() {
		c.rdPending = true
		return
	}
	c.rdPending = false
	c.netConn.SetReadDeadline(earliest(c.readBound(), c.idleAt))
	if done(c.rctx) {
		c.netConn.SetReadDeadline(aLongTimeAgo)
	}
}

// readBound is the deadline of the read in progress other than the idle
// clock: the call's (beginRead), or the caller's own between calls (a
// Read of NextReader's reader).
func (c *Conn) readBound() time.Time {
	if c.rctx == nil {
		return c.callerReadDeadline()
	}
	return c.rbound
}

// armRead is called by readSource just before it asks the socket for
// bytes: the deadline that setReadClocks left out of date is armed now.
// As when arming at once, a context that ended meanwhile wins: its
// AfterFunc may have run before this, so the context is checked after.
func (c *Conn) armRead() {
	if !c.rdPending {
		return
	}
	c.rdPending = false
	c.netConn.SetReadDeadline(earliest(c.readBound(), c.idleAt))
	if done(c.rctx) {
		c.netConn.SetReadDeadline(aLongTimeAgo)
	}
}

// beginRead makes ctx govern the read that starts; the caller holds
// readMu and calls endRead with the result when the read returns. A read
// with a context that cannot end and no IdleTimeout costs nothing: the
// caller's deadline is already on the socket.
func (c *Conn) beginRead(ctx context.Context) (stopAfter func() bool) {
	if ctx.Done() == nil && c.opts.IdleTimeout <= 0 {
		return nil
	}
	c.rctx = ctx
	c.rbound = c.callerReadDeadline()
	if d, ok := ctx.Deadline(); ok {
		c.rbound = earliest(c.rbound, d)
	}
	if !c.idleAt.IsZero() {
		// In the middle of a frame (a read that timed out, resumed): the
		// idle clock goes on from where the last read left it. It does
		// not run while nobody reads, since the peer cannot be blamed for
		// that, but neither does a new call start it afresh.
		c.idleAt = time.Now().Add(c.idleLeft)
	}
	c.setReadClocks()
	if ctx.Done() != nil {
		stopAfter = c.rguard.afterFunc(ctx, func() { c.netConn.SetReadDeadline(aLongTimeAgo) })
	}
	return stopAfter
}

// endRead ends what beginRead started: the caller's own deadline is back
// on the socket (with the idle clock of a frame still being read, so that
// NextReader's reader stays bounded by it).
func (c *Conn) endRead(ctx context.Context, stopAfter func() bool) {
	if ctx.Done() == nil && c.opts.IdleTimeout <= 0 {
		return
	}
	c.rguard.stop(stopAfter)
	c.rctx = nil
	c.rbound = c.callerReadDeadline()
	if !c.idleAt.IsZero() {
		c.idleLeft = time.Until(c.idleAt)
	}
	c.setReadClocks()
}

// armIdle starts the idle clock for the next frame (caller holds readMu).
// A wait that an earlier read call began and its context cut short goes on
// with the clock it had: idleness is measured from the last frame received
// (or the first wait), counting only the time somebody was reading, not
// from the start of each read call. Otherwise a loop of reads with
// contexts shorter than IdleTimeout would never let it strike.
func (c *Conn) armIdle() {
	if c.opts.IdleTimeout <= 0 {
		return
	}
	if !c.idleWaiting || c.idleAt.IsZero() {
		c.idleAt, c.idleLeft = time.Now().Add(c.opts.IdleTimeout), c.opts.IdleTimeout
		c.idleWaiting = true
	}
	// Bounded by the call's deadline, or the caller's own for a read
	// through NextReader's reader (no call in progress).
	c.setReadClocks()
}

// readTimedOut decides what a read timeout means. The caller's context or
// deadline: the read stopped at a known position and the connection goes
// on (the error is returned as it is). The idle clock: the peer is too
// slow, and the connection is failed with 1001 (going away, §7.4.1).
func (c *Conn) readTimedOut(err error) error {
	if c.opts.IdleTimeout <= 0 || c.idleAt.IsZero() || done(c.rctx) {
		return err
	}
	bound := c.rbound
	if c.rctx == nil {
		bound = c.callerReadDeadline()
	}
	if time.Now().Before(c.idleAt) || (!bound.IsZero() && bound.Before(c.idleAt)) {
		return err
	}
	c.readErr = fmt.Errorf("%w (%v): the connection is closed with 1001", ErrIdleTimeout, c.opts.IdleTimeout)
	payload, _ := AppendClosePayload(c.ctrlBuf[:0], CloseGoingAway, "idle timeout")
	c.sendClose(payload)
	c.frameMu.Lock()
	if c.writeErr == nil {
		c.writeErr = c.readErr
	}
	c.releaseFrame()
	// As when failing the connection: a peer that dribbles may still be
	// sending, and a server that closed at once would reset the
	// connection, destroying the close frame on its way (finishTCP).
	c.finishTCP(c.readErr)
	return c.readErr
}

// deadlineWriter is what the connection writes frames through: it arms
// the write deadline before each wait for the peer. Its methods run under
// frameMu.
type deadlineWriter struct {
	c *Conn
	// byTimeout says the armed deadline is WriteTimeout's own, so that a
	// timeout can be reported as the peer's fault.
	byTimeout bool
	// vec and bufs hold a frame's header and payload while writeFrame
	// hands them to the socket in one system call; both are cleared
	// before it returns, so the caller's payload is never kept.
	vec  [2][]byte
	bufs net.Buffers
	// writeNow's write: the bytes to try, what the kernel took, and
	// writeOnce as a func value, made once at NewConn so that handing it
	// to RawConn.Write allocates nothing.
	pending []byte
	taken   int
	once    func(fd uintptr) bool
	// resumed says a write timed out after the peer took some of it and
	// went on under a new deadline; until says when the deadline armed
	// last ends (WriteTimeout's own). Together they tell a connection
	// that refuses to go on after a timeout (crypto/tls) from a peer
	// that took nothing for a whole WriteTimeout.
	resumed bool
	until   time.Time
}

// writeChunk is the most handed to a connection that is not a raw socket
// (TLS above all) in one write. crypto/tls fails every write after one
// has timed out, so there the peer cannot be given a new WriteTimeout
// once it took part of a write: each write must be small enough for a
// slow but steady reader to take within one WriteTimeout.
const writeChunk = 64 << 10

// Write writes all of p. No write waits for the peer without a bound, but
// most writes do not wait at all: the socket's send buffer has room, and
// the kernel takes the bytes at once. Arming the deadline costs a runtime
// timer operation each time, which such a write does not need, so on a raw
// socket a write is first tried as one non-blocking system call with no
// deadline armed (writeNow); only what the socket did not take at once
// goes the bounded way, with the deadline armed before every wait.
//
// The write timeout is re-armed whenever the peer takes bytes (see
// goesOn), so it measures a stalled peer, not the time a big write takes:
// on a raw socket p is handed over whole, however long. Any other
// connection gets it writeChunk at a time, each with a WriteTimeout of
// its own, since it may not survive a timeout to go on (see writeChunk).
func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.resumed = false
	written := w.writeNow(p)
	p = p[written:]
	for len(p) > 0 {
		n := len(p)
		if w.c.src.socket == nil {
			n = min(n, writeChunk)
		}
		w.arm()
		m, err := w.c.netConn.Write(p[:n])
		written += m
		p = p[m:]
		if err != nil {
			if err = w.goesOn(m > 0, err); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// writeFrame writes a frame's header and payload with one system call
// (writev, through net.Buffers), where going through a write buffer would
// copy the payload behind the header and take two (a buffer's worth, then
// the rest). The payload is not copied at all: the kernel reads it from
// the caller's slice. Only for a raw TCP or Unix socket (c.src.socket),
// where net.Buffers becomes writev; on any other connection (TLS, a
// pipe) it would become two writes, and writeWire keeps its write buffer.
// Bounded exactly as Write is: the deadline is armed before each wait,
// and re-armed whenever the peer took bytes.
func (w *deadlineWriter) writeFrame(hdr, payload []byte) error {
	w.resumed = false
	w.vec = [2][]byte{hdr, payload}
	w.bufs = w.vec[:]
	defer func() { w.vec, w.bufs = [2][]byte{}, nil }()
	for left := int64(len(hdr) + len(payload)); left > 0; {
		w.arm()
		m, err := w.bufs.WriteTo(w.c.netConn) // consumes what went out from bufs
		left -= m
		if err != nil {
			if err = w.goesOn(m > 0, err); err != nil {
				return err
			}
		}
	}
	return nil
}

// goesOn decides about a write that failed after taking progress (some
// bytes went out): nil to go on with the rest under a new deadline, or
// the error to return.
func (w *deadlineWriter) goesOn(progress bool, err error) error {
	if w.byTimeout && isTimeout(err) && !done(w.c.wctx) {
		if progress {
			// The peer took some of the bytes: it is reading, only
			// slowly. The kernel wakes a blocked writer only once a good
			// part of its send buffer has drained, so a steady slow
			// reader may never let a whole write through in time; that
			// is throughput, not a stall. Give the rest a new
			// WriteTimeout.
			w.resumed = true
			return nil
		}
		if w.resumed && time.Now().Before(w.until) {
			// The timeout came at once, long before the deadline just
			// armed: the connection keeps the error of the write that
			// timed out before (crypto/tls does), one the peer took
			// part of. Saying it took no data would be untrue.
			return &partialWriteError{w.c.opts.WriteTimeout, err}
		}
		return fmt.Errorf("%w (%v): %w", ErrWriteTimeout, w.c.opts.WriteTimeout, err)
	}
	return err
}

// writeNow makes one non-blocking write of p to a raw socket, with no
// deadline armed, and returns how much the kernel took (0 on any error:
// the bounded path that follows meets the error again and reports it).
// It writes nothing when a bound that Write must obey has already passed
// (the caller's deadline, the context's, the close bound, a context that
// ended), so that such a write fails as it always did. A bound that has
// not passed cannot be broken by a write that does not wait.
func (w *deadlineWriter) writeNow(p []byte) int {
	c := w.c
	rc := c.src.socket
	if rc == nil || len(p) == 0 || done(c.wctx) {
		return 0
	}
	d := c.callerWriteDeadline()
	if cb := c.closeBound.Load(); cb != 0 {
		d = earliest(d, time.Unix(0, cb))
	}
	if c.wctx != nil {
		if cd, ok := c.wctx.Deadline(); ok {
			d = earliest(d, cd)
		}
	}
	if !d.IsZero() && !time.Now().Before(d) {
		return 0
	}
	w.pending = p
	// RawConn.Write fails before calling writeOnce if the deadline armed
	// on the socket by an earlier write has passed (a connection idle for
	// longer than WriteTimeout): then the bounded path arms a new one.
	// writeOnce returns true, so RawConn.Write never waits.
	rc.Write(w.once)
	n := w.taken
	w.pending, w.taken = nil, 0
	return n
}

// writeOnce is the function RawConn.Write calls with the socket's file
// descriptor: one write system call of pending, which never waits (Go
// keeps the socket non-blocking). It returns true so that RawConn.Write
// returns at once instead of waiting for room.
func (w *deadlineWriter) writeOnce(fd uintptr) bool {
	if n, err := writeFD(fd, w.pending); err == nil {
		w.taken = n
	}
	return true
}

// partialWriteError is the error of a write the peer took part of within
// WriteTimeout, on a connection that cannot go on after a timeout. It
// wraps ErrWriteTimeout (the peer was too slow) without its wording.
type partialWriteError struct {
	wt  time.Duration
	err error
}

func (e *partialWriteError) Error() string {
	return fmt.Sprintf("websocket: the peer took only part of a write within the write timeout (%v), and the connection cannot go on after a timeout: %v", e.wt, e.err)
}

func (e *partialWriteError) Unwrap() []error { return []error{ErrWriteTimeout, e.err} }

// arm sets the write deadline for the next wait: the earliest of the
// caller's, the frame's context's, the close bound and WriteTimeout.
//
// Close's boundWrites may set the close bound while arm runs: after arm
// read it (none yet), and before arm put its own, later deadline (or
// none) on the socket, which would undo the bound boundWrites put there.
// So wDeadline is stored before the socket's deadline is set, and the
// bound read again after: either arm sees the new bound and arms again
// with it, or boundWrites came later, sees wDeadline and sets its bound
// after arm's. The bound appears once, so arm arms at most twice.
func (w *deadlineWriter) arm() {
	c := w.c
	cb := c.closeBound.Load()
	for {
		w.armWith(cb)
		again := c.closeBound.Load()
		if again == cb {
			break
		}
		cb = again
	}
	if done(c.wctx) {
		c.netConn.SetWriteDeadline(aLongTimeAgo)
	}
}

// armWith is arm with the close bound cb (0 for none) already read.
func (w *deadlineWriter) armWith(cb int64) {
	c := w.c
	d := c.callerWriteDeadline()
	if cb != 0 {
		d = earliest(d, time.Unix(0, cb))
	}
	if c.wctx != nil {
		if cd, ok := c.wctx.Deadline(); ok {
			d = earliest(d, cd)
		}
	}
	w.byTimeout = false
	if wt := c.opts.WriteTimeout; wt > 0 {
		if t := time.Now().Add(wt); d.IsZero() || t.Before(d) {
			d, w.byTimeout = t, true
		}
	}
	var ns int64
	if !d.IsZero() {
		ns = d.UnixNano()
	}
	w.until = d
	if writeArmHook != nil {
		writeArmHook()
	}
	if old := c.wDeadline.Swap(ns); ns != 0 || old != 0 {
		c.netConn.SetWriteDeadline(d)
	}
}

// beginWrite makes ctx govern the frame about to be written (caller holds
// frameMu); endWrite undoes it.
func (c *Conn) beginWrite(ctx context.Context) (stopAfter func() bool) {
	c.wctx = ctx
	if ctx.Done() == nil {
		return nil
	}
	return c.wguard.afterFunc(ctx, func() { c.netConn.SetWriteDeadline(aLongTimeAgo) })
}

func (c *Conn) endWrite(stopAfter func() bool) {
	c.wguard.stop(stopAfter)
	if done(c.wctx) {
		// The context ended, perhaps while the write still finished: its
		// AfterFunc may have left a deadline in the past on the socket.
		// Mark the armed deadline unknown, so that the next arm sets one
		// again even when it has none to set (WriteTimeout < 0):
		// otherwise every later write would fail with an i/o timeout.
		c.wDeadline.Store(1)
	}
	c.wctx = nil
}

// ctxGuard makes sure that the function a context runs when it ends (to
// interrupt blocked I/O) acts only during the call that registered it.
// context.AfterFunc runs it on a goroutine of its own, which may be late:
// without the guard, a context that ended just as its read returned could
// move the deadline into the past during the next read, which would then
// fail for no reason.
type ctxGuard struct {
	mu  sync.Mutex
	gen uint64 // incremented when a call starts and when it ends
}

func (g *ctxGuard) afterFunc(ctx context.Context, f func()) (stopAfter func() bool) {
	g.mu.Lock()
	g.gen++
	gen := g.gen
	g.mu.Unlock()
	return context.AfterFunc(ctx, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.gen == gen {
			f()
		}
	})
}

// stop ends the call: its function, if it has not run, never will, and
// if it is running, it has finished when stop returns.
func (g *ctxGuard) stop(stopAfter func() bool) {
	if stopAfter == nil {
		return
	}
	stopAfter()
	g.mu.Lock()
	g.gen++
	g.mu.Unlock()
}

// writeArmHook, when set, is called by arm between reading the close
// bound and putting the deadline on the socket: a test holds a writer
// there to widen the window in which Close may set the bound. Nil
// otherwise.
var writeArmHook func()
