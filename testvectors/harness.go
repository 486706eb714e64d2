package testvectors

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// connRun is what a real protocol.Conn did with a scripted peer's frames.
type connRun struct {
	messages []delivered
	end      outcome // how reading ended: "eof", "closed ..." or "error ..."
	detail   string  // the error's own words
	written  []byte  // everything the receiver sent back
}

type delivered struct {
	typ     protocol.MessageType
	payload []byte
}

// maxMessagesPerVector stops a runaway loop if a codec keeps delivering.
const maxMessagesPerVector = 10000

// runConn feeds frames, each as its own read, to a Conn in the receiver's
// role and reads messages until reading fails. With limit nil there is no
// message limit (protocol.Options spells that as a negative number).
func runConn(ctx context.Context, receiver string, limit *int64, frames [][]byte) connRun {
	sc := newScriptConn(frames...)
	opts := &protocol.Options{MessageLimit: -1, CloseTimeout: time.Second}
	if limit != nil {
		opts.MessageLimit = *limit
	}
	return readConn(ctx, protocol.NewConn(sc, role(receiver), nil, opts), sc)
}

// readConn reads messages from c until reading fails, then closes it and
// collects everything it wrote to sc.
func readConn(ctx context.Context, c *protocol.Conn, sc *scriptConn) connRun {
	var run connRun
	for len(run.messages) < maxMessagesPerVector {
		typ, p, err := c.ReadMessage(ctx)
		if err == nil {
			run.messages = append(run.messages, delivered{typ, p})
			continue
		}
		run.end, run.detail = endOutcome(err)
		break
	}
	c.CloseNow()
	run.written = sc.Written()
	return run
}

// endOutcome classifies the error that ended reading. A peer that stopped
// sending without a close frame reaches the receiver as 1006 (§7.1.5);
// the vectors call that "eof".
func endOutcome(err error) (outcome, string) {
	var v *protocol.Violation
	var ce *protocol.CloseError
	switch {
	case errors.As(err, &v):
		return violationOutcome(v), v.Msg
	case errors.As(err, &ce) && ce.Code == protocol.CloseAbnormalClosure:
		return newOutcome("eof"), ce.Error()
	case errors.As(err, &ce):
		return newOutcome("closed").add("code", "%d", uint16(ce.Code)).add("reason", "%q", ce.Reason), ce.Error()
	}
	return newOutcome("io-error").add("error", "%q", err.Error()), err.Error()
}

// replyText renders a frame the receiver wrote: "pong:<payload>" or, for a
// close frame, "close:<code>" (its reason is the implementation's). An
// empty close frame is "close:1005", the code that by §7.1.5 stands for
// "no status code"; 1005 itself on the wire is forbidden (§7.4.1) and is
// shown as such.
func replyText(f wireFrame) string {
	switch {
	case f.HeaderIncomplete || f.Truncated:
		return "incomplete-frame"
	case f.Opcode == 0x8 && len(f.Unmasked) == 0:
		return "close:1005"
	case f.Opcode == 0x8 && len(f.Unmasked) == 1:
		return "close:1-byte-payload"
	case f.Opcode == 0x8:
		code := binary.BigEndian.Uint16(f.Unmasked)
		if code == 1005 {
			return "close:1005-on-the-wire"
		}
		return fmt.Sprintf("close:%d", code)
	}
	return fmt.Sprintf("%s:%s", opcodeName(f.Opcode), renderBytes(f.Unmasked))
}

// maskedFrame builds one frame the way a peer would, for runners that turn
// a payload into frames (utf8, close). Written here from §5.2 rather than
// with the codec's encoder, for the same reason as wireFrame.
func maskedFrame(fin bool, opcode byte, masked bool, payload []byte) []byte {
	b0 := opcode
	if fin {
		b0 |= 0x80
	}
	var b []byte
	n := len(payload)
	var m byte
	if masked {
		m = 0x80
	}
	switch {
	case n <= 125:
		b = append(b, b0, m|byte(n))
	case n <= 0xFFFF:
		b = append(b, b0, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, b0, m|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if !masked {
		return append(b, payload...)
	}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d} // the key of the §5.7 examples
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}
