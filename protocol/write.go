package protocol

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// WriteMessage sends a whole text or binary message, split into frames of
// Options.FragmentSize bytes if that is set.
func (c *Conn) WriteMessage(ctx context.Context, typ MessageType, data []byte) error {
	return c.WriteFragmented(ctx, typ, data, c.opts.FragmentSize)
}

// WriteFragmented sends a message split into frames of at most size payload
// bytes each (size <= 0: one frame). §5.4: the first frame carries the
// message's opcode, the others are continuation frames, and only the last
// has FIN set.
func (c *Conn) WriteFragmented(ctx context.Context, typ MessageType, data []byte, size int) error {
	if err := checkMessageType(typ); err != nil {
		return err
	}
	// §5.6: a text message's payload "is text data encoded as UTF-8". We
	// refuse to send what a correct peer must reject with 1007.
	if typ == OpText && !utf8.Valid(data) {
		return errors.New("websocket: text message is not valid UTF-8 (§5.6); send it as binary")
	}
	if err := c.lockMessage(ctx); err != nil {
		return err
	}
	defer c.unlockMessage()
	if c.deflate.compressing(len(data)) { // permessage-deflate (pmdeflate.go)
		return ctxErr(ctx, c.writeCompressed(ctx, typ, data, size))
	}
	if size <= 0 || len(data) <= size {
		return ctxErr(ctx, c.writeFrame(ctx, Header{Fin: true, Opcode: typ}, data))
	}
	op := typ
	for len(data) > 0 {
		n := min(size, len(data))
		if err := c.writeFrame(ctx, Header{Fin: n == len(data), Opcode: op}, data[:n]); err != nil {
			return ctxErr(ctx, err)
		}
		data, op = data[n:], OpContinuation
	}
	return nil
}

// NextWriter returns a writer for one message of the given type. Bytes are
// sent as frames of Options.FragmentSize (64 KiB if unset) as they
// accumulate; Close sends the final frame and must be called before the
// next message can be written. Other goroutines' messages wait until then.
func (c *Conn) NextWriter(ctx context.Context, typ MessageType) (io.WriteCloser, error) {
	if err := checkMessageType(typ); err != nil {
		return nil, err
	}
	if err := c.lockMessage(ctx); err != nil {
		return nil, err
	}
	w := &c.writer
	w.op, w.open, w.buf, w.text, w.broken = typ, true, w.buf[:0], typ == OpText, false
	w.utf8.Reset()
	if w.size = c.opts.FragmentSize; w.size <= 0 {
		w.size = streamFragmentSize
	}
	w.beginStream() // permessage-deflate (pmdeflate.go)
	return w, nil
}

// messageWriter streams one message as frames. Invariant: when open, the
// connection's msgLock is held by this writer; buf holds at most size
// bytes not yet sent; op is the opcode of the next frame.
type messageWriter struct {
	c    *Conn
	op   Opcode
	open bool
	size int
	buf  []byte
	text bool // the message is text, so its bytes are checked as UTF-8
	// broken is set when a Write was refused as invalid text: the message
	// can only be dropped (nothing sent yet) or abort the connection.
	broken  bool
	utf8    UTF8Validator
	deflate streamDeflate // permessage-deflate: compressing this message
}

func (w *messageWriter) Write(p []byte) (int, error) {
	if !w.open {
		return 0, errors.New("websocket: write to a closed message writer")
	}
	if w.broken {
		return 0, errTextBroken
	}
	if w.text {
		if w.utf8.Write(p) >= 0 {
			w.broken = true
			return 0, errTextBroken
		}
	}
	if w.deflate.on {
		return w.writeCompressedPart(p)
	}
	written := len(p)
	for len(w.buf)+len(p) > w.size {
		n := w.size - len(w.buf)
		w.buf = append(w.buf, p[:n]...)
		p = p[n:]
		if err := w.flush(false); err != nil {
			return written - len(p) - n, err
		}
	}
	w.buf = append(w.buf, p...)
	return written, nil
}

func (w *messageWriter) flush(fin bool) error {
	err := w.c.writeFrame(context.Background(), Header{Fin: fin, Opcode: w.op}, w.buf)
	w.buf, w.op = w.buf[:0], OpContinuation
	return err
}

