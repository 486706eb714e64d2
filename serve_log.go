package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// logLevel is how much serve logs of each connection.
type logLevel int

const (
	// logFrame: one line per frame, as it is read or written, plus the
	// handshake (path, Origin, subprotocols and extensions offered and
	// agreed) and the end (close codes and reasons both ways). For
	// learners: every frame a browser sends is there.
	logFrame logLevel = iota
	// logMessage: one line per message and per control frame instead of
	// per frame.
	logMessage
	// logOff: no line per connection at all.
	logOff
)

func (l *logLevel) String() string {
	switch *l {
	case logMessage:
		return "message"
	case logOff:
		return "off"
	}
	return "frame"
}

func (l *logLevel) Set(v string) error {
	switch v {
	case "frame":
		*l = logFrame
	case "message":
		*l = logMessage
	case "off":
		*l = logOff
	default:
		return fmt.Errorf("want frame, message or off")
	}
	return nil
}

// connLogger writes the lines of serve's connections at a level. Frame
// lines go through the frame log as they happen; the lines it adds
// (handshakes, messages, ends) are rare and written at once.
type connLogger struct {
	level  logLevel
	policy *servePolicy
	log    *frameLog

	mu sync.Mutex
	// offered holds each peer's offered subprotocols until the response;
	// msgs the message each peer is sending or receiving, per direction.
	offered map[string]string
	msgs    map[msgKey]*msgCount
}

type msgKey struct {
	peer string
	dir  protocol.Direction
}

// msgCount is a message under way: its type, frames and payload bytes.
type msgCount struct {
	op     protocol.Opcode
	frames int
	bytes  uint64
}

func newConnLogger(level logLevel, policy *servePolicy, log *frameLog) *connLogger {
	return &connLogger{level: level, policy: policy, log: log, offered: map[string]string{}, msgs: map[msgKey]*msgCount{}}
}

// event logs one observer event of peer's connection.
func (cl *connLogger) event(peer string, e protocol.Event) {
	if cl.level == logOff {
		return
	}
	switch e := e.(type) {
	case *protocol.HandshakeEvent:
		cl.handshake(peer, e)
	case *protocol.FrameEvent:
		if cl.level == logFrame {
			cl.log.event(peer, e)
			return
		}
		cl.message(peer, e)
	case *protocol.MessageEvent:
		cl.log.event(peer, e) // a compressed message's sizes, at both levels
	case *protocol.ClosedEvent:
		cl.mu.Lock()
		delete(cl.msgs, msgKey{peer, protocol.Sent})
		delete(cl.msgs, msgKey{peer, protocol.Received})
		cl.mu.Unlock()
		cl.log.event(peer, e)
	}
}

// handshake logs both halves: the request with its path, Origin and
// offers, the response with what was agreed, or the refusal and why.
func (cl *connLogger) handshake(peer string, e *protocol.HandshakeEvent) {
	cl.log.event(peer, e)
	if e.Request {
		if r, err := http.ReadRequest(headReader(e.Raw)); err == nil {
			cl.mu.Lock()
			cl.offered[peer] = strings.Join(r.Header.Values("Sec-WebSocket-Protocol"), ", ")
			cl.mu.Unlock()
		}
		return
	}
	cl.mu.Lock()
	offered := cl.offered[peer]
	delete(cl.offered, peer)
	cl.mu.Unlock()
	if e.Err != nil {
		return
	}
	agreed := ""
	if r, err := http.ReadResponse(headReader(e.Raw), nil); err == nil {
		r.Body.Close()
		agreed = r.Header.Get("Sec-WebSocket-Protocol")
	}
	if hint := cl.policy.subprotocolHint(offered, agreed); hint != "" {
		cl.log.printf("%s %s", peer, hint)
	}
}

// message counts data frames into messages and logs each message when its
// last frame (FIN) passes; control frames and violations are logged as
// they come.
func (cl *connLogger) message(peer string, e *protocol.FrameEvent) {
	h := e.Header
	if h.Opcode.IsControl() || e.Violation != nil {
		cl.log.event(peer, e)
		return
	}
	k := msgKey{peer, e.Dir}
	cl.mu.Lock()
	m := cl.msgs[k]
	if m == nil || h.Opcode != protocol.OpContinuation {
		m = &msgCount{op: h.Opcode}
		cl.msgs[k] = m
	}
	m.frames++
	m.bytes += h.Length
	done := h.Fin
	if done {
		delete(cl.msgs, k)
	}
	cl.mu.Unlock()
	if done {
		cl.log.limited(peer, e.Time, "%s %s %s message, %d bytes in %d frame%s", peer, arrowOf(e.Dir), m.op, m.bytes, m.frames, plural(m.frames))
	}
}

// headReader reads a handshake's raw bytes for net/http's parsers, with a
// buffer of their size rather than bufio's default 4 KiB: two of those per
// connection, garbage at once, were a good part of what 2,000 handshakes
// in a row left the process holding.
func headReader(raw []byte) *bufio.Reader {
	return bufio.NewReaderSize(bytes.NewReader(raw), len(raw))
}

func arrowOf(d protocol.Direction) string {
	if d == protocol.Sent {
		return "->"
	}
	return "<-"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// limited writes a line of peer's connection within the same budget as
// its frame lines, so that a peer sending many tiny messages cannot make
// the log grow faster than the rate frame lines are held to.
func (l *frameLog) limited(peer string, t time.Time, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.allow(peer, t) {
		return
	}
	ts := t.Format(logTime)
	fmt.Fprintf(l.w, ts+" "+format+"\n", args...)
	l.w.Flush()
}
