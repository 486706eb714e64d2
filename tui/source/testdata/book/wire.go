package mini

import "encoding/binary"

// Header is a frame header, RFC 6455 §5.2:
//
//	|F|R|R|R| opcode|M| Payload len |    Extended payload length    |
type Header struct {
	Fin    bool  // FIN: the last frame of a message
	Opcode uint8 // the frame type
	Length uint64
}

// Append encodes h. The length uses the minimal form, as section 5.2
// requires:
//
//  1. up to 125 in the 7-bit field;
//  2. up to 65535 after the marker 126.
func Append(dst []byte, h Header) []byte {
	// anatomy: field=opcode (encode)
	b0 := h.Opcode & 0x0F
	// anatomy: field=FIN (encode)
	if h.Fin {
		b0 |= 0x80
	}
	switch {
	case h.Length <= 125:
		// anatomy: field=payload-len (encode)
		return append(dst, b0, byte(h.Length))
	default:
		// anatomy: field=ext-len-16 (encode)
		dst = append(dst, b0, 126)
		return binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	}
}

// Decode reads the first byte (§5.2) and checks the close code rules of
// §7.4.1 elsewhere.
func Decode(b []byte) Header {
	// anatomy: field=FIN (decode)
	return Header{Fin: b[0]&0x80 != 0, Opcode: b[0] & 0x0F}
}
