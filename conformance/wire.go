package conformance

// A small, independent WebSocket wire implementation for the cases: it
// builds frames by hand (so that it can build broken ones), sends them in
// chopped TCP writes, and reads the peer's frames strictly. It shares no
// code with protocol/ on purpose: a conformance suite that decoded with the
// codec it tests would share that codec's mistakes.

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The opcodes of §5.2.
const (
	OpCont   = 0x0
	OpText   = 0x1
	OpBinary = 0x2
	OpClose  = 0x8
	OpPing   = 0x9
	OpPong   = 0xA
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey is the Sec-WebSocket-Accept value for key (§4.2.2).
func AcceptKey(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// BuildFrame encodes one frame. rsv is the 3-bit RSV field as Autobahn
// numbers it (4 = RSV1, 2 = RSV2, 1 = RSV3). A masked frame gets a random
// key. The length is always in its minimal form; see nonMinimal for the
// other forms.
func BuildFrame(fin bool, rsv, op byte, payload []byte, masked bool) []byte {
	b0 := op&0x0F | (rsv&7)<<4
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0, 0}
	n := len(payload)
	switch {
	case n <= 125:
		out[1] = byte(n)
	case n <= 0xFFFF:
		out[1] = 126
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	default:
		out[1] = 127
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	if !masked {
		return append(out, payload...)
	}
	out[1] |= 0x80
	var key [4]byte
	rand.Read(key[:])
	out = append(out, key[:]...)
	start := len(out)
	out = append(out, payload...)
	for i := range payload {
		out[start+i] ^= key[i&3]
	}
	return out
}

// ClosePayload is the body of a close frame: the code in network byte
// order, then the reason (§5.5.1).
func ClosePayload(code int, reason string) []byte {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(p, reason...)
}

// Frame is a frame received from the peer, unmasked.
type Frame struct {
	Fin     bool
	Rsv     byte
	Op      byte
	Masked  bool
	Payload []byte
}

func (f Frame) String() string {
	s := fmt.Sprintf("%s frame (fin=%v, %d bytes)", opName(f.Op), f.Fin, len(f.Payload))
	if f.Op == OpClose && len(f.Payload) >= 2 {
		s = fmt.Sprintf("close frame with code %d, reason %q", binary.BigEndian.Uint16(f.Payload), f.Payload[2:])
	}
	return s
}

func opName(op byte) string {
	switch op {
	case OpCont:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return fmt.Sprintf("opcode %#x", op)
}

// Peer is our end of a raw WebSocket connection to the implementation
// under test. Client says which end we are: a client masks what it sends
// and expects unmasked frames (§5.1).
//
// The Expect methods end the case when the peer does something else: they
// call Fatalf if it is set (tests of a single exchange pass t.Fatalf),
// and otherwise panic with a value the runner recovers as the verdict.
type Peer struct {
	nc     net.Conn
	br     *bufio.Reader
	client bool

	// Timeout bounds each expected event: a frame, a TCP close.
	Timeout time.Duration
	// deadline is the end of the case's whole time limit (zero: none);
	// no read or write waits past it.
	deadline time.Time
	// failFastWait is how long a fail-fast case waits for the close before
	// it sends the rest of the message.
	failFastWait time.Duration

	// Extensions is the Sec-WebSocket-Extensions the peer agreed to in the
	// opening handshake ("" for none).
	Extensions string

	// Fatalf, when set, is called for a failure instead of ending the case
	// with a FAILED verdict.
	Fatalf func(format string, args ...any)

	// RSV1Allowed is set when permessage-deflate was negotiated: RSV1 is
	// then allowed on the first frame of a data message (RFC 7692 §6).
	RSV1Allowed bool
	// deflate is the compression state when permessage-deflate was
	// agreed (deflate.go).
	deflate *deflateState

	sentClose bool
	ending    Ending
	failCode  int
	verdict   Verdict
	notes     []Note
	rec       *recorder
}

// The errors ReadFrame wraps: the peer closed TCP, or nothing came in time.
var (
	ErrPeerClosedTCP = errors.New("the peer closed the TCP connection")
	ErrTimeout       = errors.New("timed out")
)

// DialOptions tunes Dial.
type DialOptions struct {
	Timeout time.Duration // the handshake's bound and each expectation's; default 5s
	// Extensions, if not empty, is offered in Sec-WebSocket-Extensions.
	Extensions string
}

// Dial connects to a ws:// URL and performs the opening handshake with a
// hand-written request (§4.1). It contacts only the URL's host.
func Dial(rawURL string, opts DialOptions) (*Peer, error) {
	return dial(context.Background(), rawURL, opts, nil)
}

// dial is Dial for a case: the handshake also ends when ctx does (the run
// was stopped), not only when opts.Timeout runs out.
func dial(ctx context.Context, rawURL string, opts DialOptions, rec *recorder) (*Peer, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("%q: only ws:// URLs can be checked", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	d := net.Dialer{Timeout: opts.Timeout}
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		nc = &recConn{Conn: nc, rec: rec}
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
	if opts.Extensions != "" {
		req += "Sec-WebSocket-Extensions: " + opts.Extensions + "\r\n"
	}
	req += "\r\n"
	nc.SetDeadline(time.Now().Add(opts.Timeout))
	// When the run stops, a deadline in the past ends any read or write
	// of the handshake at once; the error paths below close the
	// connection.
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Now()) })
	defer stop()
	if _, err := io.WriteString(nc, req); err != nil {
		nc.Close()
		return nil, err
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("reading the handshake response: %w", err)
	}
	resp.Body.Close()
	fail := func(format string, args ...any) (*Peer, error) {
		nc.Close()
		return nil, fmt.Errorf(format, args...)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return fail("the handshake was answered with %s, not 101 (§4.2.2)", resp.Status)
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != AcceptKey(key) {
		return fail("Sec-WebSocket-Accept is %q, want %q (§4.2.2)", got, AcceptKey(key))
	}
	if !tokenIn(resp.Header.Get("Upgrade"), "websocket") || !tokenIn(resp.Header.Get("Connection"), "upgrade") {
		return fail("bad Upgrade or Connection in the response: %q / %q (§4.2.2)", resp.Header.Get("Upgrade"), resp.Header.Get("Connection"))
	}
	ext := strings.Join(resp.Header.Values("Sec-WebSocket-Extensions"), ", ")
	if ext != "" && opts.Extensions == "" {
		return fail("the server accepted extension %q that was not offered (§9.1)", ext)
	}
	nc.SetDeadline(time.Time{})
	if rec != nil {
		rec.handshakeDone(br.Buffered())
	}
	return &Peer{nc: nc, br: br, client: true, Timeout: opts.Timeout, Extensions: ext, verdict: OK, rec: rec}, nil
}

// Accept performs the server side of the opening handshake on nc, checking
// the client's request against §4.1.
func Accept(nc net.Conn, timeout time.Duration) (*Peer, error) {
	p, _, err := accept(nc, timeout, nil, nil)
	return p, err
}

// accept is Accept for a case: answer, when set, chooses the
// Sec-WebSocket-Extensions of the response from the client's offers ("":
// none) and may say why none was agreed, which accept returns.
func accept(nc net.Conn, timeout time.Duration, rec *recorder, answer func(offers []string) (string, string)) (p *Peer, why string, err error) {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if rec != nil {
		nc = &recConn{Conn: nc, rec: rec}
	}
	nc.SetDeadline(time.Now().Add(timeout))
	br := bufio.NewReader(nc)
	req, err := http.ReadRequest(br)
	if err != nil {
		nc.Close()
		return nil, "", fmt.Errorf("reading the client's handshake: %w", err)
	}
	key := req.Header.Get("Sec-WebSocket-Key")
	nonce, err := base64.StdEncoding.DecodeString(key)
	var bad string
	switch {
	case err != nil || len(nonce) != 16:
		bad = fmt.Sprintf("Sec-WebSocket-Key %q is not the base64 of 16 bytes (§4.1 item 7)", key)
	case req.Method != http.MethodGet:
		bad = fmt.Sprintf("the method is %s, not GET (§4.1 item 2)", req.Method)
	case !tokenIn(req.Header.Get("Upgrade"), "websocket") || !tokenIn(req.Header.Get("Connection"), "upgrade"):
		bad = fmt.Sprintf("bad Upgrade or Connection: %q / %q (§4.1 items 5-6)", req.Header.Get("Upgrade"), req.Header.Get("Connection"))
	case req.Header.Get("Sec-WebSocket-Version") != "13":
		bad = fmt.Sprintf("Sec-WebSocket-Version is %q, not 13 (§4.1 item 9)", req.Header.Get("Sec-WebSocket-Version"))
	case req.Host == "":
		bad = "no Host header (§4.1 item 4)"
	}
	if bad != "" {
		io.WriteString(nc, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		nc.Close()
		return nil, "", errors.New(bad)
	}
	// An extension is accepted only for a case that asks for one
	// (Case.Response).
	var ext string
	if answer != nil {
		ext, why = answer(req.Header.Values("Sec-WebSocket-Extensions"))
	}
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		AcceptKey(key) + "\r\n"
	if ext != "" {
		resp += "Sec-WebSocket-Extensions: " + ext + "\r\n"
	}
	resp += "\r\n"
	if _, err := io.WriteString(nc, resp); err != nil {
		nc.Close()
		return nil, "", err
	}
	nc.SetDeadline(time.Time{})
	if rec != nil {
		rec.handshakeDone(br.Buffered())
	}
	return &Peer{nc: nc, br: br, client: false, Timeout: timeout, Extensions: ext, verdict: OK, rec: rec}, why, nil
}

// NewPeer wraps a connection whose opening handshake is already done; br
// holds whatever was read past the handshake. client says which end we are.
func NewPeer(nc net.Conn, br *bufio.Reader, client bool, timeout time.Duration) *Peer {
	return &Peer{nc: nc, br: br, client: client, Timeout: timeout, verdict: OK}
}

func tokenIn(header, token string) bool {
	for _, f := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(f), token) {
			return true
		}
	}
	return false
}

// Close closes the TCP connection.
func (p *Peer) Close() error { return p.nc.Close() }

// Ending is how the connection ended: after a closing handshake, after the
// peer failed it, or neither yet.
func (p *Peer) Ending() Ending { return p.ending }

// failf ends the case with verdict v.
func (p *Peer) failf(v Verdict, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.Fatalf != nil {
		p.Fatalf("%s", msg)
		return
	}
	panic(caseEnd{verdict: v, msg: msg})
}

// note records an observation that lowers the verdict without ending the
// case.
func (p *Peer) note(v Verdict, format string, args ...any) {
	p.notes = append(p.notes, Note{Verdict: v, Text: fmt.Sprintf(format, args...)})
	p.verdict = worse(p.verdict, v)
}

// bound returns the earlier of now+d and the case's deadline.
func (p *Peer) bound(d time.Duration) time.Time {
	t := time.Now().Add(d)
	if !p.deadline.IsZero() && p.deadline.Before(t) {
		return p.deadline
	}
	return t
}

// Frame builds a frame masked as our role requires.
func (p *Peer) Frame(fin bool, rsv, op byte, payload []byte) []byte {
	return BuildFrame(fin, rsv, op, payload, p.client)
}

// Send writes b in one write. An error is returned, not fatal: after the
// peer failed the connection, writing is allowed to fail.
func (p *Peer) Send(b []byte) error {
	// A slow peer is given 20ms a 64 KiB on top of the timeout.
	p.nc.SetWriteDeadline(p.bound(p.Timeout + time.Duration(len(b)>>16)*20*time.Millisecond))
	_, err := p.nc.Write(b)
	return err
}

// MustSend writes b and ends the case if that fails.
func (p *Peer) MustSend(b []byte) {
	if err := p.Send(b); err != nil {
		p.failf(Failed, "sending %d bytes failed: %v", len(b), wrapErr(err))
	}
}

// SendChopped writes b in pieces of chop bytes, pausing between them.
func (p *Peer) SendChopped(b []byte, chop int, pause time.Duration) error {
	for len(b) > 0 {
		n := min(chop, len(b))
		if err := p.Send(b[:n]); err != nil {
			return err
		}
		b = b[n:]
		if pause > 0 && len(b) > 0 {
			time.Sleep(pause)
		}
	}
	return nil
}

// mustSendChopped is SendChopped that ends the case on an error.
func (p *Peer) mustSendChopped(b []byte, chop int, pause time.Duration) {
	if err := p.SendChopped(b, chop, pause); err != nil {
		p.failf(Failed, "sending failed: %v", wrapErr(err))
	}
}

// SendFrame sends one frame masked as our role requires.
func (p *Peer) SendFrame(fin bool, rsv, op byte, payload []byte) {
	p.MustSend(p.Frame(fin, rsv, op, payload))
}

// maxFrame bounds the frames we accept from the peer: memory grows with
// what arrives, never with what a header claims.
const maxFrame = 64 << 20

// ReadFrame reads one frame and checks the header against the rules a
// strict receiver applies: RSV 0, a known opcode, masked only from a
// client, control frames unfragmented and at most 125 bytes, the minimal
// length form. A broken rule ends the case as FAILED.
func (p *Peer) ReadFrame(timeout time.Duration) (Frame, error) {
	p.nc.SetReadDeadline(p.bound(timeout))
	defer p.nc.SetReadDeadline(time.Time{})
	var h [14]byte
	if _, err := io.ReadFull(p.br, h[:2]); err != nil {
		return Frame{}, wrapErr(err)
	}
	f := Frame{Fin: h[0]&0x80 != 0, Rsv: h[0] >> 4 & 7, Op: h[0] & 0x0F, Masked: h[1]&0x80 != 0}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		if _, err := io.ReadFull(p.br, h[2:4]); err != nil {
			return f, wrapErr(err)
		}
		n = uint64(binary.BigEndian.Uint16(h[2:4]))
		if n < 126 {
			p.failf(Failed, "the peer sent length %d in the 16-bit form: §5.2 \"the minimal number of bytes MUST be used to encode the length\"", n)
		}
	case 127:
		if _, err := io.ReadFull(p.br, h[2:10]); err != nil {
			return f, wrapErr(err)
		}
		n = binary.BigEndian.Uint64(h[2:10])
		if n>>63 != 0 {
			p.failf(Failed, "the peer sent a 64-bit length with the top bit set: §5.2 \"the most significant bit MUST be 0\"")
		}
		if n <= 0xFFFF {
			p.failf(Failed, "the peer sent length %d in the 64-bit form: §5.2 \"the minimal number of bytes MUST be used to encode the length\"", n)
		}
	}
	var key [4]byte
	if f.Masked {
		if _, err := io.ReadFull(p.br, key[:]); err != nil {
			return f, wrapErr(err)
		}
	}
	if n > maxFrame {
		p.failf(Failed, "the peer sent a frame of %d bytes, more than any case asks for", n)
	}
	// Read the payload in steps, so that memory follows what arrives.
	for uint64(len(f.Payload)) < n {
		step := min(n-uint64(len(f.Payload)), 1<<20)
		start := len(f.Payload)
		f.Payload = append(f.Payload, make([]byte, step)...)
		if _, err := io.ReadFull(p.br, f.Payload[start:]); err != nil {
			return f, wrapErr(err)
		}
	}
	if f.Masked {
		for i := range f.Payload {
			f.Payload[i] ^= key[i&3]
		}
	}
	switch {
	case p.client && f.Masked:
		p.failf(Failed, "the server sent a masked %v: §5.1 \"A server MUST NOT mask any frames that it sends to the client.\"", f)
	case !f.Masked && !p.client:
		p.failf(Failed, "the client sent an unmasked %v: §5.1 \"a client MUST mask all frames that it sends to the server\"", f)
	case f.Rsv == 4 && p.RSV1Allowed && f.Op != OpCont && f.Op < 8:
		// A compressed message's first frame (RFC 7692 §6).
	case f.Rsv != 0:
		p.failf(Failed, "the peer set RSV bits %#x with no extension negotiated (§5.2)", f.Rsv)
	case f.Op >= 3 && f.Op <= 7 || f.Op >= 0xB:
		p.failf(Failed, "the peer sent reserved opcode %#x (§5.2)", f.Op)
	case f.Op >= 8 && (!f.Fin || len(f.Payload) > 125):
		p.failf(Failed, "the peer sent a %v: §5.5 \"All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented.\"", f)
	}
	return f, nil
}

