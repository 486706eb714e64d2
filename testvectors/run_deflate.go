package testvectors

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// The deflate group goes through the real handshakes: an offer is read by
// protocol.AcceptConn, a response by protocol.ClientHandshake, and the
// frames of a messages vector arrive on the Conn one of them returned, so
// the agreement in force is the one the codec itself negotiated.

// deflateKey is the Sec-WebSocket-Key of every deflate handshake: the
// sample nonce of RFC 6455 §1.3.
const deflateKey = "dGhlIHNhbXBsZSBub25jZQ=="

func runDeflate(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	switch v.Input.Kind {
	case KindOffer:
		return runDeflateOffer(ctx, v)
	case KindResponse:
		return runDeflateResponse(ctx, v)
	}
	return runDeflateMessages(ctx, v)
}

// deflateRequest is a client's opening request with the given
// Sec-WebSocket-Extensions lines.
func deflateRequest(lines []string) []byte {
	var b strings.Builder
	b.WriteString("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Key: " + deflateKey + "\r\nSec-WebSocket-Version: 13\r\n")
	for _, l := range lines {
		b.WriteString("Sec-WebSocket-Extensions: " + l + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// deflateResponse is a server's 101 answering the key with the given
// Sec-WebSocket-Extensions lines; the accept value is computed here from
// §4.2.2, not by the codec.
func deflateResponse(key string, lines []string) []byte {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n")
	for _, l := range lines {
		b.WriteString("Sec-WebSocket-Extensions: " + l + "\r\n")
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// pmdParams reads one permessage-deflate element, written here rather
// than with the codec's parser: its parameters as "name" or "name=value"
// (a quoted value unquoted), sorted. It handles the elements the vectors
// use; a quoted value holding ';' or ',' is beyond it.
func pmdParams(element string) (name string, params []string) {
	parts := strings.Split(element, ";")
	name = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		k, v, hasValue := strings.Cut(p, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if uq, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = uq
		}
		if hasValue {
			params = append(params, k+"="+v)
		} else {
			params = append(params, k)
		}
	}
	slices.Sort(params)
	return name, params
}

// runDeflateOffer sends a request with the vector's offers to a server
// that accepts permessage-deflate with its default policy, and reads the
// decision from the response it wrote.
func runDeflateOffer(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	exp = newOutcome("declined")
	if *v.Expect.Accepted {
		var ps []string
		for k, val := range *v.Expect.Params {
			if val == "" {
				ps = append(ps, k)
			} else {
				ps = append(ps, k+"="+val)
			}
		}
		slices.Sort(ps)
		exp = newOutcome("accepted").add("params", "%s", strings.Join(ps, "; "))
	}
	sc := newScriptConn(deflateRequest(v.Input.Extensions))
	opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin, Compression: &protocol.CompressionOptions{}}
	c, err := protocol.AcceptConn(ctx, sc, opts)
	if c != nil {
		defer c.CloseNow()
	}
	resp, rerr := http.ReadResponse(bufio.NewReader(bytes.NewReader(sc.Written())), nil)
	if rerr != nil {
		return exp, newOutcome("no-response").add("error", "%q", rerr.Error()), errString(err)
	}
	if resp.StatusCode != 101 {
		return exp, newOutcome("refused").add("status", "%d", resp.StatusCode), errString(err)
	}
	ext := resp.Header.Values("Sec-WebSocket-Extensions")
	switch {
	case len(ext) == 0:
		act = newOutcome("declined")
	case len(ext) > 1 || strings.Contains(ext[0], ","):
		act = newOutcome("answer").add("elements", "%q", strings.Join(ext, ", "))
	default:
		name, ps := pmdParams(ext[0])
		if name != "permessage-deflate" {
			act = newOutcome("answer").add("extension", "%q", name)
		} else {
			act = newOutcome("accepted").add("params", "%s", strings.Join(ps, "; "))
		}
	}
	return exp, act, errString(err)
}

// offerOptions turns a client's offer into the CompressionOptions that
// make protocol.ClientHandshake send it.
func offerOptions(offer string) *protocol.CompressionOptions {
	o := &protocol.CompressionOptions{}
	_, ps := pmdParams(offer)
	for _, p := range ps {
		k, v, _ := strings.Cut(p, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "server_no_context_takeover":
			o.ServerNoContextTakeover = true
		case "client_no_context_takeover":
			o.ClientNoContextTakeover = true
		case "server_max_window_bits":
			o.ServerMaxWindowBits = n
		case "client_max_window_bits":
			o.ClientMaxWindowBits = n
		}
	}
	return o
}

// sentOffer is the Sec-WebSocket-Extensions the client wrote, or an
// explanation when it wrote none.
func sentOffer(written []byte) string {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(written)))
	if err != nil {
		return "no request: " + err.Error()
	}
	return strings.Join(req.Header.Values("Sec-WebSocket-Extensions"), ", ")
}

// clientWith runs the client handshake with options that make it send
// offer (nil for none) and feeds it response, then the frames. It returns
// the Conn, or the handshake's error, and an error of the runner when the
// client did not send the offer the vector says it sent.
func clientWith(ctx context.Context, offer *protocol.CompressionOptions, wantOffer string, response []byte, frames [][]byte, limit int64) (*protocol.Conn, *scriptConn, error, error) {
	sc := newScriptConn(append([][]byte{response}, frames...)...)
	nonce, _ := base64.StdEncoding.DecodeString(deflateKey)
	u, _ := url.Parse("ws://server.example.com/chat")
	opts := &protocol.DialOptions{Compression: offer}
	opts.MessageLimit, opts.CloseTimeout = limit, time.Second
	opts.Rand = io.MultiReader(bytes.NewReader(nonce), rand.Reader)
	c, err := protocol.ClientHandshake(ctx, sc, u, opts)
	if got := sentOffer(sc.Written()); got != wantOffer {
		if c != nil {
			c.CloseNow()
		}
		return nil, sc, err, fmt.Errorf("the client offered %q, not the vector's %q", got, wantOffer)
	}
	return c, sc, err, nil
}

// runDeflateResponse makes the client send the vector's offer and feeds it
// the vector's answer.
func runDeflateResponse(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	exp = newOutcome("refused")
	if *v.Expect.OK {
		exp = newOutcome("accepted")
	}
	c, _, err, rerr := clientWith(ctx, offerOptions(v.Input.Offer), v.Input.Offer, deflateResponse(deflateKey, v.Input.Extensions), nil, -1)
	if rerr != nil {
		return exp, newOutcome("runner-error").add("error", "%q", rerr.Error()), ""
	}
	if err != nil {
		return exp, newOutcome("refused"), err.Error()
	}
	c.CloseNow()
	return exp, newOutcome("accepted"), ""
}

// runDeflateMessages opens a connection in the receiver's role that agreed
// on v.Input.Agreed (or on nothing), then reads the vector's frames.
func runDeflateMessages(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	exp = expectMessages(v.Expect)
	limit := int64(-1)
	if v.Input.MessageLimit != nil {
		limit = *v.Input.MessageLimit
	}
	frames := make([][]byte, len(v.Input.Frames))
	for i, f := range v.Input.Frames {
		frames[i] = f
	}
	var lines []string
	if v.Input.Agreed != "" {
		lines = []string{v.Input.Agreed}
	}
	var c *protocol.Conn
	var sc *scriptConn
	var err error
	if v.Input.Receiver == "client" {
		var offer *protocol.CompressionOptions
		want := ""
		if v.Input.Agreed != "" {
			// Offer what was agreed, letting the server set the
			// client's window as browsers do.
			offer = offerOptions(v.Input.Agreed)
			want = offer.ClientOffer().String()
		}
		var rerr error
		c, sc, err, rerr = clientWith(ctx, offer, want, deflateResponse(deflateKey, lines), frames, limit)
		if rerr != nil {
			return exp, newOutcome("runner-error").add("error", "%q", rerr.Error()), ""
		}
	} else {
		sc = newScriptConn(append([][]byte{deflateRequest(lines)}, frames...)...)
		opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin}
		if v.Input.Agreed != "" {
			opts.Compression = &protocol.CompressionOptions{}
		}
		opts.MessageLimit, opts.CloseTimeout = limit, time.Second
		c, err = protocol.AcceptConn(ctx, sc, opts)
	}
	if err != nil {
		return exp, newOutcome("handshake-failed").add("error", "%q", err.Error()), err.Error()
	}
	// The handshake's bytes are not replies.
	head := len(sc.Written())
	if v.Input.Receiver == "server" {
		// Check that the server agreed to exactly what the vector says.
		resp, rerr := http.ReadResponse(bufio.NewReader(bytes.NewReader(sc.Written())), nil)
		got := ""
		if rerr == nil {
			got = strings.Join(resp.Header.Values("Sec-WebSocket-Extensions"), ", ")
		}
		_, gp := pmdParams(got)
		_, wp := pmdParams(v.Input.Agreed)
		if (got == "") != (v.Input.Agreed == "") || !slices.Equal(gp, wp) {
			c.CloseNow()
			return exp, newOutcome("runner-error").add("error", "the server agreed to %q, not the vector's %q", got, v.Input.Agreed), ""
		}
	}
	run := readConn(ctx, c, sc)
	run.written = run.written[head:]
	return exp, actualMessages(v.Expect, run), run.detail
}
