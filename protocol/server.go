package protocol

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AcceptOptions configure the server side of the opening handshake.
type AcceptOptions struct {
	Options
	// Subprotocols lists the subprotocols the server speaks, in its order
	// of preference. The first one the client also offered is chosen
	// (§1.3: "The server selects one or none of the acceptable
	// protocols"; §4.2.2 puts it in the response).
	Subprotocols []string
	// CheckOrigin decides whether to accept a request that carries an
	// Origin header. Nil accepts only requests whose Origin has the same
	// host as the request's Host, which stops other web pages from
	// opening connections with a visitor's cookies (§10.2). A request with
	// no Origin is not from a browser and is always allowed.
	CheckOrigin func(origin *url.URL, r *http.Request) bool
	// HandshakeTimeout bounds reading the request and writing the response
	// on a raw connection ([AcceptConn]). Zero means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// MaxHeaderBytes bounds the request head on a raw connection. Zero
	// means 8 KiB.
	MaxHeaderBytes int
	// Compression, if set and not Disabled, accepts permessage-deflate
	// (RFC 7692) when a client offers it, with this policy. Nil declines
	// every offer.
	Compression *CompressionOptions
}

const defaultMaxRequestHead = 8 << 10

// AcceptAnyOrigin is a CheckOrigin that allows every origin. Use it only
// for servers that hold no per-user state, like an echo server.
func AcceptAnyOrigin(*url.URL, *http.Request) bool { return true }

// Accept upgrades an HTTP request to a WebSocket connection, from inside a
// net/http handler. A request that is not a valid opening handshake gets
// an error response (400, 403 or 426) and Accept returns a
// [*HandshakeError]. On success, the connection is hijacked from net/http.
func Accept(w http.ResponseWriter, r *http.Request, opts *AcceptOptions) (*Conn, error) {
	if opts == nil {
		opts = &AcceptOptions{}
	}
	o := opts.Options.withDefaults()
	observeHandshake(o.Observer, RoleServer, Received, true, rebuildRequestHead(r), nil, nil)
	key, proto, herr := checkRequest(r, opts)
	var neg *Negotiation
	if herr == nil {
		neg, herr = negotiateRequest(r, opts) // permessage-deflate (pmdeflate.go)
	}
	if herr != nil {
		// Where the connection can be taken over, the refusal is written
		// as exact bytes, the same as AcceptConn writes, so the observer
		// sees what went over the wire; otherwise net/http writes it.
		if hj, ok := w.(http.Hijacker); ok {
			if netConn, _, err := hj.Hijack(); err == nil {
				raw := writeRefusal(netConn, herr)
				netConn.Close()
				observeHandshake(o.Observer, RoleServer, Sent, false, raw, nil, herr)
				return nil, herr
			}
		}
		if herr.Status == http.StatusUpgradeRequired {
			// §4.4: the refusal lists the versions the server speaks.
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, herr.Error(), herr.Status)
		observeHandshake(o.Observer, RoleServer, Sent, false, []byte(fmt.Sprintf("HTTP/1.1 %d %s\r\n\r\n", herr.Status, http.StatusText(herr.Status))), nil, herr)
		return nil, herr
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		err := &HandshakeError{Status: http.StatusInternalServerError, Msg: "the http.ResponseWriter cannot be hijacked (HTTP/2 connections cannot be upgraded)"}
		http.Error(w, err.Error(), err.Status)
		return nil, err
	}
	netConn, brw, err := hj.Hijack()
	if err != nil {
		return nil, fmt.Errorf("websocket: failed to hijack the connection: %w", err)
	}
	// net/http may have read bytes past the request (a client that sends
	// its first frame without waiting for the 101). Keep them in front of
	// the connection instead of losing them. Otherwise the connection
	// starts with no read buffer: it borrows one from the pool when bytes
	// arrive (readbuf.go), so that an idle connection holds none and a
	// thousand handshakes leave no thousand buffers behind for the
	// garbage collector.
	var br *bufio.Reader
	early := brw.Reader.Buffered() > 0
	if early {
		b, _ := brw.Reader.Peek(brw.Reader.Buffered())
		br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(b)), netConn), bufferSize)
	}
	netConn.SetDeadline(time.Time{}) // net/http's deadlines no longer apply
	c, err := finishAccept(netConn, br, key, proto, neg, opts)
	if c != nil && early {
		// The early bytes are in br's source, not yet in its buffer: an
		// empty buffer does not mean nothing is left, so br is kept for
		// good instead of pooled (readbuf.go).
		c.keepBR = true
	}
	return c, err
}

