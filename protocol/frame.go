package protocol

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Header is one decoded frame header, RFC 6455 §5.2:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-------+-+-------------+-------------------------------+
//	|F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//	|I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//	|N|V|V|V|       |S|             |   (if payload len==126/127)   |
//	| |1|2|3|       |K|             |                               |
//	+-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
//	|     Extended payload length continued, if payload len == 127  |
//	+ - - - - - - - - - - - - - - - +-------------------------------+
//	|                               |Masking-key, if MASK set to 1  |
//	+-------------------------------+-------------------------------+
//	| Masking-key (continued)       |          Payload Data         |
//	+-------------------------------- - - - - - - - - - - - - - - - +
//
// A Header holds exactly what was on the wire, including values that break
// the rules (a reserved opcode, a 64-bit length with its top bit set, a
// length in a longer form than needed). Judging it is [CheckHeader]'s job.
type Header struct {
	Fin    bool   // FIN: this is the last frame of its message
	Rsv1   bool   // RSV1: reserved; only an extension may set it (permessage-deflate does)
	Rsv2   bool   // RSV2: reserved
	Rsv3   bool   // RSV3: reserved
	Opcode Opcode // how to interpret the payload
	Masked bool   // MASK: the payload is XORed with MaskKey (§5.3)
	// Length is the payload length in bytes, as encoded. It is a uint64
	// because the 64-bit form can carry values a receiver must refuse.
	Length uint64
	// LengthForm is the encoding the length uses on the wire. When encoding,
	// LengthAuto picks the shortest form, as §5.2 requires; any other value
	// forces that form, which lets a lesson build a non-minimal length.
	LengthForm LengthForm
	MaskKey    [4]byte // the masking key; meaningful only when Masked
}

// LengthForm names one of the three ways §5.2 encodes a payload length.
type LengthForm uint8

// The payload length encodings. RFC 6455 §5.2: "The length of the "Payload
// data", in bytes: if 0-125, that is the payload length. If 126, the
// following 2 bytes interpreted as a 16-bit unsigned integer are the payload
// length. If 127, the following 8 bytes interpreted as a 64-bit unsigned
// integer (the most significant bit MUST be 0) are the payload length."
const (
	LengthAuto  LengthForm = 0 // encoder: choose the minimal form
	Length7Bit  LengthForm = 1 // length 0-125 in the 7-bit field
	Length16Bit LengthForm = 2 // 7-bit field 126, then 16 bits
	Length64Bit LengthForm = 3 // 7-bit field 127, then 64 bits
)

// String returns "7-bit", "7+16-bit", "7+64-bit" or "auto".
func (f LengthForm) String() string {
	switch f {
	case Length7Bit:
		return "7-bit"
	case Length16Bit:
		return "7+16-bit"
	case Length64Bit:
		return "7+64-bit"
	}
	return "auto"
}

// Marker values of the 7-bit payload length field.
const (
	lengthMarker16 = 126 // "the following 2 bytes ... are the payload length"
	lengthMarker64 = 127 // "the following 8 bytes ... are the payload length"
)

// MaxHeaderSize is the largest possible header: 2 fixed bytes, an 8-byte
// extended length and a 4-byte masking key. The smallest is 2 bytes.
const MaxHeaderSize = 2 + 8 + 4

// MinimalLengthForm returns the shortest encoding that can carry n, the one
// §5.2 requires: "the minimal number of bytes MUST be used to encode the
// length".
func MinimalLengthForm(n uint64) LengthForm {
	switch {
	case n <= 125:
		return Length7Bit
	case n <= 0xFFFF:
		return Length16Bit
	}
	return Length64Bit
}

// form returns the encoding the header will use: its own, or the minimal one.
func (h Header) form() LengthForm {
	if h.LengthForm == LengthAuto {
		return MinimalLengthForm(h.Length)
	}
	return h.LengthForm
}

