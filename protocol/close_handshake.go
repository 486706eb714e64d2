package protocol

import (
	"context"
	"errors"
	"time"
)

// Close starts the closing handshake (§7.1.2) with a status code and a
// reason, waits for the peer's close frame, and closes the TCP connection
// in the order §7.1.1 asks: the server first, the client after the server
// (or after CloseTimeout).
//
// RFC 6455 §1.4: "After sending a control frame indicating the connection
// should be closed, a peer does not send any further data; after receiving
// a control frame indicating the connection should be closed, a peer
// discards any further data received."
//
// Close is safe to call from any goroutine and more than once; calls after
// the first return nil. If another goroutine is reading, that goroutine
// receives the peer's close frame and returns a [*CloseError]; otherwise
// Close reads (and discards) until the close frame arrives.
func (c *Conn) Close(code CloseCode, reason string) error {
	payload, err := AppendClosePayload(nil, code, reason)
	if err != nil {
		return err
	}
	select {
	case <-c.tcpClosed:
		return nil
	default:
	}
	if err := c.sendClose(payload); err != nil {
		c.closeTCP(true, err)
		return err
	}
	// Someone must read until the peer's close frame arrives (receivedClose
	// then closes TCP in the right order). If another goroutine is reading,
	// it will; if nobody is, or the reader stops, Close reads itself,
	// discarding data. Either way the wait is bounded by CloseTimeout.
	deadline := time.Now().Add(c.opts.CloseTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if c.readMu.TryLock() {
			c.rctx, c.rbound = context.Background(), deadline
			c.netConn.SetReadDeadline(deadline)
			for c.readErr == nil {
				if _, err := c.nextMessage(); err != nil {
					break
				}
			}
			c.readMu.Unlock()
			c.closeTCP(true, nil)
			return nil
		}
		select {
		case <-c.tcpClosed:
			return nil
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			c.closeTCP(true, nil)
			return nil
		}
	}
}

// StartClose sends a close frame and returns without waiting: the closing
// handshake is then finished by whoever is reading, who receives the
// peer's answer as a [*CloseError] (and data the peer sent before it, which
// §7.1.2 still allows). Calls after the first close frame do nothing.
func (c *Conn) StartClose(code CloseCode, reason string) error {
	payload, err := AppendClosePayload(nil, code, reason)
	if err != nil {
		return err
	}
	return c.sendClose(payload)
}

// CloseNow closes the TCP connection without a closing handshake: the
// peer will see 1006, abnormal closure. It never waits for the peer's
// close frame. Without Options.BatchReplies it closes at once, and a
// write in progress fails.
//
// Closing a TCP connection at once has a price: if the peer has sent
// bytes that we have not read (pipelined requests, say), the kernel
// answers the close with a reset (RST) instead of an orderly FIN, and a
// reset discards whatever our kernel still holds to send. So without
// BatchReplies, messages whose WriteMessage already returned nil may
// still be lost if the peer had not yet taken them. That is ordinary TCP
// behaviour; use Close, or BatchReplies, when every reply must arrive.
//
// With BatchReplies it first sends the replies still held, since their
// WriteMessage returned nil: it waits for the goroutine holding the frame
// lock (a write in progress, which may be sending them) to let go, sends
// what is still held, and then, so that no reset destroys them, sends FIN
// (a half-close) and reads and discards what the peer still sends until
// the peer closes too. All these waits together last at most CloseTimeout
// from the call: every write from then on must end by that bound (or by
// the earlier one of a close frame already sent, which the linger keeps
// too), a write stuck on a peer that does not read is cut off there, and
// what is not sent by then is lost; a peer still sending at the bound gets a reset, which may discard
// replies it has not yet taken. A peer that neither sends nor closes
// after our FIN holds CloseNow until that bound. If another goroutine is
// reading when CloseNow is called, CloseNow cannot read in its place: it
// closes at once, and input still unread may cause a reset as above.
// CloseNow returns an error if sending the held replies failed or it gave
// up waiting for the frame lock, and otherwise nil. A write that failed
// earlier has already returned its error (held replies it left unsent
// are named there); CloseNow does not report it again.
//
// CloseNow with BatchReplies must not be called from an Observer callback
// for a frame we sent: that callback runs with the frame lock held, so
// CloseNow waits CloseTimeout for a lock its own goroutine holds, then
// closes without sending what is held and returns an error.
func (c *Conn) CloseNow() error {
	if !c.opts.BatchReplies {
		c.closeTCP(true, ErrClosed)
		return nil
	}
	// A close frame already sent (a server shutting down, say) set the
	// bound every write and this linger must keep; otherwise it starts
	// now. A fresh CloseTimeout here would let a caller closing its
	// connections one by one wait that long again for each.
	bound := c.boundWrites(time.Now().Add(c.opts.CloseTimeout))
	err := c.sendHeldAndStop(bound)
	if err == nil && c.readMu.TryLock() {
		// The peer's pipelined requests may sit unread in our socket, and
		// closing it now would reset the connection, destroying replies
		// still on their way. Half-close instead, and read and discard
		// until the peer closes too (then nothing is left unread, and
		// closing sends no reset), or until the bound. Report our end
		// first: our FIN is what the peer sees.
		c.reportClosed(true, ErrClosed)
		c.lingerAfterFailure(bound)
		c.readMu.Unlock()
	}
	c.closeTCP(true, ErrClosed)
	return err
}

