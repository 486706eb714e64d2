package protocol

import (
	"bytes"
	"context"
	"errors"
	"io"
	mathbits "math/bits"
	"net"
	"syscall"
	"time"
	"unicode/utf8"
)

// The life of a received frame
//
// A message arrives as one or more frames (§5.4). Reading one goes like this:
//
//  1. peekHeader peeks at the first two bytes, which say how long the
//     header is, peeks the rest, and decodes it. Nothing is allocated: the
//     bytes stay in the bufio.Reader until they are discarded.
//  2. CheckHeader judges the header against what we know: our role, whether
//     a fragmented message is in progress, the size limit. A violation
//     fails the connection with the violation's close code, before a
//     single payload byte is read. (The commonest header, a small whole
//     message, is recognised by its first two bytes, which alone show that
//     it passes: see takePlainHeader.)
//  3. A control frame (ping, pong, close) is read whole into a fixed
//     125-byte buffer and handled at once, even between the fragments of a
//     message (§5.5). Then reading goes back to step 1.
//  4. A data frame's payload is handed to the application's Read calls as it
//     comes off the network: unmasked (§5.3) and, for text, checked as UTF-8
//     piece by piece, so that a bad byte fails the connection at once.
//  5. When the frame with FIN set has been read to its end, the message is
//     complete and Read returns io.EOF, with the message's last bytes when
//     they came in the same call.

// messageReader is the io.Reader of the message being read. There is one
// per connection; NextReader hands out a pointer to it. Its fields are
// guarded by the connection's readMu.
type messageReader struct {
	c *Conn

	frame     Header // the current data frame
	frameLeft int64  // payload bytes of frame not yet read
	maskPos   int    // position in frame.MaskKey of the next byte

	inMessage bool // a message has started and its last frame is not read
	msgType   Opcode
	msgSoFar  int64 // bytes of this message read so far
	utf8      UTF8Validator
	// compressed: the message had RSV1 set on its first frame, so its
	// payload is inflated on the way out (permessage-deflate, pmdeflate.go).
	compressed bool

	// A message whose ReadMessage timed out: resume says the next read
	// goes on with it; saved holds its bytes so far, which the next
	// ReadMessage extends, or NextReader's reader hands out first.
	resume bool
	saved  []byte
	// interrupted: a Read of NextReader's reader timed out in the middle
	// of this message. Until that reader goes on, NextReader and
	// ReadMessage return ErrReadInterrupted rather than skip the rest.
	interrupted bool

	// For the observer only: this frame's raw header (rawHeader[:rawLen],
	// kept here rather than in a copy of its own, since frameDone copies it
	// into the event anyway) and payload so far.
	rawHeader [MaxHeaderSize]byte
	rawLen    uint8
	payload   []byte
	unmasked  []byte
}

// NextReader waits for the next message and returns its type and a reader
// of its payload. Any unread part of the previous message is discarded
// (but see ReadMessage for one that timed out). Control frames that arrive
// meanwhile are handled: pings are answered, and a close frame ends the
// connection with a [*CloseError]. An unread part is never discarded after
// a Read of the previous reader timed out, though: until that reader goes
// on (it resumes where it stopped), NextReader and ReadMessage return
// [ErrReadInterrupted] and leave the stream as it is.
//
// ctx bounds the wait for the message's first frame, and the pongs the
// wait sends; the returned reader's Read calls are bounded only by the
// read deadline and Options.IdleTimeout. A Read that times out has
// consumed exactly the bytes it returned, so calling it again goes on
// where it stopped.
func (c *Conn) NextReader(ctx context.Context) (MessageType, io.Reader, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	defer c.releaseReadBuffer()
	c.stream.ready = false // a small message handed out and not read is dropped
	if typ, ok := c.stream.takeBuffered(); ok {
		c.noteReadAhead(ctx)
		return typ, &c.stream, nil
	}
	stop := c.beginRead(ctx)
	defer c.endRead(ctx, stop)
	typ, err := c.nextMessage()
	if err != nil {
		c.stopReadingAhead(ctx)
		return typ, &c.stream, ctxErr(ctx, err)
	}
	c.stream.takeSmall()
	c.noteReadAhead(ctx)
	return typ, &c.stream, nil
}

