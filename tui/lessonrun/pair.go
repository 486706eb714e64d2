package lessonrun

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// The lesson server's policy, shown to the learner with the handshakes.
var (
	// ServerSubprotocols are the subprotocols the lesson server speaks.
	ServerSubprotocols = []string{"chat.v1"}
	// AllowedOrigins are the origins the lesson server accepts besides
	// its own host: its allow list (§10.2).
	AllowedOrigins = []string{"http://example.com", "https://example.com"}
)

// Bounds, so that no step can hang.
const (
	// A dribbled handshake (lesson 6) goes out 3 bytes every 25 ms,
	// about 2 s for both halves: the bound leaves room for a busy machine.
	handshakeTimeout = 10 * time.Second
	closeTimeout     = time.Second
	dribblePause     = 25 * time.Millisecond
)

// pair is one live client/server connection over loopback TCP.
type pair struct {
	id             int
	client, server *protocol.Conn
	ctap, stap     *tap
	pongs          chan []byte
	wg             sync.WaitGroup // the two reading goroutines
}

// alive reports whether both ends are still connected.
func (p *pair) alive() bool {
	if p == nil || p.client == nil || p.server == nil {
		return false
	}
	select {
	case <-p.client.Done():
		return false
	case <-p.server.Done():
		return false
	default:
		return true
	}
}

// conn returns the endpoint of role r.
func (p *pair) conn(r protocol.Role) *protocol.Conn {
	if r == protocol.RoleServer {
		return p.server
	}
	return p.client
}

// shut closes both TCP connections without a closing handshake and waits
// for the reading goroutines to end.
func (p *pair) shut() {
	if p == nil {
		return
	}
	for _, c := range []*protocol.Conn{p.client, p.server} {
		if c != nil {
			c.CloseNow()
		}
	}
	for _, t := range []*tap{p.ctap, p.stap} {
		if t != nil {
			t.Close()
		}
	}
	p.wg.Wait()
}

// tap wraps one end's TCP connection: it records reads, can cut writes
// into small pieces (dribble) and can stop reading altogether (mute).
type tap struct {
	net.Conn
	rec     *recorder
	role    protocol.Role
	pairID  int
	tapping atomic.Bool   // record reads (after the handshake)
	dribble *atomic.Int32 // shared by the runner: bytes per write, 0 = whole
	muted   atomic.Bool
	unmute  chan struct{}
	closed  chan struct{}
	once    sync.Once
}

func newTap(c net.Conn, rec *recorder, role protocol.Role, id int, dribble *atomic.Int32) *tap {
	return &tap{Conn: c, rec: rec, role: role, pairID: id, dribble: dribble,
		unmute: make(chan struct{}), closed: make(chan struct{})}
}

func (t *tap) Read(p []byte) (int, error) {
	if t.muted.Load() {
		// A frozen peer: the bytes stay in the kernel's buffer.
		select {
		case <-t.closed:
			return 0, net.ErrClosed
		case <-t.unmute:
		}
	}
	n, err := t.Conn.Read(p)
	if t.muted.Load() {
		// Muted while this read waited: a frozen process never looks at
		// what arrived.
		select {
		case <-t.closed:
			return 0, net.ErrClosed
		case <-t.unmute:
		}
	}
	if n > 0 && t.tapping.Load() {
		t.rec.add(t.pairID, Event{Kind: KindRead, Role: t.role, Entry: capture.Entry{Kind: capture.KindRead, Conn: t.pairID, Tag: -1,
			Dir: capture.DirFrom(t.role, protocol.Received), Wire: append([]byte(nil), p[:n]...)}})
	}
	return n, err
}

func (t *tap) Write(p []byte) (int, error) {
	size := int(t.dribble.Load())
	if size <= 0 || len(p) <= size {
		if size > 0 {
			defer t.pause()
		}
		return t.Conn.Write(p)
	}
	done := 0
	for done < len(p) {
		end := min(done+size, len(p))
		n, err := t.Conn.Write(p[done:end])
		done += n
		if err != nil {
			return done, err
		}
		t.pause()
	}
	return done, nil
}

