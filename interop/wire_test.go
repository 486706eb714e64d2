package interop

// A tiny, independent WebSocket wire implementation for the conformance
// suite: it builds frames by hand (so it can build broken ones), sends
// them in chopped TCP writes, and reads the peer's frames strictly. It
// shares no code with protocol/.

import (
	"bufio"
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
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// buildFrame encodes one frame. rsv is the 3-bit RSV field as Autobahn
// numbers it (4 = RSV1, 2 = RSV2, 1 = RSV3). A masked frame gets a random key.
func buildFrame(fin bool, rsv, op byte, payload []byte, masked bool) []byte {
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

func closePayload(code int, reason string) []byte {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(p, reason...)
}

// rframe is a frame received from the peer, unmasked.
type rframe struct {
	fin     bool
	rsv     byte
	op      byte
	masked  bool
	payload []byte
}

func (f rframe) String() string {
	s := fmt.Sprintf("op=%#x fin=%v len=%d", f.op, f.fin, len(f.payload))
	if f.op == opClose && len(f.payload) >= 2 {
		s += fmt.Sprintf(" code=%d reason=%q", binary.BigEndian.Uint16(f.payload), f.payload[2:])
	}
	return s
}

// peer is one end of a raw WebSocket connection under test. client says
// which end we are: a client masks what it sends and expects unmasked frames.
type peer struct {
	t        testing.TB
	nc       net.Conn
	br       *bufio.Reader
	client   bool
	timeout  time.Duration // bound for each expected event
	sentClos bool          // we sent a close frame
	outcome  string        // "clean" or "fail": how the case ended
	failCode int           // the close code of a failed connection
	// deflate is set when permessage-deflate was negotiated
	// (deflate_conformance_test.go): RSV1 is then allowed on the first
	// frame of a data message.
	deflate *peerDeflate
}

var errPeerClosedTCP = errors.New("peer closed the TCP connection")

// dialRaw connects to a ws:// URL and performs the opening handshake with
// a hand-written request.
func dialRaw(t testing.TB, rawURL string) *peer {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	path := u.RequestURI()
	req := "GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(nc, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		t.Fatalf("reading the handshake response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		nc.Close()
		t.Fatalf("handshake status %s", resp.Status)
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != acceptKey(key) {
		nc.Close()
		t.Fatalf("Sec-WebSocket-Accept %q, want %q", got, acceptKey(key))
	}
	if !tokenIn(resp.Header.Get("Upgrade"), "websocket") || !tokenIn(resp.Header.Get("Connection"), "upgrade") {
		nc.Close()
		t.Fatalf("bad Upgrade/Connection in response: %q / %q", resp.Header.Get("Upgrade"), resp.Header.Get("Connection"))
	}
	nc.SetDeadline(time.Time{})
	p := &peer{t: t, nc: nc, br: br, client: true, timeout: 5 * time.Second}
	t.Cleanup(func() { nc.Close() })
	return p
}

// acceptRaw performs the server side of the opening handshake on nc.
func acceptRaw(t testing.TB, nc net.Conn) *peer {
	t.Helper()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(nc)
	req, err := http.ReadRequest(br)
	if err != nil {
		nc.Close()
		t.Fatalf("reading the client's handshake: %v", err)
	}
	key := req.Header.Get("Sec-WebSocket-Key")
	nonce, err := base64.StdEncoding.DecodeString(key)
	switch {
	case err != nil || len(nonce) != 16:
		t.Errorf("client key %q is not the base64 of 16 bytes", key)
	case req.Method != http.MethodGet:
		t.Errorf("client used %s", req.Method)
	case !tokenIn(req.Header.Get("Upgrade"), "websocket") || !tokenIn(req.Header.Get("Connection"), "upgrade"):
		t.Errorf("bad Upgrade/Connection: %q / %q", req.Header.Get("Upgrade"), req.Header.Get("Connection"))
	case req.Header.Get("Sec-WebSocket-Version") != "13":
		t.Errorf("Sec-WebSocket-Version %q", req.Header.Get("Sec-WebSocket-Version"))
	case req.Host == "":
		t.Errorf("no Host header")
	}
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		acceptKey(key) + "\r\n\r\n"
	if _, err := io.WriteString(nc, resp); err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Time{})
	t.Cleanup(func() { nc.Close() })
	return &peer{t: t, nc: nc, br: br, client: false, timeout: 5 * time.Second}
}

func tokenIn(header, token string) bool {
	for _, f := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(f), token) {
			return true
		}
	}
	return false
}

// frame builds a frame masked as our role requires.
func (p *peer) frame(fin bool, rsv, op byte, payload []byte) []byte {
	return buildFrame(fin, rsv, op, payload, p.client)
}

