package protocol

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DialOptions configure the client side of the opening handshake.
type DialOptions struct {
	Options
	// Subprotocols are offered in Sec-WebSocket-Protocol, in order of
	// preference (§4.1 item 10).
	Subprotocols []string
	// Origin, if set, is sent as the Origin header. Browsers always send
	// one; other clients may (§4.1 item 8, §10.2).
	Origin string
	// Header holds extra request headers.
	Header http.Header
	// HandshakeTimeout bounds connecting plus the handshake. Zero means
	// DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// NetDial, if set, opens the TCP connection instead of net.Dialer.
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLSConfig is used for wss:// URLs.
	TLSConfig *tls.Config
	// Compression, if set and not Disabled, offers permessage-deflate
	// (RFC 7692) with these parameters. Nil offers nothing.
	Compression *CompressionOptions
}

// DefaultHandshakeTimeout bounds an opening handshake when no other limit
// is set.
const DefaultHandshakeTimeout = 10 * time.Second

// maxResponseHead bounds the server's response head.
const maxResponseHead = 16 << 10

// ParseURL checks a WebSocket URL as §3 defines it: scheme ws or wss, a
// host, no fragment ("Fragment identifiers are meaningless in the context
// of WebSocket URIs and MUST NOT be used on these URIs").
func ParseURL(rawURL string) (*url.URL, error) {
	if !strings.Contains(rawURL, "://") && !strings.ContainsAny(rawURL, " \t") {
		// "localhost:8080" parses as scheme "localhost": when it reads
		// as a host, say what was meant instead of naming that scheme.
		if u, err := url.Parse("ws://" + rawURL); err == nil && u.Hostname() != "" {
			return nil, fmt.Errorf("websocket: bad URL %q: a WebSocket URL starts with ws:// or wss:// (§3); did you mean %s?", rawURL, suggestURL("ws://"+rawURL))
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("websocket: bad URL %q: %v", rawURL, err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http", "https":
		// §3: ws and wss are what http and https are to HTTP, on the same
		// default ports.
		ws := map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
		return nil, fmt.Errorf("websocket: bad URL %q: the scheme must be ws or wss (§3); did you mean %s?", rawURL, suggestURL(ws+strings.TrimPrefix(rawURL, u.Scheme)))
	default:
		return nil, fmt.Errorf("websocket: bad URL %q: the scheme must be ws or wss (§3)", rawURL)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("websocket: bad URL %q: no host (§3)", rawURL)
	}
	if u.Fragment != "" || strings.Contains(rawURL, "#") {
		return nil, fmt.Errorf("websocket: bad URL %q: a fragment (#...) must not be used in a WebSocket URL (§3)", rawURL)
	}
	return u, nil
}

// suggestURL adds the "/" path a bare host:port lacks, for a suggestion.
func suggestURL(s string) string {
	if rest := s[strings.Index(s, "://")+3:]; !strings.ContainsAny(rest, "/?") {
		s += "/"
	}
	return s
}

// Dial opens a WebSocket connection to a ws:// or wss:// URL: it connects
// TCP (and TLS), sends the opening handshake, and checks the response.
func Dial(ctx context.Context, rawURL string, opts *DialOptions) (*Conn, error) {
	if opts == nil {
		opts = &DialOptions{}
	}
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	timeout := opts.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	port := u.Port()
	if port == "" {
		// §3: "The port component is OPTIONAL; the default for "ws" is port
		// 80, while the default for "wss" is port 443."
		port = map[string]string{"ws": "80", "wss": "443"}[u.Scheme]
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	dial := opts.NetDial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	netConn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("websocket: cannot connect to %s: %w", addr, err)
	}
	if u.Scheme == "wss" {
		cfg := opts.TLSConfig.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName = u.Hostname()
		}
		tlsConn := tls.Client(netConn, cfg)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			netConn.Close()
			return nil, fmt.Errorf("websocket: TLS handshake with %s failed: %w", addr, err)
		}
		netConn = tlsConn
	}
	c, err := ClientHandshake(ctx, netConn, u, opts)
	if err != nil {
		netConn.Close()
		return nil, err
	}
	return c, nil
}

