// Package relay is an inspecting WebSocket relay: it stands between any
// client and any server, forwards the opening handshake and every byte of
// every frame unchanged in both directions, and records what it forwards
// in a [capture.Store], decoded by the codec ([protocol.FrameReader]), so
// that the same screens that show wsanatomy's own connections show anyone's.
//
// Frames that break a rule are recorded with the rule and forwarded all
// the same: the point is to debug a peer, not to protect one. Each client
// connection and its upstream connection form a pair; a peer that closes,
// stalls or breaks the protocol ends its own pair and no other.
package relay

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Config configures a [Relay].
type Config struct {
	// Upstream is the server's URL: ws://host:port/ or wss://host:port/.
	// The client's request line is forwarded as it is, so the path the
	// client asked for is the path the server sees.
	Upstream *url.URL
	// TLSConfig is used for a wss:// upstream.
	TLSConfig *tls.Config
	// Store receives what the relay forwards; required.
	Store *capture.Store
	// HandshakeTimeout bounds reading the client's request, connecting
	// upstream and reading its response. Zero means 10 seconds.
	HandshakeTimeout time.Duration
	// WriteTimeout bounds every write to a peer: a peer that takes no
	// bytes for this long is stalled and its pair is ended. Zero means
	// 30 seconds.
	WriteTimeout time.Duration
	// Keep is how many payload bytes of each frame are decoded into the
	// capture (all of them are forwarded). Zero means 64 KiB.
	Keep int
	// InflateLimit is the proxy's decode limit for compressed messages:
	// the most bytes one message is inflated to for the capture. A
	// message that inflates past it is flagged (RFC 6455 §10.4) and
	// forwarded untouched like everything else. Zero means 16 MiB.
	InflateLimit int64
	// LingerTimeout bounds how long a pair stays open after one side
	// closed its TCP connection while the other has not. Zero means 10
	// seconds.
	LingerTimeout time.Duration
}

// maxHead bounds a request or response head, as net/http's default
// server does with 1 MiB; handshakes are far smaller, 8 KiB like serve.
const maxHead = 8 << 10

