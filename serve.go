package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wsanatomy/wsanatomy/demo"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	cfg := defaultServeConfig()
	fs.DurationVar(&cfg.handshakeTimeout, "handshake-timeout", cfg.handshakeTimeout, "longest wait for a client's opening handshake request")
	fs.DurationVar(&cfg.idleTimeout, "idle-timeout", cfg.idleTimeout, "drop a client that sends no complete frame for this long (0: never)")
	fs.DurationVar(&cfg.writeTimeout, "write-timeout", cfg.writeTimeout, "drop a client that takes none of our data for this long (it does not read)")
	fs.DurationVar(&cfg.closeTimeout, "close-timeout", cfg.closeTimeout, "longest wait for each step of a closing handshake")
	fs.DurationVar(&cfg.heartbeat, "heartbeat", 0, "ping every client this often and drop one that does not answer (0: off)")
	fs.DurationVar(&cfg.heartbeatTimeout, "heartbeat-timeout", cfg.heartbeatTimeout, "with --heartbeat: how long a pong may take")
	noCompression := fs.Bool("no-compression", false, "decline permessage-deflate (RFC 7692), which is accepted by default")
	tui := fs.Bool("tui", false, "show connections, timelines and frames on a live screen instead of the log")
	jsonOut := fs.Bool("json", false, "write every handshake, frame and close to stdout as one JSON object per line")
	var level logLevel
	fs.Var(&level, "log", "what the log shows of each connection: frame (a line per frame), message or off")
	policy := &servePolicy{}
	policy.register(fs)
	addLangFlag(fs, "this help, the messages and the --tui screen (the log and --json stay English)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve", lang, "serve takes no arguments, got %q", "serve 不接受位置参数，却收到了 %q", fs.Args())
	}
	if *addr == "" {
		return usagef("serve", lang, "--addr needs an address, like 127.0.0.1:8080", "--addr 需要一个地址，例如 127.0.0.1:8080")
	}
	if cfg.handshakeTimeout <= 0 || cfg.writeTimeout <= 0 || cfg.closeTimeout <= 0 || cfg.heartbeatTimeout <= 0 || cfg.idleTimeout < 0 || cfg.heartbeat < 0 {
		return usagef("serve", lang, "the timeouts must be positive (--idle-timeout and --heartbeat may be 0, for none)",
			"各项超时必须是正数（--idle-timeout 和 --heartbeat 可以是 0，表示不启用）")
	}
	if err := policy.check(lang); err != nil {
		return usagef("serve", lang, "%v", "%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("%s%w", tr(lang, "serve: ", "serve 无法监听："), err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logOut := stderr
	if *tui {
		logOut = io.Discard // the screen shows it all
	}
	log := newFrameLog(logOut)
	fmt.Fprintf(logOut, "wsanatomy: echo server on ws://%s/ (any path; open http://%s/ in a browser for the demo page); ctrl+c stops it\n", ln.Addr(), ln.Addr())
	s := newEchoServer(log)
	s.cfg = cfg
	if *noCompression {
		s.compression = nil
	}
	s.policy, s.clog = policy, newConnLogger(level, policy, log)
	switch {
	case *tui:
		s.capture = newServeCapture(nil)
		return runServeTUI(ctx, s, ln, lang)
	case *jsonOut:
		s.capture = newServeCapture(stdout)
	}
	return s.serve(ctx, ln)
}

// serveConfig holds serve's timeouts.
type serveConfig struct {
	handshakeTimeout time.Duration
	idleTimeout      time.Duration
	writeTimeout     time.Duration
	closeTimeout     time.Duration
	heartbeat        time.Duration // 0: no heartbeat
	heartbeatTimeout time.Duration
}

func defaultServeConfig() serveConfig {
	return serveConfig{
		handshakeTimeout: protocol.DefaultHandshakeTimeout,
		// Long enough for a person typing into `dial`; a client with a
		// heartbeat of its own (or --heartbeat here) is never idle.
		idleTimeout:      5 * time.Minute,
		writeTimeout:     protocol.DefaultWriteTimeout,
		closeTimeout:     protocol.DefaultCloseTimeout,
		heartbeatTimeout: 10 * time.Second,
	}
}

// shutdownBound is how long serve waits, after the 1001s go out, for every
// closing handshake: a Close takes at most about twice the close timeout
// (the close frame, then the client's answer), plus a margin. After it,
// the connections left are closed at once.
func (cfg serveConfig) shutdownBound() time.Duration { return 2*cfg.closeTimeout + time.Second }

// echoServer echoes every message back with its type, on any path.
type echoServer struct {
	log *frameLog
	cfg serveConfig
	// compression is the permessage-deflate policy; nil declines it.
	compression *protocol.CompressionOptions
	clog        *connLogger   // the lines of each connection, at the chosen level
	policy      *servePolicy  // what a handshake must offer to be accepted
	capture     *serveCapture // nil unless --tui or --json

	// mu guards conns and closing, and orders wg.Add before wg.Wait: a
	// handler is counted only while closing is false, and serve waits
	// only after setting it.
	mu      sync.Mutex
	conns   map[*protocol.Conn]struct{}
	closing bool
	// wg counts handlers, heartbeats and the Close calls of the shutdown:
	// serve returns only when all of them have, so that every closing
	// handshake is finished (or timed out) before the process exits.
	wg sync.WaitGroup
}

func newEchoServer(log *frameLog) *echoServer {
	// permessage-deflate is accepted by default, as browsers offer it.
	p := &servePolicy{}
	return &echoServer{log: log, cfg: defaultServeConfig(), policy: p, clog: newConnLogger(logFrame, p, log),
		conns: make(map[*protocol.Conn]struct{}), compression: &protocol.CompressionOptions{}}
}

// serve runs until ctx ends, then closes every client with 1001 (going
// away, §7.4.1) and waits, within a bound, for their closing handshakes.
//
// The order matters. The 1001s go out first, so that nothing delays them.
// Then the listener and the handshakes in progress are closed. Then serve
// waits for each Close to finish its handshake: the client's close frame
// arrives after everything the client read, so by then every echo written
// to it has arrived, and TCP is closed with nothing unread in it (which
// would make the kernel reset the connection and destroy what was still
// in flight). Only then does the log get its last flush, and serve return.
func (s *echoServer) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           http.HandlerFunc(s.handle),
		ReadHeaderTimeout: s.cfg.handshakeTimeout,
		MaxHeaderBytes:    8 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.closing = true
	n := len(s.conns)
	for c := range s.conns {
		s.closeLocked(c)
	}
	s.mu.Unlock()
	s.log.printf("shutting down: closing %d clients with 1001 (going away)", n)
	// Not Shutdown: it would wait for handshakes in progress, and a
	// hijacked connection is not its to wait for. Those handshakes are cut;
	// a handler already past its upgrade sees closing and closes itself.
	srv.Close()
	waited := make(chan struct{})
	go func() { s.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(s.cfg.shutdownBound()):
		s.mu.Lock()
		left := len(s.conns)
		for c := range s.conns {
			c.CloseNow()
		}
		s.mu.Unlock()
		s.log.printf("shutdown: %d closing handshakes did not finish within %v; their connections are closed", left, s.cfg.shutdownBound())
		<-waited
	}
	s.log.printf("shutdown complete")
	s.log.flush()
	return nil
}