// Close sends the message's last frame and lets the next message go.
func (w *messageWriter) Close() error {
	if !w.open {
		return nil
	}
	w.open = false
	defer w.c.unlockMessage()
	if w.broken || (w.text && !w.utf8.Complete()) {
		// Sending the final frame would hand the peer invalid text (§5.6).
		if w.op == OpContinuation {
			// Fragments already went out: the message can be neither
			// finished nor taken back, and no other message may start
			// before it ends (§5.4). All that is left is to fail the
			// connection, with 1011: the fault is on our side.
			w.c.abort(CloseInternalError, "text message could not be finished as UTF-8")
		}
		if w.deflate.on {
			w.c.deflate.abandonSend()
			w.deflate = streamDeflate{}
		}
		return errTextBroken
	}
	if w.deflate.on {
		return w.closeCompressed()
	}
	return w.flush(true)
}

var errCloseAlreadySent = errors.New("websocket: a close frame was already sent")

var errTextBroken = errors.New("websocket: text message is not valid UTF-8 (§5.6); nothing more of it is sent")

// Ping sends a ping with an optional payload of at most 125 bytes. The
// peer answers with a pong carrying the same payload (§5.5.2).
func (c *Conn) Ping(ctx context.Context, payload []byte) error {
	return ctxErr(ctx, c.writeControl(ctx, OpPing, payload))
}

// Pong sends an unsolicited pong: §5.5.3 allows it "as a unidirectional
// heartbeat". Pings are answered automatically; there is no need to call
// Pong for them.
func (c *Conn) Pong(ctx context.Context, payload []byte) error {
	return ctxErr(ctx, c.writeControl(ctx, OpPong, payload))
}

// WriteFrame sends one frame exactly as h describes, for lessons and tools
// that show fragmentation frame by frame. The masking key is chosen by the
// connection (clients) or cleared (servers); the length comes from
// payload. The frame must pass the checks a correct peer would apply, so
// WriteFrame cannot be used to break the protocol: see [Conn.WriteRaw].
//
// A message sent this way holds the message lock from its first frame to
// the frame with FIN set, so other goroutines' messages wait for it (§5.4:
// fragments of different messages must not interleave). Its frames must
// come from one goroutine; control frames may go in between.
func (c *Conn) WriteFrame(ctx context.Context, h Header, payload []byte) error {
	if h.Opcode == OpClose {
		if _, _, v := ParseClosePayload(payload); v != nil {
			return v
		}
	}
	if !h.Opcode.IsData() {
		return ctxErr(ctx, c.writeFrame(ctx, h, payload))
	}
	fs := &c.frameStream
	if !fs.open {
		if h.Opcode == OpContinuation {
			return violationf("5.4", CloseProtocolError, "continuation frame with no message in progress")
		}
		if err := c.lockMessage(ctx); err != nil {
			return err
		}
		// A compressed payload (RSV1, permessage-deflate) is not text until
		// inflated, so only an uncompressed one is checked here.
		fs.open, fs.text = true, h.Opcode == OpText && !h.Rsv1
		fs.utf8.Reset()
	}
	// §5.6: the text of a message, across all its frames, is UTF-8.
	if fs.text && (fs.utf8.Write(payload) >= 0 || (h.Fin && !fs.utf8.Complete())) {
		if h.Opcode == OpText { // nothing of it was sent: drop it
			fs.open = false
			c.unlockMessage()
		}
		return errors.New("websocket: text frame is not valid UTF-8 (§5.6)")
	}
	err := c.writeFrame(ctx, h, payload)
	if h.Fin || (err != nil && h.Opcode != OpContinuation && !c.outInMessageNow()) {
		fs.open = false
		c.unlockMessage()
	}
	return ctxErr(ctx, err)
}

// frameStream is the state of a message written with WriteFrame. Its
// invariant: open means the message lock is held for it.
type frameStream struct {
	open bool
	text bool
	utf8 UTF8Validator
}

func (c *Conn) outInMessageNow() bool {
	c.frameMu.Lock()
	defer c.releaseFrame()
	return c.outInMessage
}

