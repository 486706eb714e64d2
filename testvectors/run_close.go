package testvectors

import "context"

// runClose sends a close frame carrying the vector's payload to a server
// Conn, and compares its reaction: the code and reason it accepts, or the
// failure. Going through a Conn, not just the payload parser, tests what a
// peer sees.
func runClose(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	if v.Expect.Closed != nil {
		exp = expectClosed(v.Expect.Closed)
	} else {
		exp = expectError(v.Expect.Error)
	}
	frame := maskedFrame(true, 0x8, true, v.Input.Payload)
	run := runConn(ctx, "server", nil, [][]byte{frame})
	if len(run.messages) > 0 {
		return exp, newOutcome("message-delivered"), "a close frame delivered a message"
	}
	return exp, run.end, run.detail
}
