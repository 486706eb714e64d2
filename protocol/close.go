package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// CloseCode is a status code carried in a close frame, RFC 6455 §7.4.
type CloseCode uint16

// The status codes defined by RFC 6455 §7.4.1 and the IANA registry (§11.7).
// Codes marked "never on the wire" stand for situations, not messages: an
// endpoint reports them to its application but must not put them in a
// close frame.
const (
	CloseNormal            CloseCode = 1000 // the purpose of the connection was fulfilled
	CloseGoingAway         CloseCode = 1001 // server going down, or browser leaving the page
	CloseProtocolError     CloseCode = 1002 // the peer broke the protocol
	CloseUnsupportedData   CloseCode = 1003 // a data type the endpoint cannot accept
	closeReserved1004      CloseCode = 1004 // reserved; meaning may be defined later
	CloseNoStatusReceived  CloseCode = 1005 // never on the wire: a close frame had no code
	CloseAbnormalClosure   CloseCode = 1006 // never on the wire: TCP closed without a close frame
	CloseInvalidPayload    CloseCode = 1007 // data inconsistent with the message type (bad UTF-8)
	ClosePolicyViolation   CloseCode = 1008 // a message that violates the endpoint's policy; the generic code
	CloseMessageTooBig     CloseCode = 1009 // a message too big to process
	CloseMandatoryExt      CloseCode = 1010 // client: the server did not negotiate a needed extension
	CloseInternalError     CloseCode = 1011 // server: an unexpected condition
	CloseServiceRestart    CloseCode = 1012 // IANA registry: service restart
	CloseTryAgainLater     CloseCode = 1013 // IANA registry: try again later
	CloseBadGateway        CloseCode = 1014 // IANA registry: bad gateway
	CloseTLSHandshakeError CloseCode = 1015 // never on the wire: the TLS handshake failed
)

// String returns the code's number and name, for instance
// "1002 (protocol error)".
func (c CloseCode) String() string { return fmt.Sprintf("%d (%s)", uint16(c), c.Name()) }

// Name returns the code's name, for instance "protocol error": the one
// §7.4.1 or the IANA registry gives it, or for an undefined code the
// §7.4.2 range it falls in. Screens in other languages translate it.
func (c CloseCode) Name() string {
	name := ""
	switch c {
	case CloseNormal:
		name = "normal closure"
	case CloseGoingAway:
		name = "going away"
	case CloseProtocolError:
		name = "protocol error"
	case CloseUnsupportedData:
		name = "unsupported data"
	case closeReserved1004:
		name = "reserved"
	case CloseNoStatusReceived:
		name = "no status received"
	case CloseAbnormalClosure:
		name = "abnormal closure"
	case CloseInvalidPayload:
		name = "invalid frame payload data"
	case ClosePolicyViolation:
		name = "policy violation"
	case CloseMessageTooBig:
		name = "message too big"
	case CloseMandatoryExt:
		name = "mandatory extension"
	case CloseInternalError:
		name = "internal error"
	case CloseServiceRestart:
		name = "service restart"
	case CloseTryAgainLater:
		name = "try again later"
	case CloseBadGateway:
		name = "bad gateway"
	case CloseTLSHandshakeError:
		name = "TLS handshake failure"
	default:
		switch {
		case c < 1000:
			name = "not used"
		case c < 3000:
			name = "reserved for the protocol"
		case c < 4000:
			// §7.4.2: "reserved for use by libraries, frameworks, and
			// applications", codes "registered directly with IANA" (no RFC
			// needed), so a number in the range says nothing about
			// whether it is registered.
			name = "library or framework use"
		case c < 5000:
			name = "private use"
		default:
			name = "out of range"
		}
	}
	return name
}

// ValidOnWire reports whether a close frame may carry the code. This is the
// rule a receiver applies (§7.4):
//
//   - 0-999 are "not used" (§7.4.2);
//   - 1000-2999 are for this protocol and its extensions: only the codes
//     defined so far may appear, and 1004, 1005, 1006 and 1015 never may
//     (1005, 1006 and 1015 are "designated for use in applications
//     expecting a status code to indicate" a situation, §7.4.1);
//   - 3000-3999 are for libraries, frameworks and applications (which
//     register them with IANA) and 4000-4999 are private; both are
//     allowed;
//   - 5000 and above are outside every range the RFC defines.
func (c CloseCode) ValidOnWire() bool {
	switch {
	case c >= 3000 && c <= 4999:
		return true
	case c >= 1000 && c <= 1014:
		return c != closeReserved1004 && c != CloseNoStatusReceived && c != CloseAbnormalClosure
	}
	return false
}