// streamReader is the reader NextReader returns. Its Read takes the read
// lock, so that a Close from another goroutine never reads the socket at
// the same time as the application.
//
// One lock per small message. Most messages are small and arrive whole,
// and a second lock and unlock for the Read that follows NextReader was a
// fifth of the cost of reading one. So when the message's only frame is
// already buffered and its payload fits small, NextReader, which holds
// the lock anyway, reads it all: unmasked, checked (UTF-8 for text) and
// consumed, exactly as a Read would, into small, an array of the reader.
// Read then copies from there without the lock: only the goroutine that
// called NextReader touches small and the fields below (a Close from
// another goroutine reads the connection, never the reader), and a
// message that NextReader consumed whole leaves nothing of the stream to
// guard.
type streamReader struct {
	c *Conn
	// ready: small[off:n] is what is left of the message, and Read hands
	// out that, then err (io.EOF, or the violation the bytes broke).
	ready  bool
	off, n uint8
	err    error
	small  [smallMessage]byte
}

// smallMessage is the largest payload NextReader reads ahead: a frame
// with a 7-bit length (§5.2), the form most small messages take.
const smallMessage = 125

// takeSmall reads the message's payload into s.small when its only frame
// is already buffered and short. The caller holds readMu and has just read
// the message's first header.
func (s *streamReader) takeSmall() {
	c := s.c
	r := &c.reader
	if r.inMessage || r.compressed || r.frameLeft > smallMessage || len(r.saved) > 0 ||
		c.br == nil || int64(c.br.Buffered()) < r.frameLeft {
		return // not all here, or not one plain frame: Read goes to the stream
	}
	n, err := r.Read(s.small[:r.frameLeft])
	if err == nil && r.frameLeft == 0 && !r.inMessage {
		err = io.EOF // the message ended with these bytes
	}
	// err nil (the message goes on: cannot happen for a frame buffered
	// whole, but then Read goes on from the stream after small), io.EOF,
	// or the rule the bytes broke (the connection is failed, and later
	// reads return that error too).
	s.ready, s.off, s.n, s.err = true, 0, uint8(n), err
}

// takeBuffered is NextReader's shortest way, for the commonest message
// of all: the next thing in the buffer is a whole small message in one
// plain frame (takePlainHeader's kind), nothing of an earlier message is
// left, and nobody observes. It is what nextMessage, takePlainHeader and
// takeSmall do for such a message, in one pass and without the read
// call's clocks: no byte is waited for, so there is no deadline to set
// and no context that could interrupt anything, and a data frame needs
// no pong. It copies the payload out of the buffer, unmasks it (§5.3)
// and, for text, checks that it is whole, valid UTF-8 (§8.1); only then
// does it consume the frame. Text that is not valid is left where it is
// for the general path, which fails the connection naming the byte, so
// every rule is still judged by the same code. An observer that asked for
// headers only (ObserveHeadersOnly) is told of the frame as the general
// path tells it: its header and raw header bytes, no payload; one that
// asked for payloads takes the general path, which copies them as they
// are read. IdleTimeout needs nothing
// here: its rule is that the next frame arrives whole in time, and this
// one has; taking it stops the clock (idleWaiting), and the next wait
// starts a new one (armIdle). The caller holds readMu and has cleared
// s.ready.
func (s *streamReader) takeBuffered() (MessageType, bool) {
	c := s.c
	r := &c.reader
	if c.br == nil || c.observePayloads || c.readErr != nil ||
		r.inMessage || r.frameLeft > 0 || r.resume || r.interrupted || len(r.saved) > 0 {
		return 0, false
	}
	b, _ := c.br.Peek(c.br.Buffered()) // no I/O: only what is buffered
	typ, size, length, ok := c.plainHeader(b)
	if !ok || len(b) < size+length {
		return 0, false // another kind of frame, or not all here yet
	}
	masked := size == 6
	p := s.small[:copy(s.small[:length], b[size:size+length])]
	var key [4]byte
	if masked {
		key = [4]byte{b[2], b[3], b[4], b[5]}
		Mask(key, 0, p)
	}
	if typ == OpText && !isASCII(p) && !utf8.Valid(p) {
		return 0, false // the general path names the bad byte
	}
	r.frame = Header{Fin: true, Opcode: typ, Masked: masked, Length: uint64(length), LengthForm: Length7Bit, MaskKey: key}
	var ev *FrameEvent
	if c.observe != nil {
		ev = newFrameEvent(c.role, Received, r.frame, b[:size]) // before Discard, which frees the buffer's bytes
	}
	c.br.Discard(size + length)
	if ev != nil {
		c.observe(ev)
	}
	r.msgType, r.msgSoFar, r.compressed, r.maskPos = typ, int64(length), false, length&3
	r.utf8.Reset()
	c.idleWaiting = false
	s.ready, s.off, s.n, s.err = true, 0, uint8(length), io.EOF
	return typ, true
}

