package testvectors

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// runHandshake dispatches on the vector's kind.
func runHandshake(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	switch v.Input.Kind {
	case KindAccept:
		exp = newOutcome("accept").add("value", "%s", v.Expect.Accept)
		return exp, newOutcome("accept").add("value", "%s", protocol.ComputeAccept(v.Input.Key)), ""
	case KindRequest:
		return runRequest(ctx, v)
	}
	return runResponse(ctx, v)
}

// runRequest sends the vector's request to the server handshake and reads
// the status it answers with from the bytes it wrote, as a client would.
func runRequest(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	e := v.Expect
	if !e.Status.Any {
		exp = newOutcome("status").add("code", "101").add("response", "valid")
		if e.Protocol != nil {
			exp = exp.add("protocol", "%q", *e.Protocol)
		}
	} else {
		var all4xx []string
		for c := 400; c <= 499; c++ {
			all4xx = append(all4xx, fmt.Sprint(c))
		}
		exp = newOutcome("status").addSet("code", "4xx", all4xx)
		if e.PreferredStatus != nil {
			exp = exp.add("preferred_status", "%d", *e.PreferredStatus)
		}
		exp = exp.add("header", "%q", canonical(e.Header))
		if e.SecWebSocketVersion != nil {
			exp = exp.add("sec_websocket_version", "lists %s", *e.SecWebSocketVersion)
		}
	}

	sc := newScriptConn([]byte(v.Input.Request))
	opts := &protocol.AcceptOptions{Subprotocols: v.Input.Protocols, CheckOrigin: protocol.AcceptAnyOrigin}
	if v.Input.Origins != nil {
		allowed := v.Input.Origins
		opts.CheckOrigin = func(origin *url.URL, _ *http.Request) bool {
			for _, a := range allowed {
				if strings.EqualFold(a, origin.String()) {
					return true
				}
			}
			return false
		}
	}
	c, err := protocol.AcceptConn(ctx, sc, opts)
	if c != nil {
		defer c.CloseNow()
	}
	resp, rerr := http.ReadResponse(bufio.NewReader(bytes.NewReader(sc.Written())), nil)
	if rerr != nil {
		return exp, newOutcome("no-response").add("error", "%q", rerr.Error()), errString(err)
	}
	act = newOutcome("status").add("code", "%d", resp.StatusCode)
	if e.PreferredStatus != nil {
		act = act.add("preferred_status", "%d", resp.StatusCode)
	}
	var herr *protocol.HandshakeError
	switch {
	case resp.StatusCode == 101:
		act = act.add("response", "%s", checkSwitching(resp, v.Input.Request))
		if e.Protocol != nil {
			act = act.add("protocol", "%q", resp.Header.Get("Sec-WebSocket-Protocol"))
		}
	case errors.As(err, &herr):
		act = act.add("header", "%q", canonical(herr.Header))
	default:
		act = act.add("header", "unknown (error %v)", err)
	}
	if e.SecWebSocketVersion != nil {
		// §4.2.2: the refusal carries "a |Sec-WebSocket-Version| header
		// field indicating the version(s) the server is capable of
		// understanding", a list, so the vector's version must be in it.
		got := resp.Header.Values("Sec-WebSocket-Version")
		listed := false
		for _, h := range got {
			for _, tok := range strings.Split(h, ",") {
				if strings.TrimSpace(tok) == *e.SecWebSocketVersion {
					listed = true
				}
			}
		}
		if listed {
			act = act.add("sec_websocket_version", "lists %s", *e.SecWebSocketVersion)
		} else {
			act = act.add("sec_websocket_version", "%q", strings.Join(got, ", "))
		}
	}
	return exp, act, errString(err)
}

// checkSwitching checks a 101 response the way §4.1 tells a client to,
// computing the accept value here rather than trusting the server's code.
func checkSwitching(resp *http.Response, request string) string {
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(request)))
	if err != nil {
		return "accepted a request that is not HTTP"
	}
	sum := sha1.Sum([]byte(strings.TrimSpace(req.Header.Get("Sec-WebSocket-Key")) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	want := base64.StdEncoding.EncodeToString(sum[:])
	switch {
	case !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket"):
		return "Upgrade is " + resp.Header.Get("Upgrade")
	case !strings.EqualFold(resp.Header.Get("Connection"), "Upgrade"):
		return "Connection is " + resp.Header.Get("Connection")
	case resp.Header.Get("Sec-WebSocket-Accept") != want:
		return "Sec-WebSocket-Accept is " + resp.Header.Get("Sec-WebSocket-Accept") + ", want " + want
	}
	return "valid"
}

// runResponse makes the client handshake send the vector's key, feeds it
// the vector's response and reports whether the client accepted it.
func runResponse(ctx context.Context, v *Vector) (exp, act outcome, detail string) {
	e := v.Expect
	if *e.OK {
		exp = newOutcome("accepted")
		if e.Protocol != nil {
			exp = exp.add("protocol", "%q", *e.Protocol)
		}
	} else {
		exp = newOutcome("refused").add("header", "%q", canonical(e.Header))
	}
	nonce, _ := base64.StdEncoding.DecodeString(v.Input.Key) // checked when loaded
	sc := newScriptConn([]byte(v.Input.Response))
	u, _ := url.Parse("ws://server.example.com/chat")
	opts := &protocol.DialOptions{Subprotocols: v.Input.Protocols}
	// The nonce comes from Rand: handing it the vector's key first makes
	// the client send exactly that key.
	opts.Rand = io.MultiReader(bytes.NewReader(nonce), rand.Reader)
	c, err := protocol.ClientHandshake(ctx, sc, u, opts)
	if err == nil {
		defer c.CloseNow()
		act = newOutcome("accepted")
		if e.Protocol != nil {
			act = act.add("protocol", "%q", c.Subprotocol())
		}
		return exp, act, ""
	}
	var herr *protocol.HandshakeError
	if errors.As(err, &herr) {
		return exp, newOutcome("refused").add("header", "%q", canonical(herr.Header)), err.Error()
	}
	// A response that is not HTTP at all is refused on its status line.
	return exp, newOutcome("refused").add("header", `""`), err.Error()
}

// canonical lowercases a header name: header names are case-insensitive
// (RFC 7230 §3.2), so "sec-websocket-key" in a vector matches
// "Sec-WebSocket-Key".
func canonical(h string) string { return strings.ToLower(h) }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
