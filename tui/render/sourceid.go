package render

import (
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// SourceID is the annotated source reader's ID for field fl of frame f: the
// code that encodes and decodes it is marked with that ID in protocol/. The
// extended length is the 16- or the 64-bit one, as the frame's length form
// says. It returns "" for FieldNone.
func (f Frame) SourceID(fl Field) string {
	switch fl {
	case FieldFIN:
		return sourcebook.FieldFIN
	case FieldRSV1:
		return sourcebook.FieldRSV1
	case FieldRSV2:
		return sourcebook.FieldRSV2
	case FieldRSV3:
		return sourcebook.FieldRSV3
	case FieldOpcode:
		return sourcebook.FieldOpcode
	case FieldMask:
		return sourcebook.FieldMask
	case FieldLen:
		return sourcebook.FieldPayloadLen
	case FieldExtLen:
		if f.Header.LengthForm == protocol.Length64Bit {
			return sourcebook.FieldExtLen64
		}
		return sourcebook.FieldExtLen16
	case FieldMaskKey:
		return sourcebook.FieldMaskingKey
	case FieldPayload:
		return sourcebook.FieldPayload
	}
	return ""
}

// HeaderSource is a line of a handshake head whose header has code marked
// in protocol/, so the source reader can open it.
type HeaderSource struct {
	ID   string // the source reader's ID, e.g. "Sec-WebSocket-Key"
	Line string // the header line as sent
}

// HeaderSources returns the lines of the handshake head raw whose headers
// the source reader has code for, in the order they were sent.
func HeaderSources(raw []byte) []HeaderSource {
	var out []HeaderSource
	for i, l := range AnnotateHandshake(raw) {
		name, _, ok := strings.Cut(l.Text, ":")
		if i == 0 || !ok { // the request or status line is no header
			continue
		}
		if fd, ok := sourcebook.LookupField(strings.TrimSpace(name)); ok && fd.Kind == sourcebook.KindHeader {
			out = append(out, HeaderSource{ID: fd.ID, Line: l.Text})
		}
	}
	return out
}