// WriteRaw writes b to the connection as it is, bypassing the encoder and
// every check. It exists so that a learner can send a malformed frame and
// watch a correct peer refuse it; no other use is sensible.
func (c *Conn) WriteRaw(b []byte) error {
	c.frameMu.Lock()
	defer c.unlockFrame()
	if c.writeErr != nil {
		return c.writeErr
	}
	if c.observe != nil {
		c.observe(&RawEvent{Time: time.Now(), Role: c.role, Bytes: append([]byte(nil), b...)})
	}
	if c.held != nil { // held replies (BatchReplies) were written first: they go first
		if err := c.sendHeld(); err != nil {
			return c.writeFailed(err)
		}
	}
	if _, err := c.sock.Write(b); err != nil {
		return c.writeFailed(err)
	}
	return nil
}

func checkMessageType(typ MessageType) error {
	if typ != TextMessage && typ != BinaryMessage {
		return fmt.Errorf("websocket: a message is text or binary, not %s (§5.6)", typ)
	}
	return nil
}

// lockMessage takes the message lock, giving up when ctx ends.
func (c *Conn) lockMessage(ctx context.Context) error {
	select {
	case c.msgLock <- struct{}{}:
		return nil
	default:
	}
	select {
	case c.msgLock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.tcpClosed:
		return ErrClosed
	}
}

func (c *Conn) unlockMessage() { <-c.msgLock }

// writeControl sends a ping, pong or close frame. Control frames take only
// the frame lock, so they can go out between the frames of a message being
// streamed by another goroutine (§5.4: "Control frames ... MAY be injected
// in the middle of a fragmented message"). §5.5 limits their payload to 125
// bytes, so the limit is checked before anything is written.
func (c *Conn) writeControl(ctx context.Context, op Opcode, payload []byte) error {
	if len(payload) > maxControlPayload {
		return violationf("5.5", CloseProtocolError, "%s payload is %d bytes, at most %d allowed", op, len(payload), maxControlPayload)
	}
	return c.writeFrame(ctx, Header{Fin: true, Opcode: op}, payload)
}

// writeFrame encodes and sends one frame under the frame lock. Every frame
// is checked with the rules the peer will apply, so our own mistakes are
// caught here rather than by the peer. ctx, the caller's deadline and
// Options.WriteTimeout bound the write (see deadline.go).
func (c *Conn) writeFrame(ctx context.Context, h Header, payload []byte) error {
	c.frameMu.Lock()
	defer c.unlockFrame()
	return c.writeFrameLocked(ctx, h, payload)
}

// writeFrameLocked is writeFrame for a caller that holds frameMu.
func (c *Conn) writeFrameLocked(ctx context.Context, h Header, payload []byte) error {
	if c.writeErr != nil {
		return c.writeErr
	}
	stop := c.beginWrite(ctx)
	defer c.endWrite(stop)
	// §5.5.1: "The application MUST NOT send any more data frames after
	// sending a Close frame." Pings are refused too, since no answer is
	// awaited any more; but a ping received meanwhile is still answered,
	// because §5.5.2 excuses the pong only once a Close was received.
	if c.closeSent && h.Opcode == OpClose {
		return errCloseAlreadySent // one close frame per connection (§5.5.1)
	}
	if c.closeSent && h.Opcode != OpPong {
		return ErrCloseSent
	}
	h.Length, h.LengthForm = uint64(len(payload)), LengthAuto
	// §5.1: "a client MUST mask all frames that it sends to the server" and
	// "A server MUST NOT mask any frames that it sends to the client".
	// anatomy: field=MASK (set by role)
	h.Masked = c.role == RoleClient
	h.MaskKey = [4]byte{}
	if v := CheckHeader(h, State{Role: c.role.Peer(), InMessage: c.outInMessage, AllowedRSV: c.extensionRSV, Deflate: c.deflate != nil}); v != nil {
		return v
	}
	if h.Masked {
		// §5.3: "The masking key is a 32-bit value chosen at random by the
		// client. When preparing a masked frame, the client MUST pick a
		// fresh masking key from the set of allowed 32-bit values."
		// Read into a buffer owned by the connection: a slice of the local
		// h would make h escape to the heap on every frame.
		// anatomy: field=masking-key (a fresh key per frame)
		if _, err := io.ReadFull(c.opts.Rand, c.keyBuf[:]); err != nil {
			return fmt.Errorf("websocket: failed to read a masking key: %w", err)
		}
		h.MaskKey = c.keyBuf
	}
	if h.Opcode.IsData() {
		c.outInMessage = !h.Fin
	}
	hdr := AppendHeader(c.hdrBuf[:0], h)
	if err := c.writeWire(h, hdr, payload); err != nil {
		return c.writeFailed(err)
	}
	if c.observe != nil {
		ev := newFrameEvent(c.role, Sent, h, hdr)
		// Control payloads (at most 125 bytes) are observed even with
		// ObserveHeadersOnly: a log needs each close frame's code.
		if c.observePayloads || h.Opcode.IsControl() {
			wire := append([]byte(nil), payload...)
			if h.Masked {
				Mask(h.MaskKey, 0, wire)
			}
			ev.Payload, ev.Unmasked = wire, append([]byte(nil), payload...)
		}
		c.observe(ev)
	}
	if h.Opcode == OpClose {
		c.closeSent = true
		sent := CloseNoStatusReceived
		if len(payload) >= 2 {
			sent = CloseCode(binary.BigEndian.Uint16(payload))
		}
		c.sentCode.Store(uint32(sent))
	}
	return nil
}

