package protocol

import (
	"bufio"
	"io"
	"time"
)

// FrameReader reads the frames of one direction of a connection that the
// caller only watches, such as a relay between a client and a server. It
// applies every rule a receiving endpoint applies (the same [CheckHeader],
// [ParseClosePayload] and [UTF8Validator] the connection uses) but, unlike
// an endpoint, it never fails the connection: a frame that breaks a rule is
// reported with its [Violation] and reading goes on with the next one, so
// that a relay can forward what a broken peer sent and show why it is
// broken.
//
// Memory grows with bytes read, never with what a header claims: a
// payload is consumed in pieces and only its first Keep bytes are kept.
type FrameReader struct {
	br       *bufio.Reader
	receiver Role
	// AllowedRSV and MessageLimit are the receiver's, as in [State]: the
	// reserved bits a negotiated extension defines, and the largest
	// message it accepts (0: no limit).
	AllowedRSV   byte
	MessageLimit int64
	// Deflate says permessage-deflate was agreed (RFC 7692): RSV1 marks
	// the first frame of a compressed message (§6.1), whose payload is
	// not UTF-8 until inflated, so its text is not checked here.
	Deflate bool
	// Keep is how many payload bytes of each frame are kept in the
	// event; 0 means 64 KiB. The rest is read, unmasked and checked, then
	// dropped.
	Keep int

	inMessage bool   // a fragmented message is in progress (§5.4)
	msgType   Opcode // the opcode of the message in progress
	msgSoFar  int64
	msgBad    bool // the message already broke a rule, or is compressed: check no more of its text
	utf8      UTF8Validator
	closed    bool // a close frame went this way (§5.5.1)
	buf       []byte
	// inflate is set by InflateMessages; inflating says the message in
	// progress is compressed and being inflated.
	inflate   *inflateWatch
	inflating bool

	// The frame being read: its event, payload bytes left, the masking
	// position, and whether it is a data frame.
	ev      *FrameEvent
	left    uint64
	maskPos int
	data    bool
}

// NewFrameReader reads frames from r, sent to an endpoint of role
// receiver (RoleServer for what a client sends).
func NewFrameReader(r io.Reader, receiver Role) *FrameReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 16<<10)
	}
	return &FrameReader{br: br, receiver: receiver}
}

// Next reads one whole frame and returns it as the receiver's observer
// would see it: Role is the receiver, Dir is Received, Payload and
// Unmasked hold up to Keep bytes. The error is io.EOF when the stream
// ends cleanly between frames, io.ErrUnexpectedEOF inside one, or the
// reader's error.
func (fr *FrameReader) Next() (*FrameEvent, error) {
	if _, err := fr.Begin(); err != nil {
		return nil, err
	}
	for fr.Remaining() > 0 {
		if _, err := fr.ReadPayload(); err != nil {
			return fr.End(), err
		}
	}
	return fr.End(), nil
}

// Begin reads the next frame's header and judges it. The payload follows
// with ReadPayload, then End completes the event. A relay that must keep
// causal order forwards the header and the payload as they are read, but
// records the frame (End) before it forwards the frame's last bytes: the
// peer cannot answer a frame before it has all of it.
//
// The returned header bytes are the event's own. Begin returns io.EOF when
// the stream ends cleanly between frames.
func (fr *FrameReader) Begin() (raw []byte, err error) {
	h, peeked, err := peekHeader(fr.br)
	if err != nil {
		return nil, err
	}
	ev := &FrameEvent{Role: fr.receiver, Dir: Received, Header: h, RawHeader: append([]byte(nil), peeked...)}
	fr.br.Discard(len(peeked))
	fr.ev, fr.left, fr.maskPos = ev, h.Length, 0
	if fr.inflate != nil {
		fr.inflate.message = nil
	}
	if !fr.inMessage {
		fr.msgSoFar = 0
	}
	st := State{Role: fr.receiver, InMessage: fr.inMessage, AllowedRSV: fr.AllowedRSV,
		MessageLimit: fr.MessageLimit, MessageSoFar: fr.msgSoFar, Deflate: fr.Deflate}
	if fr.Deflate {
		st.AllowedRSV |= bitRsv1
	}
	ev.Violation = CheckHeader(h, st)
	// §5.5.1: "The application MUST NOT send any more data frames after
	// sending a Close frame."
	if ev.Violation == nil && fr.closed && !h.Opcode.IsControl() {
		ev.Violation = violationf("5.5.1", CloseProtocolError, "%s frame after a close frame", h.Opcode)
	}
	fr.data = !h.Opcode.IsControl() && !h.Opcode.IsReserved()
	if fr.data {
		// Track the message as a receiver would, even after a broken
		// rule, so that the frames after it are judged sensibly.
		if h.Opcode != OpContinuation {
			// A compressed message's text is checked only once inflated,
			// which a watcher of the wire does not do.
			fr.msgType, fr.msgBad, fr.msgSoFar = h.Opcode, ev.Violation != nil || (fr.Deflate && h.Rsv1), 0
			fr.utf8.Reset()
			if fr.inflate != nil {
				// A new message ends any compressed one left unfinished
				// (a §5.4 violation already reported on this frame).
				fr.inflate.Close()
				fr.inflating = fr.Deflate && h.Rsv1
				if fr.inflating {
					fr.inflate.beginMessage(h.Opcode, fr.keep())
				}
			}
		}
		fr.inMessage = !h.Fin
	}
	return ev.RawHeader, nil
}

