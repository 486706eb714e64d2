package protocol

import (
	"context"
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

// CloseNow closes the TCP connection at once, without a closing handshake.
// The peer will see 1006, abnormal closure.
func (c *Conn) CloseNow() error {
	if c.heldOut.Load() {
		// Held replies (Options.BatchReplies) go out first: their
		// WriteMessage returned nil. A peer that does not read may hold
		// them no longer than CloseTimeout, however long WriteTimeout is.
		ctx, cancel := context.WithTimeout(context.Background(), c.opts.CloseTimeout)
		c.stopReadingAhead(ctx)
		cancel()
	}
	c.closeTCP(true, ErrClosed)
	return nil
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
	// The close frame must be out by this bound, and so must every chunk
	// written from now on. The deadline also goes on the socket at once,
	// before waiting for the frame lock, if it is earlier than the one
	// armed there: a write stuck on a peer that does not read holds that
	// lock, and the deadline is what frees it. A write that is making
	// progress (a slow reader) has until then to finish, and what it
	// sends arrives ahead of the close frame.
	bound := time.Now().Add(c.opts.CloseTimeout)
	if c.closeBound.CompareAndSwap(0, bound.UnixNano()) {
		if armed := c.wDeadline.Load(); armed == 0 || armed > bound.UnixNano() {
			c.netConn.SetWriteDeadline(bound)
		}
	}
	err := c.writeFrame(context.Background(), Header{Fin: true, Opcode: OpClose}, payload)
	if err == errCloseAlreadySent {
		err = nil
	}
	return err
}
