package render

import (
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// Meaning says in plain words what a field's value means in this frame.
func (f Frame) Meaning(fl Field) string { return f.meaning("", fl) }

func (f Frame) meaning(lang string, fl Field) string {
	h := f.Header
	tr := func(en string) string { return tr(lang, en) }
	switch fl {
	case FieldFIN:
		if h.Fin {
			return tr("last frame of its message")
		}
		return tr("more frames of this message follow (§5.4)")
	case FieldRSV1, FieldRSV2, FieldRSV3:
		set := map[Field]bool{FieldRSV1: h.Rsv1, FieldRSV2: h.Rsv2, FieldRSV3: h.Rsv3}[fl]
		if set && fl == FieldRSV1 && f.Compressed {
			return tr("set: permessage-deflate was agreed, and this message's payload is compressed (RFC 7692 §6)")
		}
		if set {
			return tr("set, but no extension gives it a meaning: the receiver must fail the connection (§5.2)")
		}
		return tr("reserved; 0 unless an extension says otherwise (§5.2)")
	case FieldOpcode:
		return opcodeMeaning(lang, h.Opcode)
	case FieldMask:
		if h.Masked {
			return tr("the payload is XORed with the masking key (§5.3)")
		}
		return tr("the payload is sent as is (§5.1)")
	case FieldLen:
		switch v := f.Wire[1] & 0x7F; v {
		case 126:
			return tr("126 is a marker: the next 2 bytes hold the length (16-bit)")
		case 127:
			return tr("127 is a marker: the next 8 bytes hold the length (64-bit)")
		default:
			return fmt.Sprintf(tr("%d fits in 7 bits (0-125): no extended length"), v)
		}
	case FieldExtLen:
		return extLenMeaning(lang, h)
	case FieldMaskKey:
		return tr("32 random bits, fresh for each frame (§5.3)")
	case FieldPayload:
		got := len(f.Payload())
		if uint64(got) < h.Length {
			return fmt.Sprintf(tr("%d of %d bytes arrived before the receiver stopped reading"), got, h.Length)
		}
		if f.Compressed && h.Rsv1 && len(f.Unmasked) > 0 {
			return fmt.Sprintf(tr("(%d bytes of DEFLATE data)"), len(f.Unmasked))
		}
		return payloadMeaning(lang, h.Opcode, f.Unmasked)
	}
	return ""
}

func opcodeMeaning(lang string, op protocol.Opcode) string {
	tr := func(en string) string { return tr(lang, en) }
	switch op {
	case protocol.OpContinuation:
		return tr("continuation: more payload of the message in progress (§5.4)")
	case protocol.OpText:
		return tr("text: the message is UTF-8 text (§5.6)")
	case protocol.OpBinary:
		return tr("binary: any bytes; the application decides (§5.6)")
	case protocol.OpClose:
		return tr("close: starts or answers the closing handshake (§5.5.1)")
	case protocol.OpPing:
		return tr("ping: the peer must answer with a pong, unless it has already received a close frame (§5.5.2)")
	case protocol.OpPong:
		return tr("pong: answers a ping, or a one-way heartbeat (§5.5.3)")
	}
	return tr("reserved: no meaning without an extension; the receiver must fail the connection (§5.2)")
}

func extLenMeaning(lang string, h protocol.Header) string {
	tr := func(en string) string { return tr(lang, en) }
	n := h.Length
	switch {
	case h.Length>>63 != 0:
		return tr("the top bit of the 64-bit length is set, which §5.2 forbids")
	case h.LengthForm != protocol.MinimalLengthForm(n):
		return fmt.Sprintf(tr("%d would fit in the %s form: this form is not minimal, which §5.2 forbids"), n, tr(protocol.MinimalLengthForm(n).String()))
	case h.LengthForm == protocol.Length16Bit:
		return fmt.Sprintf(tr("%d is more than 125 but at most 65535: the 16-bit form is the shortest that fits (§5.2 requires the minimal form)"), n)
	}
	return fmt.Sprintf(tr("%d is more than 65535: only the 64-bit form fits (its top bit must be 0, §5.2)"), n)
}

func payloadMeaning(lang string, op protocol.Opcode, p []byte) string {
	tr := func(en string) string { return tr(lang, en) }
	if op == protocol.OpClose {
		code, reason, v := protocol.ParseClosePayload(p)
		switch {
		case v != nil:
			return tr("close body breaks a rule: ") + violationIn(lang, v)
		case len(p) == 0:
			return tr("empty close body: no status code (reported as 1005)")
		}
		return fmt.Sprintf(tr("close code %s, reason %q"), lessons.CloseCodeName(lang, code), reason)
	}
	return quoteIn(lang, p, 24)
}

// FieldTable lists every field of the frame with its value and meaning, one
// line each; the line of field sel starts with ">". Every line has the
// form "  name  value  meaning", which the plain-output test reads back.
//
// Lines longer than width carry the meaning on the next lines, indented.
func FieldTable(f Frame, t Theme, sel Field, width int) string {
	if f.HeaderLen == 0 {
		return fmt.Sprintf(t.tr("  %d bytes: not enough for a header"), len(f.Wire))
	}
	nameW, valW := 0, 0
	for _, fl := range f.Fields() {
		nameW = max(nameW, cols(t.tr(fl.ShortName())))
		valW = max(valW, cols(f.value(t.lang, fl)))
	}
	var b strings.Builder
	for i, fl := range f.Fields() {
		if i > 0 {
			b.WriteByte('\n')
		}
		mark := "  "
		if fl == sel {
			mark = "> "
		}
		name := pad(t.tr(fl.ShortName()), nameW)
		val := pad(f.value(t.lang, fl), valW)
		b.WriteString(mark + t.Field(fl, name, fl == sel) + "  " + t.Field(fl, val, false) + "  ")
		used := 2 + nameW + 2 + valW + 2
		if t.lang == "zh" && width-used < 20 {
			// A value too wide (a 64-bit length) leaves no room beside
			// it: the meaning goes under, indented.
			used = 4
			b.WriteString("\n" + strings.Repeat(" ", used))
		}
		ind := "\n" + strings.Repeat(" ", used)
		b.WriteString(t.Dim(strings.ReplaceAll(t.Wrap(f.meaning(t.lang, fl), max(20, width-used)), "\n", ind)))
	}
	return b.String()
}

// Explain says in a few sentences what the frame is and why it looks the
// way it does. from is the sender; v is what the receiver found wrong, if
// anything.
func Explain(f Frame, from protocol.Role, v *protocol.Violation) []string {
	return PlainTheme().Explain(f, from, v)
}

// Explain is [Explain] in the theme's language.
func (t Theme) Explain(f Frame, from protocol.Role, v *protocol.Violation) []string {
	tr := t.tr
	var out []string
	if f.HeaderLen == 0 {
		return []string{fmt.Sprintf(tr("%d bytes are not a whole header yet: a receiver waits for the rest (TCP is a byte stream)."), len(f.Wire))}
	}
	h := f.Header
	switch {
	case from == protocol.RoleClient && h.Masked:
		out = append(out, tr("Client to server, so masked (§5.1): a fresh random key per frame, so that a script cannot choose the bytes a confused proxy sees (§10.3). Masking is not encryption: the key is in the frame."))
	case from == protocol.RoleClient:
		out = append(out, tr("Client to server but NOT masked: §5.1 says the server must close the connection."))
	case h.Masked:
		out = append(out, tr("Server to client but masked: §5.1 says the client must close the connection."))
	default:
		out = append(out, tr("Server to client, so not masked (§5.1): only client frames are masked."))
	}
	switch {
	case h.Opcode.IsControl() && !h.Opcode.IsReserved() && !h.Fin:
		// Not "it may go between fragments": this one breaks the rule
		// that lets it.
		out = append(out, fmt.Sprintf(tr("A control frame (opcode %s has its top bit set) with FIN clear: control frames MUST NOT be fragmented (§5.5)."), opcodeValue(h.Opcode)))
	case h.Opcode.IsControl() && !h.Opcode.IsReserved() && v != nil:
		// Refused for another rule (a bit no extension defines, a length
		// over 125): the receiver failed the connection, so it goes
		// between no fragments.
		out = append(out, fmt.Sprintf(tr("A control frame (opcode %s has its top bit set): a payload of at most 125 bytes, never fragmented (§5.5)."), opcodeValue(h.Opcode)))
	case h.Opcode.IsControl() && !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf(tr("A control frame (opcode %s has its top bit set): a payload of at most 125 bytes, never fragmented, so it may go between the fragments of a message (§5.5)."), opcodeValue(h.Opcode)))
	case h.Opcode == protocol.OpContinuation && h.Fin:
		out = append(out, tr("A continuation frame with FIN set: the last fragment of its message (§5.4)."))
	case h.Opcode == protocol.OpContinuation:
		out = append(out, tr("A continuation frame with FIN clear: a middle fragment; more follow (§5.4)."))
	case !h.Fin && !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf(tr("The first fragment of a %s message: FIN is 0, so continuation frames follow (§5.4)."), t.messageKind(h.Opcode)))
	case !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf(tr("A whole %s message in one frame: FIN is 1 and the opcode is not continuation (0x0)."), t.messageKind(h.Opcode)))
	}
	switch h.LengthForm {
	case protocol.Length7Bit:
		out = append(out, fmt.Sprintf(tr("Length %d fits in the 7-bit field, so the header is %d bytes."), h.Length, f.HeaderLen))
	case protocol.Length16Bit:
		out = append(out, fmt.Sprintf(tr("Length %d needs the 16-bit extended length (7-bit field = 126); the header is %d bytes."), h.Length, f.HeaderLen))
	case protocol.Length64Bit:
		out = append(out, fmt.Sprintf(tr("Length %d needs the 64-bit extended length (7-bit field = 127); the header is %d bytes."), h.Length, f.HeaderLen))
	}
	if f.Compressed && h.Rsv1 {
		out = append(out, tr("RSV1 is set on the first frame of a message on a connection that negotiated permessage-deflate: the payload is compressed, and the receiver inflates the whole message after its last frame (RFC 7692 §6, §6.2, §7.2.2)."))
	}
	if v != nil {
		// A rule of permessage-deflate names its RFC: a bare "§6.1" would
		// read as RFC 6455's section 6.1 (Sending Data).
		sec := "§" + v.Section
		if v.RFC != "" {
			sec = "RFC " + v.RFC + " " + sec
		}
		out = append(out, fmt.Sprintf(tr("REFUSED by the receiver (%s): %s. It fails the connection with close code %s."), sec, t.ViolationMsg(v), t.CloseCode(v.Code)))
	}
	return out
}

// Wrap breaks text into lines of at most width columns at spaces.
func Wrap(s string, width int) string {
	if width < 10 {
		width = 10
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// opcodeValue is an opcode as the number whose top bit the sentences about
// control frames speak of: 0x9, not "ping" (a name has no bits).
func opcodeValue(op protocol.Opcode) string { return fmt.Sprintf("0x%X", uint8(op)) }

// messageKind names a data opcode's kind of message in the theme's
// language: "text" is 文本 in a Chinese sentence.
func (t Theme) messageKind(op protocol.Opcode) string {
	if t.lang == "zh" {
		switch op {
		case protocol.OpText:
			return "文本"
		case protocol.OpBinary:
			return "二进制"
		}
	}
	return op.String()
}
