package render

import (
	"fmt"
	"strings"
)

// HexLimit is how many bytes of a frame a hex dump shows by default: the
// whole header and the start of the payload. A 64 KiB payload would teach
// nothing more.
const HexLimit = 64

// byteTag is the two-letter tag under each byte of a hex dump, naming its
// field so that the dump reads without colour.
func byteTag(f Frame, i int) string {
	switch f.ByteField(i) {
	case FieldOpcode:
		return "hd"
	case FieldLen:
		return "ln"
	case FieldExtLen:
		return "xl"
	case FieldMaskKey:
		return "mk"
	case FieldPayload:
		return "pl"
	}
	return "??"
}

// HexLegend explains the tags under a hex dump.
const HexLegend = "hd=FIN,RSV1-3,opcode  ln=MASK,payload len  xl=extended length  mk=masking key  pl=payload"

// HexDump draws the first limit bytes of the frame, 16 a row, each coloured
// by its field, with a row of field tags underneath. The bytes of field sel
// are reversed and tagged in capitals; the byte at cursor (-1 for none) is
// tagged ^^.
func HexDump(f Frame, t Theme, sel Field, cursor, limit int) string {
	return hexDump(f, t, sel, cursor, limit, 16)
}

// HexDumpFor draws the hex dump for width columns: 16 bytes a row when
// they fit, otherwise 8.
func HexDumpFor(f Frame, t Theme, sel Field, cursor, limit, width int) string {
	if width < 6+16*3-1 {
		return hexDump(f, t, sel, cursor, limit, 8)
	}
	return HexDump(f, t, sel, cursor, limit)
}

func hexDump(f Frame, t Theme, sel Field, cursor, limit, perRow int) string {
	n := min(len(f.Wire), limit)
	var b strings.Builder
	for row := 0; row*perRow < n; row++ {
		if row > 0 {
			b.WriteByte('\n')
		}
		var tags strings.Builder
		fmt.Fprintf(&b, "%04x  ", row*perRow)
		tags.WriteString("      ")
		for i := row * perRow; i < min(n, row*perRow+perRow); i++ {
			if i > row*perRow {
				b.WriteByte(' ')
				tags.WriteByte(' ')
			}
			inSel := sel != FieldNone && f.InField(i, sel)
			hx := fmt.Sprintf("%02x", f.Wire[i])
			if i == cursor && t.color {
				b.WriteString(t.apply(t.cursor, hx))
			} else {
				b.WriteString(t.Field(f.ByteField(i), hx, inSel))
			}
			tag := byteTag(f, i)
			switch {
			case i == cursor:
				tag = "^^"
			case inSel:
				tag = strings.ToUpper(tag)
			}
			tags.WriteString(t.Dim(tag))
		}
		b.WriteByte('\n')
		b.WriteString(strings.TrimRight(tags.String(), " "))
	}
	if rest := len(f.Wire) - n; rest > 0 {
		fmt.Fprintf(&b, "\n"+t.tr("      ... %d more bytes, %d in all"), rest, len(f.Wire))
	}
	return b.String()
}

// HexBytes formats b as "81 85 37 fa", at most limit bytes, with "..." if
// there are more.
func HexBytes(b []byte, limit int) string {
	if len(b) <= limit {
		return fmt.Sprintf("% x", b)
	}
	return fmt.Sprintf("% x ...", b[:limit])
}