func (s *streamReader) Read(p []byte) (int, error) {
	if s.ready {
		n := copy(p, s.small[s.off:s.n])
		s.off += uint8(n)
		if s.off < s.n {
			return n, nil
		}
		s.ready = false
		switch {
		case s.err == io.EOF:
			return n, io.EOF
		case s.err != nil && n == 0:
			return 0, s.err
		}
		return n, nil // the rest, or the error, comes from the stream
	}
	s.c.readMu.Lock()
	defer s.c.readMu.Unlock()
	defer s.c.releaseReadBuffer()
	n, err := s.c.reader.Read(p)
	if err == io.EOF {
		s.c.noteReadAhead(context.Background()) // the message is read: may its reply wait for the next? (BatchReplies)
	}
	switch {
	case err == nil || err == io.EOF:
		// Reading goes on (or the message is done): the application has
		// taken up the message again, so what it leaves unread is its
		// choice, as usual.
		s.c.reader.interrupted = false
	case isTimeout(err) && s.c.readErr == nil:
		s.c.reader.interrupted = true
	}
	return n, err
}

// ReadMessage reads a whole message. It is NextReader followed by reading
// the payload to its end, all bounded by ctx.
//
// When ctx ends (or the read deadline passes) in the middle of a message,
// ReadMessage returns the context's error and keeps what it read: the
// next ReadMessage (or NextReader) goes on with the same message, from
// the byte where this one stopped, and returns it whole. Nothing is lost
// and no message is skipped. [ErrReadInterrupted] (NextReader's reader
// timed out in the middle of the previous message) is not final either:
// the stream is left as it was. Any other error is final: the connection
// is failed or closed, and every later read returns the same error.
//
// Memory grows with the bytes that arrive, never with the length a header
// announces: the buffer starts small and at most doubles, so a peer that
// sends a header claiming MessageLimit bytes and nothing else costs a few
// KiB, and the buffer never outgrows the message or MessageLimit.
func (c *Conn) ReadMessage(ctx context.Context) (MessageType, []byte, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	defer c.releaseReadBuffer()
	c.stream.ready = false // as in NextReader
	stop := c.beginRead(ctx)
	defer c.endRead(ctx, stop)
	r := &c.reader
	typ, buf := r.msgType, r.saved
	if r.resume {
		r.resume, r.saved = false, nil
	} else {
		var err error
		if typ, err = c.nextMessage(); err != nil {
			c.stopReadingAhead(ctx)
			return 0, nil, ctxErr(ctx, err)
		}
		buf = nil
	}
	for {
		if len(buf) == cap(buf) {
			if r.frameLeft == 0 && !r.inMessage && len(r.saved) == 0 && c.readErr == nil && r.inflatedAll() {
				// The message is complete; growing would only waste.
				if buf == nil {
					buf = []byte{}
				}
				c.noteReadAhead(ctx)
				return typ, buf, nil
			}
			if lim := c.opts.MessageLimit; lim <= 0 || int64(len(buf)) < lim {
				buf = r.grow(buf)
			}
			// else: at the limit, so the frame is used up (CheckHeader
			// saw to it); the Read below, with no room, reads the next
			// header, which is either an empty last frame or refused.
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			c.noteReadAhead(ctx)
			return typ, buf, nil
		}
		if err != nil {
			c.stopReadingAhead(ctx)
			if c.readErr == nil && isTimeout(err) {
				// The stream stopped at a known byte: keep the message so
				// far for the next call.
				r.saved, r.resume = buf, true
			}
			return 0, nil, ctxErr(ctx, err)
		}
	}
}

