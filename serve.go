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
	"sync"
	"syscall"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

func runServe(args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "wsanatomy: serve takes no arguments, got %q\n", fs.Args())
		return errUsage
	}
	if *addr == "" {
		fmt.Fprintln(stderr, "wsanatomy: serve --addr needs an address, like 127.0.0.1:8080")
		return errUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := newFrameLog(stderr)
	fmt.Fprintf(stderr, "wsanatomy: echo server on ws://%s/ (any path); ctrl+c stops it\n", ln.Addr())
	s := newEchoServer(log)
	return s.serve(ctx, ln)
}

// echoServer echoes every message back with its type, on any path.
type echoServer struct {
	log *frameLog

	mu    sync.Mutex
	conns map[*protocol.Conn]struct{}
	wg    sync.WaitGroup
}

func newEchoServer(log *frameLog) *echoServer {
	return &echoServer{log: log, conns: make(map[*protocol.Conn]struct{})}
}

// serve runs until ctx ends, then closes every client with 1001 (going
// away, §7.4.1) and waits for their closing handshakes.
func (s *echoServer) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           http.HandlerFunc(s.handle),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    8 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.printf("shutting down: closing clients with 1001 (going away)")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdownCtx)
	s.mu.Lock()
	for c := range s.conns {
		go c.Close(protocol.CloseGoingAway, "server shutting down")
	}
	s.mu.Unlock()
	// Each Close is bounded by the close timeout; this is a second bound,
	// so that no client, however it behaves, keeps the server alive.
	waited := make(chan struct{})
	go func() { s.wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(3 * protocol.DefaultCloseTimeout):
		s.mu.Lock()
		for c := range s.conns {
			c.CloseNow()
		}
		s.mu.Unlock()
		<-waited
	}
	s.log.flush()
	return nil
}

func (s *echoServer) handle(w http.ResponseWriter, r *http.Request) {
	opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin}
	peer := r.RemoteAddr
	opts.Observer = func(e protocol.Event) { s.log.event(peer, e) }
	c, err := protocol.Accept(w, r, opts)
	if err != nil {
		s.log.printf("%s handshake refused: %v", peer, err)
		return
	}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.wg.Done()
	}()
	if err := echo(context.Background(), c); err != nil {
		s.log.printf("%s connection ended: %v", peer, err)
	}
}

// echo sends every message back with its type until the connection ends.
// It returns nil after a clean closing handshake.
func echo(ctx context.Context, c *protocol.Conn) error {
	for {
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			var ce *protocol.CloseError
			if errors.As(err, &ce) && ce.Code != protocol.CloseAbnormalClosure {
				return nil
			}
			return err
		}
		if err := c.WriteMessage(ctx, typ, msg); err != nil {
			return err
		}
	}
}

// frameLog writes one line per frame. Lines are buffered and flushed at
// the end of each message, so that a message of many small frames does not
// cost a system call per frame.
type frameLog struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func newFrameLog(w io.Writer) *frameLog { return &frameLog{w: bufio.NewWriterSize(w, 64<<10)} }

func (l *frameLog) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
	l.w.Flush()
}

func (l *frameLog) event(peer string, e protocol.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := e.EventTime().Format("15:04:05.000")
	switch e := e.(type) {
	case *protocol.FrameEvent:
		arrow := "<-"
		if e.Dir == protocol.Sent {
			arrow = "->"
		}
		fmt.Fprintf(l.w, "%s %s %s %s", ts, peer, arrow, e.Header)
		if e.Violation != nil {
			fmt.Fprintf(l.w, "  VIOLATION §%s: %s (close %d)", e.Violation.Section, e.Violation.Msg, e.Violation.Code)
		}
		l.w.WriteByte('\n')
		if e.Header.Fin || e.Violation != nil {
			l.w.Flush()
		}
	case *protocol.HandshakeEvent:
		if e.Request {
			fmt.Fprintf(l.w, "%s %s handshake request received\n", ts, peer)
		} else if e.Err != nil {
			fmt.Fprintf(l.w, "%s %s handshake refused: %v\n", ts, peer, e.Err)
		} else {
			fmt.Fprintf(l.w, "%s %s handshake done: 101 Switching Protocols\n", ts, peer)
		}
		l.w.Flush()
	case *protocol.ClosedEvent:
		who := "client"
		if e.ClosedTCPFirst {
			who = "server"
		}
		fmt.Fprintf(l.w, "%s %s TCP closed (%s first), close code %s\n", ts, peer, who, e.Code)
		l.w.Flush()
	}
}

func (l *frameLog) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Flush()
}
