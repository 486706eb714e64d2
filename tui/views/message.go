package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// A compressed message, taken apart
//
// The frames of a compressed message carry DEFLATE data, which says
// nothing to a reader of hex. The codec reports each compressed message
// once it is complete ([protocol.MessageEvent]): its wire bytes, the bytes
// they inflated to and the window it started from. This view runs the
// wire bytes through protocol.DecodeDeflate, which lists every literal and
// every back-reference, and shows which bytes of the message were sent as
// themselves and which were copied, from this message or from earlier
// ones. That is where context takeover (RFC 7692 §7.1.1) becomes visible:
// a repeat of an earlier message is one back-reference of a few bits.

// Piece is a run of an inflated message with one origin: literals sent
// one by one, a stored block, or a back-reference (Length bytes copied
// from Distance bytes back).
type Piece struct {
	Kind     protocol.DeflateTokenKind
	Bytes    []byte // what the piece produced
	Length   int    // bytes produced
	Distance int    // for a back-reference: how far back it copies from
	// FromWindow is how many of the piece's bytes were copied from earlier
	// messages, the window context takeover kept (0 unless Kind is
	// TokenMatch and Distance reaches before this message).
	FromWindow int
}

// Pieces rebuilds a message from its tokens: consecutive literals become
// one piece; a back-reference copies from the window and the bytes built
// so far, byte by byte, as an inflater does. The concatenated Bytes of
// the pieces are the inflated message when the tokens are right, which
// tests check against compress/flate's result.
func Pieces(window []byte, dec *protocol.DeflateDecoding) []Piece {
	var out []Piece
	built := append([]byte(nil), window...)
	for _, t := range dec.Tokens {
		switch t.Kind {
		case protocol.TokenLiteral, protocol.TokenStored:
			b := dec.Inflated[t.Offset : t.Offset+t.Length]
			if n := len(out); t.Kind == protocol.TokenLiteral && n > 0 && out[n-1].Kind == protocol.TokenLiteral {
				out[n-1].Bytes = append(out[n-1].Bytes, b...)
				out[n-1].Length += t.Length
			} else {
				out = append(out, Piece{Kind: t.Kind, Bytes: append([]byte(nil), b...), Length: t.Length})
			}
			built = append(built, b...)
		case protocol.TokenMatch:
			from := len(built) - t.Distance
			if from < 0 {
				return out // the decoder refuses this; never reached
			}
			start := len(built)
			for k := 0; k < t.Length; k++ {
				built = append(built, built[from+k])
			}
			p := Piece{Kind: t.Kind, Bytes: append([]byte(nil), built[start:]...), Length: t.Length, Distance: t.Distance}
			// The copy starts t.Distance back from position t.Offset of the
			// message: bytes before the message's start are the window's.
			if before := t.Distance - t.Offset; before > 0 {
				p.FromWindow = min(before, t.Length)
			}
			out = append(out, p)
		}
	}
	return out
}

// blockType names a DEFLATE block type (RFC 1951 §3.2.3).
func blockType(lang string, typ int) string {
	switch typ {
	case 0:
		return say(lang, "stored (no compression)")
	case 1:
		return say(lang, "fixed Huffman codes")
	case 2:
		return say(lang, "dynamic Huffman codes")
	}
	return say(lang, "reserved type 3")
}

// quoteBytes shows bytes as a Go string when they are printable text and
// as hex otherwise, at most limit bytes.
func quoteBytes(b []byte, limit int) string {
	more := ""
	if len(b) > limit {
		b, more = b[:limit], "…"
	}
	q := strconv.Quote(string(b))
	if strings.Contains(q, `\x`) {
		return hexBytes(b) + more
	}
	return q + more
}

// pieceLimit bounds the pieces listed, so that a long message still
// draws quickly; the totals cover them all.
const pieceLimit = 40