// AcceptConn performs the server's opening handshake on a raw connection:
// it reads the request (bounded in size and time), answers it, and returns
// the WebSocket connection. On a refused handshake the error response is
// sent, netConn is left open for the caller to close, and the error is a
// [*HandshakeError].
func AcceptConn(ctx context.Context, netConn net.Conn, opts *AcceptOptions) (*Conn, error) {
	if opts == nil {
		opts = &AcceptOptions{}
	}
	o := opts.Options.withDefaults()
	timeout := opts.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := bindContext(ctx, netConn, bothDeadlines, time.Time{})
	defer stop()

	maxHead := opts.MaxHeaderBytes
	if maxHead <= 0 {
		maxHead = defaultMaxRequestHead
	}
	// The request is read through a pooled read buffer, which the
	// connection keeps while it holds bytes after the request and then
	// gives back (readbuf.go); a refused handshake gives it back at once.
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(netConn)
	c, err := acceptOn(ctx, netConn, br, maxHead, opts, &o)
	if c == nil {
		br.Reset(nil)
		readerPool.Put(br)
	}
	return c, err
}

// acceptOn is AcceptConn's work once the read buffer is set up: reading
// the request through br, checking it and answering it.
func acceptOn(ctx context.Context, netConn net.Conn, br *bufio.Reader, maxHead int, opts *AcceptOptions, o *Options) (*Conn, error) {
	head, err := readHead(br, maxHead)
	if err == errHeadTooLarge {
		herr := &HandshakeError{Status: http.StatusRequestHeaderFieldsTooLarge, Msg: fmt.Sprintf("request head is larger than %d bytes", maxHead)}
		observeHandshake(o.Observer, RoleServer, Sent, false, writeRefusal(netConn, herr), nil, herr)
		return nil, herr
	}
	if err != nil {
		return nil, ctxErr(ctx, fmt.Errorf("websocket: failed to read the handshake request: %w", err))
	}
	observeHandshake(o.Observer, RoleServer, Received, true, head, nil, nil)
	// A reader the size of the head (it is all there), not bufio's 4 KiB.
	r, err := http.ReadRequest(bufio.NewReaderSize(bytes.NewReader(head), len(head)))
	if err != nil {
		herr := &HandshakeError{Status: http.StatusBadRequest, Section: "4.2.1", Msg: "request is not valid HTTP: " + err.Error()}
		observeHandshake(o.Observer, RoleServer, Sent, false, writeRefusal(netConn, herr), nil, herr)
		return nil, herr
	}
	if !headHasField(head, "Host") {
		// §4.2.1 item 2 asks for "A |Host| header field", but net/http
		// takes the host from an absolute request target
		// ("GET http://host/ HTTP/1.1") when the field is missing, so the
		// head itself is what tells. (Accept needs no such check: the
		// net/http server refuses an HTTP/1.1 request without Host.)
		r.Host = ""
	}
	key, proto, herr := checkRequest(r, opts)
	var neg *Negotiation
	if herr == nil {
		neg, herr = negotiateRequest(r, opts) // permessage-deflate (pmdeflate.go)
	}
	if herr != nil {
		raw := writeRefusal(netConn, herr)
		observeHandshake(o.Observer, RoleServer, Sent, false, raw, nil, herr)
		return nil, herr
	}
	return finishAccept(netConn, br, key, proto, neg, opts)
}

