package render

import (
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
