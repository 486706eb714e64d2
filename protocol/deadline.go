package protocol

import (
	"context"
	"errors"
	"fmt"
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
//   - WriteTimeout, for writes: each chunk must be taken by the peer in
//     time, whoever writes it (the application, or the reader answering a
//     ping or a close);
//   - CloseTimeout, for writes once our close frame is due.
//
// The connection arms the earliest of them on the socket before each wait
// (for reads, just before the socket is asked for bytes: see the part on
// arming the read deadline lazily, below; for writes, before each chunk),
// so no clock overrides another. A context's cancellation is checked after
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

// deadlineWriter is what the connection's bufio.Writer writes to: it arms
// the write deadline before each chunk. Its methods run under frameMu.
type deadlineWriter struct {
	c *Conn
	// byTimeout says the armed deadline is WriteTimeout's own, so that a
	// timeout can be reported as the peer's fault.
	byTimeout bool
}

// writeChunk is the most a single socket write is given at once. The
// write timeout is re-armed whenever the peer takes bytes (see Write), so
// it measures a stalled peer, not the time a big frame takes.
const writeChunk = 64 << 10

func (w *deadlineWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), writeChunk)
		w.arm()
		m, err := w.c.netConn.Write(p[:n])
		written += m
		p = p[m:]
		if err != nil {
			if w.byTimeout && isTimeout(err) && !done(w.c.wctx) {
				if m > 0 {
					// The peer took some of the chunk: it is reading,
					// only slowly. The kernel wakes a blocked writer only
					// once a good part of its send buffer has drained, so
					// a steady slow reader may never let a whole chunk
					// through in time; that is throughput, not a stall.
					// Give the rest a new WriteTimeout.
					continue
				}
				err = fmt.Errorf("%w (%v): %w", ErrWriteTimeout, w.c.opts.WriteTimeout, err)
			}
			return written, err
		}
	}
	return written, nil
}

// arm sets the write deadline for the next chunk: the earliest of the
// caller's, the frame's context's, the close bound and WriteTimeout.
func (w *deadlineWriter) arm() {
	c := w.c
	d := c.callerWriteDeadline()
	if cb := c.closeBound.Load(); cb != 0 {
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
	if ns != 0 || c.wDeadline.Load() != 0 {
		c.netConn.SetWriteDeadline(d)
		c.wDeadline.Store(ns)
	}
	if done(c.wctx) {
		c.netConn.SetWriteDeadline(aLongTimeAgo)
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
