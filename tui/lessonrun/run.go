package lessonrun

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// Runner carries out the actions of one lesson's steps on a live
// client/server pair, in order. It is safe for concurrent use: steps run
// one at a time, and Close waits for a running step to stop.
//
// The pair is connected lazily, by the first action that needs it. An
// action that needs a connection after the previous one ended (a close, a
// drop, a frame the server refused) connects a fresh pair and says so.
type Runner struct {
	step    sync.Mutex // held while a step runs
	rec     recorder
	pair    *pair
	pairSeq int
	// hs is the handshake of the last `handshake` action: a `server limit`
	// that follows keeps its permessage-deflate offer, so that a lesson
	// can show a compression bomb against a limit.
	hs      lessons.HandshakeOptions
	dribble atomic.Int32

	base   context.Context
	cancel context.CancelFunc
	closed atomic.Bool

	bg sync.WaitGroup // background tasks of the running step (heartbeat)
}

// MaxStep bounds a step: no lesson's actions take more than a few
// seconds; past this the step is cut short.
const MaxStep = 10 * time.Second

// New returns a runner with no connection yet.
func New() *Runner {
	r := &Runner{}
	r.base, r.cancel = context.WithCancel(context.Background())
	return r
}

// Close ends the connection and every goroutine the runner started. It
// interrupts a running step.
func (r *Runner) Close() error {
	r.closed.Store(true)
	r.cancel()
	r.step.Lock()
	defer r.step.Unlock()
	r.retire()
	return nil
}

// retire ends the current pair, if any, without a trace on the screen:
// the recorder forgets it first, so that tearing it down (two closures,
// both "first", that no action of the lesson caused) never shows up in
// the demo of the step that replaced it.
func (r *Runner) retire() {
	if r.pair == nil {
		return
	}
	r.rec.forget(r.pair.id)
	r.pair.shut()
	r.pair = nil
}

// Run carries out the actions of one step and returns what they put on
// the wire. Errors do not stop the step: each is recorded as a NoteError
// event and the next action runs.
func (r *Runner) Run(ctx context.Context, actions []lessons.Action) Result {
	r.step.Lock()
	defer r.step.Unlock()
	if r.closed.Load() {
		return Result{Events: []Event{{Kind: KindNote, Note: NoteError, Err: errors.New("the lesson runner is closed"), Action: -1}}}
	}
	ctx, cancel := context.WithTimeout(ctx, MaxStep)
	defer cancel()
	stop := context.AfterFunc(r.base, cancel)
	defer stop()

	r.rec.begin()
	r.dribble.Store(0)
	stepCtx, stopBG := context.WithCancel(ctx)
	for i, a := range actions {
		if ctx.Err() != nil {
			break
		}
		r.rec.setAction(i)
		if err := r.do(stepCtx, a); err != nil {
			r.rec.add(0, Event{Kind: KindNote, Note: NoteError, Err: fmt.Errorf("%s: %w", a.Source, err)})
		}
		// Let the action's answer arrive before the next action, so that
		// the timeline reads as cause and effect.
		if a.Kind != lessons.ActWait && a.Kind != lessons.ActDribble && a.Kind != lessons.ActMute {
			r.settle(ctx, 40*time.Millisecond, time.Second)
		}
	}
	// Let what the last action set off arrive (an echo, a close), then
	// stop the step's background tasks.
	r.settle(ctx, 120*time.Millisecond, 2*time.Second)
	if p := r.pair; p != nil && !p.alive() && (p.stap == nil || !p.stap.muted.Load()) {
		// One side has ended (it failed the connection, say): the other
		// side's end belongs to this demo too, not to the next one, even
		// on a machine too busy to finish it within the quiet period.
		r.waitDone(ctx, p)
		r.settle(ctx, 40*time.Millisecond, time.Second)
	}
	stopBG()
	r.bg.Wait()
	r.rec.setAction(-1)
	r.dribble.Store(0)
	if p := r.pair; p != nil && p.stap != nil && p.stap.muted.Load() {
		// A muted server is of no further use; the next action connects
		// afresh. The frozen server never saw its connection end, so its
		// teardown is not part of the demo.
		r.retire()
	}
	return Result{Events: r.rec.finish()}
}

// settle waits until nothing new has happened for quiet, at most max.
func (r *Runner) settle(ctx context.Context, quiet, max time.Duration) {
	deadline := time.Now().Add(max)
	last := r.rec.changed.Load()
	lastChange := time.Now()
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
		if n := r.rec.changed.Load(); n != last {
			last, lastChange = n, time.Now()
			continue
		}
		if time.Since(lastChange) >= quiet {
			return
		}
	}
}

// live returns a connected pair, connecting one if there is none.
func (r *Runner) live(ctx context.Context) (*pair, error) {
	if r.pair.alive() {
		return r.pair, nil
	}
	had := r.pair != nil
	r.retire()
	if had {
		r.rec.add(0, Event{Kind: KindNote, Note: NoteReconnect})
	}
	p, err := r.connect(ctx, lessons.HandshakeOptions{}, 0)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errors.New("the handshake was refused")
	}
	r.pair = p
	return p, nil
}

