package sourcebook

import "strings"

// FieldKind says whether a [Field] is a bit field of the frame header or a
// header line of the opening handshake.
type FieldKind string

// The two kinds of marker, as written in the marker comment.
const (
	KindField  FieldKind = "field"
	KindHeader FieldKind = "header"
)

// Field is something a learner can select on screen and ask to see in the
// source: a frame header field or a handshake header.
type Field struct {
	ID      string    // the name used in markers and by callers, e.g. "FIN"
	Kind    FieldKind // field or header
	Title   string    // a short description for headings
	Section string    // the RFC 6455 section that defines it
}

// The frame header fields, in wire order (RFC 6455 §5.2), and the
// handshake headers, in the order a client sends them (§4.1), then the
// server's answer. These IDs are the ones markers use.
const (
	FieldFIN         = "FIN"
	FieldRSV1        = "RSV1"
	FieldRSV2        = "RSV2"
	FieldRSV3        = "RSV3"
	FieldOpcode      = "opcode"
	FieldMask        = "MASK"
	FieldPayloadLen  = "payload-len"
	FieldExtLen16    = "ext-len-16"
	FieldExtLen64    = "ext-len-64"
	FieldMaskingKey  = "masking-key"
	FieldPayload     = "payload"
	HeaderHost       = "Host"
	HeaderUpgrade    = "Upgrade"
	HeaderConnection = "Connection"
	HeaderKey        = "Sec-WebSocket-Key"
	HeaderVersion    = "Sec-WebSocket-Version"
	HeaderOrigin     = "Origin"
	HeaderProtocol   = "Sec-WebSocket-Protocol"
	HeaderExtensions = "Sec-WebSocket-Extensions"
	HeaderAccept     = "Sec-WebSocket-Accept"
)

// fields is the canonical list; [Fields] returns a copy.
var fields = []Field{
	{FieldFIN, KindField, "FIN: the last frame of a message", "5.2"},
	{FieldRSV1, KindField, "RSV1: reserved for extensions", "5.2"},
	{FieldRSV2, KindField, "RSV2: reserved for extensions", "5.2"},
	{FieldRSV3, KindField, "RSV3: reserved for extensions", "5.2"},
	{FieldOpcode, KindField, "opcode: the frame type", "5.2"},
	{FieldMask, KindField, "MASK: is the payload masked", "5.2"},
	{FieldPayloadLen, KindField, "payload length (7 bits)", "5.2"},
	{FieldExtLen16, KindField, "extended payload length (16 bits)", "5.2"},
	{FieldExtLen64, KindField, "extended payload length (64 bits)", "5.2"},
	{FieldMaskingKey, KindField, "masking key", "5.3"},
	{FieldPayload, KindField, "payload data and its masking", "5.3"},
	{HeaderHost, KindHeader, "Host header", "4.1"},
	{HeaderUpgrade, KindHeader, "Upgrade header", "4.1"},
	{HeaderConnection, KindHeader, "Connection header", "4.1"},
	{HeaderKey, KindHeader, "Sec-WebSocket-Key header", "4.1"},
	{HeaderVersion, KindHeader, "Sec-WebSocket-Version header", "4.1"},
	{HeaderOrigin, KindHeader, "Origin header", "10.2"},
	{HeaderProtocol, KindHeader, "Sec-WebSocket-Protocol header", "4.1"},
	{HeaderExtensions, KindHeader, "Sec-WebSocket-Extensions header", "9.1"},
	{HeaderAccept, KindHeader, "Sec-WebSocket-Accept header", "4.2.2"},
}

// Fields returns every field and header a marker may name, frame fields
// first in wire order.
func Fields() []Field { return append([]Field(nil), fields...) }

// LookupField returns the field with the given ID. IDs of headers match
// without regard to ASCII case, as HTTP header names do.
func LookupField(id string) (Field, bool) {
	for _, f := range fields {
		if f.ID == id || (f.Kind == KindHeader && strings.EqualFold(f.ID, id)) {
			return f, true
		}
	}
	return Field{}, false
}