// minMessageBuffer is the least that ReadMessage allocates for a message
// whose header announces more than has arrived: all that a header alone
// can make us allocate.
const minMessageBuffer = 512

// grow returns buf with room for more of the message. The first buffer
// holds what has already arrived (so a message that came whole is read
// with one exact allocation); after that the capacity doubles (so the
// copying costs at most one more pass over the message), but never beyond
// what the message can still be: the end of the current frame when it is
// the last one, and the message limit. Sizes come from bytes received; a
// header's claim only caps them.
func (r *messageReader) grow(buf []byte) []byte {
	n := max(2*cap(buf), minMessageBuffer)
	if cap(buf) == 0 {
		// A power of two, like the usual limits: a doubling that ends
		// just short of the limit would need one more buffer of it all.
		buffered := 0
		if r.c.br != nil {
			buffered = r.c.br.Buffered()
		}
		n = 1 << mathbits.Len(uint(max(buffered, minMessageBuffer)-1))
	}
	if !r.inMessage && r.frameLeft > 0 && !r.compressed {
		// The last frame of the message: its end is known (unless the
		// message is compressed: then frameLeft counts wire bytes).
		n = min(n, len(buf)+int(r.frameLeft))
	}
	if lim := r.c.opts.MessageLimit; lim > 0 {
		n = int(min(int64(n), lim))
	}
	n = max(n, len(buf)+1)
	nb := make([]byte, len(buf), n)
	copy(nb, buf)
	return nb
}

// nextMessage skips what is left of the current message and reads up to
// the first data frame of the next one. A message that ReadMessage left
// unfinished when its context ended is not skipped: it is returned again,
// its bytes so far first (r.saved).
func (c *Conn) nextMessage() (MessageType, error) {
	r := &c.reader
	if r.resume {
		r.resume = false
		return r.msgType, nil
	}
	if r.interrupted {
		if r.inMessage || r.frameLeft > 0 || len(r.saved) > 0 {
			return 0, ErrReadInterrupted
		}
		r.interrupted = false
	}
	r.saved = nil
	for r.inMessage || r.frameLeft > 0 {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return 0, err
		}
	}
	if err := c.nextDataFrame(); err != nil {
		return 0, err
	}
	return r.msgType, nil
}

// Read reads payload bytes of the current message. The caller holds readMu.
func (r *messageReader) Read(p []byte) (int, error) {
	if r.compressed { // permessage-deflate: inflate what readWire reads
		return r.readInflated(p)
	}
	return r.readWire(p)
}

