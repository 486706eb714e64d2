package render

import (
	"fmt"
	"strings"
)

// gridRuler is the bit numbering above the §5.2 figure.
const gridRuler = " 0                   1                   2                   3\n" +
	" 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"

// GridWidth is the width of a bit grid in columns: 32 bits of two
// columns each, plus the closing border.
const GridWidth = 65

// cell is a run of bits in one grid row that belong to one field.
type cell struct {
	field      Field
	first, end int // bit positions within the row, [first, end)
	byteLo     int // first frame byte the cell covers
	byteHi     int // last frame byte the cell covers
}

// NarrowGridWidth is the width of a bit grid of 16 bits a row, for
// screens too narrow for [GridWidth].
const NarrowGridWidth = 33

// gridRuler16 numbers the bits of a 16-bit row.
const gridRuler16 = " 0                   1\n" +
	" 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5"

// BitGrid draws the frame's header, and the first payload bytes that
// complete its last row, as the 32-bit-a-row figure of RFC 6455 §5.2,
// holding the frame's real bits. Each field is coloured and labelled; sel
// is drawn reversed.
func BitGrid(f Frame, t Theme, sel Field) string { return bitGrid(f, t, sel, 32) }

// BitGridFor draws the bit grid for width columns: the §5.2 figure when
// it fits, otherwise the same fields 16 bits a row.
func BitGridFor(f Frame, t Theme, sel Field, width int) string {
	if width < GridWidth {
		return bitGrid(f, t, sel, 16) + "\n" + t.Wrap(t.tr("(16 bits a row here; the RFC's figure has 32: a wider terminal shows it)"), max(10, width))
	}
	return BitGrid(f, t, sel)
}

func bitGrid(f Frame, t Theme, sel Field, rowBits int) string {
	rowBytes := rowBits / 8
	n := len(f.Wire)
	if f.HeaderLen > 0 {
		shown := (f.HeaderLen + 3) / 4 * 4
		if shown == f.HeaderLen {
			shown += 4 // a row of payload, so the payload has a place in the figure
		}
		n = min(n, shown)
	} else {
		n = min(n, 16)
	}
	var b strings.Builder
	if rowBits == 32 {
		b.WriteString(gridRuler)
	} else {
		b.WriteString(gridRuler16)
	}
	b.WriteByte('\n')
	var prev []cell
	for row := 0; row*rowBytes < n; row++ {
		cells := rowCells(f, row, rowBits, min(rowBytes, n-row*rowBytes))
		b.WriteString(border(prev, cells))
		b.WriteByte('\n')
		b.WriteString(rowLine(f, t, sel, row, rowBits, cells, true))
		b.WriteByte('\n')
		b.WriteString(rowLine(f, t, sel, row, rowBits, cells, false))
		b.WriteByte('\n')
		prev = cells
	}
	b.WriteString(border(prev, nil))
	if rest := len(f.Wire) - n; rest > 0 {
		fmt.Fprintf(&b, "\n"+t.tr("  ... %d more payload bytes (see the hex dump)"), rest)
	}
	if f.HeaderLen == 0 {
		b.WriteString("\n" + t.tr("  (too few bytes for a complete header: the receiver waits for more)"))
	}
	return b.String()
}

func rowCells(f Frame, row, rowBits, nbytes int) []cell {
	var cells []cell
	for bit := 0; bit < nbytes*8; bit++ {
		abs := row*rowBits + bit
		fl := f.BitField(abs)
		if len(cells) > 0 && cells[len(cells)-1].field == fl && fl != FieldNone {
			c := &cells[len(cells)-1]
			c.end = bit + 1
			c.byteHi = abs / 8
			continue
		}
		if fl == FieldNone && len(cells) > 0 && cells[len(cells)-1].field == FieldNone && bit%8 != 0 {
			cells[len(cells)-1].end = bit + 1
			continue
		}
		cells = append(cells, cell{field: fl, first: bit, end: bit + 1, byteLo: abs / 8, byteHi: abs / 8})
	}
	return cells
}

// border draws the +-+ line between two rows of cells.
func border(above, below []cell) string {
	width := 0
	for _, cs := range [][]cell{above, below} {
		if len(cs) > 0 {
			width = max(width, cs[len(cs)-1].end*2+1)
		}
	}
	line := []byte(strings.Repeat("-", width))
	for _, cs := range [][]cell{above, below} {
		for _, c := range cs {
			line[c.first*2] = '+'
			line[c.end*2] = '+'
		}
	}
	return string(line)
}

// rowLine draws the bit values (values true) or the labels of one row.
func rowLine(f Frame, t Theme, sel Field, row, rowBits int, cells []cell, values bool) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteByte('|')
		w := (c.end-c.first)*2 - 1
		var s string
		if values {
			bits := make([]byte, 0, w)
			for bit := c.first; bit < c.end; bit++ {
				abs := row*rowBits + bit
				v := f.Wire[abs/8] >> (7 - abs%8) & 1
				if bit > c.first {
					bits = append(bits, ' ')
				}
				bits = append(bits, '0'+v)
			}
			s = string(bits)
		} else {
			s = fit(cellLabel(t.lang, f, c), w)
		}
		b.WriteString(t.Field(c.field, s, sel == c.field && sel != FieldNone))
	}
	b.WriteByte('|')
	return b.String()
}

// cellLabel names a cell, saying which bytes of a long field it holds.
func cellLabel(lang string, f Frame, c cell) string {
	switch c.field {
	case FieldFIN:
		return "F"
	case FieldRSV1, FieldRSV2, FieldRSV3:
		return "R"
	case FieldMask:
		return "M"
	case FieldOpcode:
		return "opcode"
	case FieldLen:
		return tr(lang, "payload len")
	case FieldNone:
		return "?"
	}
	s, e := f.Span(c.field)
	name := map[Field]string{FieldExtLen: "extended payload length", FieldMaskKey: "masking key", FieldPayload: "payload"}[c.field]
	if c.field == FieldExtLen && e-s == 8 {
		name = "extended payload length (64)"
	} else if c.field == FieldExtLen {
		name = "extended payload length (16)"
	}
	if c.field == FieldPayload && f.Header.Masked {
		name = "payload (masked)"
	}
	if c.byteLo == s && c.byteHi == e-1 {
		return tr(lang, name)
	}
	// Bytes are counted from 0, as the RFC counts bits in its figures
	// and as §5.3 counts key bytes ("octet at index i modulo 4 of the
	// masking key" is 0-3), so the labels agree with the unmasking.
	return fmt.Sprintf(tr(lang, "%s %d-%d"), tr(lang, shortName(c.field)), c.byteLo-s, c.byteHi-s)
}

func shortName(fl Field) string {
	switch fl {
	case FieldExtLen:
		return "ext. length bytes"
	case FieldMaskKey:
		return "masking key bytes"
	}
	return "payload bytes"
}

// fit pads or cuts s to exactly w columns. A Chinese character takes two
// columns and is never cut in half.
func fit(s string, w int) string {
	if cols(s) > w {
		n := 0
		for i, r := range s {
			if n+cols(string(r)) > w {
				s = s[:i]
				break
			}
			n += cols(string(r))
		}
	}
	return pad(s, w)
}
