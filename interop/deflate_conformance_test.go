package interop

// Conformance cases for permessage-deflate (RFC 7692), after the Autobahn
// TestSuite's sections 12 ("different payloads": many sizes and kinds of
// payload with the default offer) and 13 ("different parameters": the same
// under each combination of no_context_takeover and max_window_bits).
// They run in both modes: the raw peer as a client of our echo servers,
// and as a server for our echo clients.
//
// The raw peer compresses and inflates with compress/flate, independently
// of protocol/. compress/flate cannot limit its window, so where the
// agreement limits the peer's window below 15 bits it compresses with
// flate.HuffmanOnly, which writes no back-references at all and so keeps
// to any window. The window the code under test used is measured with
// protocol.DecodeDeflate (itself checked against compress/flate in the
// protocol package's tests).

import (
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	mrand "math/rand"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// dpeer is the conformance package's raw peer with the compression state
// of this file.
type dpeer struct {
	*conformance.Peer
	t       testing.TB
	deflate *peerDeflate
}

// newDPeer wraps a connection whose handshake agreed on permessage-deflate.
func newDPeer(t testing.TB, nc net.Conn, br *bufio.Reader, client bool) *dpeer {
	p := rawPeer(t, nc, br, client)
	p.Timeout = 10 * time.Second
	p.RSV1Allowed = true
	return &dpeer{Peer: p, t: t}
}

// peerDeflate is the raw peer's compression state for one connection.
type peerDeflate struct {
	// What was agreed, from the peer's point of view.
	ourBits, theirBits         int
	ourTakeover, theirTakeover bool

	fw     *flate.Writer
	out    bytes.Buffer
	window []byte // what the other side sent before, for inflating
}

func newPeerDeflate(ourBits, theirBits int, ourTakeover, theirTakeover bool) *peerDeflate {
	d := &peerDeflate{ourBits: ourBits, theirBits: theirBits, ourTakeover: ourTakeover, theirTakeover: theirTakeover}
	level := flate.BestSpeed
	if ourBits < 15 {
		level = flate.HuffmanOnly // no back-references: within any window
	}
	d.fw, _ = flate.NewWriter(&d.out, level)
	return d
}

// compress returns msg as a permessage-deflate payload.
func (d *peerDeflate) compress(msg []byte) []byte {
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

// inflate inflates a payload of the other side and checks that it kept
// to its window.
func (d *peerDeflate) inflate(t testing.TB, payload []byte) []byte {
	t.Helper()
	if !d.theirTakeover {
		d.window = nil
	}
	var msg []byte
	if len(payload) > 0 {
		in := append(append(append([]byte(nil), payload...), 0, 0, 0xff, 0xff), 1, 0, 0, 0xff, 0xff)
		var err error
		msg, err = io.ReadAll(flate.NewReaderDict(bytes.NewReader(in), d.window))
		if err != nil {
			t.Fatalf("compress/flate cannot inflate the peer's %d-byte message: %v", len(payload), err)
		}
		dec, err := protocol.DecodeDeflate(d.window, payload, 0)
		if err != nil || !bytes.Equal(dec.Inflated, msg) {
			t.Fatalf("the token decoder disagrees with compress/flate on the peer's message: %v", err)
		}
		if dec.MaxDistance > 1<<d.theirBits {
			t.Fatalf("the peer reached %d bytes back; the agreed window is %d", dec.MaxDistance, 1<<d.theirBits)
		}
	}
	if d.theirTakeover {
		d.window = append(d.window, msg...)
		if w := 1 << d.theirBits; len(d.window) > w {
			d.window = append([]byte(nil), d.window[len(d.window)-w:]...)
		}
	}
	return msg
}

// sendCompressed sends msg compressed, in frames of at most frag bytes of
// payload (0: one frame), RSV1 on the first only.
func (p *dpeer) sendCompressed(op byte, msg []byte, frag int) {
	p.t.Helper()
	payload := p.deflate.compress(msg)
	if frag <= 0 {
		frag = len(payload) + 1
	}
	first := true
	for first || len(payload) > 0 {
		n := min(frag, len(payload))
		rsv, fop := byte(0), byte(opCont)
		if first {
			rsv, fop = 4, op
		}
		p.MustSend(p.Frame(n == len(payload), rsv, fop, payload[:n]))
		payload, first = payload[n:], false
	}
}

// expectDeflated reads the next message, compressed or not, and fails
// unless it inflates to want.
func (p *dpeer) expectDeflated(op byte, want []byte) {
	p.t.Helper()
	var (
		msg        []byte
		compressed bool
		gotOp      byte
	)
	for {
		f, err := p.ReadFrame(p.Timeout)
		if err != nil {
			p.t.Fatalf("expected a message (op %#x, %d bytes): %v", op, len(want), err)
		}
		if f.Op >= 8 {
			p.t.Fatalf("expected a message, got %v", f)
		}
		if gotOp == 0 {
			gotOp, compressed = f.Op, f.Rsv == 4
		}
		msg = append(msg, f.Payload...)
		if f.Fin {
			break
		}
	}
	if compressed {
		msg = p.deflate.inflate(p.t, msg)
	}
	if gotOp != op || !bytes.Equal(msg, want) {
		p.t.Fatalf("echo of op %#x, %d bytes: got op %#x: %s", op, len(want), gotOp, describeDiff(msg, want))
	}
}

// Payload kinds, after Autobahn's 12.1 to 12.5: text from a small
// vocabulary, random bytes, a repeated pattern, JSON-like records, and
// binary with structure.
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
		return opText, b
	case 2:
		b = b[:size]
		rng.Read(b)
		return opBinary, b
	case 3:
		for len(b) < size {
			b = append(b, "0123456789abcdef"...)
		}
		return opText, b[:size]
	case 4:
		for i := 0; len(b) < size; i++ {
			b = fmt.Appendf(b, `{"id":%d,"name":"user%d","score":%d,"tags":["a","b"]},`, i, rng.Intn(1000), rng.Intn(100))
		}
		return opText, b[:size]
	default:
		for len(b) < size {
			b = append(b, byte(len(b)>>8), byte(rng.Intn(4)), 0, 0)
		}
		return opBinary, b[:size]
	}
}

