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
	// Keep is how many payload bytes of each frame are kept in the
	// event; 0 means 64 KiB. The rest is read, unmasked and checked, then
	// dropped.
	Keep int

	inMessage bool   // a fragmented message is in progress (§5.4)
	msgType   Opcode // the opcode of the message in progress
	msgSoFar  int64
	msgBad    bool // the message already broke a rule: check no more of its text
	utf8      UTF8Validator
	closed    bool // a close frame went this way (§5.5.1)
	buf       []byte
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
	h, raw, err := peekHeader(fr.br)
	if err != nil {
		return nil, err
	}
	ev := &FrameEvent{Role: fr.receiver, Dir: Received, Header: h, RawHeader: append([]byte(nil), raw...)}
	fr.br.Discard(len(raw))
	if !fr.inMessage {
		fr.msgSoFar = 0
	}
	st := State{Role: fr.receiver, InMessage: fr.inMessage, AllowedRSV: fr.AllowedRSV,
		MessageLimit: fr.MessageLimit, MessageSoFar: fr.msgSoFar}
	ev.Violation = CheckHeader(h, st)
	// §5.5.1: "The application MUST NOT send any data frames after
	// sending a Close frame."
	if ev.Violation == nil && fr.closed && !h.Opcode.IsControl() {
		ev.Violation = violationf("5.5.1", CloseProtocolError, "%s frame after a close frame", h.Opcode)
	}
	data := !h.Opcode.IsControl() && !h.Opcode.IsReserved()
	if data {
		// Track the message as a receiver would, even after a broken
		// rule, so that the frames after it are judged sensibly.
		if h.Opcode != OpContinuation {
			fr.msgType, fr.msgBad, fr.msgSoFar = h.Opcode, ev.Violation != nil, 0
			fr.utf8.Reset()
		}
		fr.inMessage = !h.Fin
	}
	keep := fr.Keep
	if keep <= 0 {
		keep = 64 << 10
	}
	maskPos := 0
	left := h.Length
	for left > 0 {
		n := int(min(left, 32<<10))
		if cap(fr.buf) < n {
			fr.buf = make([]byte, n)
		}
		p := fr.buf[:n]
		got, err := io.ReadFull(fr.br, p)
		p = p[:got]
		if room := keep - len(ev.Payload); room > 0 {
			ev.Payload = append(ev.Payload, p[:min(room, got)]...)
		}
		if h.Masked {
			maskPos = Mask(h.MaskKey, maskPos, p)
		}
		if room := keep - len(ev.Unmasked); room > 0 {
			ev.Unmasked = append(ev.Unmasked, p[:min(room, got)]...)
		}
		if data && fr.msgType == OpText && !fr.msgBad && ev.Violation == nil {
			// §8.1: text that cannot be valid UTF-8 is reported at its
			// first bad byte.
			if i := fr.utf8.Write(p); i >= 0 {
				ev.Violation = violationf("8.1", CloseInvalidPayload,
					"text message is not valid UTF-8 at byte %d of the message", fr.msgSoFar+int64(i))
				fr.msgBad = true
			}
		}
		fr.msgSoFar += int64(got)
		left -= uint64(got)
		if err != nil {
			ev.Time = time.Now()
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return ev, err
		}
	}
	if data && h.Fin && fr.msgType == OpText && !fr.msgBad && ev.Violation == nil && !fr.utf8.Complete() {
		ev.Violation = violationf("8.1", CloseInvalidPayload, "text message ends in the middle of a UTF-8 character")
	}
	if h.Opcode == OpClose {
		fr.closed = true
		if ev.Violation == nil && h.Length <= maxControlPayload {
			_, _, ev.Violation = ParseClosePayload(ev.Unmasked)
		}
	}
	ev.Time = time.Now()
	return ev, nil
}
