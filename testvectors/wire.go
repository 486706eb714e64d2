package testvectors

import (
	"encoding/binary"
	"fmt"
)

// wireFrame is a frame as this package reads it, with its own few lines of
// §5.2 decoding. The runner needs them to read what the receiver under
// test sends back, and --show to dissect a vector's bytes: using the codec
// under test for either would let one of its bugs hide itself.
type wireFrame struct {
	Fin              bool
	Rsv              [3]bool
	Opcode           byte
	Masked           bool
	LengthField      byte   // the 7-bit field: the length, or 126 or 127
	Length           uint64 // the payload length it announces
	MaskKey          [4]byte
	Header           []byte // the header bytes
	Payload          []byte // the payload as sent (masked if Masked); may be short
	Unmasked         []byte // the payload after unmasking
	Truncated        bool   // the bytes ended before the announced payload did
	HeaderIncomplete bool   // the bytes ended inside the header
}

// parseWire splits b into frames. The last frame may be incomplete.
func parseWire(b []byte) []wireFrame {
	var out []wireFrame
	for len(b) > 0 {
		f, n := parseOne(b)
		out = append(out, f)
		b = b[n:]
	}
	return out
}

// parseOne reads the frame at the start of b and returns it and the number
// of bytes it took.
func parseOne(b []byte) (wireFrame, int) {
	var f wireFrame
	if len(b) < 2 {
		f.Header, f.HeaderIncomplete = b, true
		return f, len(b)
	}
	f.Fin = b[0]&0x80 != 0
	f.Rsv = [3]bool{b[0]&0x40 != 0, b[0]&0x20 != 0, b[0]&0x10 != 0}
	f.Opcode = b[0] & 0x0F
	f.Masked = b[1]&0x80 != 0
	f.LengthField = b[1] & 0x7F
	size := 2
	switch f.LengthField {
	case 126:
		size += 2
	case 127:
		size += 8
	}
	if f.Masked {
		size += 4
	}
	if len(b) < size {
		f.Header, f.HeaderIncomplete = b, true
		return f, len(b)
	}
	f.Header = b[:size]
	switch f.LengthField {
	case 126:
		f.Length = uint64(binary.BigEndian.Uint16(b[2:]))
	case 127:
		f.Length = binary.BigEndian.Uint64(b[2:])
	default:
		f.Length = uint64(f.LengthField)
	}
	if f.Masked {
		copy(f.MaskKey[:], b[size-4:size])
	}
	rest := b[size:]
	n := uint64(len(rest))
	if n >= f.Length {
		n = f.Length
	} else {
		f.Truncated = true
	}
	f.Payload = rest[:n]
	f.Unmasked = make([]byte, n)
	for i := range f.Unmasked {
		// §5.3: octet i is XORed with octet i mod 4 of the key.
		f.Unmasked[i] = f.Payload[i] ^ f.MaskKey[i%4]
	}
	return f, size + int(n)
}

// opcodeName names an opcode as §5.2 and §11.8 do.
func opcodeName(op byte) string {
	switch op {
	case 0x0:
		return "continuation"
	case 0x1:
		return "text"
	case 0x2:
		return "binary"
	case 0x8:
		return "close"
	case 0x9:
		return "ping"
	case 0xA:
		return "pong"
	}
	if op&0x8 != 0 {
		return fmt.Sprintf("reserved control 0x%X", op)
	}
	return fmt.Sprintf("reserved data 0x%X", op)
}