// Size returns the number of bytes the header takes on the wire: 2, plus 2
// or 8 for an extended length, plus 4 for a masking key.
func (h Header) Size() int {
	n := 2
	switch h.form() {
	case Length16Bit:
		n += 2
	case Length64Bit:
		n += 8
	}
	if h.Masked {
		n += 4
	}
	return n
}

// LengthField returns the value of the 7-bit "Payload len" field: the length
// itself, or the marker 126 or 127.
func (h Header) LengthField() uint8 {
	switch h.form() {
	case Length16Bit:
		return lengthMarker16
	case Length64Bit:
		return lengthMarker64
	}
	return uint8(h.Length & 0x7F)
}

// The bits of the first two header bytes, §5.2.
const (
	bitFin  = 0x80
	bitRsv1 = 0x40
	bitRsv2 = 0x20
	bitRsv3 = 0x10
	bitMask = 0x80
)

// AppendHeader appends the wire form of h to dst and returns the result.
// It writes what h says, rule-breaking values included. A forced
// LengthForm must be able to carry the length: Length7Bit with a length
// above 125 keeps only its low 7 bits (and 126 or 127 there would read as
// markers, announcing an extended length that is not written), so callers
// building frames by hand should set LengthAuto unless they mean to break
// the frame.
func AppendHeader(dst []byte, h Header) []byte {
	// anatomy: field=opcode (encode)
	b0 := byte(h.Opcode & 0x0F)
	// anatomy: field=FIN (encode)
	if h.Fin {
		b0 |= bitFin
	}
	// anatomy: field=RSV1 (encode)
	if h.Rsv1 {
		b0 |= bitRsv1
	}
	// anatomy: field=RSV2 (encode)
	if h.Rsv2 {
		b0 |= bitRsv2
	}
	// anatomy: field=RSV3 (encode)
	if h.Rsv3 {
		b0 |= bitRsv3
	}
	// anatomy: field=payload-len (encode)
	b1 := h.LengthField()
	// anatomy: field=MASK (encode)
	if h.Masked {
		b1 |= bitMask
	}
	dst = append(dst, b0, b1)
	// Multibyte length quantities are in network byte order (big endian), §5.2.
	switch h.form() {
	// anatomy: field=ext-len-16 (encode)
	case Length16Bit:
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	// anatomy: field=ext-len-64 (encode)
	case Length64Bit:
		dst = binary.BigEndian.AppendUint64(dst, h.Length)
	}
	if h.Masked {
		// anatomy: field=masking-key (encode)
		dst = append(dst, h.MaskKey[:]...)
	}
	return dst
}

// ErrShortHeader is returned by [DecodeHeader] when b holds only part of a
// header. TCP is a byte stream (§1.7 and RFC 793): a header may arrive split
// across reads, so the receiver waits for more bytes: this is not a
// protocol error.
var ErrShortHeader = errors.New("websocket: incomplete frame header")

// HeaderSizeFrom returns the size of a header from its first two bytes, which
// say whether an extended length and a masking key follow.
func HeaderSizeFrom(b0, b1 byte) int {
	n := 2
	switch b1 & 0x7F {
	case lengthMarker16:
		n += 2
	case lengthMarker64:
		n += 8
	}
	if b1&bitMask != 0 {
		n += 4
	}
	return n
}

