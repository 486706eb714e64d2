package capture

import (
	"bufio"
	"bytes"
	"net/http"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// State is where a connection is in its life (RFC 6455 §4 and §7).
type State uint8

const (
	StateHandshake State = iota + 1 // the opening handshake is under way
	StateOpen                       // 101 sent: frames flow (§4.2.2)
	StateClosing                    // a close frame went one way (§7.1.2)
	StateClosed                     // the TCP connection ended (§7.1.1)
	StateRefused                    // the handshake was answered with an error status
)

func (s State) String() string {
	switch s {
	case StateHandshake:
		return "handshake"
	case StateOpen:
		return "open"
	case StateClosing:
		return "closing"
	case StateClosed:
		return "closed"
	case StateRefused:
		return "refused"
	}
	return "?"
}

// CloseFrame is a close frame that went one way: its code and reason, as
// §7.1.5 and §7.1.6 name them. Code is 1005 for a close frame without a
// code (§7.4.1).
type CloseFrame struct {
	Seen   bool
	Code   protocol.CloseCode
	Reason string
}

// Conn summarises one connection from its entries (and, for a connection a
// source ended itself, from [Recorder.End]). It covers every entry, also
// those a bounded store no longer keeps.
type Conn struct {
	ID     int
	Peer   string // the client's address, as the source knows it
	Source string // a short name for where it is seen, such as "serve" or "proxy"

	// From the opening handshake.
	Path              string
	Origin            string
	OfferedProtocols  string // Sec-WebSocket-Protocol of the request, as sent
	OfferedExtensions string // Sec-WebSocket-Extensions of the request, as sent
	Subprotocol       string // the one the server chose, or ""
	Extensions        string // what the server agreed to, or ""
	Status            int    // the response status: 101, or the refusal's
	Request, Response *protocol.HandshakeEvent

	State  State
	Frames [2]int   // frames each way, indexed by [Dir.Index]
	Bytes  [2]int64 // bytes on the wire each way, headers included
	// Close holds the close frame that went each way, indexed by
	// [Dir.Index].
	Close [2]CloseFrame
	// TCPFirst is the endpoint that closed TCP first (§7.1.1: the server
	// should), or 0 while the connection lasts.
	TCPFirst  protocol.Role
	Violation *protocol.Violation // the first rule a frame broke, if any
	Err       string              // why the connection ended, if not cleanly
	Started   time.Time
	Ended     time.Time

	// deflating[i] says that the first frame of a compressed message
	// (RSV1 set, RFC 7692 §6) went direction i and its message has not
	// been reported yet: the frames that carried the message are
	// counted already.
	deflating [2]bool
}

// Index is d as an index into a Conn's per-direction arrays: 0 for client
// to server, 1 for server to client.
func (d Dir) Index() int { return d.index() }

// Apply updates the summary with one entry of this connection.
func (c *Conn) Apply(e Entry) {
	switch e.Kind {
	case KindHandshake:
		h := e.Handshake
		if h.Request {
			c.Request = h
			c.State = StateHandshake
			if req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(h.Raw))); err == nil {
				c.Path = req.URL.RequestURI()
				c.Origin = req.Header.Get("Origin")
				c.OfferedProtocols = joinHeader(req.Header, "Sec-WebSocket-Protocol")
				c.OfferedExtensions = joinHeader(req.Header, "Sec-WebSocket-Extensions")
			}
			return
		}
		c.Response = h
		if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(h.Raw)), nil); err == nil {
			resp.Body.Close()
			c.Status = resp.StatusCode
			c.Subprotocol = resp.Header.Get("Sec-WebSocket-Protocol")
			c.Extensions = joinHeader(resp.Header, "Sec-WebSocket-Extensions")
		}
		if h.Err != nil || c.Status != http.StatusSwitchingProtocols {
			c.State = StateRefused
			if h.Err != nil {
				c.Err = h.Err.Error()
			}
			return
		}
		c.State = StateOpen
	case KindFrame, KindRaw:
		i := e.Dir.index()
		c.Bytes[i] += e.WireLen()
		if e.Kind == KindRaw {
			return
		}
		c.Frames[i]++
		if e.Header.Rsv1 && (e.Header.Opcode == protocol.OpText || e.Header.Opcode == protocol.OpBinary) {
			c.deflating[i] = true
		}
		if e.Violation != nil && c.Violation == nil {
			c.Violation = e.Violation
		}
		if e.Header.Opcode == protocol.OpClose && e.Violation == nil && !c.Close[i].Seen {
			code, reason, _ := protocol.ParseClosePayload(e.Unmasked)
			if len(e.Unmasked) < 2 {
				code = protocol.CloseNoStatusReceived
			}
			c.Close[i] = CloseFrame{Seen: true, Code: code, Reason: reason}
			if c.State == StateOpen {
				c.State = StateClosing
			}
		}
	case KindMessage:
		// On the wire a message is one or more frames (§1.2). A source
		// that records frames records a compressed message's frames
		// before the message; a message reported alone still came in at
		// least one frame, with WireSize payload bytes, so that the
		// connection does not read "0 frames" beside its message.
		i := e.Dir.index()
		if !c.deflating[i] {
			c.Frames[i]++
			c.Bytes[i] += e.WireSize
		}
		c.deflating[i] = false
		// A watcher's flag on an inflated message (data that does not
		// inflate, a bomb, text that is not UTF-8) is the connection's
		// first broken rule as much as a frame's.
		if e.Violation != nil && c.Violation == nil {
			c.Violation = e.Violation
		}
	case KindClosed:
		if c.State != StateRefused {
			c.State = StateClosed
		}
		if c.Ended.IsZero() {
			c.Ended = e.Closed.Time
		}
		if c.TCPFirst == 0 {
			me := e.Dir.Sender()
			if e.Closed.ClosedTCPFirst {
				c.TCPFirst = me
			} else {
				c.TCPFirst = me.Peer()
			}
		}
		if e.Closed.Err != nil && c.Err == "" {
			c.Err = e.Closed.Err.Error()
		}
	}
}

// joinHeader returns every value of a header field, joined with ", " as
// RFC 9110 §5.3 allows for a list-valued field.
func joinHeader(h http.Header, name string) string {
	vs := h.Values(name)
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return vs[0]
	}
	var b bytes.Buffer
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v)
	}
	return b.String()
}
