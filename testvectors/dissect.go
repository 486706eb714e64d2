package testvectors

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// dissectFrames explains bytes frame by frame and field by field: the
// plain-text form of the frame view, for a terminal or a pipe.
func dissectFrames(b []byte) string {
	var sb strings.Builder
	offset := 0
	for i, f := range parseWire(b) {
		fmt.Fprintf(&sb, "frame %d, at byte %d: %s\n", i+1, offset, summary(f))
		dissectOne(&sb, f, offset)
		offset += len(f.Header) + len(f.Payload)
	}
	return sb.String()
}

func summary(f wireFrame) string {
	if f.HeaderIncomplete {
		return fmt.Sprintf("incomplete header (%d bytes)", len(f.Header))
	}
	s := fmt.Sprintf("%s, %d-byte header, payload %d bytes", opcodeName(f.Opcode), len(f.Header), f.Length)
	if f.Truncated {
		s += fmt.Sprintf(" (only %d present)", len(f.Payload))
	}
	return s
}

func dissectOne(sb *strings.Builder, f wireFrame, offset int) {
	h := f.Header
	if len(h) >= 1 {
		fmt.Fprintf(sb, "  byte %-5d %02x = %08b\n", offset, h[0], h[0])
		fmt.Fprintf(sb, "    FIN     %s\n", bit(h[0]&0x80, "last frame of its message", "more frames follow"))
		for i, mask := range []byte{0x40, 0x20, 0x10} {
			fmt.Fprintf(sb, "    RSV%d    %s\n", i+1, bit(h[0]&mask, "set: needs a negotiated extension (§5.2)", "clear"))
		}
		fmt.Fprintf(sb, "    opcode  0x%X  %s\n", h[0]&0x0F, opcodeName(h[0]&0x0F))
	}
	if len(h) >= 2 {
		fmt.Fprintf(sb, "  byte %-5d %02x = %08b\n", offset+1, h[1], h[1])
		fmt.Fprintf(sb, "    MASK    %s\n", bit(h[1]&0x80, "payload is masked (client to server, §5.3)", "payload is not masked"))
		switch n := h[1] & 0x7F; n {
		case 126:
			fmt.Fprintf(sb, "    length  126  the length is in the next 2 bytes\n")
		case 127:
			fmt.Fprintf(sb, "    length  127  the length is in the next 8 bytes\n")
		default:
			fmt.Fprintf(sb, "    length  %d\n", n)
		}
	}
	if f.HeaderIncomplete {
		if len(h) > 2 {
			fmt.Fprintf(sb, "  bytes %d-%d  % x  (the rest of the header is missing)\n", offset+2, offset+len(h)-1, h[2:])
		}
		return
	}
	pos := 2
	switch f.LengthField {
	case 126:
		fmt.Fprintf(sb, "  bytes %d-%d  % x  16-bit length = %d\n", offset+2, offset+3, h[2:4], f.Length)
		pos = 4
	case 127:
		v := binary.BigEndian.Uint64(h[2:10])
		note := ""
		if v>>63 != 0 {
			note = "  (most significant bit set: forbidden by §5.2)"
		}
		fmt.Fprintf(sb, "  bytes %d-%d  % x  64-bit length = %d%s\n", offset+2, offset+9, h[2:10], v, note)
		pos = 10
	}
	if f.Masked {
		fmt.Fprintf(sb, "  bytes %d-%d  % x  masking key\n", offset+pos, offset+pos+3, f.MaskKey[:])
	}
	if f.Length == 0 {
		fmt.Fprintf(sb, "  payload     (empty)\n")
		return
	}
	fmt.Fprintf(sb, "  payload     %s\n", hexPreview(f.Payload))
	if f.Masked {
		fmt.Fprintf(sb, "  unmasked    %s\n", hexPreview(f.Unmasked))
	}
	if printable(f.Unmasked) && len(f.Unmasked) <= 200 {
		fmt.Fprintf(sb, "  as text     %q\n", f.Unmasked)
	}
	if f.Opcode == 0x8 && len(f.Unmasked) >= 2 {
		fmt.Fprintf(sb, "  close code  %d, reason %q\n", binary.BigEndian.Uint16(f.Unmasked), f.Unmasked[2:])
	}
}

func bit(v byte, set, clear string) string {
	if v != 0 {
		return "1  " + set
	}
	return "0  " + clear
}

// hexPreview shows up to 32 bytes, then how many more there are.
func hexPreview(b []byte) string {
	if len(b) <= 32 {
		return fmt.Sprintf("% x", b)
	}
	return fmt.Sprintf("% x … (%d more bytes)", b[:32], len(b)-32)
}
