package protocol

import "fmt"

// Role says which end of a connection an endpoint is. The rules differ:
// clients mask, servers do not (§5.1), and servers close TCP first (§7.1.1).
type Role uint8

const (
	RoleClient Role = iota + 1
	RoleServer
)

func (r Role) String() string {
	switch r {
	case RoleClient:
		return "client"
	case RoleServer:
		return "server"
	}
	return "unknown role"
}

// Peer returns the other role.
func (r Role) Peer() Role {
	if r == RoleClient {
		return RoleServer
	}
	return RoleClient
}

// maxControlPayload is the largest payload of a control frame. RFC 6455
// §5.5: "All control frames MUST have a payload length of 125 bytes or less
// and MUST NOT be fragmented." 125 is the largest length the 7-bit field
// holds directly, so a control frame header is never longer than 6 bytes.
const maxControlPayload = 125

// Violation is a broken rule of RFC 6455, found in something that decoded
// fine. It says where the rule is written, which close code the receiver
// must answer with, and what was wrong, in one sentence.
type Violation struct {
	Section string // the RFC 6455 section that states the rule, e.g. "5.5"
	// RFC is the RFC that Section belongs to when it is not RFC 6455:
	// "7692" for the rules of permessage-deflate. Empty means 6455.
	RFC  string
	Code CloseCode // the close code to fail the connection with
	Msg  string    // what was wrong, e.g. "control frame payload is 126 bytes, at most 125 allowed"
	// Format and Args are what Msg was made from: Msg is
	// fmt.Sprintf(Format, Args...). A screen that speaks another language
	// looks its sentence up by Format and formats the same Args.
	Format string
	Args   []any
}

func (v *Violation) Error() string {
	rfc := v.RFC
	if rfc == "" {
		rfc = "6455"
	}
	return fmt.Sprintf("websocket: protocol violation, RFC %s §%s: %s (close %d)", rfc, v.Section, v.Msg, uint16(v.Code))
}

func violationf(section string, code CloseCode, format string, args ...any) *Violation {
	return &Violation{Section: section, Code: code, Msg: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// State is what a receiver knows when a header arrives: who it is, whether
// a fragmented message is in progress, which extensions are in force and
// how big a message may grow.
type State struct {
	// Role is the endpoint receiving the frame.
	Role Role
	// InMessage is true between the first frame of a fragmented message
	// (a data frame with FIN clear) and the frame with FIN set.
	InMessage bool
	// AllowedRSV holds the reserved bits that a negotiated extension gives a
	// meaning, as they sit in the first header byte (0x40 for RSV1). Zero
	// without extensions.
	AllowedRSV byte
	// MessageLimit is the largest message accepted, in bytes; 0 means no
	// limit. MessageSoFar is how many bytes of the current message arrived
	// in earlier frames.
	MessageLimit int64
	MessageSoFar int64
	// Deflate is true when permessage-deflate is in force (RFC 7692):
	// AllowedRSV then includes RSV1, but only on the first frame of a
	// data message (see checkDeflateRSV).
	Deflate bool
}

// CheckHeader judges a decoded header against the receiver's state and
// returns the first rule it breaks, or nil. The checks run in the order a
// careful reader of §5.2 would apply them: bits, opcode, mask, length,
// then the fragmentation and control-frame rules, then the size limit.
func CheckHeader(h Header, st State) *Violation {
	// 1. RFC 6455 §5.2: RSV1-3 "MUST be 0 unless an extension is negotiated
	// that defines meanings for non-zero values. If a nonzero value is
	// received and none of the negotiated extensions defines the meaning of
	// such a nonzero value, the receiving endpoint MUST _Fail the WebSocket
	// Connection_." permessage-deflate gives RSV1 a meaning on the first
	// frame of a data message only (RFC 7692 §6).
	if v := checkDeflateRSV(h, st); v != nil {
		return v
	}
	for i, set := range [3]bool{h.Rsv1, h.Rsv2, h.Rsv3} {
		bit := byte(bitRsv1 >> i)
		if set && st.AllowedRSV&bit == 0 {
			return violationf("5.2", CloseProtocolError, "RSV%d is set but no extension was negotiated that defines it", i+1)
		}
	}
	// 2. §5.2: "If an unknown opcode is received, the receiving endpoint
	// MUST _Fail the WebSocket Connection_."
	if h.Opcode.IsReserved() {
		return violationf("5.2", CloseProtocolError, "opcode 0x%X is reserved", uint8(h.Opcode))
	}
	// 3. §5.1: "The server MUST close the connection upon receiving a frame
	// that is not masked" and "A client MUST close a connection if it
	// detects a masked frame."
	if st.Role == RoleServer && !h.Masked {
		return violationf("5.1", CloseProtocolError, "frame from the client is not masked; a client must mask every frame")
	}
	if st.Role == RoleClient && h.Masked {
		return violationf("5.1", CloseProtocolError, "frame from the server is masked; a server must not mask")
	}
	// 4. §5.2: "the most significant bit MUST be 0" in the 64-bit length,
	// so that every length fits in a signed 64-bit integer.
	if h.Length>>63 != 0 {
		return violationf("5.2", CloseProtocolError, "64-bit payload length has its most significant bit set")
	}
	// 5. §5.2: "the minimal number of bytes MUST be used to encode the
	// length". A 16-bit field holding 5 is a different byte string for the
	// same frame, which a strict receiver refuses.
	if h.LengthForm != LengthAuto && h.LengthForm != MinimalLengthForm(h.Length) {
		return violationf("5.2", CloseProtocolError, "payload length %d is sent in the %s form; the minimal form is %s",
			h.Length, h.LengthForm, MinimalLengthForm(h.Length))
	}
	if h.Opcode.IsControl() {
		// 6. §5.5: control frames "MUST NOT be fragmented" and carry at
		// most 125 bytes, so that they can be injected between fragments
		// of a message and handled at once.
		if !h.Fin {
			return violationf("5.5", CloseProtocolError, "%s frame has FIN clear: control frames must not be fragmented", h.Opcode)
		}
		if h.Length > maxControlPayload {
			return violationf("5.5", CloseProtocolError, "control frame payload is %d bytes, at most %d allowed", h.Length, maxControlPayload)
		}
		return nil
	}
	// 7. §5.4: fragments of one message arrive in order, and "The fragments
	// of one message MUST NOT be interleaved between the fragments of
	// another message unless an extension has been negotiated that can
	// interpret the interleaving." No extension this codec speaks does, so
	// a continuation needs a message in progress, and a new text or binary
	// frame needs none.
	if h.Opcode == OpContinuation && !st.InMessage {
		return violationf("5.4", CloseProtocolError, "continuation frame with no message in progress")
	}
	if h.Opcode != OpContinuation && st.InMessage {
		return violationf("5.4", CloseProtocolError, "new %s frame while a fragmented message is still in progress", h.Opcode)
	}
	// 8. §10.4: "Such an implementation SHOULD impose a limit on frame
	// sizes and the total message size after reassembly". Checking the
	// length field here rejects a huge claim before any buffer exists.
	if st.MessageLimit > 0 && h.Length > uint64(st.MessageLimit-st.MessageSoFar) {
		return violationf("10.4", CloseMessageTooBig, "message would be %d bytes, more than the limit of %d",
			uint64(st.MessageSoFar)+h.Length, st.MessageLimit)
	}
	return nil
}
