package testvectors

import (
	"errors"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// runFrames decodes one frame and judges its header, the two steps the
// protocol package keeps apart: DecodeHeader, then CheckHeader against the
// receiver's state. The payload is never copied before the header passed,
// so a vector claiming 2^63-1 bytes costs nothing.
func runFrames(v *Vector) (exp, act outcome, detail string) {
	e := v.Expect
	switch {
	case e.Frame != nil:
		exp = expectFrame(e.Frame)
	case e.Error != nil:
		exp = expectError(e.Error)
	default:
		exp = newOutcome("incomplete")
	}
	in := v.Input
	h, n, err := protocol.DecodeHeader(in.Bytes)
	if errors.Is(err, protocol.ErrShortHeader) {
		return exp, newOutcome("incomplete"), "the bytes end inside the header"
	}
	if err != nil {
		return exp, newOutcome("decode-error").add("error", "%q", err.Error()), err.Error()
	}
	st := protocol.State{Role: role(in.Receiver), InMessage: in.InMessage}
	if in.MessageLimit != nil {
		st.MessageLimit = *in.MessageLimit
	}
	if viol := protocol.CheckHeader(h, st); viol != nil {
		return exp, violationOutcome(viol), viol.Msg
	}
	rest := in.Bytes[n:]
	if uint64(len(rest)) < h.Length {
		return exp, newOutcome("incomplete"), "the bytes end inside the payload"
	}
	payload := append([]byte(nil), rest[:h.Length]...)
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, payload)
	}
	act = newOutcome("frame").
		add("fin", "%t", h.Fin).add("rsv1", "%t", h.Rsv1).add("rsv2", "%t", h.Rsv2).add("rsv3", "%t", h.Rsv3).
		add("opcode", "%d", h.Opcode).add("masked", "%t", h.Masked)
	if h.Masked {
		act = act.add("mask_key", "%x", h.MaskKey[:])
	}
	act = act.add("length", "%d", h.Length)
	if e.Frame != nil && e.Frame.Payload != nil {
		act = act.add("payload", "%s", renderBytes(payload))
	}
	if extra := len(rest) - int(h.Length); extra > 0 {
		// A frames vector holds exactly one frame; more bytes mean the
		// codec and the vector disagree about where the frame ends.
		act = act.add("bytes_after_frame", "%d", extra)
	}
	return exp, act, h.String()
}

func expectFrame(f *FrameExpect) outcome {
	o := newOutcome("frame").
		add("fin", "%t", *f.Fin).add("rsv1", "%t", *f.Rsv1).add("rsv2", "%t", *f.Rsv2).add("rsv3", "%t", *f.Rsv3).
		add("opcode", "%d", *f.Opcode).add("masked", "%t", *f.Masked)
	if *f.Masked {
		o = o.add("mask_key", "%s", lower(*f.MaskKey))
	}
	o = o.add("length", "%d", *f.Length)
	if f.Payload != nil {
		o = o.add("payload", "%s", renderBytes(*f.Payload))
	}
	return o
}

func violationOutcome(v *protocol.Violation) outcome {
	return newOutcome("error").add("close_code", "%d", uint16(v.Code)).add("section", "%s", rfcSection(v.RFC, v.Section))
}

func role(receiver string) protocol.Role {
	if receiver == "client" {
		return protocol.RoleClient
	}
	return protocol.RoleServer
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
