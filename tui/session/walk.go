package session

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Step is one screen of the guided walkthrough: it shows entry Pick of the
// entries its action produced.
type Step struct {
	Title string
	Text  string
	Pick  int
}

// Action is one real exchange of the walkthrough. Action 0 is the opening
// handshake, done by [Start]; the others run with [Session.Do] and carry
// their index as tag.
type Action struct {
	Name  string
	Want  int // entries the exchange produces
	Run   func(ctx context.Context, s *Session) error
	Steps []Step
}

// rfcMaskKey is the masking key of the RFC's examples (§5.7).
var rfcMaskKey = []byte{0x37, 0xfa, 0x21, 0x3d}

// sendAndEcho sends one message from the client and waits for the server's
// echo to be recorded.
func sendAndEcho(typ protocol.MessageType, data []byte) func(ctx context.Context, s *Session) error {
	return func(ctx context.Context, s *Session) error {
		return s.Client.WriteMessage(ctx, typ, data)
	}
}

// Actions is the walkthrough, in order. Every step is a real exchange over
// the session's TCP connection.
var Actions = []Action{
	{Name: "handshake", Want: 2, Steps: []Step{
		{Title: "the opening handshake: the client's request", Pick: 0,
			Text: "A WebSocket connection starts as HTTP. The client sends a GET with Upgrade: websocket and a random Sec-WebSocket-Key. This walkthrough sends the RFC's sample key (§1.3) so you can check every step against the RFC; a real client picks 16 random bytes."},
		{Title: "the server's 101 response and Sec-WebSocket-Accept", Pick: 1,
			Text: "The server answers 101 Switching Protocols. Its Sec-WebSocket-Accept is base64(SHA-1(key + GUID)): only a server that read this request and speaks WebSocket can produce it. From the next byte on, both sides speak frames."},
	}},
	{Name: "hello", Want: 2, Run: func(ctx context.Context, s *Session) error {
		s.Keys.Next(rfcMaskKey)
		return s.Client.WriteMessage(ctx, protocol.TextMessage, []byte("Hello"))
	}, Steps: []Step{
		{Title: "a masked text frame from the client", Pick: 0,
			Text: "The client sends the text message \"Hello\" in one frame. Clients must mask (§5.1): the masking key here is 37 fa 21 3d, as in the RFC's example (§5.7), so the bytes are exactly 81 85 37 fa 21 3d 7f 9f 4d 51 58. Press tab to walk through the fields, [ and ] to walk through the bytes."},
		{Title: "the server's echo, unmasked", Pick: 1,
			Text: "The echo server sends \"Hello\" back. Servers never mask (§5.1), so this frame is 81 05 48 65 6c 6c 6f: the letters are right there on the wire."},
	}},
	{Name: "binary", Want: 2, Run: sendAndEcho(protocol.BinaryMessage, []byte{0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff}), Steps: []Step{
		{Title: "a binary message", Pick: 0,
			Text: "Opcode 0x2 marks a binary message: the bytes need not be UTF-8, and the application decides what they mean (§5.6)."},
	}},
	{Name: "len125", Want: 2, Run: sendAndEcho(protocol.TextMessage, bytes.Repeat([]byte("a"), 125)), Steps: []Step{
		{Title: "125 bytes: the largest 7-bit length", Pick: 0,
			Text: "Payload lengths 0 to 125 go straight into the 7-bit field (§5.2). 125 is the largest: 126 and 127 are markers."},
	}},
	{Name: "len126", Want: 2, Run: sendAndEcho(protocol.TextMessage, bytes.Repeat([]byte("b"), 126)), Steps: []Step{
		{Title: "126 bytes: the 16-bit extended length", Pick: 0,
			Text: "126 does not fit, so the 7-bit field holds the marker 126 and the next 2 bytes hold the length, big-endian (§5.2). The minimal form is required, so 126 to 65535 always use exactly this form."},
	}},
	{Name: "len65536", Want: 2, Run: sendAndEcho(protocol.BinaryMessage, bytes.Repeat([]byte{0x5a}, 65536)), Steps: []Step{
		{Title: "65536 bytes: the 64-bit extended length", Pick: 0,
			Text: "65536 is one more than 16 bits can hold, so the 7-bit field holds 127 and the next 8 bytes hold the length. The most significant bit of those 64 must be 0 (§5.2)."},
	}},
	{Name: "fragments", Want: 6, Run: func(ctx context.Context, s *Session) error {
		c := s.Client
		if err := c.WriteFrame(ctx, protocol.Header{Opcode: protocol.OpText}, []byte("Hel")); err != nil {
			return err
		}
		if err := c.Ping(ctx, []byte("between")); err != nil {
			return err
		}
		if err := c.WriteFrame(ctx, protocol.Header{Opcode: protocol.OpContinuation}, []byte("lo, wo")); err != nil {
			return err
		}
		return c.WriteFrame(ctx, protocol.Header{Fin: true, Opcode: protocol.OpContinuation}, []byte("rld"))
	}, Steps: []Step{
		{Title: "a fragmented message: the first fragment", Pick: 0,
			Text: "One message may be sent as several frames (§5.4). The first carries the message's opcode (text) with FIN clear."},
		{Title: "a ping between the fragments", Pick: 1,
			Text: "Control frames may be injected between the fragments of a message (§5.4), which is why they are never fragmented themselves and carry at most 125 bytes (§5.5)."},
		{Title: "the server answers the ping at once", Pick: 2,
			Text: "The server answers with a pong carrying the same payload (§5.5.3), even in the middle of the client's message."},
		{Title: "a continuation frame", Pick: 3,
			Text: "The middle fragment has opcode 0x0, continuation, and FIN clear."},
		{Title: "the last fragment, and the echo", Pick: 4,
			Text: "The last fragment has FIN set. The server has now read the whole message \"Hello, world\" and echoes it as one frame (the next entry)."},
	}},
	{Name: "ping", Want: 2, Run: func(ctx context.Context, s *Session) error {
		return s.Client.Ping(ctx, []byte("are you there?"))
	}, Steps: []Step{
		{Title: "ping", Pick: 0,
			Text: "A ping asks the peer to prove it is alive. Opcode 0x9; its payload, if any, is at most 125 bytes (§5.5.2)."},
		{Title: "pong", Pick: 1,
			Text: "The pong (opcode 0xA) carries exactly the ping's payload back (§5.5.3)."},
	}},
	{Name: "close", Want: 4, Run: func(ctx context.Context, s *Session) error {
		err := s.Client.Close(protocol.CloseNormal, "done, thanks")
		if !s.WaitClosed(3 * time.Second) {
			return fmt.Errorf("the TCP connection did not close in time")
		}
		return err
	}, Steps: []Step{
		{Title: "the closing handshake: the client's close frame", Pick: 0,
			Text: "To close, an endpoint sends a close frame: a 2-byte status code, big-endian, then an optional UTF-8 reason (§5.5.1). 1000 means normal closure (§7.4.1). After it, the client sends no more data."},
		{Title: "the server echoes the close", Pick: 1,
			Text: "The server answers with its own close frame, echoing the code (§5.5.1). Both sides have now sent and received a close: the WebSocket connection is closed."},
		{Title: "the server closes TCP first", Pick: 2,
			Text: "§7.1.1: the server should close the TCP connection first, so that it, not the client, holds the TIME_WAIT state. The client then sees the end of the stream."},
		{Title: "the client's TCP connection ends", Pick: 3,
			Text: "The client saw the server close TCP and closed its side. That is the whole life of a WebSocket connection. Try f for free play or r for the raw frame lab (n starts a fresh connection). Then watch a real browser: run wsanatomy serve --tui and open http://127.0.0.1:8080/ for the demo page."},
	}},
}

// FlatStep locates a walkthrough step: its action and its step within.
type FlatStep struct {
	Action int
	Step
}

// Steps returns every step of the walkthrough in order.
func Steps() []FlatStep {
	var out []FlatStep
	for i, a := range Actions {
		for _, st := range a.Steps {
			out = append(out, FlatStep{Action: i, Step: st})
		}
	}
	return out
}

// RunAction runs walkthrough action i and waits for its entries.
func (s *Session) RunAction(i int) error {
	a := Actions[i]
	err := <-s.Do(i, func(ctx context.Context, s *Session) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := a.Run(ctx, s); err != nil {
			return err
		}
		if !s.waitEntries(i, a.Want, 5*time.Second) {
			return fmt.Errorf("walkthrough step %q: the exchange did not complete", a.Name)
		}
		return nil
	})
	return err
}