// MessageView renders a compressed message: its wire bytes, the inflated
// message, the DEFLATE blocks and pieces, and why it took the bytes it
// took.
func MessageView(m *protocol.MessageEvent, t render.Theme, width int) string {
	var b strings.Builder
	lang := t.Lang()
	section := func(name string) {
		name = say(lang, name)
		b.WriteString("\n" + t.Heading("── "+name+" "+strings.Repeat("─", max(0, min(width, 80)-lessons.Width(name)-5))) + "\n")
	}
	sender := "client"
	if m.Role == protocol.RoleServer && m.Dir == protocol.Sent || m.Role == protocol.RoleClient && m.Dir == protocol.Received {
		sender = "server"
	}
	who := say(lang, sender)
	b.WriteString(t.Wrap(sayf(lang, "A compressed %s message from the %s: %d bytes of DEFLATE data on the wire (RSV1 on its first frame) inflate to %d bytes.",
		say(lang, m.Opcode.String()), who, len(m.Compressed), len(m.Inflated)), width))

	section("on the wire (payload unmasked, frames joined)")
	b.WriteString(render.Wrap(hexBytes(m.Compressed[:min(len(m.Compressed), render.HexLimit)]), width))
	if len(m.Compressed) > render.HexLimit {
		b.WriteString(" …")
	}
	b.WriteString("\n" + t.Dim(t.Wrap(say(lang, "+ 00 00 ff ff: the end of the sync flush, left off by the sender (RFC 7692 §7.2.1) and put back by the receiver before inflating (§7.2.2)"), width)))

	section("inflated")
	b.WriteString(render.Wrap(quoteBytes(m.Inflated, 200), width))

	dec, err := protocol.DecodeDeflate(m.Window, m.Compressed, 0)
	section("what the compressed bytes say (DEFLATE, RFC 1951)")
	if err != nil {
		b.WriteString(t.Bad(t.Wrap(say(lang, "the token decoder refused these bytes: ")+err.Error(), width)))
		return b.String()
	}
	for i, bl := range dec.Blocks {
		final := ""
		if bl.Final {
			final = say(lang, ", BFINAL set")
		}
		b.WriteString(sayf(lang, "block %d at bit %d: %s%s", i+1, bl.BitOffset, blockType(lang, bl.Type), final) + "\n")
	}
	pieces := Pieces(m.Window, dec)
	var lit, copied, fromWin int
	for i, p := range pieces {
		switch p.Kind {
		case protocol.TokenMatch:
			copied += p.Length
			fromWin += p.FromWindow
		default:
			lit += p.Length
		}
		if i >= pieceLimit {
			continue
		}
		var line string
		switch p.Kind {
		case protocol.TokenLiteral:
			line = sayf(lang, "  literals  %s  (%s, each sent as its own code)", quoteBytes(p.Bytes, 24), nBytes(lang, p.Length))
		case protocol.TokenStored:
			line = sayf(lang, "  stored    %s  (%s, as they are)", quoteBytes(p.Bytes, 24), nBytes(lang, p.Length))
		default:
			where := say(lang, "earlier in this message")
			switch {
			case p.FromWindow == p.Length:
				where = say(lang, "from earlier messages (the window)")
			case p.FromWindow > 0:
				where = say(lang, "partly from earlier messages")
			}
			line = sayf(lang, "  copy      %s  (length %d, distance %d: %s)", quoteBytes(p.Bytes, 24), p.Length, p.Distance, where)
		}
		b.WriteString(t.Wrap(line, width) + "\n")
	}
	if len(pieces) > pieceLimit {
		b.WriteString(sayf(lang, "  … %d more pieces", len(pieces)-pieceLimit) + "\n")
	}
	// "(0 of them from earlier messages)" says nothing: leave it off.
	summary := sayf(lang, "%s as literals, %d copied by back-references", nBytes(lang, lit), copied)
	if fromWin > 0 {
		summary = sayf(lang, "%s as literals, %d copied by back-references (%d of them from earlier messages)", nBytes(lang, lit), copied, fromWin)
	}
	b.WriteString(t.Wrap(summary, width))

	section("why")
	var why []string
	if m.ContextTakeover {
		why = append(why, sayf(lang, "Context takeover: the %s keeps its window of the last %d bytes (2^%d) from message to message (RFC 7692 §7.1.1), so a message may point back into earlier ones. This one started with %d bytes of earlier messages in its window.",
			who, 1<<m.WindowBits, m.WindowBits, len(m.Window)))
	} else {
		param, sec := "client_no_context_takeover", "7.1.1.2"
		if sender == "server" {
			param, sec = "server_no_context_takeover", "7.1.1.1"
		}
		why = append(why, sayf(lang, "No context takeover: %s was agreed (RFC 7692 §%s), so the %s empties its window after every message. Nothing can be copied from earlier messages, and a repeat costs as much as the first time.",
			param, sec, who))
	}
	switch {
	case fromWin > 0:
		why = append(why, sayf(lang, "%d of the %d bytes were copied from earlier messages: that is why the message takes only %d bytes on the wire.", fromWin, len(m.Inflated), len(m.Compressed)))
	case copied == 0 && len(m.Inflated) > 0:
		fixed, stored := true, false
		for _, bl := range dec.Blocks {
			fixed = fixed && bl.Type != 2
		}
		for _, p := range pieces {
			stored = stored || p.Kind == protocol.TokenStored
		}
		switch {
		case stored:
			why = append(why, say(lang, "Nothing repeated within reach, and the sender stored bytes as they are: a stored block costs its header (3 bits, then LEN and NLEN, 2 bytes each) and nothing per byte (RFC 1951 §3.2.4)."))
		case fixed:
			why = append(why, say(lang, "Nothing repeated within reach, so every byte went as a literal: DEFLATE's fixed codes give 8 or 9 bits to a byte, plus the block's header and end."))
		default:
			why = append(why, say(lang, "Nothing repeated within reach, so every byte went as a literal, coded with the Huffman codes the block itself defines."))
		}
	}
	for i, w := range why {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t.Wrap(w, width))
	}
	return b.String()
}

// hexBytes is b in lower-case hex, bytes separated by spaces.
func hexBytes(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}

// nBytes is "1 byte" or "n bytes", in lang.
func nBytes(lang string, n int) string {
	if n == 1 {
		return say(lang, "1 byte")
	}
	return sayf(lang, "%d bytes", n)
}