// Pongs never make the reader wait
//
// A ping is answered by the goroutine that reads it. If it had to wait for
// the frame lock, a big write to a peer that is not reading (and perhaps is
// itself waiting for our pong) would stall our reading too. So the reader
// only queues the pong and sends it if the lock is free; otherwise the
// goroutine holding the lock sends it the moment it lets go. §5.5.3 allows
// answering only the most recent of several pings, so one slot is enough.

// queuePong arranges for a pong carrying payload to be sent as soon as
// the frame lock is free, without waiting for it. If the lock is free, the
// reader sends the pong itself, bounded by ctx (the read's context) and
// WriteTimeout; an error means the pong could not be sent, and the
// connection, which can no longer obey §5.5.2, is closed.
func (c *Conn) queuePong(ctx context.Context, payload []byte) error {
	c.pongMu.Lock()
	c.pongLen = copy(c.pongPayload[:], payload)
	c.pongPending = true
	c.pongMu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	if err := c.sendPendingPong(ctx); err != nil {
		if errors.Is(err, ErrClosed) {
			// The peer is gone (the socket was reset or closed): the
			// read that follows finds the end of the stream and reports
			// it as such (1006), which says more than the pong.
			return nil
		}
		err = fmt.Errorf("websocket: the pong that a ping requires (§5.5.2) could not be sent, so the connection is closed: %w", ctxErr(ctx, err))
		c.closeTCP(true, err)
		return err
	}
	return nil
}

// sendPendingPong sends the queued pong if the frame lock is free. If it
// is not, its holder calls sendPendingPong again when it lets go, and the
// pong goes out bounded by that holder's context.
func (c *Conn) sendPendingPong(ctx context.Context) error {
	for c.frameMu.TryLock() {
		c.pongMu.Lock()
		pending := c.pongPending
		n := copy(c.pongSend[:], c.pongPayload[:c.pongLen])
		c.pongPending = false
		c.pongMu.Unlock()
		var err error
		if pending {
			err = c.writeFrameLocked(ctx, Header{Fin: true, Opcode: OpPong}, c.pongSend[:n])
		}
		c.frameMu.Unlock()
		if err != nil && err != ErrCloseSent {
			return err
		}
		if !c.hasPendingPong() { // a ping may have come while we wrote
			break
		}
	}
	c.sendHeldIfDue() // we held the frame lock: see releaseFrame
	return nil
}

func (c *Conn) hasPendingPong() bool {
	c.pongMu.Lock()
	defer c.pongMu.Unlock()
	return c.pongPending
}

// unlockFrame releases the frame lock and sends a pong queued meanwhile
// (an error stays in writeErr, for the next write to report).
func (c *Conn) unlockFrame() {
	c.frameMu.Unlock()
	if c.hasPendingPong() {
		c.sendPendingPong(context.Background())
	}
	c.sendHeldIfDue()
}