func wrapErr(err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return fmt.Errorf("%w (%v)", ErrPeerClosedTCP, err)
	}
	return err
}

// describe says in words what an error from ReadFrame means.
func describe(err error, timeout time.Duration) string {
	if errors.Is(err, ErrTimeout) {
		return fmt.Sprintf("nothing arrived within %v", timeout)
	}
	return err.Error()
}

// ReadMessage reads one whole message (reassembling fragments). A control
// frame that arrives first is returned as ctrl, with op and msg empty.
func (p *Peer) ReadMessage(timeout time.Duration) (op byte, msg []byte, ctrl *Frame, err error) {
	var frag bool
	for {
		f, err := p.ReadFrame(timeout)
		if err != nil {
			return 0, nil, nil, err
		}
		if f.Op >= 8 {
			if frag {
				// Legal (§5.4), but an echo peer answering our
				// unfragmented messages has no reason to.
				return 0, nil, &f, fmt.Errorf("%v in the middle of a message", f)
			}
			return 0, nil, &f, nil
		}
		switch {
		case !frag && f.Op == OpCont:
			p.failf(Failed, "the peer sent a continuation frame with no message in progress (§5.4)")
		case frag && f.Op != OpCont:
			p.failf(Failed, "the peer started a new %s message inside a fragmented one (§5.4)", opName(f.Op))
		case !frag:
			op = f.Op
		}
		if len(msg)+len(f.Payload) > maxFrame {
			p.failf(Failed, "the peer sent a message of more than %d bytes, more than any case asks for", maxFrame)
		}
		msg = append(msg, f.Payload...)
		if f.Fin {
			return op, msg, nil, nil
		}
		frag = true
	}
}

