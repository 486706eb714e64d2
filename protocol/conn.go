package protocol

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a connection. The zero value is usable.
type Options struct {
	// MessageLimit is the largest message the connection accepts, in
	// bytes. A longer message fails the connection with 1009 (§7.4.1,
	// §10.4). Zero means DefaultMessageLimit; a negative value means no
	// limit, which lets any peer make us allocate without bound. (In
	// [State], which holds the value in force, 0 means no limit.)
	MessageLimit int64
	// FragmentSize, when positive, makes WriteMessage split messages into
	// frames of at most this many payload bytes (§5.4). Zero sends each
	// message as one frame.
	FragmentSize int
	// Rand is the source of masking keys and of the handshake nonce. Nil
	// means crypto/rand: §5.3 requires that the masking key be "derived
	// from a strong source of entropy", because a predictable key lets a
	// script choose the bytes an intermediary sees (§10.3). Inject a fixed
	// source only to reproduce known bytes in a lesson or a test.
	Rand io.Reader
	// Observer, if set, is told of every handshake, frame and close.
	Observer Observer
	// CloseTimeout bounds each wait of the closing handshake: for the
	// peer's close frame, and for a client, for the server to close TCP.
	// Zero means DefaultCloseTimeout.
	CloseTimeout time.Duration
	// OnPing and OnPong, if set, are called with the payload of each ping
	// and pong received. The pong that answers a ping is sent before
	// OnPing is called; an unsolicited pong is otherwise ignored (§5.5.3).
	OnPing func(payload []byte)
	OnPong func(payload []byte)
	// ObserveHeadersOnly, with an Observer, leaves Payload and Unmasked of
	// every data [FrameEvent] nil: the observer gets headers, and the
	// connection copies no data payload for it. A log that prints headers
	// should set it; without it, every byte sent and received is copied
	// twice for the observer (as sent and unmasked). Control frames keep
	// their payloads, at most 125 bytes (§5.5): a log needs the code and
	// reason of each close frame.
	ObserveHeadersOnly bool
	// BatchReplies lets a data message written while the peer's next
	// message already waits whole in the read buffer stay in a write
	// buffer, to go out in one system call with the messages written
	// after it: a server answering pipelined requests then makes one
	// write per batch of requests instead of one per reply. Nothing is
	// held once the connection would wait for input: the held messages
	// go out when a read hands out the last buffered message (or one not
	// followed by a whole one: a ping, part of a header, a fragment),
	// before any wait for the socket, before a read fails, with the next
	// write that is not held (in order, in the same system call), and in
	// Close and CloseNow. So a held reply also waits while the requests
	// already buffered after its own are handled, and while the rest of
	// its own handler runs: its latency grows with the batch, by the time
	// the handler takes for each of them. (A read whose context is
	// already done sends nothing: what is held then goes out with the
	// next write, or in Close or CloseNow.)
	// Each write is bounded by WriteTimeout as usual; the held messages a
	// read sends, also by that read's context (as its pongs are), and
	// those Close and CloseNow send, by CloseTimeout.
	// A held message's WriteMessage returns nil; an error sending it is
	// returned by the next write, wrapped so that it says how many held
	// frames it concerns ("websocket: sending 2 held frames
	// (Options.BatchReplies): ..."), and the connection is then broken.
	// An Observer is told of a held frame when it is held, not when it
	// reaches the socket (see [FrameEvent]).
	// Set it only when the goroutine that reads also writes the replies
	// (an echo or a request-reply loop): a message another goroutine
	// writes while the reader is busy elsewhere waits until it reads or
	// writes again. Off by default.
	BatchReplies bool
	// WriteTimeout bounds every write to the socket, the ones the reader
	// does too (pongs, the echo of a close frame): the peer's TCP stack
	// must take at least one byte within WriteTimeout, or the write fails
	// and the connection can send no more (a frame may be half written).
	// The clock restarts whenever the peer takes bytes, so a peer that
	// reads slowly but steadily is never dropped, however long a message
	// takes; one that stopped reading is dropped after between one and
	// two WriteTimeouts. It is a bound on a peer that stopped reading, not
	// on throughput. Zero means DefaultWriteTimeout; negative means none.
	WriteTimeout time.Duration
	// IdleTimeout, when positive, bounds how long a read waits for the
	// next frame to arrive whole: the clock starts when the reader starts
	// waiting for a frame header and is not reset by payload bytes, so a
	// peer that sends nothing, or dribbles a frame a byte at a time, is
	// dropped. It runs while a read is waiting: reads whose contexts end
	// before it strikes add up (a new read call does not restart it), and
	// time between read calls does not count. Any frame resets it, pongs included: a [Conn.Heartbeat]
	// keeps a quiet but live peer from going idle. When it strikes, the
	// connection is failed with 1001 and the read returns an error that
	// wraps [ErrIdleTimeout]. Zero or negative means none.
	IdleTimeout time.Duration
}