// send writes b in one write. Errors after the peer failed the connection
// are expected in some cases, so they are returned, not fatal.
func (p *peer) send(b []byte) error {
	p.nc.SetWriteDeadline(time.Now().Add(p.timeout + time.Duration(len(b)>>16)*time.Millisecond*20))
	_, err := p.nc.Write(b)
	return err
}

// mustSend writes b and fails the test on error.
func (p *peer) mustSend(b []byte) {
	p.t.Helper()
	if err := p.send(b); err != nil {
		p.t.Fatalf("send: %v", err)
	}
}

// sendChopped writes b in pieces of chop bytes, pausing between them.
func (p *peer) sendChopped(b []byte, chop int, pause time.Duration) error {
	for len(b) > 0 {
		n := min(chop, len(b))
		if err := p.send(b[:n]); err != nil {
			return err
		}
		b = b[n:]
		if pause > 0 && len(b) > 0 {
			time.Sleep(pause)
		}
	}
	return nil
}

// sendFrame sends one frame masked as our role requires.
func (p *peer) sendFrame(fin bool, rsv, op byte, payload []byte) {
	p.t.Helper()
	p.mustSend(p.frame(fin, rsv, op, payload))
}

// readFrame reads one frame, checking that the peer's header follows the
// rules a strict receiver applies: RSV 0, known opcode, masked only from a
// client, control frames unfragmented and at most 125 bytes, minimal length.
func (p *peer) readFrame(timeout time.Duration) (rframe, error) {
	p.nc.SetReadDeadline(time.Now().Add(timeout))
	defer p.nc.SetReadDeadline(time.Time{})
	var h [14]byte
	if _, err := io.ReadFull(p.br, h[:2]); err != nil {
		return rframe{}, wrapReadErr(err)
	}
	f := rframe{fin: h[0]&0x80 != 0, rsv: h[0] >> 4 & 7, op: h[0] & 0x0F, masked: h[1]&0x80 != 0}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		if _, err := io.ReadFull(p.br, h[2:4]); err != nil {
			return f, wrapReadErr(err)
		}
		n = uint64(binary.BigEndian.Uint16(h[2:4]))
		if n < 126 {
			p.t.Errorf("peer sent length %d in the 16-bit form (§5.2: minimal form required)", n)
		}
	case 127:
		if _, err := io.ReadFull(p.br, h[2:10]); err != nil {
			return f, wrapReadErr(err)
		}
		n = binary.BigEndian.Uint64(h[2:10])
		if n <= 0xFFFF || n>>63 != 0 {
			p.t.Errorf("peer sent length %d in the 64-bit form (§5.2)", n)
		}
	}
	var key [4]byte
	if f.masked {
		if _, err := io.ReadFull(p.br, key[:]); err != nil {
			return f, wrapReadErr(err)
		}
	}
	if n > 64<<20 {
		return f, fmt.Errorf("peer sent a frame of %d bytes", n)
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(p.br, f.payload); err != nil {
		return f, wrapReadErr(err)
	}
	if f.masked {
		for i := range f.payload {
			f.payload[i] ^= key[i&3]
		}
	}
	switch {
	case p.client && f.masked:
		p.t.Errorf("server sent a masked frame (§5.1): %v", f)
	case !f.masked && !p.client:
		p.t.Errorf("client sent an unmasked frame (§5.1): %v", f)
	case f.rsv == 4 && p.deflate != nil && f.op != opCont && f.op < 8:
		// RSV1 on a first frame: a compressed message (RFC 7692 §6).
	case f.rsv != 0:
		p.t.Errorf("peer set RSV bits %#x without an extension: %v", f.rsv, f)
	case f.op >= 3 && f.op <= 7 || f.op >= 0xB:
		p.t.Errorf("peer sent reserved opcode %#x", f.op)
	case f.op >= 8 && (!f.fin || len(f.payload) > 125):
		p.t.Errorf("peer sent a bad control frame: %v", f)
	}
	return f, nil
}

func wrapReadErr(err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return errTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%w (%v)", errPeerClosedTCP, err)
	}
	return err
}

// nextMessage reads one whole message (reassembling fragments), returning
// control frames that arrive as they come: if ctrl is a control frame,
// op/payload are empty.
func (p *peer) readMessage(timeout time.Duration) (op byte, msg []byte, ctrl *rframe, err error) {
	var frag bool
	for {
		f, err := p.readFrame(timeout)
		if err != nil {
			return 0, nil, nil, err
		}
		if f.op >= 8 {
			if frag {
				// Control frames between fragments are legal, but our
				// servers under test never send them; report as an error.
				return 0, nil, &f, fmt.Errorf("control frame %v in the middle of a message", f)
			}
			return 0, nil, &f, nil
		}
		switch {
		case !frag && f.op == opCont:
			return 0, nil, nil, fmt.Errorf("peer sent a continuation frame with no message in progress")
		case frag && f.op != opCont:
			return 0, nil, nil, fmt.Errorf("peer started a new message (op %#x) inside a fragmented one", f.op)
		case !frag:
			op = f.op
		}
		msg = append(msg, f.payload...)
		if f.fin {
			return op, msg, nil, nil
		}
		frag = true
	}
}