// ExpectMessage reads the next message and ends the case unless it is an
// echo of op and want.
func (p *Peer) ExpectMessage(op byte, want []byte) {
	gotOp, got, ctrl, err := p.ReadMessage(p.Timeout)
	switch {
	case err != nil && ctrl == nil:
		p.failf(Failed, "expected the echo of a %d-byte %s message: %s", len(want), opName(op), describe(err, p.Timeout))
	case ctrl != nil:
		p.failf(Failed, "expected the echo of a %d-byte %s message, got a %v", len(want), opName(op), *ctrl)
	case gotOp != op:
		p.failf(Failed, "expected the echo of a %s message, got a %s message of %d bytes", opName(op), opName(gotOp), len(got))
	case string(got) != string(want):
		p.failf(Failed, "the echo differs from the message sent: %s", describeDiff(got, want))
	}
}

// ExpectPong reads the next frame and ends the case unless it is a pong
// with the payload (§5.5.3: "A Pong frame sent in response to a Ping frame
// must have identical "Application data" as found in the message body of
// the Ping frame being replied to.").
func (p *Peer) ExpectPong(want []byte) {
	f, err := p.ReadFrame(p.Timeout)
	if err != nil {
		p.failf(Failed, "expected a pong with %d bytes: %s", len(want), describe(err, p.Timeout))
	}
	if f.Op != OpPong {
		p.failf(Failed, "expected a pong with %d bytes, got a %v", len(want), f)
	}
	if string(f.Payload) != string(want) {
		p.failf(Failed, "the pong's payload differs from the ping's: %s (§5.5.3)", describeDiff(f.Payload, want))
	}
}