// releaseFrame releases the frame lock for a holder that wrote nothing.
// It too must look at held replies: see sendHeldIfDue.
func (c *Conn) releaseFrame() {
	c.frameMu.Unlock()
	c.sendHeldIfDue()
}

// sendHeldIfDue sends held replies (BatchReplies) if the reader stopped
// reading ahead. Every release of the frame lock is followed by it,
// because the reader never waits for that lock to send them (flushHeld):
// if it found the lock taken, whoever held it must send them on leaving,
// or they would wait while the connection waits for input. Without
// BatchReplies heldOut is never set: one atomic load.
func (c *Conn) sendHeldIfDue() {
	if c.heldOut.Load() { // small enough to be inlined: one load per write
		c.flushHeld(context.Background()) // bounded by WriteTimeout, as the write that let go was
	}
}

// writeWire puts one frame on the wire: its encoded header hdr, then its
// payload, masked if h says so. The caller holds frameMu.
//
// A connection holds no write buffer between frames, so that an idle one
// costs little memory. A small frame (most pings, pongs, close frames and
// chat messages) is assembled in smallFrame, part of the connection, and
// goes out in one socket write. A larger one borrows a bufio.Writer from
// writerPool for as long as it is being written: every frame is flushed
// before frameMu is released, so the buffer is always empty when it goes
// back. A server's frame bigger than that buffer, on a TCP or Unix socket,
// needs none: its header and payload go out in one writev.
func (c *Conn) writeWire(h Header, hdr, payload []byte) error {
	if c.held != nil || c.mayHold(h) {
		return c.writeHeld(h, hdr, payload)
	}
	if len(hdr)+len(payload) <= len(c.smallFrame) {
		b := append(c.smallFrame[:0], hdr...)
		b = append(b, payload...)
		if h.Masked {
			// anatomy: field=payload (masked as it is sent)
			Mask(h.MaskKey, 0, b[len(hdr):])
		}
		_, err := c.sock.Write(b)
		return err
	}
	if !h.Masked && len(hdr)+len(payload) > bufferSize && c.src.socket != nil {
		// A server's frame too big for the write buffer: through it, the
		// payload would be copied behind the header and go out in two
		// writes at least. Header and payload go out together instead,
		// the payload read by the kernel from the caller's slice.
		return c.sock.writeFrame(hdr, payload)
	}
	bw := writerPool.Get().(*bufio.Writer)
	bw.Reset(&c.sock)
	defer func() {
		bw.Reset(nil) // drop what a failed write left, and the connection
		writerPool.Put(bw)
	}()
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	if h.Masked {
		if err := writeMasked(bw, h.MaskKey, payload); err != nil {
			return err
		}
	} else if _, err := bw.Write(payload); err != nil {
		return err
	}
	return bw.Flush()
}

// Replies in batches (Options.BatchReplies)
//
// A server that answers pipelined requests reads several of them with one
// system call, then writes each reply with one of its own: most of its
// time goes to those writes. With BatchReplies, a reply written while the
// next request already waits whole in the read buffer goes into a pooled
// write buffer, held, and the next reply joins it, until the reader is
// about to hand out its last buffered request (or to wait): then all of
// them go out in one write. No reply waits while the connection waits for
// input, since the reader sends them before that; the buffer is bounded
// (a full one is written out, bounded by WriteTimeout like any write).
// What a held reply does wait for is the handling of the requests that
// were already buffered behind its own: the first reply of a batch of n
// goes out only once the other n-1 are answered, so batching trades that
// latency for fewer system calls.
//
// A batch so costs two writes: the held replies as the last request is
// handed out, then that request's reply. Holding the replies for that
// last reply as well would save one, but then they wait on the last
// request's handler, which may never reply, or reply only once the peer
// has acted on the held ones (a long poll, a second step): the two sides
// would wait for each other. Bounding that wait with a timer makes a
// write that nobody asked for, which other writers then wait behind. So
// the reader sends them itself, under its read's context.
//
// A held reply's WriteMessage has returned nil, so its loss must not go
// unnoticed: a write that fails to send held frames returns an error
// naming how many (heldError), kept for every later write. And nothing
// held is dropped on closing: Close sends it ahead of its close frame,
// CloseNow before it closes TCP (sendHeldAndStop), both within
// CloseTimeout.
//
// The reader and the writers decide without a shared lock who sends the
// held bytes. The reader clears readAhead, then looks at heldOut; a writer
// that holds sets heldOut, then (once it lets go of the frame lock, in
// unlockFrame) looks at readAhead. Of two such pairs of atomic operations
// at least one side sees the other's store: whichever finds replies held
// while the reader is not reading ahead sends them (flushHeld). Neither
// waits for the frame lock to do so, so whoever holds it when they look
// must look again on leaving it: every release of the lock is followed
// by sendHeldIfDue. And the reader sends them once more right before any
// read of the socket that may wait (takeReadBuffer, readSource.Read).