// expectMessage reads the next message and fails unless it is op/payload.
func (p *peer) expectMessage(op byte, want []byte) {
	p.t.Helper()
	p.expectMessageTimeout(op, want, p.timeout)
}

func (p *peer) expectMessageTimeout(op byte, want []byte, timeout time.Duration) {
	p.t.Helper()
	gotOp, got, ctrl, err := p.readMessage(timeout)
	if err != nil {
		p.t.Fatalf("expected a message (op %#x, %d bytes): %v", op, len(want), err)
	}
	if ctrl != nil {
		p.t.Fatalf("expected a message (op %#x, %d bytes), got %v", op, len(want), *ctrl)
	}
	if gotOp != op {
		p.t.Fatalf("expected op %#x, got op %#x (%d bytes)", op, gotOp, len(got))
	}
	if string(got) != string(want) {
		p.t.Fatalf("echoed payload differs: %s", describeDiff(got, want))
	}
}

// expectPong reads the next frame and fails unless it is a pong with payload.
func (p *peer) expectPong(want []byte) {
	p.t.Helper()
	f, err := p.readFrame(p.timeout)
	if err != nil {
		p.t.Fatalf("expected a pong: %v", err)
	}
	if f.op != opPong || string(f.payload) != string(want) {
		p.t.Fatalf("expected pong with %d bytes, got %v", len(want), f)
	}
}

// expectClose reads the next frame and fails unless it is a close with one
// of the codes (1005 stands for an empty close payload). It returns the
// close payload.
func (p *peer) expectCloseFrame(codes ...int) []byte {
	p.t.Helper()
	f, err := p.readFrame(p.timeout)
	if err != nil {
		p.t.Fatalf("expected a close frame with code %v: %v", codes, err)
	}
	if f.op != opClose {
		p.t.Fatalf("expected a close frame with code %v, got %v", codes, f)
	}
	code := 1005
	if len(f.payload) >= 2 {
		code = int(binary.BigEndian.Uint16(f.payload))
	} else if len(f.payload) == 1 {
		p.t.Fatalf("peer sent a 1-byte close payload")
	}
	for _, c := range codes {
		if c == code {
			return f.payload
		}
	}
	p.t.Fatalf("close code %d (reason %q), want one of %v", code, f.payload[min(2, len(f.payload)):], codes)
	return nil
}

// expectFail is the end of a case where the peer must fail the connection:
// a close frame with the code, then (after our answer) the TCP close.
func (p *peer) expectFail(code int) {
	p.t.Helper()
	p.expectCloseFrame(code)
	if !p.sentClos {
		p.send(p.frame(true, 0, opClose, closePayload(code, "")))
		p.sentClos = true
	}
	p.finishTCP()
	p.outcome, p.failCode = "fail", code
}

// closeHandshake starts a clean closing handshake with code (0: empty
// close payload) and expects it echoed, then the TCP close in the order of
// §7.1.1.
func (p *peer) closeHandshake(code int, reason string) {
	p.t.Helper()
	var payload []byte
	want := 1005
	if code != 0 {
		payload, want = closePayload(code, reason), code
	}
	p.sendFrame(true, 0, opClose, payload)
	p.sentClos = true
	p.expectCloseFrame(want)
	p.finishTCP()
	p.outcome = "clean"
}

// finishTCP ends the connection after the close frames were exchanged. As
// a client we wait for the server to close TCP (§7.1.1: the server closes
// first); as a server we close it ourselves.
func (p *peer) finishTCP() {
	p.t.Helper()
	if !p.client {
		p.nc.Close()
		return
	}
	f, err := p.readFrame(p.timeout)
	switch {
	case err == nil:
		p.t.Fatalf("frame after the closing handshake: %v", f)
	case errors.Is(err, errTimeout):
		p.t.Fatalf("server did not close the TCP connection within %v of the closing handshake", p.timeout)
	case !errors.Is(err, errPeerClosedTCP):
		p.t.Fatalf("waiting for the TCP close: %v", err)
	}
	p.nc.Close()
}

// expectNothing checks that no frame arrives within d.
func (p *peer) expectNothing(d time.Duration) {
	p.t.Helper()
	f, err := p.readFrame(d)
	if err == nil {
		p.t.Fatalf("expected nothing, got %v", f)
	}
	if !errors.Is(err, errTimeout) {
		p.t.Fatalf("expected nothing, got %v", err)
	}
}