// readClose reads the next frame, which must be a close frame, and returns
// its code (1005 for an empty body). It returns ok false if the peer closed
// TCP instead.
func (p *Peer) readClose(what string) (code int, ok bool) {
	f, err := p.ReadFrame(p.Timeout)
	return p.closeFrom(what, f, err)
}

// closeFrom judges a frame read where a close frame was expected.
func (p *Peer) closeFrom(what string, f Frame, err error) (code int, ok bool) {
	if err != nil {
		if errors.Is(err, ErrPeerClosedTCP) {
			return 0, false
		}
		p.failf(Failed, "expected %s: %s", what, describe(err, p.Timeout))
	}
	if f.Op != OpClose {
		p.failf(Failed, "expected %s, got a %v", what, f)
	}
	if len(f.Payload) == 1 {
		p.failf(Failed, "the peer sent a 1-byte close body: §5.5.1 \"the first two bytes of the body MUST be a 2-byte unsigned integer\"")
	}
	return closeCode(f.Payload), true
}

// closeCode is the code of a close body, 1005 for none.
func closeCode(body []byte) int {
	if len(body) < 2 {
		return 1005
	}
	return int(binary.BigEndian.Uint16(body))
}

// ExpectCloseFrame reads the next frame and ends the case unless it is a
// close frame with one of the codes (1005 stands for an empty body).
func (p *Peer) ExpectCloseFrame(codes ...int) {
	what := fmt.Sprintf("a close frame with code %s", codeList(codes))
	code, ok := p.readClose(what)
	if !ok {
		p.failf(Failed, "expected %s: the peer closed TCP without one", what)
	}
	for _, c := range codes {
		if c == code {
			return
		}
	}
	p.failf(Failed, "expected %s, got code %d", what, code)
}