// DecodeHeader decodes the header at the start of b and returns it with its
// size in bytes. If b is too short it returns [ErrShortHeader] and, as n,
// the number of bytes needed (2 when even the first two are missing).
// DecodeHeader never judges: every sequence of enough bytes is a header.
func DecodeHeader(b []byte) (h Header, n int, err error) {
	if len(b) < 2 {
		return Header{}, 2, ErrShortHeader
	}
	n = HeaderSizeFrom(b[0], b[1])
	if len(b) < n {
		return Header{}, n, ErrShortHeader
	}
	// anatomy: field=FIN (decode)
	h.Fin = b[0]&bitFin != 0
	// anatomy: field=RSV1 (decode)
	h.Rsv1 = b[0]&bitRsv1 != 0
	// anatomy: field=RSV2 (decode)
	h.Rsv2 = b[0]&bitRsv2 != 0
	// anatomy: field=RSV3 (decode)
	h.Rsv3 = b[0]&bitRsv3 != 0
	// anatomy: field=opcode (decode)
	h.Opcode = Opcode(b[0] & 0x0F)
	// anatomy: field=MASK (decode)
	h.Masked = b[1]&bitMask != 0
	rest := b[2:n]
	// anatomy: field=payload-len (decode)
	switch field := b[1] & 0x7F; field {
	// anatomy: field=ext-len-16 (decode)
	case lengthMarker16:
		h.LengthForm = Length16Bit
		h.Length = uint64(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
	// anatomy: field=ext-len-64 (decode)
	case lengthMarker64:
		h.LengthForm = Length64Bit
		h.Length = binary.BigEndian.Uint64(rest)
		rest = rest[8:]
	default:
		h.LengthForm = Length7Bit
		h.Length = uint64(field)
	}
	if h.Masked {
		// anatomy: field=masking-key (decode)
		copy(h.MaskKey[:], rest)
	}
	return h, n, nil
}

// ReadHeader reads exactly one header from r. It fails only on I/O: an
// io.ErrUnexpectedEOF if the stream ends inside the header, io.EOF if it
// ends before the first byte.
func ReadHeader(r io.Reader) (Header, error) {
	if br, ok := r.(*bufio.Reader); ok {
		return readHeaderBuffered(br)
	}
	var buf [MaxHeaderSize]byte
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return Header{}, err
	}
	n := HeaderSizeFrom(buf[0], buf[1])
	if _, err := io.ReadFull(r, buf[2:n]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Header{}, err
	}
	h, _, err := DecodeHeader(buf[:n])
	return h, err
}

// readHeaderBuffered is ReadHeader for a bufio.Reader: the header is
// peeked at in place, so nothing is copied and nothing is allocated.
func readHeaderBuffered(br *bufio.Reader) (Header, error) {
	h, raw, err := peekHeader(br)
	if err == nil {
		br.Discard(len(raw))
	}
	return h, err
}

// peekHeader decodes the header at the front of br without consuming it.
// raw holds the header's bytes inside br's buffer: valid until br is read
// again. The first two bytes say how long the header is (HeaderSizeFrom).
func peekHeader(br *bufio.Reader) (h Header, raw []byte, err error) {
	// The usual case, a header already in the buffer (small messages
	// arrive many to a socket read): one look at what is buffered, which
	// does no I/O, decodes it. Otherwise peek two bytes, then the rest.
	if buffered, _ := br.Peek(br.Buffered()); len(buffered) >= 2 {
		if n := HeaderSizeFrom(buffered[0], buffered[1]); len(buffered) >= n {
			h, _, _ = DecodeHeader(buffered[:n]) // cannot fail: the whole header is there
			return h, buffered[:n], nil
		}
	}
	first, err := br.Peek(2)
	if err != nil {
		if err == io.EOF && len(first) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return Header{}, nil, err
	}
	raw, err = br.Peek(HeaderSizeFrom(first[0], first[1]))
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Header{}, nil, err
	}
	h, _, _ = DecodeHeader(raw) // cannot fail: raw holds the whole header
	return h, raw, nil
}

// String describes the header in one line, for logs:
// "text FIN len=5 (7-bit) masked key=37fa213d".
func (h Header) String() string {
	s := h.Opcode.String()
	if h.Fin {
		s += " FIN"
	}
	for i, set := range [3]bool{h.Rsv1, h.Rsv2, h.Rsv3} {
		if set {
			s += fmt.Sprintf(" RSV%d", i+1)
		}
	}
	s += fmt.Sprintf(" len=%d (%s)", h.Length, h.form())
	if h.Masked {
		s += fmt.Sprintf(" masked key=%x", h.MaskKey[:])
	}
	return s
}