// closeLocked starts the closing handshake of c with 1001; s.mu is held.
func (s *echoServer) closeLocked(c *protocol.Conn) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.Close(protocol.CloseGoingAway, "server shutting down")
	}()
}

func (s *echoServer) handle(w http.ResponseWriter, r *http.Request) {
	if !demo.IsUpgrade(r) {
		demo.ServeHTTP(w, r) // a browser asking for a page gets the demo
		return
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	opts := &protocol.AcceptOptions{}
	s.policy.apply(opts)
	opts.WriteTimeout = s.cfg.writeTimeout
	opts.IdleTimeout = s.cfg.idleTimeout
	opts.CloseTimeout = s.cfg.closeTimeout
	// The echo loop reads and writes its replies in one goroutine, the
	// case BatchReplies is for: an echo written while the client's next
	// message already waits whole in the read buffer goes out with the
	// echoes after it, in one write instead of one each. A client that
	// sends one message at a time is answered at once as before.
	opts.BatchReplies = true
	opts.Compression = s.compression
	peer := r.RemoteAddr
	record := s.capture.observer(peer)
	switch {
	case record == nil && s.clog.level == logOff:
		// Nobody looks: no observer at all, so the codec builds no event
		// per frame and keeps its shortest ways (NextReader's, for small
		// messages), which an observer turns off.
	case record == nil:
		opts.Observer = func(e protocol.Event) { s.clog.event(peer, e) }
	default:
		opts.Observer = func(e protocol.Event) {
			s.clog.event(peer, e)
			record(e)
		}
	}
	// The log prints headers only: copying every payload for it would
	// make each message cost several times its size. The screen and the
	// JSON lines show payloads, so they take them.
	opts.ObserveHeadersOnly = record == nil
	c, err := protocol.Accept(w, r, opts)
	if err != nil {
		// A refusal is logged once: the connection's log has it already,
		// in the response line of the handshake, unless that log is off.
		var herr *protocol.HandshakeError
		if !errors.As(err, &herr) || s.clog.level == logOff {
			s.log.printf("%s handshake refused: %v", peer, err)
		}
		return
	}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	if s.closing {
		s.closeLocked(c) // upgraded while the shutdown began
	}
	s.mu.Unlock()
	// The connection is served on a goroutine of its own, and the handler
	// returns. While a handler runs, net/http keeps what it used for the
	// request (its 4 KiB read buffer, the response's buffer, the request),
	// and the handler's goroutine has the deep stack of net/http's serving
	// loop: about 8 KiB per connection for its whole life, idle or not.
	// Once the handler of a hijacked connection returns, all of it is
	// garbage. The new goroutine is counted before the handler stops
	// being counted, so the count never drops to zero in between.
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.serveConn(c, peer)
	}()
}

