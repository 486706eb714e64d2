// Package session runs a live WebSocket session for the screens: an
// in-process echo server on 127.0.0.1 (a free port) and a client that
// connects to it over real TCP, both built on package protocol. Everything
// the screens show comes from the codec's observer, turned into
// [capture.Entry] values and queued on a [capture.Queue].
package session

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// KeySource is the session's randomness: crypto/rand, except for bytes
// queued with Next, which the next reads return first. The walkthrough
// queues the RFC's masking key 37 fa 21 3d this way, so its "Hello" frame
// has exactly the bytes of RFC 6455 §5.7.
type KeySource struct {
	mu   sync.Mutex
	next []byte
	// Fallback, if set, replaces crypto/rand; tests use it to make every
	// masking key reproducible.
	Fallback io.Reader
}

// Next queues bytes for the next reads.
func (k *KeySource) Next(b []byte) {
	k.mu.Lock()
	k.next = append(k.next, b...)
	k.mu.Unlock()
}

func (k *KeySource) Read(p []byte) (int, error) {
	k.mu.Lock()
	n := copy(p, k.next)
	k.next = k.next[n:]
	k.mu.Unlock()
	if n < len(p) {
		src := k.Fallback
		if src == nil {
			src = rand.Reader
		}
		if _, err := io.ReadFull(src, p[n:]); err != nil {
			return n, err
		}
	}
	return len(p), nil
}

// Config configures a session.
type Config struct {
	ID    int            // session number shown on screen, from 1
	Queue *capture.Queue // where entries go; required
	// SampleNonce makes the client send the RFC §1.3 sample key
	// dGhlIHNhbXBsZSBub25jZQ== so the accept computation can be checked
	// against the RFC. Every other random value stays random.
	SampleNonce bool
	// Rand, if set, replaces crypto/rand for masking keys and nonces (for
	// reproducible tests only: §5.3 requires unpredictable keys).
	Rand io.Reader
	// Compression, if set, is the client's permessage-deflate offer
	// (RFC 7692); the server accepts what it can. Both sides then compress
	// every message sent with WriteMessage (no threshold), and the echo
	// server answers a compressed message compressed and a plain one
	// plain. Nil: no offer, and frames are exactly those of RFC 6455.
	Compression *protocol.CompressionOptions
	// HandshakeTag is the tag of the opening handshake's entries: 0, or
	// the walkthrough action that opened this connection.
	HandshakeTag int
}

// Session is a live client and server pair.
type Session struct {
	ID         int
	Client     *protocol.Conn
	Server     *protocol.Conn
	ClientAddr string
	ServerAddr string
	Keys       *KeySource

	q     *capture.Queue
	start time.Time

	mu      sync.Mutex
	tag     int
	counts  map[int]int // entries per tag
	closed  map[protocol.Role]bool
	changed chan struct{} // closed and replaced on every entry
	// inflated is set by the observer when the server has read a
	// compressed message, so that the echo answers in kind.
	inflated atomic.Bool
	work     chan job
	stopWork chan struct{}
	wg       sync.WaitGroup
	closeMu  sync.Once
}

type job struct {
	tag  int
	fn   func(ctx context.Context, s *Session) error
	done chan error
}

// DeflateMessageLimit is the message limit of a compressing session's
// server, in inflated bytes: small, so that the raw frame lab's
// compression bomb stays small too.
const DeflateMessageLimit = 1 << 20

// sampleNonce is the 16 bytes whose base64 is the RFC's sample key.
var sampleNonce = []byte("the sample nonce")

// Start opens a session: it listens on a free loopback port, dials it, and
// runs the opening handshake. The handshake entries carry tag 0.
func Start(ctx context.Context, cfg Config) (*Session, error) {
	if cfg.Queue == nil {
		return nil, errors.New("session: Config.Queue is required")
	}
	s := &Session{ID: cfg.ID, q: cfg.Queue, Keys: &KeySource{Fallback: cfg.Rand}, start: time.Now(),
		counts: map[int]int{}, closed: map[protocol.Role]bool{}, changed: make(chan struct{}),
		work: make(chan job, 64), stopWork: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ServerAddr = ln.Addr().String()
	if cfg.SampleNonce {
		s.Keys.Next(sampleNonce)
	}
	accepted := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		nc, err := ln.Accept()
		ln.Close()
		if err != nil {
			accepted <- err
			return
		}
		opts := &protocol.AcceptOptions{Options: protocol.Options{Observer: s.observe(protocol.RoleServer), CloseTimeout: 2 * time.Second}}
		if cfg.Compression != nil {
			opts.Compression = &protocol.CompressionOptions{Threshold: -1}
			opts.MessageLimit = DeflateMessageLimit
		}
		srv, err := protocol.AcceptConn(ctx, nc, opts)
		if err != nil {
			nc.Close()
			accepted <- err
			return
		}
		s.Server = srv
		accepted <- nil
		s.echo(srv)
	}()
	s.setTag(cfg.HandshakeTag)
	dopts := &protocol.DialOptions{Options: protocol.Options{Observer: s.observe(protocol.RoleClient), Rand: s.Keys, CloseTimeout: 2 * time.Second}}
	if cfg.Compression != nil {
		o := *cfg.Compression
		o.Threshold = -1
		dopts.Compression = &o
	}
	cl, err := protocol.Dial(ctx, "ws://"+s.ServerAddr+"/", dopts)
	if err != nil {
		ln.Close()
		s.wg.Wait()
		return nil, fmt.Errorf("session: %w", err)
	}
	if err := <-accepted; err != nil {
		cl.CloseNow()
		s.wg.Wait()
		return nil, fmt.Errorf("session: %w", err)
	}
	s.Client = cl
	s.ClientAddr = cl.LocalAddr().String()
	s.waitEntries(cfg.HandshakeTag, 2, 2*time.Second)
	s.setTag(-1)
	// The client reads all the time, so that pings are answered and the
	// closing handshake completes; what it reads is shown from the server
	// side already.
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		for {
			if _, _, err := cl.ReadMessage(context.Background()); err != nil {
				return
			}
		}
	}()
	go s.worker()
	return s, nil
}

