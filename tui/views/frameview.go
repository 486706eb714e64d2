package views

import (
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// FrameView owns the dissection of the selected frame and the linked
// selection between the bit grid (a field) and the hex dump (a byte):
// choosing a field puts the hex cursor on its first byte, and moving the
// hex cursor selects the field of the byte under it.
type FrameView struct {
	Field  render.Field
	Cursor int // byte under the hex cursor, -1 for none
}

func NewFrameView() FrameView { return FrameView{Cursor: -1} }

// Reset keeps the selected field if the new frame has it.
func (v *FrameView) Reset(e capture.Entry) {
	f := render.ParseFrame(e.Wire)
	if s, en := f.Span(v.Field); en <= s {
		v.Field, v.Cursor = render.FieldNone, -1
		return
	}
	v.Cursor, _ = f.Span(v.Field)
}

// NextField moves the field selection by d through the frame's fields.
func (v *FrameView) NextField(e capture.Entry, d int) {
	fields := render.ParseFrame(e.Wire).Fields()
	if len(fields) == 0 {
		return
	}
	i := -1
	for j, fl := range fields {
		if fl == v.Field {
			i = j
		}
	}
	i = Step(i, d, len(fields))
	v.Field = fields[i]
	v.Cursor, _ = render.ParseFrame(e.Wire).Span(v.Field)
}

// MoveByte moves the hex cursor by d and selects the field of its byte.
func (v *FrameView) MoveByte(e capture.Entry, d int) {
	f := render.ParseFrame(e.Wire)
	n := min(len(e.Wire), render.HexLimit)
	if n == 0 {
		return
	}
	v.Cursor = max(0, min(v.Cursor+d, n-1))
	if v.Field != render.FieldNone && f.InField(v.Cursor, v.Field) {
		return // FIN, RSV and opcode share byte 0: keep the one chosen
	}
	switch fl := f.ByteField(v.Cursor); fl {
	case render.FieldOpcode:
		v.Field = render.FieldFIN
	case render.FieldLen:
		v.Field = render.FieldMask
	default:
		v.Field = fl
	}
}

// View renders the frame's dissection.
// With code set, it says what the code key would open.
func (v FrameView) View(e capture.Entry, t render.Theme, width int, code bool) string {
	o := Options{Theme: t, Width: width, Field: v.Field, Cursor: v.Cursor}
	if code {
		o.CodeKey = CodeKey
	}
	return Dissect(e, o)
}

// HandshakeView renders one half of the opening handshake: each line with
// its rule and, for the response, the accept computation step by step.
// tab and shift+tab move a cursor through the headers the source reader
// has code for.
type HandshakeView struct {
	Header string // the selected header's sourcebook ID, or ""
}

// Reset keeps the selected header if the new entry is a handshake that
// has it.
func (v *HandshakeView) Reset(e capture.Entry) {
	if e.Kind != capture.KindHandshake {
		v.Header = ""
		return
	}
	for _, h := range render.HeaderSources(e.Handshake.Raw) {
		if h.ID == v.Header {
			return
		}
	}
	v.Header = ""
}

// CanPick reports whether e is a handshake with a header tab can pick:
// one the source reader has code for.
func (v HandshakeView) CanPick(e capture.Entry) bool {
	return e.Kind == capture.KindHandshake && e.Handshake != nil && len(render.HeaderSources(e.Handshake.Raw)) > 0
}

// NextHeader moves the header cursor of handshake e by d through the
// headers the source reader has code for, in the order they were sent,
// round from the last to the first; with none picked, tab (d > 0) picks
// the first and shift+tab the last, as [FrameView.NextField] does with a
// frame's fields.
func (v *HandshakeView) NextHeader(e capture.Entry, d int) {
	if !v.CanPick(e) {
		return
	}
	hs := render.HeaderSources(e.Handshake.Raw)
	i := -1
	for j, h := range hs {
		if h.ID == v.Header {
			i = j
		}
	}
	i = Step(i, d, len(hs))
	v.Header = hs[i].ID
}

func (v HandshakeView) View(e capture.Entry, t render.Theme, width int, code bool) string {
	o := Options{Theme: t, Width: width, Cursor: -1, Header: v.Header}
	if code {
		o.CodeKey = CodeKey
	}
	return Dissect(e, o)
}

// CodeKey is the key that opens the source reader and FieldKey the key
// that picks the next field or header, as the dissection's hints name
// them: the shared key map's (package tui/keymap), which every screen
// that shows the hints binds.
var (
	CodeKey  = keymap.New("en").Source.Help().Key
	FieldKey = keymap.New("en").Field.Help().Key
)

// Step returns the index d steps from i round a ring of n items (n > 0),
// as tab and shift+tab move a pick: with nothing picked yet (i < 0), a
// step forward picks the first and a step back the last.
func Step(i, d, n int) int {
	switch {
	case i < 0 && d < 0:
		return n - 1
	case i < 0:
		return 0
	default:
		return ((i+d)%n + n) % n
	}
}
