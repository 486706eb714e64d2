package views

import (
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// CodeTarget is the sourcebook ID that s (see the code) opens for entry e
// shown with fv and hv: the selected field (the hex cursor always selects
// the field of its byte) or header, else the first one the entry has. ok
// is false when e has no code link (a note, a closed connection, bytes too
// short for a header). Every screen that dissects entries opens the
// source reader at this ID.
func CodeTarget(e capture.Entry, fv FrameView, hv HandshakeView) (id string, ok bool) {
	switch e.Kind {
	case capture.KindHandshake:
		hs := render.HeaderSources(e.Handshake.Raw)
		for _, h := range hs {
			if h.ID == hv.Header {
				return h.ID, true
			}
		}
		if len(hs) > 0 {
			return hs[0].ID, true
		}
	case capture.KindFrame, capture.KindRaw:
		f := render.ParseFrame(e.Wire)
		fl := fv.Field
		if s, en := f.Span(fl); en <= s {
			fields := f.Fields()
			if len(fields) == 0 {
				return "", false
			}
			fl = fields[0]
		}
		return f.SourceID(fl), true
	}
	return "", false
}

// CanMoveByte reports whether MoveByte(e, d) would move the hex cursor:
// a screen offers [ and ] only when they do something.
func (v FrameView) CanMoveByte(e capture.Entry, d int) bool {
	n := min(len(e.Wire), render.HexLimit)
	if n == 0 {
		return false
	}
	return max(0, min(v.Cursor+d, n-1)) != v.Cursor
}
