package protocol

import (
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// permessage-deflate on a connection (RFC 7692 §6, RFC 7692 §7.2)
//
// Once negotiated, a sender may compress any text or binary message. It
// says so with RSV1 on the message's first frame (the "Per-Message
// Compressed" bit); continuation frames and control frames never carry
// it. The payload of a compressed message, across all its frames, is one
// DEFLATE stream cut at a sync flush, with the final four bytes
// 00 00 ff ff left off (RFC 7692 §7.2.1): both sides know they are there, so they
// are not sent. The receiver puts them back and inflates (RFC 7692 §7.2.2).
//
// With context takeover, the compressor of each direction keeps its
// window from message to message: a later message may point back into
// earlier ones. The receiver must then keep the same window, the last
// 2^window_bits bytes it inflated. With no_context_takeover, both sides
// start every message of that direction from an empty window.
//
// The hooks in read.go, write.go, client.go and server.go are marked
// "permessage-deflate"; everything else is here.

// rsv1 is the RSV1 bit as it sits in the first header byte.
const rsv1 = 0x40

// deflateState is a connection's permessage-deflate state. The sending
// half is guarded by the message lock (msgLock), the receiving half by
// readMu.
type deflateState struct {
	agreed DeflateAgreement
	role   Role

	// Sending.
	sendBits     int  // our compressor's window, in bits
	sendTakeover bool // keep the window between our messages
	threshold    int  // shorter messages go out uncompressed
	comp         *deflater

	// Receiving.
	recvBits     int
	recvTakeover bool
	dict         []byte // the peer's window: the last bytes we inflated (takeover only)
	fr           io.ReadCloser
	src          inflateSource
	inflated     int64 // bytes of the current message inflated so far
	probe        [1]byte
	recvDone     bool // the current compressed message has been read to its end
	obsWindow    []byte
	obsInflated  []byte
	obsWire      []byte
}

// enableDeflate turns permessage-deflate on for the connection, as agreed.
func (c *Conn) enableDeflate(a DeflateAgreement, opts *CompressionOptions) {
	z := &deflateState{agreed: a, role: c.role, threshold: opts.threshold()}
	if c.role == RoleServer {
		z.sendBits, z.sendTakeover = a.ServerMaxWindowBits, !a.ServerNoContextTakeover
		z.recvBits, z.recvTakeover = a.ClientMaxWindowBits, !a.ClientNoContextTakeover
		// Our own policy may ask for a smaller window than the client
		// allowed: using less is always allowed.
		if opts != nil && opts.ServerMaxWindowBits != 0 && opts.ServerMaxWindowBits < z.sendBits {
			z.sendBits = opts.ServerMaxWindowBits
		}
	} else {
		z.sendBits, z.sendTakeover = a.ClientMaxWindowBits, !a.ClientNoContextTakeover
		z.recvBits, z.recvTakeover = a.ServerMaxWindowBits, !a.ServerNoContextTakeover
	}
	z.src.z = z
	c.deflate = z
	c.extensionRSV = rsv1
}

// Deflate returns the permessage-deflate agreement of the connection, or
// nil if the extension was not negotiated.
func (c *Conn) Deflate() *DeflateAgreement {
	if c.deflate == nil {
		return nil
	}
	a := c.deflate.agreed
	return &a
}

// checkDeflateRSV applies RFC 7692 §6 (the section's own text, before
// §6.1, which is the sender's algorithm): the "Per-Message Compressed" bit
// (RSV1) belongs to a data message's first frame only. A receiver that
// finds it on a continuation frame or a control frame fails the
// connection with 1002, like any misuse of a reserved bit (RFC 6455 §5.2).
func checkDeflateRSV(h Header, st State) *Violation {
	if !st.Deflate || !h.Rsv1 {
		return nil
	}
	if h.Opcode.IsControl() {
		return deflateViolation("6", CloseProtocolError,
			"RSV1 is set on a %s frame; permessage-deflate never compresses control frames", h.Opcode)
	}
	if h.Opcode == OpContinuation {
		return deflateViolation("6", CloseProtocolError,
			"RSV1 is set on a continuation frame; it marks only the first frame of a compressed message")
	}
	return nil
}

// deflateViolation is a broken rule of RFC 7692, section given; like
// violationf, it keeps the format and arguments for screens that
// translate the sentence.
func deflateViolation(section string, code CloseCode, format string, args ...any) *Violation {
	return &Violation{RFC: "7692", Section: section, Code: code, Msg: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// MessageEvent reports a compressed message, sent or received, once it is
// complete, after the FrameEvents of its frames (whose payloads are the
// compressed bytes). It exists only on connections that negotiated
// permessage-deflate, and only for compressed messages.
type MessageEvent struct {
	Time   time.Time
	Role   Role
	Dir    Direction
	Opcode Opcode // OpText or OpBinary
	// Compressed is the message's payload as it went over the wire,
	// unmasked, all frames joined, without the 00 00 ff ff that
	// RFC 7692 §7.2.1 removes. Inflated is the message itself.
	Compressed []byte
	Inflated   []byte
	// WireLen and InflatedLen are their sizes. They are set even when
	// Options.ObserveHeadersOnly leaves Compressed, Inflated and Window
	// nil.
	WireLen, InflatedLen int64
	// Window is the compression context this message started from: the
	// last bytes of earlier messages of this direction that its
	// back-references may use (empty with no context takeover).
	// DecodeDeflate(Window, Compressed, 0) shows its literals and
	// back-references.
	Window []byte
	// WindowBits is the window the sender agreed to keep to.
	WindowBits int
	// ContextTakeover says whether the window carries over to the next
	// message of this direction.
	ContextTakeover bool
	// Violation is set only by a watcher ([FrameReader.Message]) on a
	// message it could not inflate or whose inflated text is not UTF-8:
	// an endpoint fails the connection instead, and reports no message.
	Violation *Violation
}

func (e *MessageEvent) EventTime() time.Time { return e.Time }

// Sending.

// compressing reports whether a message of n bytes is sent compressed
// (n < 0: a streamed message, size unknown, always compressed).
func (z *deflateState) compressing(n int) bool {
	return z != nil && (n < 0 || n >= z.threshold)
}

// deflaterPools hold compressors of connections without context takeover
// between their messages, one pool per window size: such a connection
// keeps no compression state between messages.
var deflaterPools [MaxWindowBits + 1]sync.Pool

// beginSend readies the compressor for a message and returns the window
// it starts from (for the observer).
func (z *deflateState) beginSend(observe bool) []byte {
	if z.comp == nil {
		if p, ok := deflaterPools[z.sendBits].Get().(*deflater); ok {
			// A pooled compressor still holds another connection's
			// window: forget it before its first message here.
			p.reset()
			z.comp = p
		} else {
			z.comp = newDeflater(z.sendBits)
		}
	}
	if !z.sendTakeover {
		z.comp.reset()
	}
	if !observe {
		return nil
	}
	h := z.comp.hist
	return append([]byte(nil), h[max(0, len(h)-z.comp.window):]...)
}

// endSend finishes a message's compression. Without context takeover the
// compressor goes back to the pool.
func (z *deflateState) endSend() {
	if !z.sendTakeover && z.comp != nil {
		z.comp.out = z.comp.out[:0]
		deflaterPools[z.sendBits].Put(z.comp)
		z.comp = nil
	}
}

// abandonSend forgets a message whose compressed bytes were never sent:
// with context takeover, the compressor's window would otherwise hold
// bytes the peer never saw.
func (z *deflateState) abandonSend() {
	if z.comp != nil {
		z.comp.reset()
		z.comp.out = z.comp.out[:0]
		z.comp.bitBuf, z.comp.nbits = 0, 0
	}
	z.endSend()
}

// writeCompressed sends data as one compressed message, in frames of at
// most size bytes of compressed payload (size <= 0: one frame). The
// caller holds the message lock.
func (c *Conn) writeCompressed(ctx context.Context, typ MessageType, data []byte, size int) error {
	z := c.deflate
	window := z.beginSend(c.observePayloads)
	z.comp.write(data)
	payload := z.comp.finish()
	var ev *MessageEvent
	if c.observe != nil {
		ev = &MessageEvent{Role: c.role, Dir: Sent, Opcode: typ, WireLen: int64(len(payload)), InflatedLen: int64(len(data)),
			Window: window, WindowBits: z.sendBits, ContextTakeover: z.sendTakeover}
		if c.observePayloads {
			ev.Compressed, ev.Inflated = append([]byte(nil), payload...), append([]byte(nil), data...)
		}
	}
	if size <= 0 {
		size = len(payload)
	}
	op, first := typ, true
	for first || len(payload) > 0 {
		n := min(size, len(payload))
		// RSV1 on the first frame only (RFC 7692 §6).
		if err := c.writeFrame(ctx, Header{Fin: n == len(payload), Rsv1: first, Opcode: op}, payload[:n]); err != nil {
			z.endSend()
			return err
		}
		payload, op, first = payload[n:], OpContinuation, false
	}
	z.endSend()
	if ev != nil {
		ev.Time = time.Now()
		c.observe(ev)
	}
	return nil
}

// streamDeflate is the part of a messageWriter that compresses.
type streamDeflate struct {
	on       bool
	typ      Opcode
	window   []byte // for the observer
	observed []byte // the message's bytes, for the observer
	wire     []byte // the compressed bytes sent, for the observer
	// The sizes of the two, counted whether or not the bytes are kept.
	inLen, wireLen int64
}

// beginStream starts compressing a message written with NextWriter.
func (w *messageWriter) beginStream() {
	c := w.c
	w.deflate = streamDeflate{on: c.deflate.compressing(-1), typ: w.op}
	if w.deflate.on {
		w.deflate.window = c.deflate.beginSend(c.observePayloads)
	}
}

// writeCompressedPart compresses p into w.buf, sending full frames as
// they fill up.
func (w *messageWriter) writeCompressedPart(p []byte) (int, error) {
	z := w.c.deflate
	w.deflate.inLen += int64(len(p))
	if w.c.observePayloads {
		w.deflate.observed = append(w.deflate.observed, p...)
	}
	for rest := p; len(rest) > 0; {
		// Compress in pieces, so that the compressed bytes waiting to be
		// sent stay around one frame.
		n := min(len(rest), w.size)
		z.comp.write(rest[:n])
		w.buf = append(w.buf, z.comp.take()...)
		rest = rest[n:]
		for len(w.buf) > w.size {
			if err := w.flushCompressed(false, w.size); err != nil {
				return len(p) - len(rest), err
			}
		}
	}
	return len(p), nil
}

// flushCompressed sends the first n bytes of w.buf as a frame.
func (w *messageWriter) flushCompressed(fin bool, n int) error {
	w.deflate.wireLen += int64(n)
	if w.c.observePayloads {
		w.deflate.wire = append(w.deflate.wire, w.buf[:n]...)
	}
	// A streamed message's frames are bounded by the write deadline
	// only, as messageWriter.flush's are.
	err := w.c.writeFrame(context.Background(), Header{Fin: fin, Rsv1: w.op != OpContinuation, Opcode: w.op}, w.buf[:n])
	w.buf = append(w.buf[:0], w.buf[n:]...)
	w.op = OpContinuation
	return err
}

// closeCompressed ends a compressed streamed message.
func (w *messageWriter) closeCompressed() error {
	c, z := w.c, w.c.deflate
	w.buf = append(w.buf, z.comp.finish()...)
	var err error
	for err == nil {
		n := min(len(w.buf), w.size)
		fin := n == len(w.buf)
		err = w.flushCompressed(fin, n)
		if fin {
			break
		}
	}
	z.endSend()
	if err == nil && c.observe != nil {
		c.observe(&MessageEvent{Time: time.Now(), Role: c.role, Dir: Sent, Opcode: w.deflate.typ, Compressed: w.deflate.wire,
			Inflated: w.deflate.observed, WireLen: w.deflate.wireLen, InflatedLen: w.deflate.inLen,
			Window: w.deflate.window, WindowBits: z.sendBits, ContextTakeover: z.sendTakeover})
	}
	w.deflate = streamDeflate{}
	return err
}

// Receiving.

// inflaterPool holds compress/flate readers between messages: a
// connection keeps only its window (with context takeover), not the
// inflater's tables and buffers.
var inflaterPool sync.Pool

// inflateTrailer follows the wire bytes of a compressed message: the
// 00 00 ff ff of RFC 7692 §7.2.2, then an empty stored block with BFINAL
// set (01 00 00 ff ff), which only tells compress/flate that the stream
// ends here, so that it reports io.EOF rather than waiting for more.
var inflateTrailer = [...]byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// An empty payload has no block for the 00 00 ff ff to end: the message
// is empty, and only the final empty block is given to the inflater.
var emptyTrailer = inflateTrailer[4:]

// inflateSource feeds compress/flate the message's payload, unmasked, as
// it comes off the network, then the trailer. It is an io.ByteReader so
// that compress/flate reads exactly the bytes it needs and wraps it in
// nothing (which would allocate).
type inflateSource struct {
	z        *deflateState
	r        *messageReader
	buf      [4096]byte
	lo, hi   int
	wire     int64 // payload bytes read from the network
	wireDone bool
	trailer  []byte
	err      error // a network or protocol error from the frame reader
}

func (s *inflateSource) reset(r *messageReader) {
	s.r, s.lo, s.hi, s.wire, s.wireDone, s.trailer, s.err = r, 0, 0, 0, false, nil, nil
}

// fill reads more of the payload. It reports false when nothing more
// will come.
func (s *inflateSource) fill() bool {
	for s.lo == s.hi {
		if s.err != nil {
			return false
		}
		if s.wireDone {
			if s.trailer == nil {
				s.trailer = inflateTrailer[:]
				if s.wire == 0 {
					s.trailer = emptyTrailer
				}
			}
			if len(s.trailer) == 0 {
				return false
			}
			n := copy(s.buf[:], s.trailer)
			s.trailer = s.trailer[n:]
			s.lo, s.hi = 0, n
			return true
		}
		n, err := s.r.readWire(s.buf[:])
		s.lo, s.hi = 0, n
		s.wire += int64(n)
		if n > 0 && s.r.c.observePayloads {
			s.z.obsWire = append(s.z.obsWire, s.buf[:n]...)
		}
		if err == io.EOF {
			s.wireDone = true
		} else if err != nil {
			s.err = err
		}
	}
	return true
}

func (s *inflateSource) errOrEOF() error {
	if s.err != nil {
		return s.err
	}
	return io.EOF
}

func (s *inflateSource) ReadByte() (byte, error) {
	if s.lo == s.hi && !s.fill() {
		return 0, s.errOrEOF()
	}
	b := s.buf[s.lo]
	s.lo++
	return b, nil
}

func (s *inflateSource) Read(p []byte) (int, error) {
	if s.lo == s.hi && !s.fill() {
		return 0, s.errOrEOF()
	}
	n := copy(p, s.buf[s.lo:s.hi])
	s.lo += n
	return n, nil
}

// beginInflate starts reading a compressed message (RSV1 on its first
// frame). The caller holds readMu.
func (z *deflateState) beginInflate(r *messageReader) {
	z.src.reset(r)
	z.inflated, z.recvDone = 0, false
	if !z.recvTakeover {
		z.dict = z.dict[:0]
	}
	z.obsWindow, z.obsInflated, z.obsWire = nil, nil, nil
	if r.c.observePayloads {
		z.obsWindow = append([]byte(nil), z.dict...)
	}
	if z.fr == nil {
		if fr, ok := inflaterPool.Get().(io.ReadCloser); ok {
			z.fr = fr
		}
	}
	if z.fr == nil {
		z.fr = flate.NewReaderDict(&z.src, z.dict)
	} else {
		z.fr.(flate.Resetter).Reset(&z.src, z.dict)
	}
}

// readInflated is messageReader.Read for a compressed message: inflate,
// count the inflated bytes against the message limit as they come, check
// text as UTF-8, and keep the window for the next message.
func (r *messageReader) readInflated(p []byte) (int, error) {
	c, z := r.c, r.c.deflate
	if c.readErr != nil {
		return 0, c.readErr
	}
	if z.recvDone {
		return 0, io.EOF
	}
	// §10.4's limit applies to the message, which is the inflated bytes:
	// ask for at most one byte more than the limit allows, so a bomb is
	// caught having produced limit+1 bytes, never more.
	limit := c.opts.MessageLimit
	if len(p) == 0 {
		if limit <= 0 || z.inflated < limit {
			return 0, nil
		}
		// ReadMessage at the limit, with no room left: one more byte
		// would be over the limit, the end of the message is not.
		p = z.probe[:]
	}
	if limit > 0 && int64(len(p)) > limit-z.inflated+1 {
		p = p[:limit-z.inflated+1]
	}
	n, err := z.fr.Read(p)
	if n > 0 {
		z.inflated += int64(n)
		if limit > 0 && z.inflated > limit {
			return 0, c.fail(violationf("10.4", CloseMessageTooBig,
				"compressed message inflates to more than the limit of %d bytes", limit))
		}
		if r.msgType == OpText {
			if i := r.utf8.Write(p[:n]); i >= 0 {
				return 0, c.fail(violationf("8.1", CloseInvalidPayload,
					"text message is not valid UTF-8 at index %d of the inflated message", z.inflated-int64(n)+int64(i)))
			}
		}
		if z.recvTakeover {
			z.dict = appendWindow(z.dict, p[:n], 1<<z.recvBits)
		}
		if c.observePayloads {
			z.obsInflated = append(z.obsInflated, p[:n]...)
		}
	}
	if err == nil {
		return n, nil
	}
	if err != io.EOF {
		if z.src.err != nil {
			// The frame reader failed (network, timeout, a broken rule);
			// it has already failed the connection, or, for a timeout,
			// the inflater cannot resume in the middle of its input.
			if isTimeout(z.src.err) {
				return 0, c.readFailed(z.src.err)
			}
			return 0, z.src.err
		}
		// RFC 7692 §7.2.2 says to inflate; data that does not inflate
		// was not made by a DEFLATE compressor. Like text that is not
		// UTF-8, it is data "not consistent with the type of the
		// message" (RFC 6455 §7.4.1): 1007.
		return 0, c.fail(deflateViolation("7.2.2", CloseInvalidPayload,
			"compressed data does not inflate: %s", deflateErrText(err)))
	}
	// The DEFLATE stream ended. Usually at our trailer; but a message
	// may end with a block that has BFINAL set (RFC 7692 §7.2.3), and
	// then whatever payload follows must still be read off the wire.
	for !z.src.wireDone && z.src.err == nil {
		z.src.lo = z.src.hi
		z.src.fill()
	}
	if z.src.err != nil {
		return 0, z.src.err
	}
	if r.msgType == OpText && !r.utf8.Complete() {
		return 0, c.fail(violationf("8.1", CloseInvalidPayload, "text message ends in the middle of a UTF-8 character"))
	}
	z.recvDone = true
	inflaterPool.Put(z.fr)
	z.fr = nil
	if c.observe != nil {
		c.observe(&MessageEvent{Time: time.Now(), Role: c.role, Dir: Received, Opcode: r.msgType,
			Compressed: z.obsWire, Inflated: z.obsInflated, WireLen: z.src.wire, InflatedLen: z.inflated, Window: z.obsWindow,
			WindowBits: z.recvBits, ContextTakeover: z.recvTakeover})
		z.obsWire, z.obsInflated, z.obsWindow = nil, nil, nil
	}
	return n, io.EOF
}

func deflateErrText(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the data ends in the middle of a DEFLATE block"
	}
	return err.Error()
}

// appendWindow appends b to a window of at most w bytes, keeping the
// newest. The buffer grows to 2w at most, and is compacted when full, so
// most calls only append.
func appendWindow(win, b []byte, w int) []byte {
	if len(b) >= w {
		return append(win[:0], b[len(b)-w:]...)
	}
	if len(win)+len(b) > 2*w {
		keep := w - len(b)
		copy(win, win[len(win)-keep:])
		win = win[:keep]
	}
	if win == nil {
		win = make([]byte, 0, 2*w)
	}
	return append(win, b...)
}

// The handshake.

// offering reports whether a client with these options offers the extension.
func (o *CompressionOptions) offering() bool { return o != nil && !o.Disabled }

// offerHeader is the Sec-WebSocket-Extensions line a client sends, or "".
func (o *CompressionOptions) offerHeader() string {
	if !o.offering() {
		return ""
	}
	return "Sec-WebSocket-Extensions: " + o.ClientOffer().String() + "\r\n"
}

// negotiateRequest is the server's side: it answers the request's offers
// by the server's policy. Without a policy, or with no offer, there is
// nothing to negotiate (nil). A header that breaks the §9.1 grammar is
// refused with 400: §9.1 asks the recipient of malformed data to fail
// the connection.
func negotiateRequest(r *http.Request, opts *AcceptOptions) (*Negotiation, *HandshakeError) {
	values := r.Header.Values("Sec-WebSocket-Extensions")
	if len(values) == 0 || opts.Compression == nil {
		return nil, nil
	}
	neg, err := NegotiateDeflate(values, opts.Compression)
	if err != nil {
		return nil, &HandshakeError{Status: http.StatusBadRequest, Header: "Sec-WebSocket-Extensions", Section: "9.1", Msg: err.Error()}
	}
	return neg, nil
}

// checkResponseDeflate is the client's side: the response must keep to
// our offer, or the handshake fails naming the parameter at fault.
func checkResponseDeflate(resp *http.Response, opts *CompressionOptions) (*Negotiation, *HandshakeError) {
	if !opts.offering() {
		return nil, nil
	}
	offer := opts.ClientOffer()
	neg := &Negotiation{Offered: []Extension{offer.Extension()}}
	a, err := CheckDeflateResponse(resp.Header.Values("Sec-WebSocket-Extensions"), offer)
	if err != nil {
		return nil, &HandshakeError{Status: resp.StatusCode, Header: "Sec-WebSocket-Extensions", Section: "9.1", Msg: err.Error()}
	}
	if a == nil {
		neg.Declined = []DeclinedOffer{{Offer: offer.String(), Reason: "the server's response has no Sec-WebSocket-Extensions: it declined"}}
		return neg, nil
	}
	neg.Accepted, neg.Agreed = true, *a
	neg.Response, _ = parseDeflateParams(mustParseOne(resp.Header.Values("Sec-WebSocket-Extensions")), false)
	return neg, nil
}

// mustParseOne returns the single extension of a header already checked.
func mustParseOne(values []string) Extension {
	exts, _ := ParseExtensions(values)
	return exts[0]
}

// inflatedAll reports whether the current message has been delivered to
// its end: always for an uncompressed message whose frames are read (the
// caller checks that), and for a compressed one once the inflater has
// said so; until then it may hold inflated bytes not yet handed out.
func (r *messageReader) inflatedAll() bool {
	return !r.compressed || r.c.deflate.recvDone
}