// readWire reads payload bytes of the current message as they are on the
// wire (unmasked).
func (r *messageReader) readWire(p []byte) (int, error) {
	c := r.c
	if c.readErr != nil {
		return 0, c.readErr
	}
	if len(r.saved) > 0 {
		// The part of the message that a ReadMessage read before its
		// context ended, handed on to NextReader's reader.
		n := copy(p, r.saved)
		r.saved = r.saved[n:]
		return n, nil
	}
	for r.frameLeft == 0 {
		if !r.inMessage {
			return 0, io.EOF
		}
		// The frame is used up but the message goes on: the next data
		// frame must be a continuation (CheckHeader makes sure).
		if err := c.nextDataFrame(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > r.frameLeft {
		p = p[:r.frameLeft]
	}
	// One Read on the bufio.Reader returns what is already buffered or
	// what one read of the socket brings: a slow peer's bytes are
	// processed as they come, not when the frame is complete.
	n, err := c.br.Read(p)
	if n > 0 {
		if v := r.consume(p[:n]); v != nil {
			return 0, c.fail(v)
		}
		if err == nil && r.frameLeft == 0 && !r.inMessage {
			// These bytes end the message: say so now, as io.Reader
			// allows, rather than in one more call (and one more lock).
			return n, io.EOF
		}
	}
	if isTimeout(err) {
		// A deadline or a cancelled context: the bytes that did arrive
		// were consumed and counted, so the stream position is known and
		// the next read can go on where this one stopped. (Unless the
		// idle clock struck: then the connection is failed.)
		return n, c.readTimedOut(err)
	}
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the stream ended inside a frame
		}
		return n, c.readFailed(err)
	}
	return n, nil
}

// consume unmasks and checks freshly read payload bytes in place.
func (r *messageReader) consume(p []byte) *Violation {
	c := r.c
	if c.observePayloads {
		r.payload = append(r.payload, p...)
	}
	if r.frame.Masked {
		// anatomy: field=payload (unmasked as it arrives)
		r.maskPos = Mask(r.frame.MaskKey, r.maskPos, p)
	}
	if c.observePayloads {
		r.unmasked = append(r.unmasked, p...)
	}
	r.frameLeft -= int64(len(p))
	r.msgSoFar += int64(len(p))
	if r.msgType == OpText && !r.compressed { // compressed text is checked once inflated
		// §8.1: fail as soon as the text cannot be valid UTF-8, even in
		// the middle of a frame.
		if i := r.utf8.Write(p); i >= 0 {
			return r.frameDone(violationf("8.1", CloseInvalidPayload,
				"text message is not valid UTF-8 at index %d of the message", r.msgSoFar-int64(len(p))+int64(i)))
		}
	}
	if r.frameLeft == 0 {
		var v *Violation
		if r.msgType == OpText && !r.compressed && r.frame.Fin && !r.utf8.Complete() {
			v = violationf("8.1", CloseInvalidPayload, "text message ends in the middle of a UTF-8 character")
		}
		return r.frameDone(v)
	}
	return nil
}

// frameDone reports the finished (or abandoned) frame to the observer.
func (r *messageReader) frameDone(v *Violation) *Violation {
	c := r.c
	if c.observe != nil {
		ev := newFrameEvent(c.role, Received, r.frame, r.rawHeader[:r.rawLen])
		ev.Payload, ev.Unmasked, ev.Violation = r.payload, r.unmasked, v
		c.observe(ev)
		r.rawLen, r.payload, r.unmasked = 0, nil, nil
	}
	return v
}

// nextDataFrame reads frames until a data frame starts, handling control
// frames on the way (steps 1 to 3). A timeout leaves the stream where it
// was: headers and control frames are only peeked at until they have
// arrived whole, so nothing of them is consumed before that.
func (c *Conn) nextDataFrame() error {
	r := &c.reader
	for {
		c.armIdle()
		c.takeReadBuffer()
		if c.observe == nil && c.takePlainHeader() {
			return c.startDataFrame()
		}
		h, raw, err := peekHeader(c.br)
		if isTimeout(err) {
			return c.readTimedOut(err) // the header was only peeked at: nothing is lost
		}
		if err != nil {
			return c.readFailed(err)
		}
		if !r.inMessage {
			r.msgSoFar = 0
		}
		st := State{Role: c.role, InMessage: r.inMessage, AllowedRSV: c.extensionRSV,
			MessageLimit: c.opts.MessageLimit, MessageSoFar: r.msgSoFar, Deflate: c.deflate != nil}
		if v := CheckHeader(h, st); v != nil {
			if c.observe != nil {
				ev := newFrameEvent(c.role, Received, h, raw)
				ev.Violation = v
				c.observe(ev)
			}
			return c.fail(v)
		}
		if h.Opcode.IsControl() {
			// A control frame is at most 2+8+4+125 bytes, well within the
			// read buffer: wait until it is all there, then take it.
			frame, err := c.br.Peek(len(raw) + int(h.Length))
			if isTimeout(err) {
				return c.readTimedOut(err)
			}
			if err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return c.readFailed(err)
			}
			c.idleWaiting = false // a frame arrived: the next one gets a new clock
			if err := c.handleControl(h, frame[:len(raw)], frame[len(raw):]); err != nil {
				return err
			}
			continue
		}
		if c.observe != nil {
			// Kept for frameDone's event, before Discard frees the bytes.
			r.rawLen = uint8(copy(r.rawHeader[:], raw))
		}
		c.br.Discard(len(raw))
		r.frame = h
		return c.startDataFrame()
	}
}