// echo is the server: every message goes back with its type, compressed
// if it came compressed.
func (s *Session) echo(c *protocol.Conn) {
	defer c.CloseNow()
	ctx := context.Background()
	for {
		s.inflated.Store(false)
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			return
		}
		if err := Send(ctx, c, typ, msg, 0, s.inflated.Load()); err != nil {
			return
		}
	}
}

// Send sends one message from c in frames of at most frag bytes (0: one
// frame), compressed or not. On a connection without permessage-deflate
// a compressed send is an error; on one with it, an uncompressed message
// goes out frame by frame with RSV1 clear (RFC 7692 lets a sender leave
// any message uncompressed).
func Send(ctx context.Context, c *protocol.Conn, typ protocol.MessageType, data []byte, frag int, compress bool) error {
	switch {
	case compress && c.Deflate() == nil:
		return errors.New("this connection did not negotiate permessage-deflate (n starts a fresh one that does)")
	case compress || c.Deflate() == nil:
		return c.WriteFragmented(ctx, typ, data, frag)
	}
	if typ != protocol.TextMessage && typ != protocol.BinaryMessage {
		return fmt.Errorf("a message is text or binary, not %s (§5.6)", typ)
	}
	op := typ
	for first := true; first || len(data) > 0; first = false {
		n := len(data)
		if frag > 0 {
			n = min(n, frag)
		}
		if err := c.WriteFrame(ctx, protocol.Header{Fin: n == len(data), Opcode: op}, data[:n]); err != nil {
			return err
		}
		data, op = data[n:], protocol.OpContinuation
	}
	return nil
}

func (s *Session) setTag(tag int) {
	s.mu.Lock()
	s.tag = tag
	s.mu.Unlock()
}

// observe turns one endpoint's events into entries. Frames and the
// handshake are taken from the server only, so each appears once, in the
// order the server saw both directions; from the client, only raw writes
// and the end of its connection.
func (s *Session) observe(role protocol.Role) protocol.Observer {
	return func(ev protocol.Event) {
		switch ev := ev.(type) {
		case *protocol.HandshakeEvent, *protocol.FrameEvent:
			if role != protocol.RoleServer {
				return
			}
		case *protocol.MessageEvent:
			if role != protocol.RoleServer {
				return
			}
			if ev.Dir == protocol.Received {
				s.inflated.Store(true)
			}
		}
		e, ok := capture.FromEvent(role, ev, s.start)
		if !ok {
			return
		}
		e.Conn = s.ID
		s.mu.Lock()
		e.Tag = s.tag
		s.counts[e.Tag]++
		if e.Kind == capture.KindClosed {
			s.closed[role] = true
		}
		ch := s.changed
		s.changed = make(chan struct{})
		// Push under the lock, so entries keep the order of their tags.
		s.q.Push(e)
		s.mu.Unlock()
		close(ch)
	}
}

// waitFor waits until cond holds (checked under s.mu) or timeout passes.
func (s *Session) waitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// waitEntries waits until tag has n entries.
func (s *Session) waitEntries(tag, n int, timeout time.Duration) bool {
	return s.waitFor(func() bool { return s.counts[tag] >= n }, timeout)
}

// WaitClosed waits until both endpoints reported the end of TCP.
func (s *Session) WaitClosed(timeout time.Duration) bool {
	return s.waitFor(func() bool { return s.closed[protocol.RoleClient] && s.closed[protocol.RoleServer] }, timeout)
}

// Closed reports whether the session's connection has ended.
func (s *Session) Closed() bool {
	select {
	case <-s.Client.Done():
		return true
	case <-s.Server.Done():
		return true
	default:
		return false
	}
}

// worker runs actions one at a time, in the order they were queued.
func (s *Session) worker() {
	defer s.wg.Done()
	for {
		select {
		case j := <-s.work:
			s.setTag(j.tag)
			err := j.fn(context.Background(), s)
			s.setTag(-1)
			j.done <- err
		case <-s.stopWork:
			return
		}
	}
}

// Do queues fn to run after every action queued before it; its entries
// carry tag. The returned channel delivers fn's error, or ErrClosed if the
// session closed before fn ran: a job still queued when the worker stops
// is never run, and its caller must not wait for it forever.
func (s *Session) Do(tag int, fn func(ctx context.Context, s *Session) error) <-chan error {
	done := make(chan error, 1)
	select {
	case s.work <- job{tag: tag, fn: fn, done: done}:
	case <-s.stopWork:
		done <- protocol.ErrClosed
		return done
	}
	out := make(chan error, 1)
	go func() {
		select {
		case err := <-done:
			out <- err
		case <-s.stopWork:
			// The worker finishes the job it is running before Close
			// returns; prefer its result if it has one.
			select {
			case err := <-done:
				out <- err
			default:
				out <- protocol.ErrClosed
			}
		}
	}()
	return out
}

// Close ends the session with a closing handshake (1001, going away) if
// the connection is still open, and waits for every goroutine it started.
func (s *Session) Close() {
	s.closeMu.Do(func() {
		close(s.stopWork)
		s.Client.Close(protocol.CloseGoingAway, "quit")
		s.Client.CloseNow()
		s.Server.CloseNow()
		s.wg.Wait()
	})
}
