package conformance

// The permessage-deflate cases (RFC 7692), after the Autobahn TestSuite's
// sections 12 ("different payloads": many sizes and kinds of payload with
// the default offer) and 13 ("different parameters": the same under each
// combination of no_context_takeover and max_window_bits), plus the
// project's own A.13.x (the server's parameters, fragmented compressed
// messages).
//
// Like the rest of the package, the peer shares no compression code with
// protocol/: it compresses and inflates with the standard library's
// compress/flate. Of protocol/ it uses only ParseExtensions, to read the
// Sec-WebSocket-Extensions header (RFC 6455 §9.1's grammar). compress/flate
// cannot limit its window, so where the agreement limits our window below
// 15 bits we compress with flate.HuffmanOnly, which writes no
// back-references at all and so keeps to any window. The peer's window is
// checked from what compress/flate can see: its dictionary holds only the
// last 2^bits bytes of the earlier messages, so a reference further back
// than the agreed window into an earlier message fails to inflate. (A
// reference too far back inside one message is not detected: that would
// need a DEFLATE token decoder of our own.)

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	mrand "math/rand"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/protocol"
)

const ruleDeflate = "§9.1, RFC 7692 §6, §7.2: with permessage-deflate agreed, a message whose first frame has RSV1 set is compressed: the DEFLATE data of the whole message, " +
	"without the empty block's final 00 00 ff ff; the receiver appends those 4 bytes and inflates, within the window and context takeover agreed in the handshake (RFC 7692 §7.1). " +
	"An echo peer sends each message back with its type, compressed or not."

// deflateState is the peer's compression state for one connection.
type deflateState struct {
	// What was agreed, from our point of view: our window and theirs,
	// and whether each side keeps its context between messages.
	ourBits, theirBits         int
	ourTakeover, theirTakeover bool

	fw     *flate.Writer
	out    bytes.Buffer
	window []byte // the end of what the other side sent before, for inflating
}

func newDeflateState(ourBits, theirBits int, ourTakeover, theirTakeover bool) *deflateState {
	d := &deflateState{ourBits: ourBits, theirBits: theirBits, ourTakeover: ourTakeover, theirTakeover: theirTakeover}
	level := flate.BestSpeed
	if ourBits < 15 {
		level = flate.HuffmanOnly // no back-references: within any window
	}
	d.fw, _ = flate.NewWriter(&d.out, level)
	return d
}

