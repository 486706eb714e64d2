package protocol

import "fmt"

// Opcode is the 4-bit frame type in the low nibble of a frame's first byte.
//
// RFC 6455 §5.2 says of the opcode: "Defines the interpretation of the
// "Payload data".  If an unknown opcode is received, the receiving
// endpoint MUST _Fail the WebSocket Connection_."
//
// The opcode space is split in two halves by its top bit: 0x0-0x7 are data
// frames and 0x8-0xF are control frames. That is why [Opcode.IsControl]
// tests a single bit instead of listing opcodes.
type Opcode uint8

// The opcodes defined by RFC 6455 §5.2 and registered in §11.8. Every other
// value is reserved for future use.
const (
	OpContinuation Opcode = 0x0 // continues a fragmented message (§5.4)
	OpText         Opcode = 0x1 // first frame of a UTF-8 text message
	OpBinary       Opcode = 0x2 // first frame of a binary message
	OpClose        Opcode = 0x8 // starts or answers the closing handshake (§5.5.1)
	OpPing         Opcode = 0x9 // asks the peer for a pong (§5.5.2)
	OpPong         Opcode = 0xA // answers a ping, or is a unidirectional heartbeat (§5.5.3)
)

// IsControl reports whether the opcode belongs to a control frame. RFC 6455
// §5.5: "Control frames are identified by opcodes where the most significant
// bit of the opcode is 1."
func (op Opcode) IsControl() bool { return op&0x8 != 0 }

// IsData reports whether the opcode belongs to a data frame (text, binary,
// continuation or one of the reserved data opcodes 0x3-0x7).
func (op Opcode) IsData() bool { return op&0x8 == 0 }

// IsReserved reports whether the opcode has no meaning in RFC 6455: 0x3-0x7
// are "reserved for further non-control frames" and 0xB-0xF "for further
// control frames" (§5.2). An extension may give them a meaning; without one
// a receiver must fail the connection.
func (op Opcode) IsReserved() bool {
	switch op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return false
	}
	return true
}

// String returns the opcode's name as the RFC spells it, or "reserved 0xN".
func (op Opcode) String() string {
	switch op {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	if op.IsControl() {
		return fmt.Sprintf("reserved control 0x%X", uint8(op))
	}
	return fmt.Sprintf("reserved data 0x%X", uint8(op))
}

// MessageType is the type of a whole message: text or binary. It is the
// opcode of the message's first frame (§5.6).
type MessageType = Opcode

// The two message types of RFC 6455 §5.6.
const (
	TextMessage   MessageType = OpText
	BinaryMessage MessageType = OpBinary
)