// startDataFrame starts reading the data frame whose header, just taken
// from the buffer and found valid, is in r.frame (and, for an observer,
// its bytes in r.rawHeader).
func (c *Conn) startDataFrame() error {
	r := &c.reader
	h := &r.frame
	if !r.inMessage {
		r.msgSoFar = 0
	}
	c.idleWaiting = false // a frame arrived: the next one gets a new clock
	// §5.4: a message is one frame with FIN set, or a first frame with
	// FIN clear, continuation frames, and a last one with FIN set. The
	// first frame's opcode is the message's type (§5.6).
	if h.Opcode != OpContinuation {
		r.msgType = h.Opcode
		r.utf8.Reset()
	}
	r.frameLeft, r.maskPos = int64(h.Length), 0
	r.inMessage = !h.Fin
	if h.Opcode != OpContinuation {
		// permessage-deflate: RSV1 on the first frame marks a
		// compressed message (CheckHeader allowed it only if negotiated).
		r.compressed = h.Rsv1
		if r.compressed {
			c.deflate.beginInflate(r)
		}
	}
	if h.Length == 0 {
		// An empty frame is complete as soon as its header is read.
		if v := r.consume(nil); v != nil {
			return c.fail(v)
		}
	}
	return nil
}

// takePlainHeader decodes the header at the front of the buffer when it is
// the commonest kind, a whole small message in one frame: FIN set, no RSV
// bit, text or binary, a 7-bit length, masked if and only if the peer is
// a client, no fragmented message in progress, within the message limit.
// Such a header passes every rule of CheckHeader (RSV bits §5.2, opcode
// §5.2, masking §5.1, minimal length §5.2, fragmentation §5.4, limit
// §10.4) by its first two bytes alone, so it is decoded and checked with
// a few comparisons instead of the general decoder and checker. Any other
// header (false) takes the general path, which judges it and names the
// rule it breaks. TestPlainHeaderAgreesWithCheckHeader holds the two
// paths together for every possible pair of first bytes.
//
// When it takes the header, it is decoded into c.reader.frame and
// consumed from the buffer; otherwise nothing changes.
func (c *Conn) takePlainHeader() bool {
	if c.reader.inMessage {
		return false
	}
	b, _ := c.br.Peek(c.br.Buffered()) // no I/O: only what is buffered
	typ, size, length, ok := c.plainHeader(b)
	if !ok {
		return false
	}
	h := &c.reader.frame
	*h = Header{Fin: true, Opcode: typ, Masked: size == 6, Length: uint64(length), LengthForm: Length7Bit}
	copy(h.MaskKey[:], b[2:size])
	c.br.Discard(size)
	return true
}