// Defaults for [Options].
const (
	DefaultMessageLimit = 32 << 20
	DefaultCloseTimeout = 5 * time.Second
	DefaultWriteTimeout = 10 * time.Second
	// streamFragmentSize is the frame size of messages written through
	// NextWriter when Options.FragmentSize is zero.
	streamFragmentSize = 64 << 10
	bufferSize         = 16 << 10
)

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.MessageLimit == 0 {
		out.MessageLimit = DefaultMessageLimit
	}
	if out.Rand == nil {
		out.Rand = rand.Reader
	}
	if out.CloseTimeout <= 0 {
		out.CloseTimeout = DefaultCloseTimeout
	}
	if out.WriteTimeout == 0 {
		out.WriteTimeout = DefaultWriteTimeout
	}
	return out
}

// Errors returned by connection methods.
var (
	// ErrCloseSent is returned by a write after this side sent its close
	// frame. §5.5.1: "The application MUST NOT send any more data frames
	// after sending a Close frame."
	ErrCloseSent = errors.New("websocket: close frame already sent; no more data frames may follow (§5.5.1)")
	// ErrClosed is returned by operations on a connection whose TCP
	// connection is gone.
	ErrClosed = errors.New("websocket: connection closed")
	// ErrIdleTimeout is wrapped by the error of a read that waited longer
	// than Options.IdleTimeout for a frame. The connection is failed.
	ErrIdleTimeout = errors.New("websocket: no frame arrived within the idle timeout")
	// ErrReadInterrupted is returned by NextReader and ReadMessage when a
	// Read of the reader that NextReader returned timed out in the middle
	// of a message: the rest of that message has not been read, and
	// skipping it silently would hand back the next message as if nothing
	// had happened. The connection is still usable: go on reading with the
	// same reader (it resumes where it stopped) until it returns io.EOF,
	// then ask for the next message; or close the connection.
	ErrReadInterrupted = errors.New("websocket: the previous message's read timed out in the middle of the message; " +
		"read the rest with the same reader (it goes on where it stopped), or close the connection")
)

