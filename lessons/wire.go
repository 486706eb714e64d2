package lessons

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Frames returns the bytes an action puts on the wire, one slice per frame,
// built by the codec (protocol.AppendHeader and protocol.Mask). Client
// frames are masked with key; server frames are not (§5.1). ActRaw returns
// its bytes as one piece and ActRace the interleaved bytes as one piece;
// actions that send no frame return nil.
//
// The runner need not use this for ordinary sends (Conn.WriteMessage does
// the same), but it needs it for a race, and the tests use it to prove that
// every action the lessons name can be encoded.
func (a Action) Frames(key [4]byte) ([][]byte, error) {
	masked := a.From == protocol.RoleClient
	frame := func(op protocol.Opcode, fin bool, p []byte) []byte {
		h := protocol.Header{Fin: fin, Opcode: op, Masked: masked, MaskKey: key, Length: uint64(len(p))}
		b := protocol.AppendHeader(nil, h)
		n := len(b)
		b = append(b, p...)
		if masked {
			protocol.Mask(key, 0, b[n:])
		}
		return b
	}
	switch a.Kind {
	case ActSend:
		if a.Opcode.IsControl() && len(a.Payload) > protocol.MaxCloseReason+2 {
			return nil, fmt.Errorf("%s payload is %d bytes; a control frame carries at most 125 (§5.5)", a.Opcode, len(a.Payload))
		}
		return [][]byte{frame(a.Opcode, true, a.Payload)}, nil
	case ActFragments:
		var out [][]byte
		op, p := a.Opcode, a.Payload
		for {
			n := min(a.Size, len(p))
			out = append(out, frame(op, n == len(p), p[:n]))
			p, op = p[n:], protocol.OpContinuation
			if len(p) == 0 {
				return out, nil
			}
		}
	case ActClose:
		body, err := protocol.AppendClosePayload(nil, a.Code, a.Reason)
		if err != nil {
			return nil, err
		}
		return [][]byte{frame(protocol.OpClose, true, body)}, nil
	case ActRaw:
		return [][]byte{append([]byte(nil), a.Raw...)}, nil
	case ActRace:
		fa := frame(protocol.OpText, true, a.Payload)
		fb := frame(protocol.OpText, true, a.Payload2)
		if a.Size >= len(fa) {
			return nil, fmt.Errorf("race offset %d is past the end of the %d-byte frame", a.Size, len(fa))
		}
		out := append(append(append([]byte(nil), fa[:a.Size]...), fb...), fa[a.Size:]...)
		return [][]byte{out}, nil
	}
	return nil, nil
}