var deflateSizes = []int{16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072}

// deflateCase is one case: the client's offer (server mode) or the
// server's response (client mode), and the messages.
type deflateCase struct {
	id string
	// offer is what the raw client offers; response what the raw server
	// answers to our client's offer.
	offer, response string
	kind, size      int
	count           int
	frag            int // fragment size of the raw peer's messages (0: one frame)
}

func deflateCases() []deflateCase {
	var cases []deflateCase
	// Section 12: the default offer, many payloads.
	for kind := 1; kind <= 5; kind++ {
		for i, size := range deflateSizes {
			cases = append(cases, deflateCase{id: fmt.Sprintf("12.%d.%d", kind, i+1), offer: "permessage-deflate",
				response: "permessage-deflate", kind: kind, size: size, count: 10})
		}
	}
	// Section 13: the parameters. Autobahn's 13.x offers are
	// (client_no_context_takeover, client_max_window_bits) pairs; the
	// responses are what a server with those limits would answer our
	// client, which always offers client_max_window_bits.
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
			cases = append(cases, deflateCase{id: fmt.Sprintf("13.%d.%d", i+1, j+1), offer: pr.offer, response: pr.response,
				kind: 1, size: size, count: 10})
		}
	}
	// Our own: the server's parameters offered by the client, and
	// fragmented compressed messages.
	for i, pr := range []struct{ offer, response string }{
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
		// Our client never offers server_max_window_bits, so a server may
		// not answer with it: the responses differ from the offers here.
		{"permessage-deflate; server_max_window_bits=8", "permessage-deflate; server_no_context_takeover; client_max_window_bits=12"},
		{"permessage-deflate; server_max_window_bits=10; server_no_context_takeover; client_max_window_bits", "permessage-deflate; server_no_context_takeover; client_max_window_bits=9"},
	} {
		for j, size := range []int{256, 32768, 131072} {
			cases = append(cases, deflateCase{id: fmt.Sprintf("D.%d.%d", i+1, j+1), offer: pr.offer, response: pr.response,
				kind: 4, size: size, count: 10})
		}
	}
	for j, size := range []int{1024, 131072} {
		cases = append(cases, deflateCase{id: fmt.Sprintf("D.4.%d", j+1), offer: "permessage-deflate", response: "permessage-deflate",
			kind: 1, size: size, count: 5, frag: 100})
	}
	return cases
}

// agreedFor reads an agreement from a response element, from the point of
// view of the client (client=true) or the server.
func agreedFor(t testing.TB, resp string, client bool) *peerDeflate {
	t.Helper()
	exts, err := protocol.ParseExtensions([]string{resp})
	if err != nil || len(exts) != 1 || exts[0].Name != "permessage-deflate" {
		t.Fatalf("response extensions %q: %v", resp, err)
	}
	sBits, cBits, sTake, cTake := 15, 15, true, true
	for _, p := range exts[0].Params {
		switch p.Name {
		case "server_no_context_takeover":
			sTake = false
		case "client_no_context_takeover":
			cTake = false
		case "server_max_window_bits":
			sBits, _ = strconv.Atoi(p.Value)
		case "client_max_window_bits":
			cBits, _ = strconv.Atoi(p.Value)
		}
	}
	if client {
		return newPeerDeflate(cBits, sBits, cTake, sTake)
	}
	return newPeerDeflate(sBits, cBits, sTake, cTake)
}