// finishAccept sends the 101 response of §4.2.2 and makes the connection.
func finishAccept(netConn net.Conn, br *bufio.Reader, key, proto string, neg *Negotiation, opts *AcceptOptions) (*Conn, error) {
	// anatomy: header=Sec-WebSocket-Accept (computed and sent)
	steps := ComputeAcceptSteps(key)
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\n")
	// anatomy: header=Upgrade (sent in the 101)
	b.WriteString("Upgrade: websocket\r\n")
	// anatomy: header=Connection (sent in the 101)
	b.WriteString("Connection: Upgrade\r\n")
	fmt.Fprintf(&b, "Sec-WebSocket-Accept: %s\r\n", steps.Accept)
	// anatomy: header=Sec-WebSocket-Protocol (sent in the 101)
	if proto != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", proto)
	}
	// anatomy: header=Sec-WebSocket-Extensions (accepted)
	if ext := neg.ResponseHeader(); ext != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Extensions: %s\r\n", ext)
	}
	b.WriteString("\r\n")
	if _, err := netConn.Write(b.Bytes()); err != nil {
		netConn.Close()
		return nil, fmt.Errorf("websocket: failed to send the handshake response: %w", err)
	}
	observeHandshakeNegotiation(opts.Observer, RoleServer, Sent, false, b.Bytes(), &steps, nil, neg)
	c := newConn(netConn, RoleServer, br, &opts.Options)
	c.subprotocol = proto
	if neg != nil && neg.Accepted {
		c.enableDeflate(neg.Agreed, opts.Compression)
	}
	return c, nil
}