// Conn is one WebSocket connection after its opening handshake.
//
// One goroutine may read while others write. Reads are serialised: read
// methods must not be called from two goroutines at once. Writes from any
// number of goroutines are safe: a message is written whole before the next
// one starts, and control frames may go between the frames of a message,
// as §5.4 allows. Close and CloseNow may be called from any goroutine, any
// number of times.
//
// The connection starts no goroutine of its own, so nothing is left running
// once it is closed.
type Conn struct {
	netConn     net.Conn
	role        Role
	opts        Options
	subprotocol string
	observe     Observer // opts.Observer; nil costs nothing
	// observePayloads says whether the observer gets payload copies
	// (an observer is set and did not ask for headers only).
	observePayloads bool
	// extensionRSV holds the reserved bits that negotiated extensions give
	// a meaning (0x40 for RSV1, as permessage-deflate would, RFC 7692).
	// No extension is negotiated yet, so it is 0 and every RSV bit fails
	// the connection (§5.2).
	extensionRSV byte
	// deflate is the permessage-deflate state (pmdeflate.go), nil when the
	// extension was not negotiated.
	deflate *deflateState

	// Reading state, guarded by readMu.
	readMu sync.Mutex
	br     *bufio.Reader // nil between messages when nothing is buffered (readbuf.go)
	src    readSource    // what a pooled br reads from
	keepBR bool          // br is the caller's (NewConn): never released
	reader messageReader
	stream streamReader // what NextReader hands out: reader, behind readMu
	// readErr is sticky: once a read fails, the stream position is lost
	// and every later read returns the same error.
	readErr error
	ctrlBuf [maxControlPayload]byte
	// The read in progress (see beginRead): its context, the deadline it
	// must end by other than the idle one (the earlier of the context's
	// and the caller's, or Close's), and when the current wait for a
	// frame becomes idle (zero: no IdleTimeout).
	rctx   context.Context
	rguard ctxGuard
	rbound time.Time
	idleAt time.Time
	// idleLeft is what was left of the idle clock when the last read call
	// returned; the next call goes on from there.
	idleLeft time.Duration
	// idleWaiting: the idle clock is running for a frame that has not
	// arrived yet. The next wait for a header goes on with that clock
	// instead of starting a new one, so that reads with contexts shorter
	// than IdleTimeout add up; a frame taken clears it.
	idleWaiting bool
	// brSrc: br is a pooled buffer reading through src, so every wait for
	// input passes readSource, which arms the read deadline first. Then
	// the deadline is armed lazily (rdPending), only when a read must
	// really wait; see armRead in deadline.go.
	brSrc     bool
	rdPending bool

	// Writing. msgLock is held by a message writer from its first frame to
	// its last (a channel so that waiting for it honours a context);
	// frameMu is held while one frame is written and guards the fields
	// below it.
	msgLock      chan struct{}
	frameMu      sync.Mutex
	smallFrame   [smallFrameSize]byte // a small frame being written (see writeWire)
	writeErr     error
	closeSent    bool
	sentCode     atomic.Uint32 // the CloseCode of our close frame, once sent; atomic so closeTCP never waits for frameMu
	outInMessage bool          // a fragmented message we send is in progress
	hdrBuf       [MaxHeaderSize]byte
	keyBuf       [4]byte
	writer       messageWriter
	// held is the write buffer of messages held by BatchReplies (nil when
	// none are); guarded by frameMu. heldOut says held has bytes, and
	// readAhead that the reader has a whole message buffered, so that a
	// reply may wait: both atomic, so that the reader and writers can
	// tell, without the frame lock, who must send what is held.
	held      *bufio.Writer
	heldN     int // how many frames wait in held; guarded by frameMu
	heldOut   atomic.Bool
	readAhead atomic.Bool
	pongSend  [maxControlPayload]byte // the pong being written; guarded by frameMu
	// wctx is the context of the frame being written, nil between
	// frames; guarded by frameMu. sock arms the write deadline
	// from it before each wait for the socket (see deadlineWriter).
	wctx   context.Context
	wguard ctxGuard
	sock   deadlineWriter
	// closeBound is when our close frame must be out (unix nanoseconds,
	// 0 until a close is sent): every later write is bounded by it.
	closeBound atomic.Int64
	// wDeadline is the write deadline last armed (unix nanoseconds, 0 for
	// none), so that sendClose can tell whether to cut a stuck write.
	wDeadline atomic.Int64

	// A pong waiting for the frame lock (see queuePong).
	pongMu      sync.Mutex
	pongPending bool
	pongPayload [maxControlPayload]byte
	pongLen     int
	frameStream frameStream // a message being sent with WriteFrame

	// The caller's own deadlines, which context-bound calls restore.
	deadlineMu    sync.Mutex
	readDeadline  time.Time
	writeDeadline time.Time

	// Closing.
	closeMu      sync.Mutex
	peerClose    *CloseError   // the close frame the peer sent, once it did
	peerClosed   chan struct{} // closed when the peer's close frame arrives
	tcpClosed    chan struct{} // closed when our TCP connection is closed
	tcpCloseOnce sync.Once
	reportOnce   sync.Once // the ClosedEvent, reported once (reportClosed)
	closedFirst  bool
	closeCause   error // why we closed TCP, when it was a failure on our side

	// Pongs received, for Heartbeat: when the last one came, and a
	// signal (never blocking the reader) that one did.
	lastPong atomic.Int64
	pongSeen chan struct{}
}