// mayHold reports whether the data frame about to be written may wait in
// the held buffer. The caller holds frameMu.
func (c *Conn) mayHold(h Header) bool {
	return c.opts.BatchReplies && h.Opcode.IsData() && c.readAhead.Load()
}

// writeHeld adds a frame to the held buffer, and sends all of it unless
// the frame may wait. The caller holds frameMu.
func (c *Conn) writeHeld(h Header, hdr, payload []byte) error {
	bw := c.held
	if bw == nil {
		bw = writerPool.Get().(*bufio.Writer)
		bw.Reset(&c.sock)
		c.held = bw
	}
	// A full buffer is written out as it fills, bounded as any write.
	if _, err := bw.Write(hdr); err != nil {
		return c.heldError(err)
	}
	if h.Masked {
		if err := writeMasked(bw, h.MaskKey, payload); err != nil {
			return c.heldError(err)
		}
	} else if _, err := bw.Write(payload); err != nil {
		return c.heldError(err)
	}
	if c.mayHold(h) {
		c.heldN++
		c.heldOut.Store(true)
		return nil // unlockFrame sends it if the reader stopped reading ahead meanwhile
	}
	return c.sendHeld()
}

// sendHeld writes what is held and gives the buffer back. The caller
// holds frameMu.
func (c *Conn) sendHeld() error {
	bw := c.held
	c.held = nil
	c.heldOut.Store(false)
	var err error
	if c.writeErr == nil {
		err = c.heldError(bw.Flush())
	}
	c.heldN = 0
	bw.Reset(nil) // drop what a failed write left, and the connection
	writerPool.Put(bw)
	return err
}

// heldError names the held frames in the error of the write that was to
// send them: their WriteMessage returned nil, so the error that a later
// write returns is all the application learns of their loss. A closed
// connection's error becomes ErrClosed first, as in writeFailed, which
// then keeps the wrapped error as it is.
func (c *Conn) heldError(err error) error {
	if err == nil || c.heldN == 0 {
		return err
	}
	if isClosedConnError(err) {
		err = ErrClosed
	}
	what := "frames"
	if c.heldN == 1 {
		what = "frame"
	}
	return fmt.Errorf("websocket: sending %d held %s (Options.BatchReplies): %w", c.heldN, what, err)
}

// flushHeld sends the held messages when the reader is not reading ahead
// (any more), bounded by ctx (nil: none) and WriteTimeout. The reader
// passes its read's context, as for the pongs it sends, so that a peer
// that does not read cannot hold a read past its context. It never waits
// for the frame lock: a goroutine holding it either is writing, and sends
// what is held before its own frame, or is holding a reply or doing
// something else, and looks again once it lets go (sendHeldIfDue). A
// write error is kept in writeErr, for the next write to return.
func (c *Conn) flushHeld(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Err() != nil {
		// The read's context is already done: a write bounded by it
		// would fail at once and lose the held replies, whose
		// WriteMessage returned nil. They stay held, for the next write
		// (sendHeldIfDue), Close or CloseNow to send, each bounded in its
		// own way; the read returns at once, so nothing waits while they
		// do.
		return
	}
	for c.heldOut.Load() && !c.readAhead.Load() && c.frameMu.TryLock() {
		if c.held != nil {
			stop := c.beginWrite(ctx)
			if err := c.sendHeld(); err != nil {
				c.writeFailed(err)
			}
			c.endWrite(stop)
		} else {
			c.heldOut.Store(false)
		}
		c.frameMu.Unlock()
	}
}