// do carries out one action.
func (r *Runner) do(ctx context.Context, a lessons.Action) error {
	switch a.Kind {
	case lessons.ActHandshake:
		r.retire()
		r.rec.add(0, Event{Kind: KindNote, Note: NoteServer,
			Text: strings.Join(ServerSubprotocols, ", "), Text2: strings.Join(AllowedOrigins, ", ")})
		r.hs = a.Handshake
		p, err := r.connect(ctx, a.Handshake, 0)
		r.pair = p
		return err
	case lessons.ActLimit:
		r.retire()
		r.rec.add(0, Event{Kind: KindNote, Note: NoteLimit, N: a.Size, Role: a.From})
		if a.From != protocol.RoleServer {
			return errors.New("only the server's limit can be set")
		}
		var hs lessons.HandshakeOptions
		if _, ok := deflateOffer(r.hs.Extensions); ok {
			hs.Extensions = r.hs.Extensions
		}
		p, err := r.connect(ctx, hs, a.Size)
		if err == nil && p == nil {
			err = errors.New("the handshake was refused")
		}
		r.pair = p
		return err
	case lessons.ActHTTP:
		return r.http(ctx, a.Payload)
	case lessons.ActWait:
		r.rec.add(0, Event{Kind: KindNote, Note: NoteWait, D: a.Interval})
		select {
		case <-time.After(a.Interval):
		case <-ctx.Done():
		}
		return nil
	case lessons.ActDribble:
		r.rec.add(0, Event{Kind: KindNote, Note: NoteDribble, N: a.Size})
		r.dribble.Store(int32(a.Size))
		return nil
	}

	p, err := r.live(ctx)
	if err != nil {
		return err
	}
	c := p.conn(a.From)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	switch a.Kind {
	case lessons.ActSend:
		switch a.Opcode {
		case protocol.OpPing:
			return c.Ping(wctx, a.Payload)
		case protocol.OpPong:
			return c.Pong(wctx, a.Payload)
		}
		return c.WriteMessage(wctx, a.Opcode, a.Payload)
	case lessons.ActFragments:
		return c.WriteFragmented(wctx, a.Opcode, a.Payload, a.Size)
	case lessons.ActRaw:
		return c.WriteRaw(a.Raw)
	case lessons.ActClose:
		if err := c.StartClose(a.Code, a.Reason); err != nil {
			return err
		}
		r.waitDone(ctx, p)
		return nil
	case lessons.ActDrop:
		r.rec.add(p.id, Event{Kind: KindNote, Note: NoteDrop, Role: a.From})
		c.CloseNow()
		r.waitDone(ctx, p)
		return nil
	case lessons.ActMute:
		if a.From != protocol.RoleServer {
			return errors.New("only the server can be muted")
		}
		r.rec.add(p.id, Event{Kind: KindNote, Note: NoteMute, Role: a.From})
		p.stap.muted.Store(true)
		return nil
	case lessons.ActRace:
		return r.race(p, a)
	case lessons.ActHeartbeat:
		if a.From != protocol.RoleClient {
			return errors.New("only the client runs a heartbeat")
		}
		r.rec.add(p.id, Event{Kind: KindNote, Note: NoteHeartbeat, D: a.Interval, D2: a.Timeout})
		r.bg.Add(1)
		go r.heartbeat(ctx, p, a.Interval, a.Timeout)
		return nil
	}
	return fmt.Errorf("unknown action %s", a.Kind)
}