// Relay accepts clients and relays each to the upstream server.
type Relay struct {
	cfg Config

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// New returns a relay. Zero durations in cfg take their defaults.
func New(cfg Config) (*Relay, error) {
	if cfg.Store == nil {
		return nil, errors.New("relay: Config.Store is required")
	}
	if cfg.Upstream == nil || (cfg.Upstream.Scheme != "ws" && cfg.Upstream.Scheme != "wss") {
		return nil, errors.New("relay: the upstream must be a ws:// or wss:// URL")
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.Keep <= 0 {
		cfg.Keep = 64 << 10
	}
	if cfg.LingerTimeout <= 0 {
		cfg.LingerTimeout = 10 * time.Second
	}
	if cfg.InflateLimit <= 0 {
		cfg.InflateLimit = 16 << 20
	}
	return &Relay{cfg: cfg, conns: map[net.Conn]struct{}{}}, nil
}

// Serve accepts clients on ln until ctx ends, then closes every pair and
// waits for their goroutines.
func (r *Relay) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var err error
	for {
		var c net.Conn
		c, err = ln.Accept()
		if err != nil {
			break
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.handle(ctx, c)
		}()
	}
	r.mu.Lock()
	for c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// track registers c so that Serve can close it; untrack undoes it.
func (r *Relay) track(c net.Conn) {
	r.mu.Lock()
	r.conns[c] = struct{}{}
	r.mu.Unlock()
}

func (r *Relay) untrack(c net.Conn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.mu.Unlock()
}

// pair is one client connection and its upstream connection.
type pair struct {
	r        *Relay
	rec      *capture.Recorder
	client   net.Conn
	upstream net.Conn
	start    time.Time

	mu sync.Mutex
	// first is who closed TCP first, 0 until someone did.
	first protocol.Role
	// closes holds the close frame each way, indexed by capture.Dir.Index.
	closes [2]*protocol.CloseError
}

func (r *Relay) handle(ctx context.Context, client net.Conn) {
	r.track(client)
	defer r.untrack(client)
	defer client.Close()
	st := r.cfg.Store
	p := &pair{r: r, client: client, rec: st.Open(client.RemoteAddr().String(), "proxy", protocol.RoleServer), start: st.Start()}
	if err := p.run(ctx); err != nil {
		p.rec.End(err)
	}
}

func (p *pair) add(role protocol.Role, ev protocol.Event) {
	if e, ok := capture.FromEvent(role, ev, p.start); ok {
		p.rec.Add(e)
	}
}

// run relays the handshake, then frames, until both sides are done.
func (p *pair) run(ctx context.Context) error {
	cfg := p.r.cfg
	p.client.SetDeadline(time.Now().Add(cfg.HandshakeTimeout))
	cbr := bufio.NewReaderSize(p.client, 16<<10)
	req, err := readHead(cbr)
	if err != nil {
		return fmt.Errorf("reading the client's request: %w", err)
	}
	key := ""
	var offers []string
	if hr, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(req))); err == nil {
		key = hr.Header.Get("Sec-WebSocket-Key")
		offers = hr.Header.Values("Sec-WebSocket-Extensions")
	}
	p.add(protocol.RoleServer, &protocol.HandshakeEvent{Time: time.Now(), Role: protocol.RoleServer, Dir: protocol.Received, Request: true, Raw: req})

	up, err := p.dial(ctx)
	if err != nil {
		// No server to answer: the client gets 502, as an HTTP gateway
		// would answer (RFC 9110 §15.6.3).
		resp := []byte("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		p.client.Write(resp)
		p.add(protocol.RoleServer, &protocol.HandshakeEvent{Time: time.Now(), Role: protocol.RoleServer, Dir: protocol.Sent, Raw: resp,
			Err: &protocol.HandshakeError{Status: http.StatusBadGateway, Msg: "the proxy could not reach the upstream: " + err.Error()}})
		return err
	}
	p.upstream = up
	p.r.track(up)
	defer p.r.untrack(up)
	defer up.Close()
	up.SetDeadline(time.Now().Add(cfg.HandshakeTimeout))
	if _, err := up.Write(req); err != nil {
		return fmt.Errorf("forwarding the request: %w", err)
	}
	ubr := bufio.NewReaderSize(up, 16<<10)
	resp, err := readHead(ubr)
	if err != nil {
		return fmt.Errorf("reading the upstream's response: %w", err)
	}
	if _, err := p.client.Write(resp); err != nil {
		return fmt.Errorf("forwarding the response: %w", err)
	}
	ev := &protocol.HandshakeEvent{Time: time.Now(), Role: protocol.RoleServer, Dir: protocol.Sent, Raw: resp}
	status := 0
	var agreed *protocol.DeflateAgreement
	var negErr error
	if hr, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(resp)), nil); err == nil {
		hr.Body.Close()
		status = hr.StatusCode
		// RFC 7692 §6: permessage-deflate gives RSV1 its meaning ("Per-
		// Message Compressed" bit) once it is agreed; the agreement also
		// says, per direction, the window and whether it carries over
		// from message to message, which inflating needs.
		if status == http.StatusSwitchingProtocols {
			var neg *protocol.Negotiation
			neg, negErr = protocol.WatchNegotiation(offers, hr.Header.Values("Sec-WebSocket-Extensions"))
			if neg != nil {
				ev.Negotiation = neg
				agreed = &neg.Agreed
			}
		}
	}
	if status == http.StatusSwitchingProtocols && key != "" {
		steps := protocol.ComputeAcceptSteps(key)
		ev.Accept = &steps
	}
	if status != http.StatusSwitchingProtocols {
		ev.Err = &protocol.HandshakeError{Status: status, Msg: "the upstream refused the handshake"}
	}
	p.add(protocol.RoleServer, ev)
	if negErr != nil {
		// The client should fail the connection now; whatever still
		// flows is relayed and decoded with what the response says.
		p.rec.Note("the response's permessage-deflate does not keep to the offer: " + negErr.Error())
	}
	p.client.SetDeadline(time.Time{})
	up.SetDeadline(time.Time{})
	if status != http.StatusSwitchingProtocols {
		// Not a WebSocket: pass the rest (a body) through untouched.
		p.pipeRaw(cbr, ubr)
		return nil
	}
	return p.frames(cbr, ubr, agreed)
}

