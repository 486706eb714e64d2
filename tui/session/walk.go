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
// their index as tag, except those that Open a connection.
type Action struct {
	Name string
	Want int // entries the exchange produces
	Run  func(ctx context.Context, s *Session) error
	// Open, if set, makes the action a fresh connection whose client
	// offers permessage-deflate with these options: its entries are that
	// connection's opening handshake (see [Config.HandshakeTag]).
	Open  *protocol.CompressionOptions
	Steps []Step
}

// rfcMaskKey is the masking key of the RFC's examples (§5.7).
var rfcMaskKey = []byte{0x37, 0xfa, 0x21, 0x3d}

// sendAndEcho sends one message from the client, uncompressed whatever
// the connection negotiated, so that its bytes are those of RFC 6455.
func sendAndEcho(typ protocol.MessageType, data []byte) func(ctx context.Context, s *Session) error {
	return func(ctx context.Context, s *Session) error {
		return Send(ctx, s.Client, typ, data, 0, false)
	}
}

// sendCompressed sends "Hello" compressed from the client; the echo comes
// back compressed. The masking key is the RFC's, as in the plain "Hello".
func sendCompressed(ctx context.Context, s *Session) error {
	s.Keys.Next(rfcMaskKey)
	return Send(ctx, s.Client, protocol.TextMessage, []byte("Hello"), 0, true)
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
		return Send(ctx, s.Client, protocol.TextMessage, []byte("Hello"), 0, false)
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
			Text: "The client saw the server close TCP and closed its side. That is the whole life of a WebSocket connection. Next: the same \"Hello\" compressed, on a fresh connection. Or try f for free play or r for the raw frame lab (n starts a fresh connection), or watch a real browser: run wsanatomy serve --tui and open http://127.0.0.1:8080/ for the demo page."},
	}},
	{Name: "deflate", Want: 2, Open: &protocol.CompressionOptions{}, Steps: []Step{
		{Title: "compression: the client offers permessage-deflate", Pick: 0,
			Text: "A fresh connection, whose client offers compression in Sec-WebSocket-Extensions: permessage-deflate (RFC 7692 §5). The parameter client_max_window_bits without a value tells the server that this client can limit its own window if asked (§7.1.2.2). This is what Chromium offers on every connection."},
		{Title: "the server accepts: the agreement", Pick: 1,
			Text: "The server accepts by naming the extension in its response (§5, RFC 6455 §9.1), with only parameters the offer allowed (§7.1). With none, both directions keep context takeover (§7.1.1) and the largest window, 2^15 = 32768 bytes (§7.1.2). From now on RSV1 on a message's first frame means \"compressed\" (§6)."},
	}},
	{Name: "deflate-hello", Want: 4, Run: sendCompressed, Steps: []Step{
		{Title: "\"Hello\" compressed: RSV1 in the bit grid", Pick: 0,
			Text: "The client sends \"Hello\" compressed. RSV1 is set: permessage-deflate's \"Per-Message Compressed\" bit (RFC 7692 §6). The payload is DEFLATE data, masked as usual; unmasked it is f2 48 cd c9 c9 07 00, the bytes of the example in RFC 7692 §7.2.3.1."},
		{Title: "the compressed bytes, taken apart", Pick: 1,
			Text: "The server put back the 00 00 ff ff the sender left off (§7.2.1, §7.2.2) and inflated the bytes to \"Hello\". The token decoder shows what they say: a block of fixed Huffman codes with five literals, H e l l o; the last 00 begins the empty stored block of the sync flush. The first message has nothing earlier to point back to."},
		{Title: "the server's echo, compressed with its own window", Pick: 2,
			Text: "The server compresses its echo with its own compressor: each direction has its own window (§7.1.1). Its first message is the same 7 bytes, unmasked on the wire this time."},
	}},
	{Name: "deflate-hello-again", Want: 4, Run: sendCompressed, Steps: []Step{
		{Title: "\"Hello\" again: a shorter payload", Pick: 0,
			Text: "The same message again. With context takeover the client's compressor still holds the first \"Hello\" in its window, so the payload is now 4 bytes, 02 13 00 00. RFC 7692 §7.2.3.2 shows this case with zlib's 5 bytes, f2 00 11 00 00: a literal \"H\", then a copy of \"ello\"."},
		{Title: "why it is shorter: one back-reference", Pick: 1,
			Text: "The token decoder shows the whole message as one back-reference: copy 5 bytes from 5 bytes back, which is in the previous message. A length and a distance take a few bits each, where five literals took 8 bits apiece. This is what context takeover buys, at the price of keeping the window in memory for the whole connection."},
	}},
	{Name: "no-context", Want: 2, Open: &protocol.CompressionOptions{ClientNoContextTakeover: true, ServerNoContextTakeover: true}, Steps: []Step{
		{Title: "no context takeover: the offer", Pick: 0,
			Text: "Another fresh connection. This client offers client_no_context_takeover (it will empty its window after every message, §7.1.1.2) and asks for server_no_context_takeover (§7.1.1.1). Less memory kept per connection, more bytes on the wire."},
		{Title: "no context takeover: the answer", Pick: 1,
			Text: "A server accepts an offer of server_no_context_takeover by including the parameter in its response (§7.1.1.1). This one also says client_no_context_takeover back, which a server may always include (§7.1.1.2), so the agreement shows both: each side empties its window after every message it sends."},
	}},
	{Name: "no-context-hello", Want: 8, Run: func(ctx context.Context, s *Session) error {
		if err := sendCompressed(ctx, s); err != nil {
			return err
		}
		if !s.waitEntries(s.currentTag(), 4, 5*time.Second) {
			return fmt.Errorf("the first \"Hello\" was not echoed in time")
		}
		return sendCompressed(ctx, s)
	}, Steps: []Step{
		{Title: "no context takeover: \"Hello\" twice", Pick: 4,
			Text: "\"Hello\" twice again. The second costs 7 bytes, f2 48 cd c9 c9 07 00, just like the first: the client emptied its window after the first message, as agreed."},
		{Title: "no context takeover: nothing to point back to", Pick: 5,
			Text: "The token decoder finds five literals and no back-reference: the window was empty when this message started. Compare with the 4 bytes the same message took with context takeover."},
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

// currentTag is the tag of the action running now.
func (s *Session) currentTag() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tag
}

// RunWalk runs the whole walkthrough from a session started with cfg,
// opening a fresh connection for each action that asks for one. It
// returns every session it started, for the caller to close, even on
// error.
func RunWalk(ctx context.Context, cfg Config) ([]*Session, error) {
	s, err := Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	all := []*Session{s}
	for i := 1; i < len(Actions); i++ {
		if o := Actions[i].Open; o != nil {
			c := cfg
			c.ID, c.SampleNonce, c.Compression, c.HandshakeTag = s.ID+1, false, o, i
			if s, err = Start(ctx, c); err != nil {
				return all, err
			}
			all = append(all, s)
			continue
		}
		if err := s.RunAction(i); err != nil {
			return all, err
		}
	}
	return all, nil
}

// RunAction runs walkthrough action i and waits for its entries.
func (s *Session) RunAction(i int) error {
	a := Actions[i]
	if a.Open != nil {
		return fmt.Errorf("walkthrough step %q opens a fresh connection: start one with Config.Compression", a.Name)
	}
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