// pause waits between dribbled pieces, so that each arrives on its own.
func (t *tap) pause() {
	select {
	case <-time.After(dribblePause):
	case <-t.closed:
	}
}

func (t *tap) Close() error {
	t.once.Do(func() { close(t.closed) })
	return t.Conn.Close()
}

// keyReader serves a chosen handshake nonce, then crypto/rand for the
// masking keys.
type keyReader struct{ first []byte }

func (k *keyReader) Read(p []byte) (int, error) {
	if len(k.first) > 0 {
		n := copy(p, k.first)
		k.first = k.first[n:]
		return n, nil
	}
	return rand.Read(p)
}

// checkOrigin is the lesson server's allow list: its own host, or one of
// AllowedOrigins.
func checkOrigin(u *url.URL, r *http.Request) bool {
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(u.String(), "/"), a) {
			return true
		}
	}
	return false
}

// connect opens a fresh pair with the client's handshake options and the
// server's message limit (0: the default). It returns nil and records
// the refusal when the handshake fails.
func (r *Runner) connect(ctx context.Context, hs lessons.HandshakeOptions, limit int) (*pair, error) {
	r.pairSeq++
	id := r.pairSeq
	r.rec.setLive(id)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen on loopback: %w", err)
	}
	defer ln.Close()
	p := &pair{id: id, pongs: make(chan []byte, 16)}
	inflated := &lastInflated{}

	type accepted struct {
		c   *protocol.Conn
		tap *tap
		err error
	}
	srvDone := make(chan accepted, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			srvDone <- accepted{err: err}
			return
		}
		t := newTap(nc, &r.rec, protocol.RoleServer, id, &r.dribble)
		opts := &protocol.AcceptOptions{
			Options: protocol.Options{
				Observer:     inflated.observer(protocol.RoleServer, r.rec.observer(id)),
				CloseTimeout: closeTimeout,
			},
			Subprotocols:     ServerSubprotocols,
			CheckOrigin:      checkOrigin,
			HandshakeTimeout: handshakeTimeout,
		}
		if limit > 0 {
			opts.MessageLimit = int64(limit)
		}
		// The lesson server accepts permessage-deflate when offered, as
		// `serve` does, and compresses every message it then sends.
		opts.Compression = &protocol.CompressionOptions{Threshold: -1}
		c, err := protocol.AcceptConn(ctx, t, opts)
		if err != nil {
			t.Close()
		}
		srvDone <- accepted{c: c, tap: t, err: err}
	}()

	addr := ln.Addr().String()
	var ctap *tap
	dial := func(ctx context.Context, network, a string) (net.Conn, error) {
		nc, err := (&net.Dialer{}).DialContext(ctx, network, a)
		if err != nil {
			return nil, err
		}
		ctap = newTap(nc, &r.rec, protocol.RoleClient, id, &r.dribble)
		return ctap, nil
	}
	var client *protocol.Conn
	var cerr error
	nonce, keyOK := decodeKey(hs.Key)
	if (hs.Version != "" && hs.Version != "13") || (hs.Key != "" && !keyOK) {
		cerr = r.handCraftedHandshake(ctx, addr, hs, id, dial)
	} else {
		opts := &protocol.DialOptions{
			Options: protocol.Options{
				Observer:     inflated.observer(protocol.RoleClient, r.rec.observer(id)),
				CloseTimeout: closeTimeout,
				OnPong: func(b []byte) {
					select {
					case p.pongs <- b:
					default:
					}
				},
			},
			Subprotocols:     hs.Subprotocols,
			Origin:           hs.Origin,
			HandshakeTimeout: handshakeTimeout,
			NetDial:          dial,
		}
		if nonce != nil {
			opts.Rand = &keyReader{first: nonce}
		}
		if comp, ok := deflateOffer(hs.Extensions); ok {
			opts.Compression = comp
		} else if hs.Extensions != "" {
			opts.Header = http.Header{"Sec-WebSocket-Extensions": {hs.Extensions}}
		}
		client, cerr = protocol.Dial(ctx, "ws://"+addr+"/", opts)
	}
	if cerr != nil && ctap != nil {
		ctap.Close()
	}
	if cerr != nil {
		// Unblock the accept if the client never connected.
		ln.Close()
	}
	var srv accepted
	select {
	case srv = <-srvDone:
	case <-time.After(handshakeTimeout + time.Second):
		srv.err = errors.New("the server did not finish its handshake")
	}
	if cerr != nil || srv.err != nil {
		if client != nil {
			client.CloseNow()
		}
		if srv.c != nil {
			srv.c.CloseNow()
		}
		var herr *protocol.HandshakeError
		switch {
		case errors.As(srv.err, &herr):
			r.rec.add(id, Event{Kind: KindNote, Note: NoteRefused, N: herr.Status, Err: herr})
			return nil, nil
		case errors.As(cerr, &herr):
			r.rec.add(id, Event{Kind: KindNote, Note: NoteRefused, N: herr.Status, Err: herr})
			return nil, nil
		case cerr != nil:
			return nil, cerr
		}
		return nil, srv.err
	}
	p.client, p.server, p.ctap, p.stap = client, srv.c, ctap, srv.tap
	p.ctap.tapping.Store(true)
	p.stap.tapping.Store(true)
	r.rec.add(id, Event{Kind: KindNote, Note: NoteConnected, Text: client.Subprotocol()})
	for _, c := range []*protocol.Conn{client, srv.c} {
		p.wg.Add(1)
		go func(c *protocol.Conn) {
			defer p.wg.Done()
			for {
				typ, b, err := c.ReadMessage(context.Background())
				if err != nil {
					return
				}
				ev := Event{Kind: KindMessage, Role: c.Role(), Opcode: typ, Bytes: b}
				if m := inflated.take(c.Role()); m != nil {
					// The same entry every capture makes of a compressed
					// message; At is set when the event is recorded.
					if ce, ok := capture.FromEvent(m.Role, m, m.Time); ok {
						ce.Conn = id
						ev.Entry = ce
					}
				}
				r.rec.add(id, ev)
			}
		}(c)
	}
	return p, nil
}

