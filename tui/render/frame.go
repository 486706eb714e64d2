// Package render draws a WebSocket frame the way RFC 6455 §5.2 draws it:
// a 32-bit bit grid holding the frame's real bits, a hex dump coloured by
// field, the masking XOR spelled out, and a plain-words explanation. It
// also annotates the opening handshake.
//
// Every renderer takes a [Theme]; [PlainTheme] gives uncoloured text, which
// is what the plain-text walkthrough, the lessons and `vectors --show`
// print. The renderers never parse anything themselves beyond
// [protocol.DecodeHeader]: the bytes come from the codec's observer.
package render

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Field is one field of the frame layout of §5.2.
type Field int

// The fields of a frame, in wire order.
const (
	FieldNone Field = iota
	FieldFIN
	FieldRSV1
	FieldRSV2
	FieldRSV3
	FieldOpcode
	FieldMask
	FieldLen     // the 7-bit "Payload len"
	FieldExtLen  // the 16- or 64-bit extended payload length
	FieldMaskKey // the 4-byte masking key
	FieldPayload
	numFields
)

// Name returns the field's name as the RFC figure spells it.
func (f Field) Name() string {
	switch f {
	case FieldFIN:
		return "FIN"
	case FieldRSV1:
		return "RSV1"
	case FieldRSV2:
		return "RSV2"
	case FieldRSV3:
		return "RSV3"
	case FieldOpcode:
		return "opcode"
	case FieldMask:
		return "MASK"
	case FieldLen:
		return "payload len"
	case FieldExtLen:
		return "extended payload length"
	case FieldMaskKey:
		return "masking key"
	case FieldPayload:
		return "payload"
	}
	return ""
}

// ShortName is Name, with "extended payload length" shortened to
// "ext. payload len" so that tables stay narrow.
func (f Field) ShortName() string {
	if f == FieldExtLen {
		return "ext. payload len"
	}
	return f.Name()
}

// Frame is a frame's wire bytes with its header decoded, so that every
// bit and byte can be traced to its field.
type Frame struct {
	Wire      []byte          // the frame as it went over the wire
	Header    protocol.Header // decoded with protocol.DecodeHeader
	HeaderLen int             // bytes of header; 0 if the bytes hold no complete header
	// Unmasked is the payload after unmasking (equal to the wire payload
	// for an unmasked frame). It may be shorter than Header.Length when the
	// receiver stopped reading early.
	Unmasked []byte
	// Compressed says that RSV1 is permessage-deflate's "Per-Message
	// Compressed" bit (RFC 7692 §6): the extension was agreed, and the
	// receiver accepted the bit. Without it a set RSV1 is explained as the
	// broken rule it is without an extension.
	Compressed bool
}

// ParseFrame decodes wire. A frame too short to hold its header keeps
// HeaderLen 0, and is shown as bytes without fields.
func ParseFrame(wire []byte) Frame {
	f := Frame{Wire: wire}
	h, n, err := protocol.DecodeHeader(wire)
	if err != nil {
		return f
	}
	f.Header, f.HeaderLen = h, n
	p := wire[n:]
	if uint64(len(p)) > h.Length {
		p = p[:h.Length]
	}
	f.Unmasked = append([]byte(nil), p...)
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, f.Unmasked)
	}
	return f
}

// Payload returns the payload bytes present on the wire (masked if the
// frame is masked).
func (f Frame) Payload() []byte {
	if f.HeaderLen == 0 {
		return nil
	}
	p := f.Wire[f.HeaderLen:]
	if uint64(len(p)) > f.Header.Length {
		p = p[:f.Header.Length]
	}
	return p
}

// extLenBytes is the size of the extended payload length on the wire.
func (f Frame) extLenBytes() int {
	switch f.Header.LengthForm {
	case protocol.Length16Bit:
		return 2
	case protocol.Length64Bit:
		return 8
	}
	return 0
}

