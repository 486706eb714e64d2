// Package capture is the one record of live WebSocket traffic that every
// screen draws from. A source (the walkthrough's own client and server,
// a lesson's pair, the connections `serve` accepts, the two legs `proxy`
// relays) hands the codec's observer events to capture; capture turns them
// into [Entry] values in causal order and keeps, per connection, a [Conn]
// summary: peer, path, handshake, negotiated subprotocol and extensions,
// state, counts and close codes.
//
// The views never learn which source an entry came from: a frame is a
// frame, with its wire bytes, its decoded header and the rule it broke, if
// any. Nothing here parses a frame: headers, payloads and violations are
// the codec's own, taken from [protocol.Event] values.
package capture

import (
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

// Sender returns the role that sent bytes going in direction d.
func (d Dir) Sender() protocol.Role {
	if d == ServerToClient {
		return protocol.RoleServer
	}
	return protocol.RoleClient
}

// index is d as an array index (0 for client to server), for counters kept
// per direction.
func (d Dir) index() int {
	if d == ServerToClient {
		return 1
	}
	return 0
}

// DirFrom returns the direction of something that role sent (dir Sent) or
// received (dir Received).
func DirFrom(role protocol.Role, dir protocol.Direction) Dir {
	sender := role
	if dir == protocol.Received {
		sender = role.Peer()
	}
	if sender == protocol.RoleServer {
		return ServerToClient
	}
	return ClientToServer
}

// Kind says what an entry records.
type Kind uint8

const (
	KindHandshake Kind = iota + 1 // one half of the opening handshake
	KindFrame                     // one frame, with its wire bytes and decoded header
	KindRaw                       // bytes written by hand, which may not be a frame at all
	KindRead                      // one read from TCP, where a source shows how bytes arrived
	KindClosed                    // one endpoint's TCP connection ended
	KindNote                      // a line of text from the source, such as "a fresh connection"
	// KindMessage is a compressed message once it is complete (RFC 7692),
	// after its frames: Header.Opcode is its type, Header.Length its
	// inflated size, Unmasked the inflated bytes (a prefix, like a
	// frame's) and WireSize its size on the wire. Message keeps the
	// compressed bytes and the window they started from, so that a view
	// can take the message apart into literals and back-references.
	// Violation is set when a watcher could not inflate it, or its text
	// is not UTF-8.
	KindMessage
)

// Entry is one thing that went over the wire, or one end of a connection.
// A source records each frame once, from one endpoint's point of view (the
// walkthrough and serve take the server's; the proxy takes each leg's
// receiver), so both directions are in causal order and no frame is doubled.
type Entry struct {
	Seq  int           // position among all entries of the source, from 0
	Conn int           // which connection, from 1
	Tag  int           // what caused it, as the source numbers its actions, or -1
	Kind Kind          // what the entry records
	Dir  Dir           // the direction on the wire
	At   time.Duration // since the source started

	// Frames, raw writes and reads.
	Header protocol.Header
	// Wire is the whole frame as it went over the wire: header and payload
	// (masked). A store that bounds its memory may keep only a prefix of a
	// long payload; Header.Length still says how long it was.
	Wire      []byte
	Unmasked  []byte // the payload after unmasking (a prefix, like Wire)
	Violation *protocol.Violation

	Handshake *protocol.HandshakeEvent
	Closed    *protocol.ClosedEvent
	// Message is the observer's report of a compressed message
	// (KindMessage): its Compressed bytes and Window are what
	// protocol.DecodeDeflate takes apart. A store may keep only a prefix
	// of them and drop the window; Note then says so.
	Message *protocol.MessageEvent
	Note    string
	// WireSize is a compressed message's size on the wire (KindMessage).
	WireSize int64
}

// WireLen is how many bytes the entry put on the wire: for a frame, its
// header and its whole payload, even if Wire was cut short to bound memory.
func (e Entry) WireLen() int64 {
	if e.Kind == KindFrame && len(e.Wire) >= 2 {
		return int64(protocol.HeaderSizeFrom(e.Wire[0], e.Wire[1])) + int64(e.Header.Length)
	}
	return int64(len(e.Wire))
}

// Decodable reports whether a compressed message (KindMessage) holds all
// of its compressed and inflated bytes and the window it started from, so
// that protocol.DecodeDeflate can take it apart. It does not when the
// observer reported sizes only (Options.ObserveHeadersOnly) or a store
// kept only a prefix (Note says so).
func (e Entry) Decodable() bool {
	m := e.Message
	return e.Kind == KindMessage && m != nil && e.Note == "" &&
		int64(len(m.Compressed)) == m.WireLen && int64(len(m.Inflated)) == m.InflatedLen
}

// FromEvent turns one observer event, seen by the endpoint role, into an
// entry. It reports false for an event it does not record. The entry's
// slices are the event's own: the observer contract makes them copies the
// receiver may keep.
func FromEvent(role protocol.Role, ev protocol.Event, start time.Time) (Entry, bool) {
	e := Entry{Tag: -1, At: max(0, ev.EventTime().Sub(start))}
	switch ev := ev.(type) {
	case *protocol.HandshakeEvent:
		e.Kind, e.Handshake, e.Dir = KindHandshake, ev, ServerToClient
		if ev.Request {
			e.Dir = ClientToServer
		}
	case *protocol.FrameEvent:
		e.Kind, e.Header, e.Violation, e.Unmasked = KindFrame, ev.Header, ev.Violation, ev.Unmasked
		e.Wire = append(ev.RawHeader[:len(ev.RawHeader):len(ev.RawHeader)], ev.Payload...)
		e.Dir = DirFrom(role, ev.Dir)
	case *protocol.RawEvent:
		e.Kind, e.Wire, e.Dir = KindRaw, ev.Bytes, DirFrom(role, protocol.Sent)
	case *protocol.MessageEvent:
		e.Kind, e.Dir, e.Unmasked, e.WireSize, e.Message = KindMessage, DirFrom(role, ev.Dir), ev.Inflated, ev.WireLen, ev
		e.Violation = ev.Violation // set only by a watcher, such as the proxy
		e.Header = protocol.Header{Fin: true, Opcode: ev.Opcode, Length: uint64(ev.InflatedLen)}
	case *protocol.ClosedEvent:
		// A close is filed under the endpoint it happened to: "→" for the
		// client's end, "←" for the server's, as the timeline shows it.
		e.Kind, e.Closed, e.Dir = KindClosed, ev, DirFrom(role, protocol.Sent)
	default:
		return Entry{}, false
	}
	return e, true
}