// wireRule says, for a code that [CloseCode.ValidOnWire] refuses, which
// section puts it off the wire and why, as a format for the code. Two
// sections share the rule, and they say different things: §7.4.1 forbids
// sending 1005, 1006 and 1015 ("MUST NOT be set as a status code in a Close
// control frame by an endpoint") and only reserves 1004; §7.4.2 leaves
// 0-999 unused, keeps the undefined codes of 1000-2999 for future
// specifications, and defines nothing past 4999.
func (c CloseCode) wireRule() (section, format string) {
	switch {
	case c == CloseNoStatusReceived || c == CloseAbnormalClosure || c == CloseTLSHandshakeError:
		return "7.4.1", "close code %d MUST NOT be set in a close frame: it only reports a situation to the application"
	case c == closeReserved1004:
		return "7.4.1", "close code %d is reserved: no meaning is defined for it yet"
	case c < 1000:
		return "7.4.2", "close code %d is in 0-999, a range that is not used"
	case c < 3000:
		return "7.4.2", "close code %d is in 1000-2999, kept for future specifications, and none defines it yet"
	}
	return "7.4.2", "close code %d is above 4999, outside every range the RFC defines"
}

// MaxCloseReason is the longest reason a close frame can carry: a control
// frame holds at most 125 bytes (§5.5), two of which are the code.
const MaxCloseReason = maxControlPayload - 2

// ParseClosePayload decodes the body of a close frame. RFC 6455 §5.5.1: "If
// there is a body, the first two bytes of the body MUST be a 2-byte unsigned
// integer (in network byte order) representing a status code", followed by
// a reason that is UTF-8.
//
// An empty body is allowed and means "no status code": the result is
// [CloseNoStatusReceived], which the receiver reports but never sends. Any
// other problem is returned as a [*Violation].
func ParseClosePayload(p []byte) (code CloseCode, reason string, v *Violation) {
	switch {
	case len(p) == 0:
		return CloseNoStatusReceived, "", nil
	case len(p) == 1:
		return 0, "", violationf("5.5.1", CloseProtocolError,
			"close frame payload is 1 byte: a status code needs 2")
	}
	code = CloseCode(binary.BigEndian.Uint16(p))
	if !code.ValidOnWire() {
		section, format := code.wireRule()
		return code, "", violationf(section, CloseProtocolError, format, uint16(code))
	}
	// The reason "is not guaranteed to be human readable" but it is UTF-8
	// (§5.5.1), and §8.1 says what to do when UTF-8 is not: "_Fail the
	// WebSocket Connection_", with 1007 (§7.4.1).
	if !utf8.Valid(p[2:]) {
		return code, "", violationf("8.1", CloseInvalidPayload,
			"close reason is not valid UTF-8")
	}
	return code, string(p[2:]), nil
}

// AppendClosePayload appends the body of a close frame carrying code and
// reason. It refuses a code that may not go on the wire and a reason that
// does not fit in a control frame or is not UTF-8, so that our side never
// sends what it would reject from a peer.
func AppendClosePayload(dst []byte, code CloseCode, reason string) ([]byte, error) {
	if code == CloseNoStatusReceived && reason == "" {
		return dst, nil // an empty close frame is the way to say "no code"
	}
	if !code.ValidOnWire() {
		section, format := code.wireRule()
		return dst, fmt.Errorf("websocket: cannot send: "+format+" (§%s)", uint16(code), section)
	}
	if len(reason) > MaxCloseReason {
		return dst, fmt.Errorf("websocket: close reason is %d bytes, at most %d fit in a control frame (§5.5)", len(reason), MaxCloseReason)
	}
	if !utf8.ValidString(reason) {
		return dst, errors.New("websocket: close reason is not valid UTF-8 (§5.5.1)")
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(code))
	return append(dst, reason...), nil
}

// CloseError is the error a read returns once the peer has closed the
// connection: the code and reason from its close frame. A connection that
// ended without a close frame reports [CloseAbnormalClosure] (1006).
type CloseError struct {
	Code   CloseCode
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("websocket: closed with %s", e.Code)
	}
	return fmt.Sprintf("websocket: closed with %s: %q", e.Code, e.Reason)
}

// CloseStatus returns the close code carried by err, if err is or wraps a
// [*CloseError].
func CloseStatus(err error) (CloseCode, bool) {
	var ce *CloseError
	if errors.As(err, &ce) {
		return ce.Code, true
	}
	return 0, false
}