// sendHeldAndStop is CloseNow's work with BatchReplies: send what is held,
// by bound, then refuse every later write, so that no reply is held (and
// its WriteMessage returns nil) just before TCP is closed.
func (c *Conn) sendHeldAndStop(bound time.Time) error {
	if !c.frameMu.TryLock() {
		// Someone holds the frame lock, perhaps while sending held
		// replies: closing now would cut them off. Wait for it, but
		// bound its write first, or a peer that does not read would hold
		// us as long as it holds the writer.
		if !c.lockFrameBy(c.boundWrites(bound)) {
			return errors.New("websocket: CloseNow waited CloseTimeout for the frame lock and closed without it: held replies (Options.BatchReplies) may be lost")
		}
	} else if c.held != nil {
		c.boundWrites(bound)
	}
	var err error
	if c.held != nil {
		// The bound is armed before each wait for the peer
		// (deadlineWriter.arm).
		stop := c.beginWrite(context.Background())
		if err = c.sendHeld(); err != nil {
			c.writeFailed(err)
		}
		c.endWrite(stop)
	}
	if c.writeErr == nil {
		c.writeErr = ErrClosed
	}
	// Not unlockFrame: nothing more can be sent, pongs included. And
	// TCP is closed once the lock is released: the observer, told of the
	// end, may call into the connection.
	c.frameMu.Unlock()
	return err
}

// lockFrameBy takes the frame lock, waiting no later than bound, and
// reports whether it did. At the bound it gives up: a write still going on
// (on a peer that does not read) is cut off, and the goroutine left
// waiting for the lock releases it as soon as it gets it, after making
// every later write fail.
func (c *Conn) lockFrameBy(bound time.Time) bool {
	locked := make(chan struct{})
	go func() {
		c.frameMu.Lock()
		close(locked)
	}()
	timer := time.NewTimer(time.Until(bound))
	defer timer.Stop()
	select {
	case <-locked:
		return true
	case <-timer.C:
	}
	// A writer that armed its deadline just before boundWrites did, or
	// an observer that does not return: give up, and let the waiting
	// goroutine release the lock whenever it gets it.
	c.netConn.SetWriteDeadline(aLongTimeAgo)
	go func() {
		<-locked
		if c.writeErr == nil {
			c.writeErr = ErrClosed // nothing may be held from now on
		}
		c.frameMu.Unlock()
	}()
	return false
}

// Done returns a channel that is closed when the TCP connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.tcpClosed }

// PeerClose returns the close frame the peer sent, or nil if none arrived.
func (c *Conn) PeerClose() *CloseError {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return c.peerClose
}

// sendClose sends our close frame unless one was sent already. It bounds
// the write by CloseTimeout: a peer that stopped reading cannot hold the
// closing connection forever.
func (c *Conn) sendClose(payload []byte) error {
	// The close frame must be out by this bound, and so must everything
	// written from now on (deadlineWriter.arm puts it on the socket before
	// every wait for the peer). A write that is making progress (a slow
	// reader) has until then to finish, and what it sends arrives ahead
	// of the close frame.
	c.boundWrites(time.Now().Add(c.opts.CloseTimeout))
	err := c.writeFrame(context.Background(), Header{Fin: true, Opcode: OpClose}, payload)
	if err == errCloseAlreadySent {
		err = nil
	}
	return err
}

// boundWrites makes every write from now on end by bound, unless an
// earlier bound was set (a close frame or CloseNow came first): the first
// one stays, and boundWrites returns the one in force. The deadline goes
// on the socket at once too, before waiting for the frame lock, if the one
// armed there is later or unknown (the caller's SetWriteDeadline, made
// after the writer armed its own): a write stuck on a peer that does not
// read holds that lock, and the deadline is what frees it.
func (c *Conn) boundWrites(bound time.Time) time.Time {
	if c.closeBound.CompareAndSwap(0, bound.UnixNano()) {
		if armed := c.wDeadline.Load(); armed <= 1 || armed > bound.UnixNano() {
			c.netConn.SetWriteDeadline(earliest(c.callerWriteDeadline(), bound))
		}
	}
	return time.Unix(0, c.closeBound.Load())
}