func codeList(codes []int) string {
	var s []string
	for _, c := range codes {
		s = append(s, fmt.Sprint(c))
	}
	return strings.Join(s, " or ")
}

// ExpectFail is the end of a case where the peer must fail the connection
// (§7.1.7). The best answer is a close frame with code, then the TCP close.
// Closing TCP without a close frame, or with another code, keeps the MUST
// but not the SHOULD: "the endpoint SHOULD send a Close frame with an
// appropriate status code" (NON-STRICT). Echoing anything is FAILED.
// Codes in also are appropriate too.
func (p *Peer) ExpectFail(code int, also ...int) {
	f, err := p.ReadFrame(p.Timeout)
	p.judgeFail(code, f, err, also...)
}

// judgeFail is ExpectFail for a frame already read.
func (p *Peer) judgeFail(code int, f Frame, err error, also ...int) {
	p.failCode = code
	got, ok := p.closeFrom(fmt.Sprintf("the connection failed with close code %d", code), f, err)
	switch {
	case !ok:
		p.note(NonStrict, "the peer closed TCP without a close frame; §7.1.7: \"the endpoint SHOULD send a Close frame with an appropriate status code\" (%d)", code)
		p.ending = EndFailed
		p.nc.Close()
		return
	case got == 1005:
		p.note(NonStrict, "the peer failed the connection with an empty close frame; the appropriate code is %d (§7.1.7, §7.4.1)", code)
	case got != code && !slices.Contains(also, got):
		p.note(NonStrict, "the peer failed the connection with close code %d; the appropriate code is %d (§7.1.7, §7.4.1)", got, code)
	}
	if !p.sentClose {
		p.Send(p.Frame(true, 0, OpClose, ClosePayload(code, "")))
		p.sentClose = true
	}
	p.FinishTCP()
	p.ending = EndFailed
}