// plainHeader reads b, the start of the buffer, as takePlainHeader's kind
// of header: ok says it is one, whole in b, and then gives the message's
// type, the header's size (2, or 6 with a masking key) and the payload's
// length. It consumes nothing. The caller makes sure no fragmented
// message is in progress.
func (c *Conn) plainHeader(b []byte) (typ Opcode, size, length int, ok bool) {
	if len(b) < 2 || (b[0] != bitFin|byte(OpText) && b[0] != bitFin|byte(OpBinary)) {
		return 0, 0, 0, false
	}
	length = int(b[1] &^ bitMask)
	masked := b[1]&bitMask != 0
	if length >= lengthMarker16 || masked != (c.role == RoleServer) {
		return 0, 0, 0, false // a longer length form, or masking the wrong way (§5.1)
	}
	if lim := c.opts.MessageLimit; lim > 0 && int64(length) > lim {
		return 0, 0, 0, false // over the limit: the general path refuses it (§10.4)
	}
	size = 2
	if masked {
		size = 6
	}
	if len(b) < size {
		return 0, 0, 0, false
	}
	return Opcode(b[0] & 0x0F), size, length, true
}

// handleControl acts on a control frame (step 3). raw and wire are its
// header and payload as they sit in the read buffer; they are consumed
// here.
func (c *Conn) handleControl(h Header, raw, wire []byte) error {
	var ev *FrameEvent
	if c.observe != nil {
		// A control payload is at most 125 bytes: it is observed even
		// when data payloads are not (ObserveHeadersOnly). Both are
		// copied before Discard frees the buffer's bytes.
		ev = newFrameEvent(c.role, Received, h, raw)
		ev.Payload = bytes.Clone(wire)
	}
	payload := c.ctrlBuf[:copy(c.ctrlBuf[:], wire)] // CheckHeader made sure Length <= 125
	c.br.Discard(len(raw) + len(wire))
	if h.Masked {
		Mask(h.MaskKey, 0, payload)
	}
	var v *Violation
	var code CloseCode
	var reason string
	if h.Opcode == OpClose {
		code, reason, v = ParseClosePayload(payload)
	}
	if ev != nil {
		ev.Unmasked, ev.Violation = bytes.Clone(payload), v
		c.observe(ev)
	}
	switch h.Opcode {
	case OpPing:
		// §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a
		// Pong frame in response, unless it already received a Close
		// frame." §5.5.3: the pong has "identical "Application data" as
		// found in the message body of the Ping frame being replied to".
		// The pong is bounded by this read's context and by WriteTimeout:
		// a peer that pings and never reads cannot hold the reader.
		if err := c.queuePong(c.rctx, payload); err != nil {
			c.readErr = err // final: the connection is closed
			return err
		}
		if c.opts.OnPing != nil {
			c.opts.OnPing(append([]byte(nil), payload...))
		}
	case OpPong:
		// §5.5.3: "A response to an unsolicited Pong frame is not
		// expected." It may serve as a heartbeat; we only report it.
		c.lastPong.Store(time.Now().UnixNano())
		select {
		case c.pongSeen <- struct{}{}:
		default:
		}
		if c.opts.OnPong != nil {
			c.opts.OnPong(append([]byte(nil), payload...))
		}
	case OpClose:
		if v != nil {
			return c.fail(v)
		}
		return c.receivedClose(code, reason)
	}
	return nil
}

// receivedClose finishes the closing handshake the peer started or
// answered, and returns the error every later read reports.
func (c *Conn) receivedClose(code CloseCode, reason string) error {
	ce := &CloseError{Code: code, Reason: reason}
	c.closeMu.Lock()
	c.peerClose = ce
	close(c.peerClosed)
	c.closeMu.Unlock()
	c.readErr = ce
	// §5.5.1: "If an endpoint receives a Close frame and did not previously
	// send a Close frame, the endpoint MUST send a Close frame in response.
	// (When sending a Close frame in response, the endpoint typically echos
	// the status code it received.)" A close with no code is answered with
	// no code: 1005 must not go on the wire.
	var payload []byte
	if code != CloseNoStatusReceived {
		payload, _ = AppendClosePayload(c.ctrlBuf[:0], code, "")
	}
	c.sendClose(payload)
	c.finishTCP(nil)
	return ce
}