// decodeKey returns the 16 bytes a Sec-WebSocket-Key stands for, or
// ok=false if it is not the base64 of 16 bytes. An empty key is ok: the
// client picks a random one.
func decodeKey(key string) (nonce []byte, ok bool) {
	if key == "" {
		return nil, true
	}
	b, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(b) != 16 || base64.StdEncoding.EncodeToString(b) != key {
		return nil, false
	}
	return b, true
}

// handCraftedHandshake sends a request our client would never send (a
// version other than 13, a malformed key), so that the learner sees the
// real server refuse it. It records both halves as the client saw them.
func (r *Runner) handCraftedHandshake(ctx context.Context, addr string, hs lessons.HandshakeOptions,
	id int, dial func(context.Context, string, string) (net.Conn, error)) error {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	nc, err := dial(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot connect to %s: %w", addr, err)
	}
	defer nc.Close()
	if d, ok := ctx.Deadline(); ok {
		nc.SetDeadline(d)
	}
	key := hs.Key
	if key == "" {
		if key, err = protocol.NewKey(rand.Reader); err != nil {
			return err
		}
	}
	version := hs.Version
	if version == "" {
		version = "13"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", addr)
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: %s\r\n", key, version)
	if hs.Origin != "" {
		fmt.Fprintf(&b, "Origin: %s\r\n", hs.Origin)
	}
	if len(hs.Subprotocols) > 0 {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", strings.Join(hs.Subprotocols, ", "))
	}
	if hs.Extensions != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Extensions: %s\r\n", hs.Extensions)
	}
	b.WriteString("\r\n")
	req := b.Bytes()
	reqEv := &protocol.HandshakeEvent{Time: time.Now(), Role: protocol.RoleClient, Dir: protocol.Sent, Request: true, Raw: req}
	r.rec.add(id, Event{Kind: KindHandshake, Role: protocol.RoleClient,
		Entry: capture.Entry{Kind: capture.KindHandshake, Conn: id, Tag: -1, Dir: capture.ClientToServer, Handshake: reqEv}})
	if _, err := nc.Write(req); err != nil {
		return fmt.Errorf("failed to send the handshake: %w", err)
	}
	// Read the whole refusal: head and body, until the server closes.
	resp, err := io.ReadAll(io.LimitReader(nc, 16<<10))
	if len(resp) == 0 && err != nil {
		return fmt.Errorf("failed to read the handshake response: %w", err)
	}
	head := resp
	if i := bytes.Index(resp, []byte("\r\n\r\n")); i >= 0 {
		head = resp[:i+4]
	}
	hr, perr := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	herr := &protocol.HandshakeError{Msg: "the response is not valid HTTP"}
	if perr == nil {
		herr = &protocol.HandshakeError{Status: hr.StatusCode, Section: "4.1",
			Msg: "expected status 101 Switching Protocols, got " + hr.Status}
		if hr.StatusCode == http.StatusSwitchingProtocols {
			herr = nil
		}
	}
	ev := &protocol.HandshakeEvent{Time: time.Now(), Role: protocol.RoleClient, Dir: protocol.Received, Raw: head}
	if herr != nil {
		ev.Err = herr
	}
	r.rec.add(id, Event{Kind: KindHandshake, Role: protocol.RoleClient,
		Entry: capture.Entry{Kind: capture.KindHandshake, Conn: id, Tag: -1, Dir: capture.ServerToClient, Handshake: ev}})
	if herr == nil {
		return errors.New("the server accepted a handshake it should have refused")
	}
	return herr
}