// dial connects to the upstream, with TLS for wss://.
func (p *pair) dial(ctx context.Context) (net.Conn, error) {
	cfg := p.r.cfg
	u := cfg.Upstream
	host := u.Host
	if u.Port() == "" {
		if u.Scheme == "wss" {
			host = net.JoinHostPort(u.Hostname(), "443")
		} else {
			host = net.JoinHostPort(u.Hostname(), "80")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.HandshakeTimeout)
	defer cancel()
	var d net.Dialer
	if u.Scheme == "wss" {
		tc := cfg.TLSConfig.Clone()
		if tc == nil {
			tc = &tls.Config{}
		}
		if tc.ServerName == "" {
			tc.ServerName = u.Hostname()
		}
		td := tls.Dialer{NetDialer: &d, Config: tc}
		return td.DialContext(ctx, "tcp", host)
	}
	return d.DialContext(ctx, "tcp", host)
}

// readHead reads an HTTP head, up to and including the empty line, and
// returns its bytes exactly as they arrived.
func readHead(br *bufio.Reader) ([]byte, error) {
	var head []byte
	for {
		line, err := br.ReadSlice('\n')
		head = append(head, line...)
		if len(head) > maxHead {
			return nil, fmt.Errorf("head longer than %d bytes", maxHead)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if len(line) == 2 && line[0] == '\r' || len(line) == 1 {
			return head, nil
		}
	}
}

// deadlineWriter bounds every write to a peer.
type deadlineWriter struct {
	c net.Conn
	d time.Duration
}

func (w deadlineWriter) Write(b []byte) (int, error) {
	w.c.SetWriteDeadline(time.Now().Add(w.d))
	return w.c.Write(b)
}

// frames relays both directions, decoding each, until both are done.
// agreed is the permessage-deflate agreement, nil without compression.
func (p *pair) frames(cbr, ubr *bufio.Reader, agreed *protocol.DeflateAgreement) error {
	done := make(chan error, 2)
	go func() { done <- p.direction(cbr, p.upstream, protocol.RoleServer, agreed) }()
	go func() { done <- p.direction(ubr, p.client, protocol.RoleClient, agreed) }()
	first := <-done
	var second error
	if first != nil {
		// An error (not a clean end of TCP) ends the pair at once.
		p.client.Close()
		p.upstream.Close()
		second = <-done
	} else {
		select {
		case second = <-done:
		case <-time.After(p.r.cfg.LingerTimeout):
			p.client.Close()
			p.upstream.Close()
			second = <-done
		}
	}
	p.closed()
	if first != nil {
		return first
	}
	if second != nil && !errors.Is(second, net.ErrClosed) {
		return second
	}
	return nil
}

// direction relays what one side sends to the other (to has the receiver
// role), recording each frame, until the sender closes TCP or something
// fails. Bytes go out as soon as they are decoded, never held for a whole
// frame, except that each frame is recorded before its last bytes are
// forwarded: the receiver cannot answer a frame it does not have, so the
// record keeps causal order across the two directions. A clean end is
// passed on as a half-close, so the receiver sees the same end of stream
// the relay saw.
func (p *pair) direction(src *bufio.Reader, to net.Conn, receiver protocol.Role, agreed *protocol.DeflateAgreement) error {
	w := deadlineWriter{to, p.r.cfg.WriteTimeout}
	fr := protocol.NewFrameReader(src, receiver)
	fr.Keep = p.r.cfg.Keep
	if agreed != nil {
		// Each direction has its own compression context (see
		// RFC 7692 §7.1.1 and RFC 7692 §7.1.2): what the client sends
		// follows the client_* parameters, what the server sends the
		// server_* ones.
		fr.Deflate = true
		wi := protocol.WatchInflate{WindowBits: agreed.ServerMaxWindowBits, ContextTakeover: !agreed.ServerNoContextTakeover, Limit: p.r.cfg.InflateLimit}
		if receiver == protocol.RoleServer {
			wi.WindowBits, wi.ContextTakeover = agreed.ClientMaxWindowBits, !agreed.ClientNoContextTakeover
		}
		fr.InflateMessages(wi)
		// A message cut off by the end of the stream is never finished:
		// stop its inflater.
		defer fr.Close()
	}
	forward := func(b []byte) error {
		if len(b) == 0 {
			return nil
		}
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("the %s stalled or went away: %w", receiver, err)
		}
		return nil
	}
	record := func(ev *protocol.FrameEvent) {
		p.add(receiver, ev)
		// The last frame of a compressed message is followed by the
		// message inflated, as serve records its own (a MessageEvent).
		if m := fr.Message(); m != nil {
			p.add(receiver, m)
			if v := m.Violation; v != nil && v.Section != "8.1" && m.ContextTakeover {
				// The next messages of this direction point back into a
				// window the relay could not finish: it stops inflating
				// them rather than show wrong bytes.
				p.rec.Note(fmt.Sprintf("%s: later compressed messages are not inflated; with context takeover they depend on this one, which did not inflate", capture.DirFrom(receiver, protocol.Received).Arrow()))
			}
		}
		if ev.Header.Opcode == protocol.OpClose && len(ev.Unmasked) <= 125 {
			code, reason, _ := protocol.ParseClosePayload(ev.Unmasked)
			p.mu.Lock()
			p.closes[capture.DirFrom(receiver, protocol.Received).Index()] = &protocol.CloseError{Code: code, Reason: reason}
			p.mu.Unlock()
		}
	}
	for {
		head, err := fr.Begin()
		if err != nil {
			// Whatever arrived but is not a whole header still belongs to
			// the other side.
			if ferr := forward(fr.Buffered()); ferr != nil {
				return ferr
			}
			if err == io.EOF {
				// The sender closed TCP between frames: it closed first,
				// unless the receiver already had.
				p.mu.Lock()
				if p.first == 0 {
					p.first = receiver.Peer()
				}
				p.mu.Unlock()
				if cw, ok := to.(interface{ CloseWrite() error }); ok {
					cw.CloseWrite()
				} else {
					to.Close()
				}
				return nil
			}
			return fmt.Errorf("reading from the %s: %w", receiver.Peer(), err)
		}
		pending := head
		for fr.Remaining() > 0 {
			if err := forward(pending); err != nil {
				return err
			}
			pending = nil
			piece, err := fr.ReadPayload()
			if err != nil {
				record(fr.End())
				if ferr := forward(piece); ferr != nil {
					return ferr
				}
				return fmt.Errorf("reading from the %s: %w", receiver.Peer(), err)
			}
			pending = piece
		}
		record(fr.End())
		if err := forward(pending); err != nil {
			return err
		}
	}
}

// pipeRaw passes bytes through both ways without decoding, after a
// refused handshake, until either side is done.
func (p *pair) pipeRaw(cbr, ubr *bufio.Reader) {
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(deadlineWriter{p.upstream, p.r.cfg.WriteTimeout}, cbr)
		done <- struct{}{}
	}()
	go func() {
		io.Copy(deadlineWriter{p.client, p.r.cfg.WriteTimeout}, ubr)
		done <- struct{}{}
	}()
	<-done
	p.client.Close()
	p.upstream.Close()
	<-done
}

// closed records the end of the pair: who closed TCP first and what each
// side said in its close frame, from that side's point of view.
func (p *pair) closed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	who := p.first
	if who == 0 {
		return // ended by an error or a timeout: the note says why
	}
	// The closer's view: the close frame it received (1006 if none) and
	// the code of the one it sent.
	in, out := p.closes[capture.DirFrom(who, protocol.Received).Index()], p.closes[capture.DirFrom(who, protocol.Sent).Index()]
	ev := &protocol.ClosedEvent{Time: time.Now(), Role: who, Code: protocol.CloseAbnormalClosure, ClosedTCPFirst: true}
	if in != nil {
		ev.Code, ev.Reason = in.Code, in.Reason
	}
	if out != nil {
		ev.SentCode = out.Code
	}
	p.add(who, ev)
}