// checkRequest applies §4.2.1, "Reading the Client's Opening Handshake",
// item by item, and picks the subprotocol. It returns the client's key.
func checkRequest(r *http.Request, opts *AcceptOptions) (key, proto string, herr *HandshakeError) {
	refuse := func(status int, header, format string, args ...any) (string, string, *HandshakeError) {
		return "", "", &HandshakeError{Status: status, Header: header, Section: "4.2.1", Msg: fmt.Sprintf(format, args...)}
	}
	// 1. "An HTTP/1.1 or higher GET request".
	if r.Method != http.MethodGet {
		return refuse(http.StatusBadRequest, "", "method is %s, the opening handshake must be a GET", quotePeer(r.Method))
	}
	// §4.1 item 2: "the HTTP version MUST be at least 1.1", and item 1:
	// "The handshake MUST be a valid HTTP request as specified by
	// [RFC2616]", whose request line is HTTP/1.x: a request line that
	// says HTTP/2.0 (or 3.0) is no such request. HTTP/2 has no request
	// line at all, and upgrades only through RFC 8441's CONNECT, which
	// this server does not offer. So the version must be 1.1 or a later
	// 1.x; other major versions get 505, as net/http answers them.
	if !r.ProtoAtLeast(1, 1) {
		return refuse(http.StatusBadRequest, "", "request is %s, the opening handshake needs HTTP/1.1 or later", quotePeer(r.Proto))
	}
	if r.ProtoMajor != 1 {
		return refuse(http.StatusHTTPVersionNotSupported, "", "request is %s: an opening handshake is an HTTP/1.1 (or later 1.x) upgrade request; HTTP/2 upgrades (RFC 8441) are not supported", quotePeer(r.Proto))
	}
	// A body: the bytes after the request head belong to the WebSocket
	// connection (a client that does not wait for the 101 sends its first
	// frames right behind the head), so a body would be read as frames.
	// An opening handshake has no use for one, and skipping it would
	// trust a length the client chose; the request is refused instead.
	if r.ContentLength != 0 || len(r.TransferEncoding) > 0 {
		return refuse(http.StatusBadRequest, "", "the request has a body (Content-Length %d, Transfer-Encoding %s): the bytes after an opening handshake are WebSocket frames, so it must have none", r.ContentLength, quotePeer(strings.Join(r.TransferEncoding, ", ")))
	}
	// 2. "A |Host| header field containing the server's authority."
	// anatomy: header=Host (checked)
	if r.Host == "" {
		return refuse(http.StatusBadRequest, "Host", "the Host header is missing")
	}
	// 3. "An |Upgrade| header field containing the value "websocket"".
	// anatomy: header=Upgrade (checked)
	if !headerHasToken(r.Header, "Upgrade", "websocket") {
		return refuse(http.StatusBadRequest, "Upgrade", "Upgrade is %s, expected a value containing \"websocket\"", quotePeer(r.Header.Get("Upgrade")))
	}
	// 4. "A |Connection| header field that includes the token "Upgrade"".
	// anatomy: header=Connection (checked)
	if !headerHasToken(r.Header, "Connection", "Upgrade") {
		return refuse(http.StatusBadRequest, "Connection", "Connection is %s, expected a value containing \"Upgrade\"", quotePeer(r.Header.Get("Connection")))
	}
	// 6. (checked before 5, so that an old client with a different key
	// format learns that its version is the problem: 426, not 400.)
	// "A |Sec-WebSocket-Version| header field, with a value of 13." For
	// another version, §4.2.2 says the server "MUST abort the WebSocket
	// handshake described in this section and instead send an appropriate
	// HTTP error code (such as 426 Upgrade Required) and a
	// |Sec-WebSocket-Version| header field indicating the version(s) the
	// server is capable of understanding"; §4.4 repeats the header rule.
	// The status is the RFC's example; the error cites §4.4, the section
	// about versions.
	// §11.3.5 allows the header only once in a request; HTTP allows spaces
	// around a header value (RFC 9110 §5.5), hence TrimSpace.
	// anatomy: header=Sec-WebSocket-Version (checked)
	switch v := r.Header.Values("Sec-WebSocket-Version"); {
	case len(v) == 0:
		return refuse(http.StatusBadRequest, "Sec-WebSocket-Version", "the Sec-WebSocket-Version header is missing, expected 13")
	case len(v) > 1 || strings.TrimSpace(v[0]) != "13":
		_, _, h := refuse(http.StatusUpgradeRequired, "Sec-WebSocket-Version", "Sec-WebSocket-Version is %s, this server speaks 13", quotePeer(strings.Join(v, ", ")))
		h.Section = "4.4"
		return "", "", h
	}
	// 5. "A |Sec-WebSocket-Key| header field with a base64-encoded (see
	// Section 4 of [RFC4648]) value that, when decoded, is 16 bytes in
	// length." §11.3.1: it "MUST NOT
	// appear more than once in an HTTP request", so two keys are refused.
	// anatomy: header=Sec-WebSocket-Key (checked)
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 || !validKey(strings.TrimSpace(keys[0])) {
		return refuse(http.StatusBadRequest, "Sec-WebSocket-Key", "Sec-WebSocket-Key is %s, expected the base64 of 16 bytes", quotePeer(strings.Join(keys, ", ")))
	}
	key = strings.TrimSpace(keys[0])
	// 7. Origin: optional, but a browser always sends it, and §10.2 lets
	// the server refuse origins it does not trust with 403.
	// anatomy: header=Origin (checked)
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		allowed := err == nil
		if allowed {
			if opts.CheckOrigin != nil {
				allowed = opts.CheckOrigin(u, r)
			} else {
				allowed = strings.EqualFold(u.Host, r.Host)
			}
		}
		if !allowed {
			_, _, h := refuse(http.StatusForbidden, "Origin", "origin %s is not allowed", quotePeer(origin))
			h.Section = "10.2"
			return "", "", h
		}
	}
	// 8. Sec-WebSocket-Protocol (§4.2.2, §1.9): the server picks
	// at most one of the client's subprotocols, by its own preference.
	// anatomy: header=Sec-WebSocket-Protocol (chosen)
	offered := headerTokens(r.Header, "Sec-WebSocket-Protocol")
	for _, mine := range opts.Subprotocols {
		for _, theirs := range offered {
			if mine == theirs && proto == "" {
				proto = mine
			}
		}
	}
	return key, proto, nil
}

// writeRefusal sends an HTTP error response for a refused handshake and
// returns its bytes.
func writeRefusal(w io.Writer, herr *HandshakeError) []byte {
	body := herr.Error() + "\n"
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", herr.Status, http.StatusText(herr.Status))
	if herr.Status == http.StatusUpgradeRequired {
		// §4.4: the refusal lists the versions the server speaks.
		b.WriteString("Sec-WebSocket-Version: 13\r\n")
	}
	fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	w.Write(b.Bytes())
	return b.Bytes()
}

// headHasField reports whether a request or response head has a header
// field of the given name (any case).
func headHasField(head []byte, name string) bool {
	lines := bytes.Split(head, []byte("\n")) // http.ReadRequest also accepts bare LF
	for _, ln := range lines[1:] {
		k, _, ok := bytes.Cut(ln, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), name) {
			return true
		}
	}
	return false
}

// rebuildRequestHead writes a request parsed by net/http back as a head,
// for the observer. Header order is net/http's, not the client's.
func rebuildRequestHead(r *http.Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\nHost: %s\r\n", r.Method, r.RequestURI, r.Proto, r.Host)
	r.Header.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}