// waitDone waits, at most 3 seconds, for both ends of p to close TCP.
func (r *Runner) waitDone(ctx context.Context, p *pair) {
	t := time.NewTimer(3 * time.Second)
	defer t.Stop()
	for _, c := range []*protocol.Conn{p.client, p.server} {
		select {
		case <-c.Done():
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// race writes two frames from two goroutines with no lock around whole
// frames: goroutine A has written the first Offset bytes of its frame
// when goroutine B writes all of its own, then A writes the rest. The
// order is forced with channels, so the unlucky interleaving happens every
// time; each write goes through Conn.WriteRaw, so the bytes are exactly
// the frames an encoder without a lock would produce.
func (r *Runner) race(p *pair, a lessons.Action) error {
	build := func(payload []byte) ([]byte, error) {
		var key [4]byte
		if p.conn(a.From).Role() == protocol.RoleClient {
			if _, err := rand.Read(key[:]); err != nil {
				return nil, err
			}
		}
		act := lessons.Action{Kind: lessons.ActSend, From: a.From, Opcode: protocol.OpText, Payload: payload}
		fs, err := act.Frames(key)
		if err != nil {
			return nil, err
		}
		return fs[0], nil
	}
	fa, err := build(a.Payload)
	if err != nil {
		return err
	}
	fb, err := build(a.Payload2)
	if err != nil {
		return err
	}
	if a.Size >= len(fa) {
		return fmt.Errorf("race offset %d is past the end of the %d-byte frame", a.Size, len(fa))
	}
	race := &Race{A: fa, B: fb, Offset: a.Size, Segments: []Segment{
		{Writer: 'A', Bytes: fa[:a.Size]}, {Writer: 'B', Bytes: fb}, {Writer: 'A', Bytes: fa[a.Size:]},
	}}
	r.rec.add(p.id, Event{Kind: KindRace, Role: a.From, Race: race})
	c := p.conn(a.From)
	r.rec.noRaw.Store(true)
	defer r.rec.noRaw.Store(false)
	aWrote, bWrote := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 2)
	go func() { // goroutine A
		err := c.WriteRaw(fa[:a.Size])
		close(aWrote)
		<-bWrote
		if err == nil {
			err = c.WriteRaw(fa[a.Size:])
		}
		errs <- err
	}()
	go func() { // goroutine B
		<-aWrote
		err := c.WriteRaw(fb)
		close(bWrote)
		errs <- err
	}()
	var first error
	for range 2 {
		// The receiver may fail the connection as soon as the corrupt
		// bytes arrive, before A's last write: the connection is then
		// closed, which is the end of this demo, not an error in it.
		if err := <-errs; err != nil && first == nil && !errors.Is(err, protocol.ErrClosed) {
			first = err
		}
	}
	return first
}

// heartbeat pings every interval and declares the peer dead when a ping
// goes unanswered for timeout: an application's policy, not RFC 6455's.
// A pong counts only when it answers one of its own pings: §5.5.3 gives
// the pong the ping's "Application data", and each ping carries its own
// ("hb 1", "hb 2"). An unsolicited pong, or one left over from an earlier
// step's ping, is no answer, and must not be reported as a round trip.
func (r *Runner) heartbeat(ctx context.Context, p *pair, interval, timeout time.Duration) {
	defer r.bg.Done()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var waiting time.Time // when the oldest unanswered ping went out
	var dead <-chan time.Time
	sent := map[string]time.Time{} // unanswered pings by payload
	n := 0
	ping := func() {
		n++
		at := time.Now()
		payload := fmt.Appendf(nil, "hb %d", n)
		if err := p.client.Ping(ctx, payload); err != nil {
			return
		}
		sent[string(payload)] = at
		if waiting.IsZero() {
			waiting = at
			dead = time.After(timeout)
		}
	}
	ping()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.client.Done():
			return
		case b := <-p.pongs:
			at, ok := sent[string(b)]
			if !ok {
				continue // not an answer to one of these pings
			}
			// The peer answers in order: this pong answers every
			// ping sent up to this one.
			for k, t := range sent {
				if !t.After(at) {
					delete(sent, k)
				}
			}
			r.rec.add(p.id, Event{Kind: KindNote, Note: NotePong, Role: protocol.RoleClient, D: time.Since(at).Round(time.Microsecond)})
			waiting, dead = time.Time{}, nil
			for _, t := range sent {
				if waiting.IsZero() || t.Before(waiting) {
					waiting = t
				}
			}
			if !waiting.IsZero() {
				dead = time.After(timeout - time.Since(waiting))
			}
		case <-tick.C:
			ping()
		case <-dead:
			r.rec.add(p.id, Event{Kind: KindNote, Note: NoteDead, Role: protocol.RoleClient, D: timeout})
			p.client.CloseNow()
			return
		}
	}
}

// http sends payload as the body of a plain HTTP/1.1 POST to a loopback
// server that answers with the same body, and records both messages as
// the bytes that crossed the connection.
func (r *Runner) http(ctx context.Context, payload []byte) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(body)
		}),
		ReadHeaderTimeout: 3 * time.Second,
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	defer func() {
		srv.Close()
		<-served
	}()

	var mu sync.Mutex
	var sent, got bytes.Buffer
	// Keep-alive stays on: the request goes out as HTTP/1.1 sends it by
	// default, on a persistent connection, as lesson 1 says; with it off,
	// Go's client would add a "Connection: close" the lesson contradicts.
	// The idle connection is closed when the exchange is recorded.
	tr := &http.Transport{
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countConn{Conn: c, mu: &mu, sent: &sent, got: &got}, nil
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 3 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+ln.Addr().String()+"/", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	mu.Lock()
	ex := &HTTPExchange{Request: bytes.Clone(sent.Bytes()), Response: bytes.Clone(got.Bytes()), Status: resp.StatusCode, Body: body}
	mu.Unlock()
	r.rec.add(0, Event{Kind: KindHTTP, HTTP: ex})
	return nil
}

// countConn keeps a copy of every byte written and read.
type countConn struct {
	net.Conn
	mu        *sync.Mutex
	sent, got *bytes.Buffer
}

func (c *countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.got.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

func (c *countConn) Write(p []byte) (int, error) {
	// Record before writing: the response may be read before this
	// goroutine runs again.
	c.mu.Lock()
	c.sent.Write(p)
	c.mu.Unlock()
	n, err := c.Conn.Write(p)
	return n, err
}