// failFast is the end of a 6.4-style case: the bytes sent so far can no
// longer become valid UTF-8, and rest is what is left of the message. A
// peer that fails the connection now is OK; one that waits for the rest
// and fails then keeps §8.1's MUST but is NON-STRICT, as in Autobahn.
func (p *Peer) failFast(rest []byte) {
	f, err := p.ReadFrame(p.failFastWait)
	if errors.Is(err, ErrTimeout) {
		p.note(NonStrict, "the peer did not fail the connection within %v of the first byte that cannot be UTF-8; it failed only after the rest of the message (if at all)", p.failFastWait)
		p.Send(rest)
		p.ExpectFail(1007)
		return
	}
	// Finish the frame before our close frame follows it; the peer may
	// already have stopped reading, so this may fail.
	p.Send(rest)
	p.judgeFail(1007, f, err)
}

// failOrWait is the end of a case where the peer may fail the connection
// with code, or may wait for more (a frame whose payload never comes): a
// peer that waits gets INFORMATIONAL, and the connection is closed.
func (p *Peer) failOrWait(code int, waiting string) {
	f, err := p.ReadFrame(p.Timeout)
	if errors.Is(err, ErrTimeout) {
		p.note(Informational, "%s (for %v)", waiting, p.Timeout)
		p.nc.Close()
		p.ending = EndFailed
		return
	}
	p.judgeFail(code, f, err)
}

