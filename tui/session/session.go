// Package session runs a live WebSocket session for the screens: an
// in-process echo server on 127.0.0.1 (a free port) and a client that
// connects to it over real TCP, both built on package protocol. Everything
// the screens show comes from the codec's observer, turned into [Entry]
// values and queued on a [Queue].
package session

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Dir is the direction of an entry on the wire.
type Dir uint8

const (
	ClientToServer Dir = iota + 1
	ServerToClient
)

// Arrow returns "→" for client to server and "←" for server to client.
func (d Dir) Arrow() string {
	if d == ServerToClient {
		return "←"
	}
	return "→"
}

// Kind says what an entry records.
type Kind uint8

const (
	KindHandshake Kind = iota + 1 // one half of the opening handshake
	KindFrame                     // one frame, as the server sent or received it
	KindRaw                       // bytes the client wrote by hand (raw frame lab)
	KindClosed                    // one endpoint's TCP connection ended
	KindNote                      // a line of text: a new session starts
)

// Entry is one thing that went over the wire, or one end of a connection.
// Frames are recorded from the server's side: what it received from the
// client and what it sent back, in the order it saw them, so both
// directions are in causal order and each frame appears once.
type Entry struct {
	Seq     int           // position in the queue, from 0
	Session int           // which session, from 1
	Tag     int           // the walkthrough action that caused it, or -1
	Kind    Kind          // what the entry records
	Dir     Dir           // the direction on the wire
	At      time.Duration // since the session started

	// Frames and raw bytes.
	Header    protocol.Header
	Wire      []byte // the whole frame as it went over the wire: header and payload (masked)
	Unmasked  []byte // the payload after unmasking
	Violation *protocol.Violation

	Handshake *protocol.HandshakeEvent
	Closed    *protocol.ClosedEvent
	Note      string
}

// Queue is an unbounded, concurrency-safe queue of entries: the observer
// never blocks on a slow screen.
type Queue struct {
	mu     sync.Mutex
	items  []Entry
	seq    int
	notify chan struct{}
}

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{notify: make(chan struct{}, 1)} }

// Push numbers e and queues it.
func (q *Queue) Push(e Entry) {
	q.mu.Lock()
	e.Seq = q.seq
	q.seq++
	q.items = append(q.items, e)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Ready is signalled after pushes; receive from it, then Drain.
func (q *Queue) Ready() <-chan struct{} { return q.notify }

// Drain returns and removes every queued entry.
func (q *Queue) Drain() []Entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.items
	q.items = nil
	return out
}

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
	ID    int    // session number shown on screen, from 1
	Queue *Queue // where entries go; required
	// SampleNonce makes the client send the RFC §1.3 sample key
	// dGhlIHNhbXBsZSBub25jZQ== so the accept computation can be checked
	// against the RFC. Every other random value stays random.
	SampleNonce bool
	// Rand, if set, replaces crypto/rand for masking keys and nonces (for
	// reproducible tests only: §5.3 requires unpredictable keys).
	Rand io.Reader
}

// Session is a live client and server pair.
type Session struct {
	ID         int
	Client     *protocol.Conn
	Server     *protocol.Conn
	ClientAddr string
	ServerAddr string
	Keys       *KeySource

	q     *Queue
	start time.Time

	mu       sync.Mutex
	tag      int
	counts   map[int]int // entries per tag
	closed   map[protocol.Role]bool
	changed  chan struct{} // closed and replaced on every entry
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
		srv, err := protocol.AcceptConn(ctx, nc, opts)
		if err != nil {
			nc.Close()
			accepted <- err
			return
		}
		s.Server = srv
		accepted <- nil
		echo(srv)
	}()
	s.setTag(0)
	dopts := &protocol.DialOptions{Options: protocol.Options{Observer: s.observe(protocol.RoleClient), Rand: s.Keys, CloseTimeout: 2 * time.Second}}
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
	s.waitEntries(0, 2, 2*time.Second)
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

// echo is the server: every message goes back with its type.
func echo(c *protocol.Conn) {
	defer c.CloseNow()
	ctx := context.Background()
	for {
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			return
		}
		if err := c.WriteMessage(ctx, typ, msg); err != nil {
			return
		}
	}
}

func (s *Session) setTag(tag int) {
	s.mu.Lock()
	s.tag = tag
	s.mu.Unlock()
}

// observe turns one endpoint's events into entries. Frames are taken from
// the server only (see Entry); from the client, only raw writes and the end
// of its connection.
func (s *Session) observe(role protocol.Role) protocol.Observer {
	return func(ev protocol.Event) {
		e := Entry{Session: s.ID, At: ev.EventTime().Sub(s.start)}
		switch ev := ev.(type) {
		case *protocol.HandshakeEvent:
			if role != protocol.RoleServer {
				return
			}
			e.Kind, e.Handshake, e.Dir = KindHandshake, ev, ServerToClient
			if ev.Request {
				e.Dir = ClientToServer
			}
		case *protocol.FrameEvent:
			if role != protocol.RoleServer {
				return
			}
			e.Kind, e.Header, e.Violation, e.Unmasked = KindFrame, ev.Header, ev.Violation, ev.Unmasked
			e.Wire = append(ev.RawHeader[:len(ev.RawHeader):len(ev.RawHeader)], ev.Payload...)
			e.Dir = ClientToServer
			if ev.Dir == protocol.Sent {
				e.Dir = ServerToClient
			}
		case *protocol.RawEvent:
			e.Kind, e.Wire, e.Dir = KindRaw, ev.Bytes, ClientToServer
			if role == protocol.RoleServer {
				e.Dir = ServerToClient
			}
		case *protocol.ClosedEvent:
			e.Kind, e.Closed, e.Dir = KindClosed, ev, ClientToServer
			if role == protocol.RoleServer {
				e.Dir = ServerToClient
			}
		default:
			return
		}
		s.mu.Lock()
		e.Tag = s.tag
		s.counts[e.Tag]++
		if e.Kind == KindClosed {
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
// carry tag. The returned channel delivers fn's error.
func (s *Session) Do(tag int, fn func(ctx context.Context, s *Session) error) <-chan error {
	done := make(chan error, 1)
	select {
	case s.work <- job{tag: tag, fn: fn, done: done}:
	case <-s.stopWork:
		done <- protocol.ErrClosed
	}
	return done
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