// Span returns the byte range [start, end) a field occupies. Fields that
// live inside byte 0 or byte 1 return that byte. A field absent from this
// frame returns (0, 0).
func (f Frame) Span(fl Field) (start, end int) {
	if f.HeaderLen == 0 {
		return 0, 0
	}
	ext := f.extLenBytes()
	switch fl {
	case FieldFIN, FieldRSV1, FieldRSV2, FieldRSV3, FieldOpcode:
		return 0, 1
	case FieldMask, FieldLen:
		return 1, 2
	case FieldExtLen:
		if ext == 0 {
			return 0, 0
		}
		return 2, 2 + ext
	case FieldMaskKey:
		if !f.Header.Masked {
			return 0, 0
		}
		return 2 + ext, 6 + ext
	case FieldPayload:
		if f.HeaderLen >= len(f.Wire) {
			return 0, 0
		}
		return f.HeaderLen, len(f.Wire)
	}
	return 0, 0
}

// Fields returns the fields this frame has, in wire order.
func (f Frame) Fields() []Field {
	out := make([]Field, 0, numFields)
	for fl := FieldFIN; fl < numFields; fl++ {
		if s, e := f.Span(fl); e > s {
			out = append(out, fl)
		}
	}
	return out
}

// ByteField returns the field that byte i belongs to. Byte 0 holds FIN,
// the RSV bits and the opcode, and is reported as the opcode; byte 1 holds
// MASK and the 7-bit length, and is reported as the length.
func (f Frame) ByteField(i int) Field {
	if f.HeaderLen == 0 || i < 0 || i >= len(f.Wire) {
		return FieldNone
	}
	switch i {
	case 0:
		return FieldOpcode
	case 1:
		return FieldLen
	}
	for _, fl := range [...]Field{FieldExtLen, FieldMaskKey, FieldPayload} {
		if s, e := f.Span(fl); i >= s && i < e {
			return fl
		}
	}
	return FieldNone
}

// BitField returns the field that bit i of the frame belongs to, bits
// numbered as in the §5.2 figure (bit 0 is the top bit of byte 0).
func (f Frame) BitField(bit int) Field {
	switch {
	case f.HeaderLen == 0:
		return FieldNone
	case bit == 0:
		return FieldFIN
	case bit == 1:
		return FieldRSV1
	case bit == 2:
		return FieldRSV2
	case bit == 3:
		return FieldRSV3
	case bit < 8:
		return FieldOpcode
	case bit == 8:
		return FieldMask
	case bit < 16:
		return FieldLen
	}
	return f.ByteField(bit / 8)
}

// InField reports whether byte i belongs to field fl (bytes 0 and 1 belong
// to every field packed into them).
func (f Frame) InField(i int, fl Field) bool {
	s, e := f.Span(fl)
	return i >= s && i < e
}

// Value returns a field's value as text: "1", "0x1 (text)", "37 fa 21 3d".
func (f Frame) Value(fl Field) string { return f.value("", fl) }

func (f Frame) value(lang string, fl Field) string {
	h := f.Header
	bit := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	switch fl {
	case FieldFIN:
		return bit(h.Fin)
	case FieldRSV1:
		return bit(h.Rsv1)
	case FieldRSV2:
		return bit(h.Rsv2)
	case FieldRSV3:
		return bit(h.Rsv3)
	case FieldOpcode:
		return fmt.Sprintf("0x%X (%s)", uint8(h.Opcode), h.Opcode)
	case FieldMask:
		return bit(h.Masked)
	case FieldLen:
		return fmt.Sprint(f.Wire[1] & 0x7F)
	case FieldExtLen:
		return fmt.Sprintf(tr(lang, "%d (%d-bit)"), h.Length, 8*f.extLenBytes())
	case FieldMaskKey:
		return fmt.Sprintf("% x", h.MaskKey[:])
	case FieldPayload:
		return fmt.Sprintf(tr(lang, "%d bytes"), h.Length)
	}
	return ""
}
