package testvectors

import (
	"context"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// runUTF8 checks a text message split into fragments two ways: through the
// incremental UTF8Validator, fed fragment by fragment, which tells where
// validation fails; and as text and continuation frames to a real Conn,
// which tells the close code and section the connection fails with. Both
// must agree with the vector.
func runUTF8(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	if v.Expect.Valid != nil {
		exp = newOutcome("valid")
	} else {
		exp = expectError(v.Expect.Error).add("at", "%d", *v.Expect.Error.At)
	}

	// Where does validation fail?
	var val protocol.UTF8Validator
	at, offset := -1, 0
	for _, frag := range v.Input.Fragments {
		if i := val.Write(frag); i >= 0 {
			at = offset + i
			break
		}
		offset += len(frag)
	}
	if at < 0 && !val.Complete() {
		at = offset // the message ends inside a character
	}

	// How does a connection react?
	var frames [][]byte
	var payload []byte
	for i, frag := range v.Input.Fragments {
		op := byte(0x0)
		if i == 0 {
			op = 0x1
		}
		frames = append(frames, maskedFrame(i == len(v.Input.Fragments)-1, op, true, frag))
		payload = append(payload, frag...)
	}
	run := runConn(ctx, "server", nil, frames)

	if at < 0 && run.end.kind() == "eof" && len(run.messages) == 1 {
		if string(run.messages[0].payload) != string(payload) {
			return exp, newOutcome("valid-but-altered").add("payload", "%s", renderBytes(run.messages[0].payload)), ""
		}
		return exp, newOutcome("valid"), ""
	}
	act = newOutcome("error")
	if run.end.kind() == "error" {
		code, _ := run.end.get("close_code")
		section, _ := run.end.get("section")
		act = act.add("close_code", "%s", code).add("section", "%s", section)
	} else {
		act = act.add("close_code", "none (the connection ended with %s)", run.end)
	}
	if at >= 0 {
		act = act.add("at", "%d", at)
	} else {
		act = act.add("at", "none (the validator accepted the text)")
	}
	return exp, act, run.detail
}