// serveConn echoes c's messages until it ends, with a heartbeat if asked;
// its caller counts it in s.wg.
func (s *echoServer) serveConn(c *protocol.Conn, peer string) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	if s.cfg.heartbeat > 0 {
		hbCtx, stop := context.WithCancel(context.Background())
		defer stop()
		s.wg.Add(1) // this goroutine is counted, so the count is not zero
		go func() {
			defer s.wg.Done()
			if err := c.Heartbeat(hbCtx, s.cfg.heartbeat, s.cfg.heartbeatTimeout); err != nil {
				s.log.printf("%s %v", peer, err)
			}
		}()
	}
	echoed, err := echo(context.Background(), c)
	// One line per connection with the count: what a client can check
	// against the echoes it received.
	if err != nil {
		s.log.printf("%s connection ended after %d echoes: %v", peer, echoed, err)
	} else {
		s.log.printf("%s connection ended after %d echoes", peer, echoed)
	}
	// A clean end or a failed read has closed TCP already; after a
	// failed write it is closed here. The log's last line for the
	// connection is then written before the goroutine counts as done.
	if err != nil {
		c.CloseNow()
	}
	<-c.Done()
}

// frameLog writes one line per frame. Lines are buffered and flushed at
// the end of each message, so that a message of many small frames does not
// cost a system call per frame.
//
// A peer chooses how many frames it sends, and an empty frame is 6 bytes
// on the wire but a 70-byte line: unbounded, the log would amplify the
// traffic more than tenfold (200,000 empty frames made 15 MiB of log). So
// each connection gets frameLogBurst lines at once and frameLogRate lines
// a second after that; frames beyond are counted, and the count is logged
// as one line when lines are allowed again and when the connection ends.
// The log thus grows with time and connections, not with frames.
// Handshakes, violations and ends are always logged.
type frameLog struct {
	mu    sync.Mutex
	w     *bufio.Writer
	peers map[string]*logBudget
}

// logTime is how every line of the log gives its time.
const logTime = "15:04:05.000"

const (
	frameLogBurst = 200
	frameLogRate  = 50 // lines a second, per connection
)

// logBudget is a token bucket of frame lines for one connection.
type logBudget struct {
	tokens     float64
	last       time.Time
	suppressed int
}

func newFrameLog(w io.Writer) *frameLog {
	return &frameLog{w: bufio.NewWriterSize(w, 64<<10), peers: make(map[string]*logBudget)}
}

func (l *frameLog) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
	l.w.Flush()
}

// allow spends a line of peer's budget; l.mu is held. Nothing is
// formatted for a frame it refuses: past the burst, most frames under
// load are only counted.
func (l *frameLog) allow(peer string, now time.Time) bool {
	b := l.peers[peer]
	if b == nil {
		b = &logBudget{tokens: frameLogBurst, last: now}
		l.peers[peer] = b
	}
	b.tokens = min(frameLogBurst, b.tokens+now.Sub(b.last).Seconds()*frameLogRate)
	b.last = now
	if b.tokens < 1 {
		b.suppressed++
		return false
	}
	b.tokens--
	if b.suppressed > 0 {
		l.reportSuppressed(peer, b, now.Format(logTime))
	}
	return true
}