// Remaining is how many payload bytes of the current frame are still to
// be read.
func (fr *FrameReader) Remaining() uint64 { return fr.left }

// ReadPayload reads the next piece of the current frame's payload, at most
// 32 KiB, and returns it as it was on the wire (masked). The slice is valid
// until the next call. It checks the piece as the receiver would and keeps
// up to Keep bytes of it for the event.
func (fr *FrameReader) ReadPayload() ([]byte, error) {
	if fr.left == 0 {
		return nil, nil
	}
	n := int(min(fr.left, 32<<10))
	if cap(fr.buf) < 2*n {
		fr.buf = make([]byte, 2*(32<<10))
	}
	wire, plain := fr.buf[:n], fr.buf[32<<10:32<<10+n]
	got, err := io.ReadFull(fr.br, wire)
	wire, plain = wire[:got], plain[:got]
	copy(plain, wire)
	ev, h := fr.ev, fr.ev.Header
	keep := fr.keep()
	if room := keep - len(ev.Payload); room > 0 {
		ev.Payload = append(ev.Payload, wire[:min(room, got)]...)
	}
	if h.Masked {
		fr.maskPos = Mask(h.MaskKey, fr.maskPos, plain)
	}
	if room := keep - len(ev.Unmasked); room > 0 {
		ev.Unmasked = append(ev.Unmasked, plain[:min(room, got)]...)
	}
	if fr.data && fr.msgType == OpText && !fr.msgBad && ev.Violation == nil {
		// §8.1: text that cannot be valid UTF-8 is reported at its first
		// bad byte.
		if i := fr.utf8.Write(plain); i >= 0 {
			ev.Violation = violationf("8.1", CloseInvalidPayload,
				"text message is not valid UTF-8 at index %d of the message", fr.msgSoFar+int64(i))
			fr.msgBad = true
		}
	}
	if fr.data && fr.inflating {
		fr.inflate.write(plain)
	}
	fr.msgSoFar += int64(got)
	fr.left -= uint64(got)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return wire, err
}

// End completes the current frame's event: the checks that need the whole
// payload (text ending mid-character, the close frame's code and reason).
// Called before the payload is all read (the stream ended), it returns the
// event as far as it got.
func (fr *FrameReader) End() *FrameEvent {
	ev := fr.ev
	if ev == nil {
		return nil
	}
	fr.ev = nil
	h := ev.Header
	if fr.left == 0 {
		if fr.data && h.Fin && fr.msgType == OpText && !fr.msgBad && ev.Violation == nil && !fr.utf8.Complete() {
			ev.Violation = violationf("8.1", CloseInvalidPayload, "text message ends in the middle of a UTF-8 character")
		}
		if fr.data && h.Fin && fr.inflating {
			fr.inflating = false
			fr.inflate.endMessage(fr.receiver)
		}
		if h.Opcode == OpClose && ev.Violation == nil && h.Length <= maxControlPayload {
			_, _, ev.Violation = ParseClosePayload(ev.Unmasked)
		}
	}
	if h.Opcode == OpClose {
		fr.closed = true
	}
	ev.Time = time.Now()
	return ev
}

// keep is Keep with its default.
func (fr *FrameReader) keep() int {
	if fr.Keep <= 0 {
		return 64 << 10
	}
	return fr.Keep
}

// Buffered returns the bytes read from the stream but not yet decoded:
// what a relay still owes the other side when decoding stops.
func (fr *FrameReader) Buffered() []byte {
	b, _ := fr.br.Peek(fr.br.Buffered())
	return b
}