// finishTCP ends the TCP connection the way §7.1.1 asks: "the underlying
// TCP connection, in most normal cases, SHOULD be closed first by the
// server", so that the server, not the client, holds the TIME_WAIT state.
// A client waits, for at most CloseTimeout, for the server to close.
func (c *Conn) finishTCP(cause error) {
	if c.role == RoleServer {
		if cause != nil {
			// The FIN of the half-close ends the connection for the
			// client: report our end before it goes out.
			c.reportClosed(true, cause)
			c.lingerAfterFailure(time.Now().Add(min(c.opts.CloseTimeout, lingerTimeout)))
		}
		c.closeTCP(true, cause)
		return
	}
	c.rdPending = false // this deadline, not the read's clocks
	c.netConn.SetReadDeadline(time.Now().Add(c.opts.CloseTimeout))
	_, err := io.Copy(io.Discard, c.unread())
	// io.Copy returns nil when the server closed: it closed first. A reset
	// says the same thing: the server closed its socket with bytes of ours
	// still unread (after it failed the connection, say), and its kernel
	// answered them with RST. Only a timeout, or a failure of our own,
	// means this client closed first.
	first := err != nil && !errors.Is(err, syscall.ECONNRESET)
	c.closeTCP(first, cause)
}

// lingerAfterFailure lets a server's close frame reach a client that is
// still sending. Closing a socket while the peer's bytes sit unread in it
// makes the kernel answer with a TCP reset, and a reset can destroy the
// close frame before the client reads it: the client would see 1006
// instead of the code we sent. So the server half-closes (sends FIN, which
// still makes it the side that closes first, §7.1.1), then reads and
// discards until the client closes too, or until the bound. CloseNow
// does the same for the replies it promised to send. The caller holds
// readMu.
func (c *Conn) lingerAfterFailure(until time.Time) {
	cw, ok := c.netConn.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		return
	}
	c.rdPending = false // this deadline, not the read's clocks
	c.netConn.SetReadDeadline(until)
	io.Copy(io.Discard, c.unread())
}

// lingerTimeout bounds lingerAfterFailure: a client that keeps sending
// after our close frame gets this long, then a reset.
const lingerTimeout = time.Second

// fail is "_Fail the WebSocket Connection_" (§7.1.7): send a close frame
// with the violation's code, then close the connection. The violation is
// what every later read returns.
func (c *Conn) fail(v *Violation) error {
	c.readErr = v
	payload, err := AppendClosePayload(c.ctrlBuf[:0], v.Code, shortReason(v.Msg))
	if err == nil {
		c.sendClose(payload)
	}
	c.finishTCP(v)
	return v
}

// readFailed records an I/O error as the sticky read error and closes the
// connection: after a failed read the stream position is unknown. The
// peer closing TCP without a close frame is 1006, abnormal closure (§7.1.5).
func (c *Conn) readFailed(err error) error {
	if c.readErr != nil {
		return c.readErr
	}
	if isTimeout(err) {
		// A deadline struck where the stream position cannot be kept
		// (reading past a close frame): we give up on the connection,
		// and say so (1001).
		c.readErr = err
		c.abort(CloseGoingAway, "read timed out")
		return err
	}
	c.closeMu.Lock()
	done := c.peerClose != nil
	c.closeMu.Unlock()
	if !done && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		err = &CloseError{Code: CloseAbnormalClosure, Reason: "connection closed without a close frame: " + err.Error()}
	}
	if errors.Is(err, ErrClosed) || isClosedConnError(err) {
		err = ErrClosed
	}
	// We closed TCP ourselves, for a reason (a missed heartbeat, a write
	// that timed out): that reason is the read's error too.
	c.closeMu.Lock()
	if c.closeCause != nil {
		err = c.closeCause
	}
	c.closeMu.Unlock()
	c.readErr = err
	c.closeTCP(false, err)
	return err
}

// shortReason cuts a message to fit a close frame, on a character boundary.
func shortReason(s string) string {
	if len(s) <= MaxCloseReason {
		return s
	}
	s = s[:MaxCloseReason]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// isTimeout reports whether err is a deadline passing (ours or a context's).
func isTimeout(err error) bool {
	if err == nil {
		return false // before ne exists: &ne escapes, and this is the hot path
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