// bigMessage sends a message of n chunks in fragments. A peer with a
// smaller message limit fails the connection with 1009 (OK); one without
// echoes it (INFORMATIONAL: §10.4 leaves the limit to it).
func (p *Peer) bigMessage(n int, chunk []byte) {
	for i := 0; i < n; i++ {
		op := byte(OpCont)
		if i == 0 {
			op = OpBinary
		}
		if p.Send(p.Frame(i == n-1, 0, op, chunk)) != nil {
			break
		}
	}
	f, err := p.ReadFrame(p.Timeout)
	if err != nil || f.Op == OpClose {
		p.judgeFail(1009, f, err)
		return
	}
	msg := f.Payload
	for !f.Fin {
		if f, err = p.ReadFrame(p.Timeout); err != nil {
			p.failf(Failed, "reading the echo of a %d-byte message: %s", n*len(chunk), describe(err, p.Timeout))
		}
		if f.Op != OpCont {
			p.failf(Failed, "reading the echo of a %d-byte message, got a %v", n*len(chunk), f)
		}
		msg = append(msg, f.Payload...)
	}
	if len(msg) != n*len(chunk) {
		p.failf(Failed, "the echo of a %d-byte message has %d bytes", n*len(chunk), len(msg))
	}
	p.note(Informational, "the peer echoed a %d-byte message: no smaller message limit", len(msg))
	p.CloseHandshake(1000, "")
}

// undefinedCode sends a close with a code past 4999, which RFC 6455 does
// not define (§7.4.2 stops at 4999). Failing with 1002 is OK; an echo is
// INFORMATIONAL, as in Autobahn's 7.13 cases.
func (p *Peer) undefinedCode(code int) {
	p.SendFrame(true, 0, OpClose, ClosePayload(code, ""))
	p.sentClose = true
	got, ok := p.readClose(fmt.Sprintf("a close frame answering ours (code %d)", code))
	switch {
	case !ok:
		p.note(NonStrict, "the peer closed TCP without a close frame; §7.1.7: \"the endpoint SHOULD send a Close frame with an appropriate status code\" (1002)")
		p.nc.Close()
		p.ending = EndFailed
		return
	case got == 1002:
		p.failCode = 1002
		p.ending = EndFailed
	case got == code:
		p.note(Informational, "the peer echoed code %d, which RFC 6455 does not define", code)
		p.ending = EndClean
	default:
		p.note(NonStrict, "the peer answered code %d with %d; the appropriate code is 1002 (§7.4.2 defines no code past 4999)", code, got)
		p.ending = EndFailed
	}
	p.FinishTCP()
}