func (l *frameLog) reportSuppressed(peer string, b *logBudget, ts string) {
	if b.suppressed > 0 {
		fmt.Fprintf(l.w, "%s %s ... %d frames not logged (at most %d lines a second per connection)\n", ts, peer, b.suppressed, frameLogRate)
		b.suppressed = 0
	}
}

func (l *frameLog) event(peer string, e protocol.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := e.(*protocol.FrameEvent); ok && f.Violation == nil && !l.allow(peer, f.Time) {
		return
	}
	ts := e.EventTime().Format(logTime)
	switch e := e.(type) {
	case *protocol.FrameEvent:
		arrow := "<-"
		if e.Dir == protocol.Sent {
			arrow = "->"
		}
		fmt.Fprintf(l.w, "%s %s %s %s", ts, peer, arrow, e.Header)
		if e.Header.Opcode == protocol.OpClose && e.Violation == nil && uint64(len(e.Unmasked)) == e.Header.Length {
			// A close frame's code and reason, each way (its payload is
			// observed even when data payloads are not).
			if code, reason, v := protocol.ParseClosePayload(e.Unmasked); v == nil {
				fmt.Fprintf(l.w, " code %s %q", code, reason)
			}
		}
		if e.Violation != nil {
			fmt.Fprintf(l.w, "  VIOLATION §%s: %s (close %d)", e.Violation.Section, e.Violation.Msg, e.Violation.Code)
		}
		l.w.WriteByte('\n')
		if e.Header.Fin || e.Violation != nil {
			l.w.Flush()
		}
	case *protocol.HandshakeEvent:
		// The request line with its path, Origin and offers; the status
		// line with what was agreed, or the refusal and why.
		arrow := "<-"
		if e.Dir == protocol.Sent {
			arrow = "->"
		}
		fmt.Fprintf(l.w, "%s %s %s %s\n", ts, peer, arrow, views.HandshakeLine(e))
		logNegotiation(l.w, ts, peer, e.Negotiation)
		l.w.Flush()
	case *protocol.MessageEvent:
		arrow := "<-"
		if e.Dir == protocol.Sent {
			arrow = "->"
		}
		fmt.Fprintf(l.w, "%s %s %s compressed %s message: %d bytes on the wire, %d inflated\n", ts, peer, arrow, e.Opcode, e.WireLen, e.InflatedLen)
	case *protocol.ClosedEvent:
		if b := l.peers[peer]; b != nil {
			l.reportSuppressed(peer, b, ts)
			delete(l.peers, peer)
		}
		who := "client"
		if e.ClosedTCPFirst {
			who = "server"
		}
		// Then the close frame each way: "received close 3000 "bye";
		// sent close 3000".
		_, codes, _ := strings.Cut(views.ClosedText(capture.Entry{Kind: capture.KindClosed, Dir: capture.ServerToClient, Closed: e}), "; ")
		fmt.Fprintf(l.w, "%s %s TCP closed (%s first); %s\n", ts, peer, who, codes)
		l.w.Flush()
	}
}

func (l *frameLog) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
}

// logNegotiation writes what permessage-deflate offers came and what was
// agreed or declined, and why.
func logNegotiation(w io.Writer, ts, peer string, n *protocol.Negotiation) {
	if n == nil {
		return
	}
	fmt.Fprintf(w, "%s %s extensions offered: %s\n", ts, peer, protocol.FormatExtensions(n.Offered))
	for _, d := range n.Declined {
		fmt.Fprintf(w, "%s %s   declined %q: %s\n", ts, peer, d.Offer, d.Reason)
	}
	if n.Accepted {
		a := n.Agreed
		fmt.Fprintf(w, "%s %s   agreed permessage-deflate: server window %d bits%s, client window %d bits%s\n", ts, peer,
			a.ServerMaxWindowBits, takeoverText(a.ServerNoContextTakeover), a.ClientMaxWindowBits, takeoverText(a.ClientNoContextTakeover))
	}
}

func takeoverText(no bool) string {
	if no {
		return " (no context takeover)"
	}
	return " (context takeover)"
}