// stopReadingAhead says the reader may wait for input (or stopped
// reading), and sends what is held, bounded by ctx (nil: none but
// WriteTimeout).
func (c *Conn) stopReadingAhead(ctx context.Context) {
	if c.opts.BatchReplies {
		c.readAhead.Store(false)
		c.flushHeld(ctx)
	}
}

// noteReadAhead is called by a read that hands out a message, or reads
// one to its end: it says whether the rest of this message and the next
// one are already buffered whole (then replies may wait for it), and
// sends what is held otherwise, bounded by ctx, the read's context. The
// caller holds readMu.
func (c *Conn) noteReadAhead(ctx context.Context) {
	if c.opts.BatchReplies { // small enough to be inlined: nothing to pay without it
		c.lookAhead(ctx)
	}
}

// lookAhead is noteReadAhead's work.
func (c *Conn) lookAhead(ctx context.Context) {
	r := &c.reader
	if c.br != nil && !r.inMessage && c.readErr == nil {
		// The message handed out may still be in the buffer, unread
		// (NextReader's reader reads it next): then the one after it
		// must be there too.
		b, _ := c.br.Peek(c.br.Buffered()) // no I/O
		if int64(len(b)) > r.frameLeft && wholeMessageAt(b[r.frameLeft:]) {
			c.readAhead.Store(true)
			return
		}
	}
	c.stopReadingAhead(ctx)
}

// wholeMessageAt reports whether b starts with a whole message in one
// frame: FIN set, text or binary, and its header and payload all in b
// (§5.2's three length forms). It judges nothing else: the read that
// takes the frame applies every rule. It only tells that this read will
// not wait for input.
func wholeMessageAt(b []byte) bool {
	if len(b) < 2 || b[0]&bitFin == 0 || (Opcode(b[0]&0x0F) != OpText && Opcode(b[0]&0x0F) != OpBinary) {
		return false
	}
	size, length := 2, uint64(b[1]&^bitMask)
	switch length {
	case lengthMarker16:
		if len(b) < 4 {
			return false
		}
		size, length = 4, uint64(binary.BigEndian.Uint16(b[2:]))
	case lengthMarker64:
		if len(b) < 10 {
			return false
		}
		size, length = 10, binary.BigEndian.Uint64(b[2:])
	}
	if b[1]&bitMask != 0 {
		size += 4
	}
	return uint64(len(b)-size) >= length && len(b) >= size
}

// smallFrameSize is the largest frame, header included, that writeWire
// sends from the connection's own array instead of a pooled buffer.
const smallFrameSize = 512

// writerPool holds the write buffers of frames being written. The pool
// holds pointers, so Get and Put allocate nothing in steady state.
var writerPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, bufferSize) }}

// writeMasked copies payload into the write buffer piece by piece and
// masks each piece there: the caller's slice is never modified.
func writeMasked(bw *bufio.Writer, key [4]byte, payload []byte) error {
	pos := 0
	for len(payload) > 0 {
		if bw.Available() == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
		buf := bw.AvailableBuffer()
		n := min(len(payload), cap(buf))
		buf = append(buf, payload[:n]...)
		// anatomy: field=payload (masked as it is sent)
		pos = Mask(key, pos, buf)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		payload = payload[n:]
	}
	return nil
}

// writeFailed makes a write error sticky: a frame may be half written, so
// nothing more can be sent on this connection.
func (c *Conn) writeFailed(err error) error {
	if isClosedConnError(err) {
		err = ErrClosed
	}
	c.writeErr = err
	if errors.Is(err, ErrWriteTimeout) {
		// The peer stopped reading: nothing more can go out, not even a
		// close frame, so the connection is closed, freeing its buffers
		// and whoever waits on it.
		c.closeTCP(true, err)
	}
	return err
}

func isClosedConnError(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrClosedPipe) // net.Pipe's, for in-memory connections
}
