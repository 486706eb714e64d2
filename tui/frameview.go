package tui

import (
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// frameView owns the dissection of the selected frame and the linked
// selection between the bit grid (a field) and the hex dump (a byte):
// choosing a field puts the hex cursor on its first byte, and moving the
// hex cursor selects the field of the byte under it.
type frameView struct {
	field  render.Field
	cursor int // byte under the hex cursor, -1 for none
}

func newFrameView() frameView { return frameView{cursor: -1} }

// Reset keeps the selected field if the new frame has it.
func (v *frameView) Reset(e capture.Entry) {
	f := render.ParseFrame(e.Wire)
	if s, en := f.Span(v.field); en <= s {
		v.field, v.cursor = render.FieldNone, -1
		return
	}
	v.cursor, _ = f.Span(v.field)
}

// NextField moves the field selection by d through the frame's fields.
func (v *frameView) NextField(e capture.Entry, d int) {
	fields := render.ParseFrame(e.Wire).Fields()
	if len(fields) == 0 {
		return
	}
	i := -1
	for j, fl := range fields {
		if fl == v.field {
			i = j
		}
	}
	switch {
	case i < 0 && d < 0:
		i = len(fields) - 1
	case i < 0:
		i = 0
	default:
		i = (i + d + len(fields)) % len(fields)
	}
	v.field = fields[i]
	v.cursor, _ = render.ParseFrame(e.Wire).Span(v.field)
}

// MoveByte moves the hex cursor by d and selects the field of its byte.
func (v *frameView) MoveByte(e capture.Entry, d int) {
	f := render.ParseFrame(e.Wire)
	n := min(len(e.Wire), render.HexLimit)
	if n == 0 {
		return
	}
	v.cursor = max(0, min(v.cursor+d, n-1))
	if v.field != render.FieldNone && f.InField(v.cursor, v.field) {
		return // FIN, RSV and opcode share byte 0: keep the one chosen
	}
	switch fl := f.ByteField(v.cursor); fl {
	case render.FieldOpcode:
		v.field = render.FieldFIN
	case render.FieldLen:
		v.field = render.FieldMask
	default:
		v.field = fl
	}
}

// View renders the frame's dissection.
// With code set, it says what the code key would open.
func (v frameView) View(e capture.Entry, t render.Theme, width int, code bool) string {
	o := dissectOptions{theme: t, width: width, field: v.field, cursor: v.cursor}
	if code {
		o.codeKey = codeKey
	}
	return dissect(e, o)
}

// handshakeView renders one half of the opening handshake: each line with
// its rule and, for the response, the accept computation step by step.
// tab and shift+tab move a cursor through the headers the source reader
// has code for.
type handshakeView struct {
	header string // the selected header's sourcebook ID, or ""
}

// Reset keeps the selected header if the new entry is a handshake that
// has it.
func (v *handshakeView) Reset(e capture.Entry) {
	if e.Kind != capture.KindHandshake {
		v.header = ""
		return
	}
	for _, h := range render.HeaderSources(e.Handshake.Raw) {
		if h.ID == v.header {
			return
		}
	}
	v.header = ""
}

func (v handshakeView) View(e capture.Entry, t render.Theme, width int, code bool) string {
	o := dissectOptions{theme: t, width: width, cursor: -1, header: v.header}
	if code {
		o.codeKey = codeKey
	}
	return dissect(e, o)
}

// codeKey is the key that opens the source reader, as the dissection
// names it.
const codeKey = "s"
