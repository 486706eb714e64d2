// Package lessonrun carries out the actions of a lesson step (package
// lessons) as real exchanges: an in-process server on 127.0.0.1 (a free
// port) and a client that connects to it over real TCP, both built on
// package protocol. What the screens show comes from the codec's observer
// and from the bytes that crossed the loopback connection; nothing here
// parses a frame.
//
// What crossed the wire (handshakes, frames, raw writes, TCP reads, closes)
// is recorded as a [capture.Entry], the same record the walkthrough, serve
// and proxy make, so the screens draw a lesson's frames as they draw any
// other. It imports only the standard library, protocol, capture and
// lessons, so that the lesson screens and the plain output share one runner.
package lessonrun

import (
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Kind says what an [Event] records.
type Kind uint8

const (
	// KindHandshake: one half of an opening handshake, as the client sent
	// or received it (Entry.Handshake set).
	KindHandshake Kind = iota + 1
	// KindFrame: one frame (Entry: header, wire bytes, unmasked payload).
	// Received says whether the peer read it; Entry is then the receiver's
	// view, with any Violation.
	KindFrame
	// KindRaw: bytes written by hand with Conn.WriteRaw (Entry.Wire).
	KindRaw
	// KindRace: two frames written by two goroutines with no lock (Race).
	KindRace
	// KindRead: one read from the TCP connection by Role (Entry.Wire): how
	// the byte stream arrived, in pieces or several frames at once.
	KindRead
	// KindMessage: a whole message handed to the application by Role
	// (Opcode, Bytes), after its frames were reassembled. A compressed
	// message (permessage-deflate) also has Entry.Message: its wire
	// bytes, window and inflated bytes, as the codec reported them.
	KindMessage
	// KindClosed: one endpoint's connection ended (Entry.Closed).
	KindClosed
	// KindHTTP: a plain HTTP/1.1 request and response (HTTP).
	KindHTTP
	// KindNote: something the runner did or saw (Note, N, D, Err, Text).
	KindNote
)

// Note says what a KindNote event reports. The screens word it in the
// learner's language.
type Note uint8

const (
	// NoteConnected: a fresh client/server pair is connected (Text: the
	// chosen subprotocol, if any).
	NoteConnected Note = iota + 1
	// NoteReconnect: the previous connection was closed, so a fresh pair
	// was connected for the next action.
	NoteReconnect
	// NoteRefused: the server refused the handshake with status N.
	NoteRefused
	// NoteDribble: from now on, writes go out N bytes at a time.
	NoteDribble
	// NoteMute: the server stopped reading and answering.
	NoteMute
	// NoteHeartbeat: the client pings every D and waits at most D2 for a
	// pong.
	NoteHeartbeat
	// NotePong: the heartbeat got a pong after D.
	NotePong
	// NoteDead: no pong within D: the client declares the peer dead and
	// closes the TCP connection.
	NoteDead
	// NoteWait: a pause of D.
	NoteWait
	// NoteLimit: the server now refuses messages over N bytes (a fresh
	// connection, since the limit is fixed when a connection opens).
	NoteLimit
	// NoteDrop: Role closed TCP without a close frame.
	NoteDrop
	// NoteServer: what the lesson server accepts (Text: subprotocols;
	// Text2: allowed origins).
	NoteServer
	// NoteError: an action failed (Err).
	NoteError
)

// Event is one thing that happened during a step.
type Event struct {
	Kind Kind
	At   time.Duration // since the step started
	// Role is the sender of a frame, raw bytes or race; the reader of a
	// read or a message; the endpoint of a close, drop or note.
	Role protocol.Role
	// Action is the index of the step's action that was running, or -1.
	Action int
	// Conn is the client/server pair the event belongs to (they are
	// numbered from 1 as the runner connects them), or 0 for what belongs
	// to no connection (a wait, a plain HTTP exchange, a refused
	// handshake's server policy).
	Conn int

	// Entry is what crossed the wire, for handshakes, frames, raw writes,
	// reads and closes: the record every source of live traffic makes.
	Entry    capture.Entry
	Received bool // KindFrame: the peer read the frame
	// Opcode and Bytes are a whole message handed to the application
	// (KindMessage).
	Opcode protocol.Opcode
	Bytes  []byte
	Race   *Race
	HTTP   *HTTPExchange

	Note  Note
	N     int
	D, D2 time.Duration
	Err   error
	Text  string
	Text2 string

	time time.Time // for ordering
}

// Race is what the two writers put on the wire: frame A cut after Offset
// bytes with frame B in the gap.
type Race struct {
	A, B     []byte    // the two frames, as each writer meant them
	Offset   int       // B landed after this many bytes of A
	Segments []Segment // what went out, in order
}

// Segment is one write of the race.
type Segment struct {
	Writer byte // 'A' or 'B'
	Bytes  []byte
}

// Stream returns the bytes of the race as they arrived.
func (r *Race) Stream() []byte {
	var out []byte
	for _, s := range r.Segments {
		out = append(out, s.Bytes...)
	}
	return out
}

// HTTPExchange is one HTTP request and response, exactly as they crossed
// the loopback connection.
type HTTPExchange struct {
	Request, Response []byte
	Status            int
	Body              []byte // the response body
}

// Result is what one step produced.
type Result struct {
	Events []Event
}

// Frames returns the step's frame events.
func (r Result) Frames() []Event {
	var out []Event
	for _, e := range r.Events {
		if e.Kind == KindFrame {
			out = append(out, e)
		}
	}
	return out
}

// Errors returns the errors of the step's actions.
func (r Result) Errors() []error {
	var out []error
	for _, e := range r.Events {
		if e.Kind == KindNote && e.Note == NoteError && e.Err != nil {
			out = append(out, e.Err)
		}
	}
	return out
}
