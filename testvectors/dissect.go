package testvectors

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// dissectFrames explains bytes frame by frame and field by field: the
// plain-text form of the frame view, for a terminal or a pipe. Its words
// are in lang; field names and opcode names stay as the RFC writes them.
func dissectFrames(b []byte, lang string) string {
	var sb strings.Builder
	offset := 0
	for i, f := range parseWire(b) {
		fmt.Fprintf(&sb, say(lang, "frame %d, at byte %d: %s")+"\n", i+1, offset, summary(f, lang))
		dissectOne(&sb, f, offset, lang)
		offset += len(f.Header) + len(f.Payload)
	}
	return sb.String()
}

func summary(f wireFrame, lang string) string {
	if f.HeaderIncomplete {
		return fmt.Sprintf(say(lang, "incomplete header (%d bytes)"), len(f.Header))
	}
	s := fmt.Sprintf(say(lang, "%s, %d-byte header, payload %d bytes"), opcodeName(f.Opcode), len(f.Header), f.Length)
	if f.Truncated {
		s += fmt.Sprintf(say(lang, " (only %d present)"), len(f.Payload))
	}
	return s
}

func dissectOne(sb *strings.Builder, f wireFrame, offset int, lang string) {
	h := f.Header
	// label pads a label to a column of n terminal columns, so that a
	// Chinese label lines up as an English one does.
	label := func(l string, n int) string {
		return l + strings.Repeat(" ", max(1, n-lessons.Width(l)))
	}
	if len(h) >= 1 {
		fmt.Fprintf(sb, "  %s%-5d %02x = %08b\n", label(say(lang, "byte"), 5), offset, h[0], h[0])
		fmt.Fprintf(sb, "    FIN     %s\n", bit(h[0]&0x80, say(lang, "last frame of its message"), say(lang, "more frames follow")))
		for i, mask := range []byte{0x40, 0x20, 0x10} {
			fmt.Fprintf(sb, "    RSV%d    %s\n", i+1, bit(h[0]&mask, say(lang, "set: needs a negotiated extension (§5.2)"), say(lang, "clear")))
		}
		fmt.Fprintf(sb, "    opcode  0x%X  %s\n", h[0]&0x0F, opcodeName(h[0]&0x0F))
	}
	if len(h) >= 2 {
		fmt.Fprintf(sb, "  %s%-5d %02x = %08b\n", label(say(lang, "byte"), 5), offset+1, h[1], h[1])
		fmt.Fprintf(sb, "    MASK    %s\n", bit(h[1]&0x80, say(lang, "payload is masked (client to server, §5.3)"), say(lang, "payload is not masked")))
		switch n := h[1] & 0x7F; n {
		case 126:
			fmt.Fprintf(sb, "    %s126  %s\n", label(say(lang, "length"), 8), say(lang, "the length is in the next 2 bytes"))
		case 127:
			fmt.Fprintf(sb, "    %s127  %s\n", label(say(lang, "length"), 8), say(lang, "the length is in the next 8 bytes"))
		default:
			fmt.Fprintf(sb, "    %s%d\n", label(say(lang, "length"), 8), n)
		}
	}
	if f.HeaderIncomplete {
		if len(h) > 2 {
			fmt.Fprintf(sb, "  %s%d-%d  % x  %s\n", label(say(lang, "bytes"), 6), offset+2, offset+len(h)-1, h[2:], say(lang, "(the rest of the header is missing)"))
		}
		return
	}
	pos := 2
	switch f.LengthField {
	case 126:
		fmt.Fprintf(sb, "  %s%d-%d  % x  %s\n", label(say(lang, "bytes"), 6), offset+2, offset+3, h[2:4], fmt.Sprintf(say(lang, "16-bit length = %d"), f.Length))
		pos = 4
	case 127:
		v := binary.BigEndian.Uint64(h[2:10])
		note := ""
		if v>>63 != 0 {
			note = say(lang, "  (most significant bit set: forbidden by §5.2)")
		}
		fmt.Fprintf(sb, "  %s%d-%d  % x  %s%s\n", label(say(lang, "bytes"), 6), offset+2, offset+9, h[2:10], fmt.Sprintf(say(lang, "64-bit length = %d"), v), note)
		pos = 10
	}
	if f.Masked {
		fmt.Fprintf(sb, "  %s%d-%d  % x  %s\n", label(say(lang, "bytes"), 6), offset+pos, offset+pos+3, f.MaskKey[:], say(lang, "masking key"))
	}
	if f.Length == 0 {
		fmt.Fprintf(sb, "  %s%s\n", label(say(lang, "payload"), 12), say(lang, "(empty)"))
		return
	}
	fmt.Fprintf(sb, "  %s%s\n", label(say(lang, "payload"), 12), hexPreview(f.Payload, lang))
	if f.Masked {
		fmt.Fprintf(sb, "  %s%s\n", label(say(lang, "unmasked"), 12), hexPreview(f.Unmasked, lang))
	}
	if printable(f.Unmasked) && len(f.Unmasked) <= 200 {
		fmt.Fprintf(sb, "  %s%q\n", label(say(lang, "as text"), 12), f.Unmasked)
	}
	if f.Opcode == 0x8 && len(f.Unmasked) >= 2 {
		fmt.Fprintf(sb, "  %s"+say(lang, "%d, reason %q")+"\n", label(say(lang, "close code"), 12), binary.BigEndian.Uint16(f.Unmasked), f.Unmasked[2:])
	}
}

func bit(v byte, set, clear string) string {
	if v != 0 {
		return "1  " + set
	}
	return "0  " + clear
}

// hexPreview shows up to 32 bytes, then how many more there are.
func hexPreview(b []byte, lang string) string {
	if len(b) <= 32 {
		return fmt.Sprintf("% x", b)
	}
	return fmt.Sprintf(say(lang, "% x … (%d more bytes)"), b[:32], len(b)-32)
}
