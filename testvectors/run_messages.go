package testvectors

import (
	"context"
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// runMessages sends a vector's frames to a real Conn and compares the
// messages it delivers, how reading ends and, if the vector lists them, the
// control frames the receiver sends back.
func runMessages(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	e := v.Expect
	exp = newOutcome("messages").add("count", "%d", len(*e.Messages))
	for i, m := range *e.Messages {
		exp = exp.add(fmt.Sprintf("message[%d]", i), "%s:%s", m.Type, renderBytes(*m.Payload))
	}
	switch {
	case e.Error != nil:
		exp = exp.add("end", "%s", expectError(e.Error))
	case e.Closed != nil:
		exp = exp.add("end", "%s", expectClosed(e.Closed))
	default:
		exp = exp.add("end", "eof")
	}
	if e.Replies != nil {
		exp = exp.add("replies", "%d", len(*e.Replies))
		for i, r := range *e.Replies {
			text := ""
			if *r.Opcode == 8 {
				text = fmt.Sprintf("close:%d", *r.CloseCode)
			} else {
				text = fmt.Sprintf("%s:%s", opcodeName(byte(*r.Opcode)), renderBytes(*r.Payload))
			}
			exp = exp.add(fmt.Sprintf("reply[%d]", i), "%s", text)
		}
	}

	frames := make([][]byte, len(v.Input.Frames))
	for i, f := range v.Input.Frames {
		frames[i] = f
	}
	run := runConn(ctx, v.Input.Receiver, v.Input.MessageLimit, frames)
	act = newOutcome("messages").add("count", "%d", len(run.messages))
	for i, m := range run.messages {
		act = act.add(fmt.Sprintf("message[%d]", i), "%s:%s", messageType(m.typ), renderBytes(m.payload))
	}
	act = act.add("end", "%s", run.end)
	if e.Replies != nil {
		replies := parseWire(run.written)
		act = act.add("replies", "%d", len(replies))
		for i, f := range replies {
			act = act.add(fmt.Sprintf("reply[%d]", i), "%s", replyText(f))
		}
	}
	return exp, act, run.detail
}

func expectClosed(c *ClosedExpect) outcome {
	return newOutcome("closed").add("code", "%d", *c.Code).add("reason", "%q", *c.Reason)
}

func messageType(t protocol.MessageType) string {
	switch t {
	case protocol.TextMessage:
		return "text"
	case protocol.BinaryMessage:
		return "binary"
	}
	return t.String()
}