// ClientHandshake performs the client's opening handshake (§4.1) over an
// established connection.
func ClientHandshake(ctx context.Context, netConn net.Conn, u *url.URL, opts *DialOptions) (*Conn, error) {
	if opts == nil {
		opts = &DialOptions{}
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
	if err := checkDialOptions(opts); err != nil {
		return nil, err
	}

	// anatomy: header=Sec-WebSocket-Key (a fresh nonce)
	key, err := NewKey(o.Rand)
	if err != nil {
		return nil, fmt.Errorf("websocket: failed to make a Sec-WebSocket-Key: %w", err)
	}
	req := buildRequest(u, key, opts)
	observeHandshake(o.Observer, RoleClient, Sent, true, req, nil, nil)
	if _, err := netConn.Write(req); err != nil {
		return nil, fmt.Errorf("websocket: failed to send the handshake to %s: %w", netConn.RemoteAddr(), ctxErr(ctx, err))
	}
	// The response is read through a pooled read buffer, which the
	// connection gives back once it has drained it (readbuf.go).
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(netConn)
	head, err := readHead(br, maxResponseHead)
	if err != nil {
		// Say which stage, which server and what happened: "context
		// deadline exceeded" alone does not tell a user that the server
		// never answered, and "waited up to 10s" would be wrong for a
		// response refused the moment it grew too large.
		switch {
		case err == errHeadTooLarge:
			return nil, fmt.Errorf("websocket: the handshake response from %s is larger than %d bytes; refused without reading the rest", netConn.RemoteAddr(), maxResponseHead)
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return nil, fmt.Errorf("websocket: %s closed the connection before its handshake response was complete: %w", netConn.RemoteAddr(), err)
		case isTimeout(err) || ctx.Err() != nil:
			return nil, fmt.Errorf("websocket: no complete handshake response from %s (waited up to %v): %w", netConn.RemoteAddr(), timeout, ctxErr(ctx, err))
		}
		return nil, fmt.Errorf("websocket: failed to read the handshake response from %s: %w", netConn.RemoteAddr(), err)
	}
	// A reader the size of the head (it is all there), not bufio's 4 KiB.
	resp, err := http.ReadResponse(bufio.NewReaderSize(bytes.NewReader(head), len(head)), nil)
	if err != nil {
		return nil, fmt.Errorf("websocket: handshake response is not valid HTTP: %w", err)
	}
	steps := ComputeAcceptSteps(key)
	herr := checkResponse(resp, &steps, opts.Subprotocols, opts.Compression.offering())
	// permessage-deflate: the response must keep to our offer (pmdeflate.go).
	var neg *Negotiation
	if herr == nil {
		neg, herr = checkResponseDeflate(resp, opts.Compression)
	}
	observeHandshakeNegotiation(o.Observer, RoleClient, Received, false, head, &steps, herr, neg)
	if herr != nil {
		return nil, herr
	}
	c := newConn(netConn, RoleClient, br, &opts.Options)
	c.subprotocol = resp.Header.Get("Sec-WebSocket-Protocol")
	if neg != nil && neg.Accepted {
		c.enableDeflate(neg.Agreed, opts.Compression)
	}
	return c, nil
}

// checkDialOptions refuses header values that would break the request:
// a CR or LF would end the header early and let the value smuggle in
// headers of its own, and a subprotocol must be an HTTP token (§4.1 item
// 10: the elements "MUST be non-empty strings with characters in the range
// U+0021 to U+007E not including separator characters as defined in
// [RFC2616]").
func checkDialOptions(opts *DialOptions) error {
	bad := func(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }
	if bad(opts.Origin) {
		return fmt.Errorf("websocket: Origin %q contains a line break", opts.Origin)
	}
	for name, values := range opts.Header {
		for _, v := range values {
			if bad(name) || bad(v) || name == "" || strings.ContainsAny(name, " :") {
				return fmt.Errorf("websocket: header %q: %q is not a valid header field", name, v)
			}
		}
	}
	for _, p := range opts.Subprotocols {
		if !isToken(p) {
			return fmt.Errorf("websocket: subprotocol %q is not an HTTP token (§4.1 item 10)", p)
		}
	}
	if opts.Compression != nil {
		return opts.Compression.check()
	}
	return nil
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return true
}

// buildRequest writes the opening handshake request of §4.1.
func buildRequest(u *url.URL, key string, opts *DialOptions) []byte {
	var b bytes.Buffer
	path := u.RequestURI() // path and query; "/" when the URL has none
	// §4.1 item 2: the request line is "GET /resource HTTP/1.1".
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", path)
	// §4.1 item 4: Host is the host, plus ":port" unless the port is the
	// scheme's default (80 for ws, 443 for wss).
	// anatomy: header=Host (sent)
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 literal
	}
	if p := u.Port(); p != "" && !(u.Scheme == "ws" && p == "80") && !(u.Scheme == "wss" && p == "443") {
		host += ":" + p
	}
	fmt.Fprintf(&b, "Host: %s\r\n", host)
	// §4.1 items 5-7 and 9: the fields that make this an upgrade.
	// anatomy: header=Upgrade (sent)
	b.WriteString("Upgrade: websocket\r\n")
	// anatomy: header=Connection (sent)
	b.WriteString("Connection: Upgrade\r\n")
	// anatomy: header=Sec-WebSocket-Key (sent)
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\n", key)
	// anatomy: header=Sec-WebSocket-Version (sent)
	b.WriteString("Sec-WebSocket-Version: 13\r\n")
	// anatomy: header=Origin (sent)
	if opts.Origin != "" {
		fmt.Fprintf(&b, "Origin: %s\r\n", opts.Origin)
	}
	// anatomy: header=Sec-WebSocket-Protocol (offered)
	if len(opts.Subprotocols) > 0 {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", strings.Join(opts.Subprotocols, ", "))
	}
	// anatomy: header=Sec-WebSocket-Extensions (offered)
	b.WriteString(opts.Compression.offerHeader())
	for name, values := range opts.Header {
		for _, v := range values {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// checkResponse applies the client's checks of §4.1, the numbered list
// after "The client MUST validate the server's response as follows".
func checkResponse(resp *http.Response, steps *AcceptSteps, offered []string, offeredDeflate bool) *HandshakeError {
	refuse := func(header, section, format string, args ...any) *HandshakeError {
		return &HandshakeError{Status: resp.StatusCode, Header: header, Section: section, Msg: fmt.Sprintf(format, args...)}
	}
	// 1. "If the status code received from the server is not 101, the
	// client handles the response per HTTP [RFC2616] procedures."
	// Such a response (a 401 asking for credentials, a 3xx redirect) is
	// not a WebSocket connection, so the handshake ends here and the
	// caller gets the status to act on as HTTP.
	if resp.StatusCode != http.StatusSwitchingProtocols {
		msg := fmt.Sprintf("expected status 101 Switching Protocols, got %s", resp.Status)
		if v := resp.Header.Get("Sec-WebSocket-Version"); v != "" {
			msg += fmt.Sprintf(" (server speaks version %s)", v)
		}
		return refuse("", "4.1", "%s", msg)
	}
	// 2. Upgrade must be "websocket", case-insensitively: §4.1 asks for
	// "an ASCII case-insensitive match for the value", one value, not a list.
	// anatomy: header=Upgrade (checked in the response)
	if up := resp.Header.Values("Upgrade"); len(up) != 1 || !strings.EqualFold(strings.TrimSpace(up[0]), "websocket") {
		return refuse("Upgrade", "4.1", "Upgrade is %s, expected \"websocket\"", quotePeer(resp.Header.Get("Upgrade")))
	}
	// 3. Connection must contain "Upgrade", case-insensitively.
	// anatomy: header=Connection (checked in the response)
	if !headerHasToken(resp.Header, "Connection", "Upgrade") {
		return refuse("Connection", "4.1", "Connection is %s, expected \"Upgrade\"", quotePeer(resp.Header.Get("Connection")))
	}
	// 4. Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)), exactly,
	// and §11.3.3 allows it only once in a response.
	// anatomy: header=Sec-WebSocket-Accept (checked)
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != steps.Accept || len(resp.Header.Values("Sec-WebSocket-Accept")) != 1 {
		return refuse("Sec-WebSocket-Accept", "4.1", "Sec-WebSocket-Accept is %s, expected %q", quotePeer(got), steps.Accept)
	}
	// 5. No extension we did not offer. An offer of permessage-deflate is
	// checked against the response in checkResponseDeflate.
	// anatomy: header=Sec-WebSocket-Extensions (checked)
	if ext := headerTokens(resp.Header, "Sec-WebSocket-Extensions"); len(ext) > 0 && !offeredDeflate {
		return refuse("Sec-WebSocket-Extensions", "4.1", "server chose extension %s, but none was offered", quotePeer(strings.Join(ext, ", ")))
	}
	// 6. No subprotocol we did not offer.
	// anatomy: header=Sec-WebSocket-Protocol (checked in the response)
	if protos := headerTokens(resp.Header, "Sec-WebSocket-Protocol"); len(protos) > 0 {
		if len(protos) > 1 {
			return refuse("Sec-WebSocket-Protocol", "4.1", "server chose %d subprotocols, at most one is allowed", len(protos))
		}
		ok := false
		for _, p := range offered {
			ok = ok || p == protos[0]
		}
		if !ok {
			return refuse("Sec-WebSocket-Protocol", "4.1", "server chose subprotocol %q, which was not offered", protos[0])
		}
	}
	return nil
}

func observeHandshake(obs Observer, role Role, dir Direction, request bool, raw []byte, steps *AcceptSteps, err *HandshakeError) {
	observeHandshakeNegotiation(obs, role, dir, request, raw, steps, err, nil)
}

func observeHandshakeNegotiation(obs Observer, role Role, dir Direction, request bool, raw []byte, steps *AcceptSteps, err *HandshakeError, neg *Negotiation) {
	if obs == nil {
		return
	}
	ev := &HandshakeEvent{Time: time.Now(), Role: role, Dir: dir, Request: request, Raw: append([]byte(nil), raw...), Accept: steps, Negotiation: neg}
	if err != nil {
		ev.Err = err
	}
	obs(ev)
}