// NewConn wraps a connection whose opening handshake is already done, as
// the given role. br may hold bytes read past the handshake; it is then
// read from for the connection's whole life (it may read from something
// other than netConn). With nil, the connection takes a pooled buffer
// only while bytes wait in it (readbuf.go). Most programs use [Dial] or
// [Accept] instead.
func NewConn(netConn net.Conn, role Role, br *bufio.Reader, opts *Options) *Conn {
	c := newConn(netConn, role, br, opts)
	c.keepBR = br != nil
	return c
}

// newConn is NewConn for our own handshakes, whose br reads from netConn:
// once drained, it goes to the pool like any read buffer.
func newConn(netConn net.Conn, role Role, br *bufio.Reader, opts *Options) *Conn {
	c := &Conn{
		netConn:    netConn,
		role:       role,
		opts:       opts.withDefaults(),
		br:         br,
		msgLock:    make(chan struct{}, 1),
		peerClosed: make(chan struct{}),
		tcpClosed:  make(chan struct{}),
		pongSeen:   make(chan struct{}, 1),
	}
	c.sock.c = c
	c.src.c = c // c.br stays nil until a read needs it (readbuf.go)
	if c.src.socket = socketOf(netConn); c.src.socket != nil {
		c.src.fill = c.waitAndFill
		c.sock.once = c.sock.writeOnce
	} else {
		c.src.pre = new([readPreSize]byte)
	}
	c.observe = c.opts.Observer
	c.observePayloads = c.observe != nil && !c.opts.ObserveHeadersOnly
	c.reader.c = c
	c.stream.c = c
	c.writer.c = c
	return c
}

// Role returns whether this endpoint is the client or the server.
func (c *Conn) Role() Role { return c.role }

// MessageLimit returns the largest message the connection accepts, in
// bytes: Options.MessageLimit as it applies, with zero already read as
// DefaultMessageLimit. A negative value means no limit.
func (c *Conn) MessageLimit() int64 { return c.opts.MessageLimit }

// Subprotocol returns the subprotocol chosen in the handshake, or "".
func (c *Conn) Subprotocol() string { return c.subprotocol }

// LocalAddr and RemoteAddr return the TCP endpoints.
func (c *Conn) LocalAddr() net.Addr  { return c.netConn.LocalAddr() }
func (c *Conn) RemoteAddr() net.Addr { return c.netConn.RemoteAddr() }

// SetReadDeadline and SetWriteDeadline set deadlines on the underlying
// connection, as net.Conn does. A call with a context keeps them: its own
// deadline applies only while it runs, and only if it is earlier. The
// timeouts of [Options] apply on top of them (see deadline.go).
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	c.readDeadline = t
	c.deadlineMu.Unlock()
	return c.netConn.SetReadDeadline(t)
}

func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.deadlineMu.Lock()
	c.writeDeadline = t
	c.deadlineMu.Unlock()
	c.wDeadline.Store(1) // not what armWrite last set: it must set its own again
	return c.netConn.SetWriteDeadline(t)
}

