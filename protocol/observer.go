package protocol

import "time"

// An Observer watches a connection: every handshake request and response,
// every frame sent or received, and the end of the connection. It is how
// wsanatomy's screens, lessons and test-vector runner see the wire, so they
// never need a parser of their own.
//
// The connection calls the observer synchronously, on the goroutine doing
// the I/O, possibly from a reading and a writing goroutine at once. It must
// return quickly and must be safe for concurrent use. The slices in an event
// are copies that the observer owns and may keep.
//
// With no observer set, the connection copies nothing and builds no events.
type Observer func(Event)

// Event is one of [*HandshakeEvent], [*FrameEvent], [*MessageEvent],
// [*RawEvent] and [*ClosedEvent]. MessageEvent comes only on connections
// that negotiated permessage-deflate, after the frames of each compressed
// message: it holds the inflated bytes, where the frames' payloads hold
// the compressed ones.
type Event interface {
	// EventTime is when the event happened.
	EventTime() time.Time
}

// Direction says whether the observing endpoint sent or received something.
type Direction uint8

const (
	Sent Direction = iota + 1
	Received
)

func (d Direction) String() string {
	if d == Sent {
		return "sent"
	}
	return "received"
}

// HandshakeEvent is one half of the opening handshake: the client's GET
// request or the server's response, exactly as the bytes went over the wire.
type HandshakeEvent struct {
	Time time.Time
	Role Role      // the endpoint that observed it
	Dir  Direction // Sent or Received by that endpoint
	// Request is true for the client's request, false for the response.
	Request bool
	// Raw holds the request or response head: the start line and headers
	// up to and including the empty line. For a server running as a
	// net/http handler, net/http parsed the request before we saw it, so
	// Raw is rebuilt from the parsed request (header order may differ).
	Raw []byte
	// Accept is the Sec-WebSocket-Accept computation for this handshake's
	// key, set on responses.
	Accept *AcceptSteps
	// Err is set when this half of the handshake was refused.
	Err error
	// Negotiation is set on a response when permessage-deflate was
	// offered (RFC 7692): every offer, the declined ones with the reason,
	// and what was agreed. On the server it is the server's decision; on
	// the client, Offered holds the client's own offer and Agreed what
	// the response means.
	Negotiation *Negotiation
}

// FrameEvent is one frame, sent or received.
//
// A sent frame is reported once the connection has written it, but a
// frame held by Options.BatchReplies is reported when it is held, before
// it reaches the socket: its Time is when it was held, and
// its bytes go out later, in one system call with the frames held after
// it. The sent frames are still reported in the order they go on the
// wire. If sending held frames fails, frames that the peer may never get
// have been reported as sent; the next write returns the error, which
// says how many held frames it concerns.
type FrameEvent struct {
	Time   time.Time
	Role   Role      // the endpoint that observed it
	Dir    Direction // Sent or Received by that endpoint
	Header Header    // the decoded header
	// RawHeader is the header exactly as it went over the wire.
	RawHeader []byte
	// Payload is the payload as it went over the wire: masked if the frame
	// is masked. Unmasked is the payload after unmasking; for an unmasked
	// frame it equals Payload.
	Payload  []byte
	Unmasked []byte
	// Violation is set on a received frame that broke a rule; the
	// connection failed with Violation.Code. Payload may then be shorter
	// than Header.Length: the receiver stops reading at the first bad byte.
	Violation *Violation
}

// RawEvent reports bytes written with [Conn.WriteRaw]: bytes built by hand,
// not by the encoder, so they may not be a frame at all.
type RawEvent struct {
	Time  time.Time
	Role  Role
	Bytes []byte
}

// ClosedEvent reports the end of the connection: the close code and reason
// the application will see, and who closed the TCP connection.
type ClosedEvent struct {
	Time   time.Time
	Role   Role
	Code   CloseCode // the peer's close code, or 1006 if it sent none
	Reason string
	// SentCode is the code in this endpoint's own close frame: the code it
	// failed the connection with, or the one it echoed. 0 if it sent no
	// close frame; 1005 if its close frame had no code.
	SentCode CloseCode
	// ClosedTCPFirst says whether this endpoint closed TCP before the peer
	// did. §7.1.1: the server should close first.
	ClosedTCPFirst bool
	Err            error // why the connection ended, when it was not a clean close
}

func (e *HandshakeEvent) EventTime() time.Time { return e.Time }
func (e *FrameEvent) EventTime() time.Time     { return e.Time }
func (e *RawEvent) EventTime() time.Time       { return e.Time }
func (e *ClosedEvent) EventTime() time.Time    { return e.Time }

// observedFrame is a [FrameEvent] and the bytes of its raw header in one
// heap object, so that reporting a frame costs one allocation, not two.
// The observer may keep the event: RawHeader points into raw, which lives
// as long as the event does, and no later frame ever writes to it (each
// frame gets an observedFrame of its own). A 1 MiB message from a client
// that sends 4 KiB frames is 256 events, so this is per frame, not per
// message.
type observedFrame struct {
	FrameEvent
	raw [MaxHeaderSize]byte
}

// newFrameEvent returns the event of a frame with header h, whose bytes on
// the wire are raw (copied: raw may be the read buffer's or the writer's
// own bytes, which are reused), stamped now.
func newFrameEvent(role Role, dir Direction, h Header, raw []byte) *FrameEvent {
	o := &observedFrame{FrameEvent: FrameEvent{Time: time.Now(), Role: role, Dir: dir, Header: h}}
	n := copy(o.raw[:], raw)
	// Capacity n, not len(raw): an observer's append to RawHeader then
	// copies, as it did when RawHeader was a slice of its own, instead of
	// writing into raw's unused bytes.
	o.RawHeader = o.raw[:n:n]
	return &o.FrameEvent
}
