package protocol

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrHeartbeatTimeout is wrapped by the error that [Conn.Heartbeat]
// returns, and that reads return, when a ping went unanswered.
var ErrHeartbeatTimeout = errors.New("websocket: heartbeat: no pong arrived in time")

// Heartbeat pings the peer every interval and fails the connection when no
// pong arrives within timeout of a ping. It runs until ctx ends or the
// connection closes (and then returns nil), or until a pong is missed:
// then it sends a close frame with 1001 (going away, §7.4.1), closes the
// connection, and returns an error wrapping [ErrHeartbeatTimeout], which
// the reading goroutine receives too.
//
// RFC 6455 gives pings and pongs but no policy: §5.5.2 says a ping "may
// serve either as a keepalive or as a means to verify that the remote
// endpoint is still responsive", and leaves what to do with a silent peer
// to the application. This is one such policy. A TCP connection whose
// peer vanished (a laptop closed, a NAT entry dropped) otherwise looks
// open until a write fails, which may be never for a side that only reads.
//
// Pongs are seen by the reader: another goroutine must be reading the
// connection while Heartbeat runs. Any pong that arrives after a ping
// counts as its answer (§5.5.3 lets the peer answer only the latest of
// several pings, and allows unsolicited pongs). Run at most one Heartbeat
// per connection.
func (c *Conn) Heartbeat(ctx context.Context, interval, timeout time.Duration) error {
	if interval <= 0 || timeout <= 0 {
		return fmt.Errorf("websocket: heartbeat needs a positive interval and timeout, got %v and %v", interval, timeout)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var payload [8]byte
	for n := uint64(1); ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case <-c.tcpClosed:
			return nil
		case <-tick.C:
		}
		sent := time.Now()
		binary.BigEndian.PutUint64(payload[:], n) // a counter, so a capture shows which ping a pong answers
		pctx, cancel := context.WithTimeout(ctx, timeout)
		err := c.Ping(pctx, payload[:])
		cancel()
		switch {
		case err == nil:
		case ctx.Err() != nil, errors.Is(err, ErrCloseSent), errors.Is(err, ErrClosed):
			return nil // we are closing anyway
		case ended(ctx):
			return nil
		case errors.Is(err, context.DeadlineExceeded):
			// The ping itself could not go out within timeout: the peer
			// does not read, which is as dead as not answering.
			return c.heartbeatFailed(timeout)
		default:
			return err
		}
		if err := c.awaitPong(ctx, sent, timeout); err != nil {
			return err
		}
	}
}

// awaitPong waits until a pong newer than sent has arrived.
func (c *Conn) awaitPong(ctx context.Context, sent time.Time, timeout time.Duration) error {
	timer := time.NewTimer(timeout - time.Since(sent))
	defer timer.Stop()
	for c.lastPong.Load() < sent.UnixNano() {
		select {
		case <-c.pongSeen:
		case <-timer.C:
			if c.lastPong.Load() >= sent.UnixNano() {
				return nil
			}
			return c.heartbeatFailed(timeout)
		case <-ctx.Done():
			return nil
		case <-c.tcpClosed:
			return nil
		}
	}
	return nil
}

func (c *Conn) heartbeatFailed(timeout time.Duration) error {
	err := fmt.Errorf("%w: none within %v of a ping; the peer is unresponsive and the connection is closed with 1001", ErrHeartbeatTimeout, timeout)
	c.failWith(CloseGoingAway, fmt.Sprintf("no pong within %v", timeout), err)
	return err
}

// ended reports whether ctx is done or its deadline has passed (a timeout
// can strike an instant before the context's own timer fires).
func ended(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ctx.Err() != nil || (ok && !time.Now().Before(d))
}
