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
	exp = expectMessages(v.Expect)
	frames := make([][]byte, len(v.Input.Frames))
	for i, f := range v.Input.Frames {
		frames[i] = f
	}
	run := runConn(ctx, v.Input.Receiver, v.Input.MessageLimit, frames)
	return exp, actualMessages(v.Expect, run), run.detail
}

// expectMessages renders the expected result of a messages vector (or a
// deflate messages vector).
func expectMessages(e Expect) outcome {
	exp := newOutcome("messages").add("count", "%d", len(*e.Messages))
	for i, m := range *e.Messages {
		exp = exp.add(fmt.Sprintf("message[%d]", i), "%s:%s", m.Type, renderBytes(*m.Payload))
	}
	switch {
	case e.Error != nil:
		exp = addEnd(exp, expectError(e.Error))
	case e.Closed != nil:
		exp = addEnd(exp, expectClosed(e.Closed))
	default:
		exp = addEnd(exp, newOutcome("eof"))
	}
	if e.Replies != nil {
		exp = exp.add("replies", "%d", len(*e.Replies))
		for i, r := range *e.Replies {
			name := fmt.Sprintf("reply[%d]", i)
			if *r.Opcode == 8 {
				members := make([]string, len(r.CloseCode))
				for j, c := range r.CloseCode {
					members[j] = fmt.Sprintf("close:%d", c)
				}
				exp = exp.addSet(name, "close:"+r.CloseCode.String(), members)
			} else {
				exp = exp.add(name, "%s:%s", opcodeName(byte(*r.Opcode)), renderBytes(*r.Payload))
			}
		}
	}
	return exp
}

// actualMessages renders what a Conn did, in the form of expectMessages;
// replies only when the vector lists them.
func actualMessages(e Expect, run connRun) outcome {
	act := newOutcome("messages").add("count", "%d", len(run.messages))
	for i, m := range run.messages {
		act = act.add(fmt.Sprintf("message[%d]", i), "%s:%s", messageType(m.typ), renderBytes(m.payload))
	}
	act = addEnd(act, run.end)
	if e.Replies != nil {
		replies := parseWire(run.written)
		act = act.add("replies", "%d", len(replies))
		for i, f := range replies {
			act = act.add(fmt.Sprintf("reply[%d]", i), "%s", replyText(f))
		}
	}
	return act
}

// addEnd adds how reading ended as fields "end", "end.close_code", ...,
// so that a set of allowed codes is still compared as a set.
func addEnd(o, end outcome) outcome {
	o = o.add("end", "%s", end.kind())
	for _, f := range end[1:] {
		f.name = "end." + f.name
		o = append(o, f)
	}
	return o
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