// agreement reads the permessage-deflate agreement from the server's
// response element, from the point of view of the client (client=true)
// or the server. It returns an error naming the rule a response breaks.
func agreement(header string, client bool) (*deflateState, error) {
	exts, err := protocol.ParseExtensions([]string{header})
	if err != nil {
		return nil, fmt.Errorf("the Sec-WebSocket-Extensions response %q does not parse: %v (RFC 6455 §9.1)", header, err)
	}
	if len(exts) != 1 || exts[0].Name != "permessage-deflate" {
		return nil, fmt.Errorf("the server agreed to %q; permessage-deflate alone was offered (RFC 6455 §9.1)", header)
	}
	sBits, cBits, sTake, cTake := 15, 15, true, true
	seen := map[string]bool{}
	for _, p := range exts[0].Params {
		if seen[p.Name] {
			return nil, fmt.Errorf("the response %q repeats %s (RFC 7692 §7)", header, p.Name)
		}
		seen[p.Name] = true
		bits := func() (int, error) {
			n, err := strconv.Atoi(p.Value)
			if err != nil || n < 8 || n > 15 || strings.HasPrefix(p.Value, "0") {
				return 0, fmt.Errorf("the response %q has %s=%q, not a number from 8 to 15 (RFC 7692 §7.1.2)", header, p.Name, p.Value)
			}
			return n, nil
		}
		switch p.Name {
		case "server_no_context_takeover":
			sTake = false
		case "client_no_context_takeover":
			cTake = false
		case "server_max_window_bits":
			if sBits, err = bits(); err != nil {
				return nil, err
			}
		case "client_max_window_bits":
			if cBits, err = bits(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("the response %q has the unknown parameter %s (RFC 7692 §7)", header, p.Name)
		}
	}
	if client {
		return newDeflateState(cBits, sBits, cTake, sTake), nil
	}
	return newDeflateState(sBits, cBits, sTake, cTake), nil
}

// checkAgainstOffer checks, for a client, a response against the single
// permessage-deflate element it offered, and keeps to what the offer
// promised even where the response left it out. (An offer of several
// elements, like 13.7.x's, is answered by any one of them: only the
// response's own rules apply then.)
func (d *deflateState) checkAgainstOffer(offer, header string) error {
	offers, err := protocol.ParseExtensions([]string{offer})
	if err != nil || len(offers) != 1 {
		return nil
	}
	resp, _ := protocol.ParseExtensions([]string{header})
	o, r := offers[0], resp[0]
	// RFC 7692 §7.1.2.1 and §7.1.2.2: a response has a max_window_bits
	// only if the offer had it, with no larger value.
	for _, name := range []string{"server_max_window_bits", "client_max_window_bits"} {
		rp, inResp := r.Param(name)
		op, inOffer := o.Param(name)
		switch {
		case inResp && !inOffer:
			return fmt.Errorf("the response %q has %s, which the offer %q did not have (RFC 7692 §7.1.2)", header, name, offer)
		case inResp && op.Value != "" && atoi(rp.Value) > atoi(op.Value):
			return fmt.Errorf("the response %q has %s=%s, larger than the %s offered (RFC 7692 §7.1.2)", header, name, rp.Value, op.Value)
		}
	}
	// What we offered binds us (RFC 7692 §7.1.1.2, §7.1.2.2).
	if _, ok := o.Param("client_no_context_takeover"); ok {
		d.ourTakeover = false
	}
	if op, ok := o.Param("client_max_window_bits"); ok && op.Value != "" {
		if n := atoi(op.Value); n < d.ourBits {
			d.ourBits = n
			d.fw, _ = flate.NewWriter(&d.out, flate.HuffmanOnly) // see newDeflateState
		}
	}
	return nil
}

// compress returns msg as a permessage-deflate payload (RFC 7692 §7.2.1):
// a sync flush, without its final 00 00 ff ff.
func (d *deflateState) compress(msg []byte) []byte {
	d.out.Reset()
	if !d.ourTakeover {
		d.fw.Reset(&d.out)
	}
	d.fw.Write(msg)
	d.fw.Flush()
	b := d.out.Bytes()
	if !bytes.HasSuffix(b, []byte{0, 0, 0xff, 0xff}) {
		panic("compress/flate did not end with a sync flush")
	}
	return append([]byte(nil), b[:len(b)-4]...)
}

// inflate inflates a payload of the other side (RFC 7692 §7.2.2): with
// 00 00 ff ff appended, and an empty final block after it so that the
// reader ends. limit bounds the result: memory follows what the case
// expects, not what a hostile stream expands to.
func (d *deflateState) inflate(payload []byte, limit int) ([]byte, error) {
	if !d.theirTakeover {
		d.window = nil
	}
	var msg []byte
	if len(payload) > 0 {
		in := append(append(append([]byte(nil), payload...), 0, 0, 0xff, 0xff), 1, 0, 0, 0xff, 0xff)
		var err error
		msg, err = io.ReadAll(io.LimitReader(flate.NewReaderDict(bytes.NewReader(in), d.window), int64(limit)+1))
		if err != nil {
			return nil, err
		}
		if len(msg) > limit {
			return nil, fmt.Errorf("it inflates to more than the %d bytes expected", limit)
		}
	}
	if d.theirTakeover {
		d.window = append(d.window, msg...)
		if w := 1 << d.theirBits; len(d.window) > w {
			d.window = append([]byte(nil), d.window[len(d.window)-w:]...)
		}
	}
	return msg, nil
}

// sendCompressed sends msg compressed, in frames of at most frag bytes of
// payload (0: one frame), RSV1 on the first only (RFC 7692 §6).
func (p *Peer) sendCompressed(op byte, msg []byte, frag int) {
	payload := p.deflate.compress(msg)
	if frag <= 0 {
		frag = len(payload) + 1
	}
	first := true
	for first || len(payload) > 0 {
		n := min(frag, len(payload))
		rsv, fop := byte(0), byte(OpCont)
		if first {
			rsv, fop = 4, op
		}
		p.MustSend(p.Frame(n == len(payload), rsv, fop, payload[:n]))
		payload, first = payload[n:], false
	}
}

// expectDeflated reads the next message, compressed or not (RFC 7692
// §6: the sender chooses per message), and ends the case unless it
// inflates to an echo of op and want.
func (p *Peer) expectDeflated(op byte, want []byte) {
	var (
		msg        []byte
		compressed bool
		gotOp      byte
	)
	for {
		f, err := p.ReadFrame(p.Timeout)
		if err != nil {
			p.failf(Failed, "expected the echo of a %d-byte %s message: %s", len(want), opName(op), describe(err, p.Timeout))
		}
		if f.Op >= 8 {
			p.failf(Failed, "expected the echo of a %d-byte %s message, got a %v", len(want), opName(op), f)
		}
		switch {
		case gotOp == 0 && f.Op == OpCont:
			p.failf(Failed, "the peer sent a continuation frame with no message in progress (§5.4)")
		case gotOp != 0 && f.Op != OpCont:
			p.failf(Failed, "the peer started a new %s message inside a fragmented one (§5.4)", opName(f.Op))
		case gotOp != 0 && f.Rsv != 0:
			p.failf(Failed, "the peer set RSV1 on a continuation frame: RFC 7692 §6 sets it on the first frame of a message only")
		case gotOp == 0:
			gotOp, compressed = f.Op, f.Rsv == 4
		}
		if len(msg)+len(f.Payload) > maxFrame {
			p.failf(Failed, "the peer sent a message of more than %d bytes, more than any case asks for", maxFrame)
		}
		msg = append(msg, f.Payload...)
		if f.Fin {
			break
		}
	}
	if compressed {
		var err error
		if msg, err = p.deflate.inflate(msg, len(want)); err != nil {
			p.failf(Failed, "the peer's compressed %s message does not inflate within the agreed window of %d bytes (RFC 7692 §7.2.2, §7.1.2): %v",
				opName(gotOp), 1<<p.deflate.theirBits, err)
		}
	}
	switch {
	case gotOp != op:
		p.failf(Failed, "expected the echo of a %s message, got a %s message of %d bytes", opName(op), opName(gotOp), len(msg))
	case !bytes.Equal(msg, want):
		p.failf(Failed, "the echo differs from the message sent: %s", describeDiff(msg, want))
	}
}

// Payload kinds, after Autobahn's 12.1 to 12.5: text from a small
// vocabulary, random bytes, a repeated pattern, JSON-like records, and
// binary with structure. The same seed gives the same payload.
func deflatePayload(kind, size int, seed int64) (op byte, b []byte) {
	rng := mrand.New(mrand.NewSource(seed))
	b = make([]byte, 0, size)
	switch kind {
	case 1:
		words := strings.Fields("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor 压缩 κόσμε")
		for len(b) < size {
			b = append(b, words[rng.Intn(len(words))]...)
			b = append(b, ' ')
		}
		for len(b) > size || !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
		return OpText, b
	case 2:
		b = b[:size]
		rng.Read(b)
		return OpBinary, b
	case 3:
		for len(b) < size {
			b = append(b, "0123456789abcdef"...)
		}
		return OpText, b[:size]
	case 4:
		for i := 0; len(b) < size; i++ {
			b = fmt.Appendf(b, `{"id":%d,"name":"user%d","score":%d,"tags":["a","b"]},`, i, rng.Intn(1000), rng.Intn(100))
		}
		return OpText, b[:size]
	default:
		for len(b) < size {
			b = append(b, byte(len(b)>>8), byte(rng.Intn(4)), 0, 0)
		}
		return OpBinary, b[:size]
	}
}

var deflateKinds = []string{"", "text", "random binary", "repeated text", "JSON-like text", "structured binary"}

// deflateRun sends count messages of the kind and size, each compressed
// (in frames of frag bytes, 0 for one frame), expects each echoed, and
// closes.
func deflateRun(kind, size, count, frag int) func(p *Peer) {
	return func(p *Peer) {
		for i := 0; i < count; i++ {
			op, msg := deflatePayload(kind, size, int64(i))
			p.sendCompressed(op, msg, frag)
			p.expectDeflated(op, msg)
		}
		p.CloseHandshake(1000, "")
	}
}

// deflateCases returns the 12.x, 13.x and A.13.x cases. Offer is what we
// offer as a client; Response what we answer, as a server, to a client
// that offers permessage-deflate.
func deflateCases() []Case {
	var cs []Case
	add := func(id, desc, offer, response string, run func(p *Peer)) {
		cs = append(cs, Case{ID: id, Desc: desc, Rule: ruleDeflate, Extensions: offer, Response: response,
			Timeout: 10 * time.Second, run: run})
	}
	sizes := []int{16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072}
	// Section 12: the default offer, many payloads.
	for kind := 1; kind <= 5; kind++ {
		for i, size := range sizes {
			add(fmt.Sprintf("12.%d.%d", kind, i+1), fmt.Sprintf("10 compressed %s messages of %d bytes", deflateKinds[kind], size),
				"permessage-deflate", "permessage-deflate", deflateRun(kind, size, 10, 0))
		}
	}
	// Section 13: the parameters. Autobahn's 13.x offers are
	// (client_no_context_takeover, client_max_window_bits) pairs; the
	// responses are what a server with those limits answers a client.
	params := []struct{ offer, response string }{
		{"permessage-deflate", "permessage-deflate"},
		{"permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover"},
		{"permessage-deflate; client_max_window_bits=8", "permessage-deflate; client_max_window_bits=8"},
		{"permessage-deflate; client_max_window_bits=15", "permessage-deflate; client_max_window_bits=15"},
		{"permessage-deflate; client_no_context_takeover; client_max_window_bits=8", "permessage-deflate; client_no_context_takeover; client_max_window_bits=8"},
		{"permessage-deflate; client_no_context_takeover; client_max_window_bits=15", "permessage-deflate; client_no_context_takeover; client_max_window_bits=15"},
		{"permessage-deflate; client_no_context_takeover; client_max_window_bits=8, permessage-deflate; client_no_context_takeover, permessage-deflate",
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
	}
	for i, pr := range params {
		for j, size := range []int{16, 1024, 32768, 131072} {
			add(fmt.Sprintf("13.%d.%d", i+1, j+1), fmt.Sprintf("10 compressed text messages of %d bytes; offer %q, response %q", size, pr.offer, pr.response),
				pr.offer, pr.response, deflateRun(1, size, 10, 0))
		}
	}
	// Our own: the server's parameters offered by the client, and
	// fragmented compressed messages.
	for i, pr := range []struct{ offer, response string }{
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
		{"permessage-deflate; server_max_window_bits=8", "permessage-deflate; server_no_context_takeover; client_max_window_bits=12"},
		{"permessage-deflate; server_max_window_bits=10; server_no_context_takeover; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_max_window_bits=9"},
	} {
		for j, size := range []int{256, 32768, 131072} {
			add(fmt.Sprintf("A.13.%d.%d", i+1, j+1), fmt.Sprintf("10 compressed JSON-like messages of %d bytes; offer %q, response %q", size, pr.offer, pr.response),
				pr.offer, pr.response, deflateRun(4, size, 10, 0))
		}
	}
	for j, size := range []int{1024, 131072} {
		add(fmt.Sprintf("A.13.4.%d", j+1), fmt.Sprintf("5 compressed text messages of %d bytes in frames of 100 bytes", size),
			"permessage-deflate", "permessage-deflate", deflateRun(1, size, 5, 100))
	}
	return cs
}

// answerOffer returns the Sec-WebSocket-Extensions value with which we,
// as the server, accept a client's offer for case c, or why the offer
// cannot be answered with the case's response (then the case is
// UNIMPLEMENTED).
func answerOffer(c Case, offers []string) (string, string) {
	exts, err := protocol.ParseExtensions(offers)
	if err != nil {
		return "", fmt.Sprintf("the client's Sec-WebSocket-Extensions %q does not parse (%v), so no extension was agreed", offers, err)
	}
	for _, e := range exts {
		if e.Name != "permessage-deflate" {
			continue
		}
		// RFC 7692 §7.1.2.2: a response may carry client_max_window_bits
		// only if the offer did.
		if strings.Contains(c.Response, "client_max_window_bits") {
			if _, ok := e.Param("client_max_window_bits"); !ok {
				continue
			}
		}
		return c.Response, ""
	}
	if strings.Contains(c.Response, "client_max_window_bits") {
		return "", fmt.Sprintf("the client offered no permessage-deflate with client_max_window_bits (offer %q), which this case's response %q needs (RFC 7692 §7.1.2.2)", offers, c.Response)
	}
	return "", fmt.Sprintf("the client did not offer permessage-deflate (offer %q)", offers)
}

// atoi reads a window size that agreement (or our own offer) has checked.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