// registeredCode sends a close with a code that IANA registered after RFC
// 6455 (1012-1014). RFC 6455 reserves 1000-2999 "for definition by this
// protocol, its future revisions, and extensions": a peer that knows the
// registry echoes it (OK), one that follows RFC 6455 alone may refuse it
// with 1002 (INFORMATIONAL).
func (p *Peer) registeredCode(code int) {
	p.SendFrame(true, 0, OpClose, ClosePayload(code, ""))
	p.sentClose = true
	got, ok := p.readClose(fmt.Sprintf("a close frame answering ours (code %d)", code))
	switch {
	case !ok:
		p.failf(Failed, "the peer closed TCP without answering our close frame: §5.5.1 \"the endpoint MUST send a Close frame in response\"")
	case got == 1002:
		p.note(Informational, "the peer refused code %d with 1002: it follows RFC 6455 alone, not the IANA registry", code)
	case got != code:
		p.note(Informational, "the peer answered our close %d with code %d", code, got)
	}
	p.FinishTCP()
	p.ending = EndClean
}

// CloseHandshake starts a clean closing handshake with code (0: an empty
// close body), expects the close echoed (§5.5.1: "the endpoint typically
// echos the status code it received"), then the TCP close in the order of
// §7.1.1.
func (p *Peer) CloseHandshake(code int, reason string) {
	var payload []byte
	want := 1005
	if code != 0 {
		payload, want = ClosePayload(code, reason), code
	}
	p.SendFrame(true, 0, OpClose, payload)
	p.sentClose = true
	p.expectCloseAnswer(want)
	p.FinishTCP()
	p.ending = EndClean
}

// expectCloseAnswer reads the answer to our close. §5.5.1 makes the answer
// a MUST, its code only "typically" an echo: another valid code is
// INFORMATIONAL, 1000 for an empty close is OK.
func (p *Peer) expectCloseAnswer(want int) {
	got, ok := p.readClose(fmt.Sprintf("a close frame answering ours (code %d)", want))
	switch {
	case !ok:
		p.failf(Failed, "the peer closed TCP without answering our close frame: §5.5.1 \"the endpoint MUST send a Close frame in response\"")
	case got == want, want == 1005 && got == 1000:
	default:
		p.note(Informational, "the peer answered our close %d with code %d (§5.5.1: it \"typically echos the status code it received\")", want, got)
	}
}

// FinishTCP ends the connection after the close frames were exchanged. As
// a client we wait for the server to close TCP; as a server we close it
// ourselves. §5.5.1: "The server MUST close the underlying TCP connection
// immediately".
func (p *Peer) FinishTCP() {
	if !p.client {
		p.nc.Close()
		return
	}
	f, err := p.ReadFrame(p.Timeout)
	switch {
	case err == nil && f.Op < 8:
		p.failf(Failed, "the peer sent a %v after the closing handshake: §5.5.1 \"The application MUST NOT send any more data frames after sending a Close frame.\"", f)
	case err == nil:
		p.failf(Failed, "the peer sent a %v after the closing handshake", f)
	case errors.Is(err, ErrTimeout):
		p.failf(Failed, "the server did not close TCP within %v of the closing handshake: §5.5.1 \"The server MUST close the underlying TCP connection immediately\"", p.Timeout)
	case !errors.Is(err, ErrPeerClosedTCP):
		p.failf(Failed, "waiting for the TCP close: %v", err)
	}
	p.nc.Close()
}

// ExpectNothing checks that no frame arrives within d.
func (p *Peer) ExpectNothing(d time.Duration, why string) {
	f, err := p.ReadFrame(d)
	if err == nil {
		p.failf(Failed, "expected nothing (%s), got a %v", why, f)
	}
	if !errors.Is(err, ErrTimeout) {
		p.failf(Failed, "expected nothing (%s), but %v", why, err)
	}
}

func describeDiff(got, want []byte) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d bytes, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d is %#x, want %#x", i, got[i], want[i])
		}
	}
	return "equal"
}

// Pattern returns n bytes of a pattern that depends on seed.
func Pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7+i/251)
	}
	return b
}

// TextPattern returns n bytes of ASCII text.
func TextPattern(n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 *"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[i%len(alphabet)]
	}
	return b
}
