package render

import (
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Meaning says in plain words what a field's value means in this frame.
func (f Frame) Meaning(fl Field) string {
	h := f.Header
	switch fl {
	case FieldFIN:
		if h.Fin {
			return "last frame of its message"
		}
		return "more frames of this message follow (§5.4)"
	case FieldRSV1, FieldRSV2, FieldRSV3:
		set := map[Field]bool{FieldRSV1: h.Rsv1, FieldRSV2: h.Rsv2, FieldRSV3: h.Rsv3}[fl]
		if set {
			return "set, but no extension gives it a meaning: the receiver must fail the connection (§5.2)"
		}
		return "reserved; 0 unless an extension says otherwise (§5.2)"
	case FieldOpcode:
		return opcodeMeaning(h.Opcode)
	case FieldMask:
		if h.Masked {
			return "the payload is XORed with the masking key (§5.3)"
		}
		return "the payload is sent as is (§5.1)"
	case FieldLen:
		switch v := f.Wire[1] & 0x7F; v {
		case 126:
			return "126 is a marker: the next 2 bytes hold the length (16-bit)"
		case 127:
			return "127 is a marker: the next 8 bytes hold the length (64-bit)"
		default:
			return fmt.Sprintf("%d fits in 7 bits (0-125): no extended length", v)
		}
	case FieldExtLen:
		return extLenMeaning(h)
	case FieldMaskKey:
		return "32 random bits, fresh for each frame (§5.3)"
	case FieldPayload:
		got := len(f.Payload())
		if uint64(got) < h.Length {
			return fmt.Sprintf("%d of %d bytes arrived before the receiver stopped reading", got, h.Length)
		}
		return payloadMeaning(h.Opcode, f.Unmasked)
	}
	return ""
}

func opcodeMeaning(op protocol.Opcode) string {
	switch op {
	case protocol.OpContinuation:
		return "continuation: more payload of the message in progress (§5.4)"
	case protocol.OpText:
		return "text: the message is UTF-8 text (§5.6)"
	case protocol.OpBinary:
		return "binary: any bytes; the application decides (§5.6)"
	case protocol.OpClose:
		return "close: starts or answers the closing handshake (§5.5.1)"
	case protocol.OpPing:
		return "ping: the peer must answer with a pong (§5.5.2)"
	case protocol.OpPong:
		return "pong: answers a ping, or a one-way heartbeat (§5.5.3)"
	}
	return "reserved: no meaning without an extension; the receiver must fail the connection (§5.2)"
}

func extLenMeaning(h protocol.Header) string {
	n := h.Length
	switch {
	case h.Length>>63 != 0:
		return "the top bit of the 64-bit length is set, which §5.2 forbids"
	case h.LengthForm != protocol.MinimalLengthForm(n):
		return fmt.Sprintf("%d would fit in the %s form: this form is not minimal, which §5.2 forbids", n, protocol.MinimalLengthForm(n))
	case h.LengthForm == protocol.Length16Bit:
		return fmt.Sprintf("%d is more than 125 but at most 65535: the 16-bit form is the shortest that fits (§5.2 requires the minimal form)", n)
	}
	return fmt.Sprintf("%d is more than 65535: only the 64-bit form fits (its top bit must be 0, §5.2)", n)
}

func payloadMeaning(op protocol.Opcode, p []byte) string {
	if op == protocol.OpClose {
		code, reason, v := protocol.ParseClosePayload(p)
		switch {
		case v != nil:
			return "close body breaks a rule: " + v.Msg
		case len(p) == 0:
			return "empty close body: no status code (reported as 1005)"
		}
		return fmt.Sprintf("close code %s, reason %q", code, reason)
	}
	return Quote(p, 24)
}

// FieldTable lists every field of the frame with its value and meaning, one
// line each; the line of field sel starts with ">". Every line has the
// form "  name  value  meaning", which the plain-output test reads back.
//
// Lines longer than width carry the meaning on the next lines, indented.
func FieldTable(f Frame, t Theme, sel Field, width int) string {
	if f.HeaderLen == 0 {
		return fmt.Sprintf("  %d bytes: not enough for a header", len(f.Wire))
	}
	nameW, valW := 0, 0
	for _, fl := range f.Fields() {
		nameW = max(nameW, len(fl.ShortName()))
		valW = max(valW, len(f.Value(fl)))
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
		name := fmt.Sprintf("%-*s", nameW, fl.ShortName())
		val := fmt.Sprintf("%-*s", valW, f.Value(fl))
		b.WriteString(mark + t.Field(fl, name, fl == sel) + "  " + t.Field(fl, val, false) + "  ")
		used := 2 + nameW + 2 + valW + 2
		ind := "\n" + strings.Repeat(" ", used)
		b.WriteString(t.Dim(strings.ReplaceAll(Wrap(f.Meaning(fl), max(20, width-used)), "\n", ind)))
	}
	return b.String()
}

// Explain says in a few sentences what the frame is and why it looks the
// way it does. from is the sender; v is what the receiver found wrong, if
// anything.
func Explain(f Frame, from protocol.Role, v *protocol.Violation) []string {
	var out []string
	if f.HeaderLen == 0 {
		return []string{fmt.Sprintf("%d bytes are not a whole header yet: a receiver waits for the rest (TCP is a byte stream).", len(f.Wire))}
	}
	h := f.Header
	switch {
	case from == protocol.RoleClient && h.Masked:
		out = append(out, "Client to server, so masked (§5.1): a fresh random key per frame, so that a script cannot choose the bytes a confused proxy sees (§10.3). Masking is not encryption: the key is in the frame.")
	case from == protocol.RoleClient:
		out = append(out, "Client to server but NOT masked: §5.1 says the server must close the connection.")
	case h.Masked:
		out = append(out, "Server to client but masked: §5.1 says the client must close the connection.")
	default:
		out = append(out, "Server to client, so not masked (§5.1): only client frames are masked.")
	}
	switch {
	case h.Opcode.IsControl() && !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf("A control frame (opcode %s has its top bit set): at most 125 bytes and never fragmented, so it may go between the fragments of a message (§5.5).", h.Opcode))
	case h.Opcode == protocol.OpContinuation && h.Fin:
		out = append(out, "A continuation frame with FIN set: the last fragment of its message (§5.4).")
	case h.Opcode == protocol.OpContinuation:
		out = append(out, "A continuation frame with FIN clear: a middle fragment; more follow (§5.4).")
	case !h.Fin && !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf("The first fragment of a %s message: FIN is 0, so continuation frames follow (§5.4).", h.Opcode))
	case !h.Opcode.IsReserved():
		out = append(out, fmt.Sprintf("A whole %s message in one frame: FIN is 1 and the opcode is not continuation.", h.Opcode))
	}
	switch h.LengthForm {
	case protocol.Length7Bit:
		out = append(out, fmt.Sprintf("Length %d fits in the 7-bit field, so the header is %d bytes.", h.Length, f.HeaderLen))
	case protocol.Length16Bit:
		out = append(out, fmt.Sprintf("Length %d needs the 16-bit extended length (7-bit field = 126); the header is %d bytes.", h.Length, f.HeaderLen))
	case protocol.Length64Bit:
		out = append(out, fmt.Sprintf("Length %d needs the 64-bit extended length (7-bit field = 127); the header is %d bytes.", h.Length, f.HeaderLen))
	}
	if v != nil {
		out = append(out, fmt.Sprintf("REFUSED by the receiver: §%s: %s. It fails the connection with close code %s.", v.Section, v.Msg, v.Code))
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
