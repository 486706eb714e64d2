package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unmask shows the masked bytes and the unmasked payload side by side and
// spells out the XOR of the first bytes, as §5.3 defines it: byte i of the
// payload is XORed with byte i mod 4 of the masking key. width bounds the
// lines of XORs.
func Unmask(f Frame, t Theme, width int) string {
	if f.HeaderLen == 0 {
		return t.tr("no complete header, so no payload to unmask")
	}
	wire := f.Payload()
	if len(wire) == 0 && f.Header.Length > 0 {
		// A refused header: its payload was announced but never read.
		if f.Header.Masked {
			return t.Wrap(fmt.Sprintf(t.tr("masked with %s, but none of the %d payload bytes was read (the receiver stopped at the header): nothing to XOR"), HexBytes(f.Header.MaskKey[:], 4), f.Header.Length), width)
		}
		return t.Wrap(fmt.Sprintf(t.tr("not masked; none of the %d payload bytes was read (the receiver stopped at the header)"), f.Header.Length), width)
	}
	if !f.Header.Masked {
		if len(wire) == 0 {
			return t.tr("not masked, and the payload is empty")
		}
		label := pad(t.tr("payload"), 8) + "  "
		line := label + HexBytes(wire, 8) + "  " + t.quotePayload(f, wire, 24)
		if cols(line) > width {
			line = label + HexBytes(wire, 8) + "\n" + strings.Repeat(" ", cols(label)) + t.quotePayload(f, wire, 24)
		}
		return t.tr("not masked (MASK=0): the bytes on the wire are the payload") + "\n" + line
	}
	if len(wire) == 0 {
		return fmt.Sprintf(t.tr("masked with %s, but the payload is empty: nothing to XOR"), HexBytes(f.Header.MaskKey[:], 4))
	}
	const show = 8
	k := f.Header.MaskKey
	keys := make([]byte, min(show, len(wire)))
	for i := range keys {
		keys[i] = k[i%4]
	}
	var b strings.Builder
	masked, key, unmasked := t.tr("masked (wire)"), t.tr("key[i % 4]"), t.tr("unmasked")
	lw := max(cols(masked), cols(key), cols(unmasked)) // the labels' column
	label := func(s string) string { return pad(s, lw) + "  " }
	side := label(masked) + pad(HexBytes(wire, show), 26) + " " + unmasked + "  " + HexBytes(f.Unmasked, show) + "  " + t.quotePayload(f, f.Unmasked, 20)
	if cols(side) <= width {
		b.WriteString(side + "\n")
		b.WriteString(label(key) + t.Field(FieldMaskKey, HexBytes(keys, show), false) + "\n")
	} else {
		// Too narrow for side by side: masked, key and unmasked stacked,
		// so the XOR reads down each column.
		b.WriteString(label(masked) + HexBytes(wire, show) + "\n")
		b.WriteString(label(key) + t.Field(FieldMaskKey, HexBytes(keys, show), false) + "\n")
		b.WriteString(label(unmasked) + HexBytes(f.Unmasked, show) + "\n")
		b.WriteString(label("") + t.quotePayload(f, f.Unmasked, 20) + "\n")
	}
	var items []string
	for i := 0; i < min(4, len(wire), len(f.Unmasked)); i++ {
		items = append(items, strings.TrimSpace(fmt.Sprintf("0x%02x ^ 0x%02x = 0x%02x %s", wire[i], k[i%4], f.Unmasked[i], charOf(f.Unmasked[i]))))
	}
	line := ""
	for _, it := range items {
		if line != "" && len(line)+3+len(it) > width {
			b.WriteString(line + "\n")
			line = ""
		}
		if line != "" {
			line += "   "
		}
		line += it
	}
	b.WriteString(line)
	b.WriteString("\n" + t.Dim(t.Wrap(t.tr("byte i of the payload is XORed with byte i mod 4 of the key, counting from 0 (§5.3); XOR again to unmask"), width)))
	return b.String()
}

func charOf(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return ""
}

// quotePayload is [Theme.Quote] for the payload of f: the payload of a
// compressed frame is DEFLATE data (RFC 7692 §6), which is not text at
// all, so calling it "not UTF-8 text" would say the sender broke a rule.
func (t Theme) quotePayload(f Frame, p []byte, n int) string {
	if f.Compressed && f.Header.Rsv1 && len(p) > 0 {
		return fmt.Sprintf(t.tr("(%d bytes of DEFLATE data)"), len(p))
	}
	return t.Quote(p, n)
}

// Quote shows a payload as text when it is printable UTF-8, cut to n
// characters, and as a byte count otherwise.
func Quote(p []byte, n int) string { return quoteIn("", p, n) }

// cutUTF8 reports whether p is valid UTF-8 once the pieces of characters
// at its edges are set aside: at most 3 continuation bytes at the start
// (the end of a character begun before p) and an unfinished character at
// the end (finished after p). It is how a fragment of a text message looks
// when the sender split the message inside a character, which §5.6 allows.
func cutUTF8(p []byte) bool {
	i := 0
	for i < len(p) && i < 3 && p[i]&0xC0 == 0x80 {
		i++
	}
	j := len(p)
	for k := len(p) - 1; k >= max(i, len(p)-3); k-- {
		if p[k]&0xC0 != 0x80 { // the last byte that starts a character
			if !utf8.FullRune(p[k:]) {
				j = k
			}
			break
		}
	}
	return (i > 0 || j < len(p)) && utf8.Valid(p[i:j])
}

func quoteIn(lang string, p []byte, n int) string {
	if len(p) == 0 {
		return `""`
	}
	if !utf8.Valid(p) {
		if cutUTF8(p) {
			// A fragment of "你好" may start or end inside a character:
			// valid UTF-8 cut by the frame's edges, not bad text.
			return fmt.Sprintf(tr(lang, "(%d bytes of UTF-8 text cut at the frame's edges)"), len(p))
		}
		return fmt.Sprintf(tr(lang, "(%d bytes, not UTF-8 text)"), len(p))
	}
	s := string(p)
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf(tr(lang, "(%d bytes of binary)"), len(p))
		}
	}
	if utf8.RuneCountInString(s) > n {
		rs := []rune(s)
		return fmt.Sprintf("%q...", string(rs[:n]))
	}
	return fmt.Sprintf("%q", s)
}