// abort fails the connection for a fault on our own side: it sends a close
// frame with code (within CloseTimeout), refuses every later write and
// closes TCP without waiting for the peer.
func (c *Conn) abort(code CloseCode, reason string) {
	c.failWith(code, reason, fmt.Errorf("websocket: connection failed with %s: %s", code, reason))
}

// failWith is abort with the error that later writes, and a read that
// finds the connection closed, report.
func (c *Conn) failWith(code CloseCode, reason string, cause error) {
	payload, _ := AppendClosePayload(nil, code, reason)
	c.sendClose(payload)
	c.frameMu.Lock()
	if c.writeErr == nil {
		c.writeErr = cause
	}
	c.releaseFrame()
	c.closeTCP(true, cause)
}

// Which deadline a context governs.
type deadlineKind uint8

const (
	readDeadline deadlineKind = iota
	writeDeadline
	bothDeadlines
)

func setDeadline(conn net.Conn, kind deadlineKind, t time.Time) {
	switch kind {
	case readDeadline:
		conn.SetReadDeadline(t)
	case writeDeadline:
		conn.SetWriteDeadline(t)
	default:
		conn.SetDeadline(t)
	}
}

func noop() {}

// bindContext makes ctx govern the next I/O on conn: the earlier of its
// deadline and the caller's own (restore) becomes the connection's, and
// cancelling ctx interrupts the I/O by moving the deadline into the past.
// The returned stop puts back the caller's deadline. A context that can
// never be cancelled, like context.Background(), costs nothing: no
// allocation, no system call.
func bindContext(ctx context.Context, conn net.Conn, kind deadlineKind, restore time.Time) (stop func()) {
	if ctx.Done() == nil {
		return noop
	}
	if d, ok := ctx.Deadline(); ok && (restore.IsZero() || d.Before(restore)) {
		setDeadline(conn, kind, d)
	}
	stopAfter := context.AfterFunc(ctx, func() { setDeadline(conn, kind, time.Unix(1, 0)) })
	return func() {
		stopAfter()
		setDeadline(conn, kind, restore)
	}
}

// ctxErr prefers the context's error to the timeout it caused. The
// connection's deadline and the context's timer are two clocks: the I/O
// may time out an instant before ctx reports that it is done.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		if errors.Is(err, ctx.Err()) {
			return err // it says more, and still matches the context's error
		}
		return ctx.Err()
	}
	var ne net.Error
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) && errors.As(err, &ne) && ne.Timeout() {
		return context.DeadlineExceeded
	}
	return err
}

// closeTCP closes the TCP connection once and reports the end.
func (c *Conn) closeTCP(first bool, cause error) {
	c.tcpCloseOnce.Do(func() {
		// Tell the observer before the socket closes: the peer cannot see
		// the close (and report its own end) before ours is reported, so
		// an observer of both ends sees them in causal order. And before
		// Done() fires, so that whoever waits on Done() has the event.
		c.reportClosed(first, cause)
		c.netConn.Close()
		close(c.tcpClosed)
	})
}

// reportClosed records how the connection ended and tells the observer,
// once. closeTCP calls it; a server that half-closes before it lingers
// (lingerAfterFailure) calls it first, because its FIN is what the peer
// sees: reported later, the client's end would be listed before the end
// of the server that closed first.
func (c *Conn) reportClosed(first bool, cause error) {
	c.reportOnce.Do(func() {
		c.closeMu.Lock()
		c.closedFirst = first
		if cause != nil && cause != ErrClosed {
			c.closeCause = cause
		}
		code, reason := CloseAbnormalClosure, ""
		if c.peerClose != nil {
			code, reason = c.peerClose.Code, c.peerClose.Reason
		}
		c.closeMu.Unlock()
		if c.observe != nil {
			c.observe(&ClosedEvent{Time: time.Now(), Role: c.role, Code: code, Reason: reason,
				SentCode: CloseCode(c.sentCode.Load()), ClosedTCPFirst: first, Err: cause})
		}
	})
}