func (c deflateCase) run(p *dpeer) {
	for i := 0; i < c.count; i++ {
		op, msg := deflatePayload(c.kind, c.size, int64(i))
		p.sendCompressed(op, msg, c.frag)
		p.expectDeflated(op, msg)
	}
	p.CloseHandshake(1000, "")
}

// TestConformanceDeflateServer runs the cases with the raw peer as a
// client of our echo servers, which accept permessage-deflate.
func TestConformanceDeflateServer(t *testing.T) {
	if raceEnabled {
		t.Skip("the compression cases run without -race: see run.sh")
	}
	for _, tg := range []serverTarget{
		{"inproc", func(t *testing.T) string { return inprocEcho(t, deflateAccept(nil)) }},
		{"serve", func(t *testing.T) string { return "ws://" + startServe(t).addr }},
	} {
		t.Run(tg.name, func(t *testing.T) {
			base := tg.url(t)
			for _, c := range deflateCases() {
				t.Run(c.id, func(t *testing.T) {
					t.Parallel()
					p, resp := dialRawDeflate(t, base+"/"+c.id, c.offer)
					p.deflate = agreedFor(t, resp, true)
					c.run(p)
				})
			}
		})
	}
}

// TestConformanceDeflateClient runs the cases with the raw peer as a
// server for our echo clients, which offer permessage-deflate.
func TestConformanceDeflateClient(t *testing.T) {
	if raceEnabled {
		t.Skip("the compression cases run without -race: see run.sh")
	}
	for _, tg := range deflateClientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			for _, c := range deflateCases() {
				t.Run(c.id, func(t *testing.T) {
					t.Parallel()
					ln, err := net.Listen("tcp", "127.0.0.1:0")
					if err != nil {
						t.Fatal(err)
					}
					defer ln.Close()
					res := tg.start(t, "ws://"+ln.Addr().String()+"/"+c.id)
					ln.(*net.TCPListener).SetDeadline(time.Now().Add(15 * time.Second))
					nc, err := ln.Accept()
					if err != nil {
						t.Fatalf("the client did not connect: %v", err)
					}
					p := acceptRawDeflate(t, nc, c.response)
					p.deflate = agreedFor(t, c.response, false)
					func() {
						defer nc.Close()
						c.run(p)
					}()
					select {
					case r := <-res:
						if !r.clean {
							t.Errorf("client did not end cleanly: %s", r.detail)
						}
					case <-time.After(30 * time.Second):
						t.Errorf("the client did not finish")
					}
				})
			}
		})
	}
}

// dialRawDeflate is dialRaw with a Sec-WebSocket-Extensions offer. It
// returns the peer and the extensions the server agreed to, which must be
// permessage-deflate.
func dialRawDeflate(t testing.TB, rawURL, offer string) (*dpeer, string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: " + offer + "\r\n\r\n"
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(nc, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the handshake response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != acceptKey(key) {
		t.Fatalf("handshake: %s, accept %q", resp.Status, resp.Header.Get("Sec-WebSocket-Accept"))
	}
	ext := resp.Header.Values("Sec-WebSocket-Extensions")
	if len(ext) != 1 {
		t.Fatalf("the server agreed to %q; permessage-deflate was offered as %q", ext, offer)
	}
	nc.SetDeadline(time.Time{})
	return newDPeer(t, nc, br, true), ext[0]
}

// acceptRawDeflate is acceptRaw answering the client's permessage-deflate
// offer with response.
func acceptRawDeflate(t testing.TB, nc net.Conn, response string) *dpeer {
	t.Helper()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(nc)
	req, err := http.ReadRequest(br)
	if err != nil {
		t.Fatalf("reading the client's handshake: %v", err)
	}
	if offer := req.Header.Get("Sec-WebSocket-Extensions"); !strings.HasPrefix(offer, "permessage-deflate") {
		t.Fatalf("the client offered %q, not permessage-deflate", offer)
	}
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		acceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\nSec-WebSocket-Extensions: " + response + "\r\n\r\n"
	if _, err := io.WriteString(nc, resp); err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Time{})
	return newDPeer(t, nc, br, false)
}