// deflateOffer turns a lesson's extensions= into the client's
// permessage-deflate options, when it is one permessage-deflate offer
// whose parameters the client can make: then the client really
// compresses (every message, no threshold), and the codec checks the
// answer. Anything else is sent as written, and the client uses no
// extension.
func deflateOffer(header string) (*protocol.CompressionOptions, bool) {
	exts, err := protocol.ParseExtensions([]string{header})
	if err != nil || len(exts) != 1 || exts[0].Name != protocol.PerMessageDeflate {
		return nil, false
	}
	o := &protocol.CompressionOptions{Threshold: -1}
	for _, p := range exts[0].Params {
		bits := 0
		if p.HasValue {
			n, err := strconv.Atoi(p.Value)
			if err != nil || n < protocol.MinWindowBits || n > protocol.MaxWindowBits {
				return nil, false
			}
			bits = n
		}
		switch {
		case p.Name == "server_no_context_takeover" && !p.HasValue:
			o.ServerNoContextTakeover = true
		case p.Name == "client_no_context_takeover" && !p.HasValue:
			o.ClientNoContextTakeover = true
		case p.Name == "server_max_window_bits" && p.HasValue:
			o.ServerMaxWindowBits = bits
		case p.Name == "client_max_window_bits":
			o.ClientMaxWindowBits = bits // no value: offered without one
		default:
			return nil, false
		}
	}
	return o, true
}

// lastInflated holds, per endpoint, the compressed message it has just
// read. The codec reports it to the observer before ReadMessage returns
// it, on the same goroutine, so the message the reader hands on next is
// the one reported.
type lastInflated struct {
	m [2]atomic.Pointer[protocol.MessageEvent] // client, server
}

func roleIndex(r protocol.Role) int {
	if r == protocol.RoleServer {
		return 1
	}
	return 0
}

// observer wraps an endpoint's observer to keep its received compressed
// messages.
func (l *lastInflated) observer(role protocol.Role, next protocol.Observer) protocol.Observer {
	return func(ev protocol.Event) {
		if m, ok := ev.(*protocol.MessageEvent); ok && m.Dir == protocol.Received {
			l.m[roleIndex(role)].Store(m)
		}
		next(ev)
	}
}

// take returns the compressed message role read last, once.
func (l *lastInflated) take(role protocol.Role) *protocol.MessageEvent {
	return l.m[roleIndex(role)].Swap(nil)
}
