package views

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// EntryTitle is the one-line title of an entry, used above its dissection.
func EntryTitle(e capture.Entry) string {
	who := "client → server"
	if e.Dir == capture.ServerToClient {
		who = "server → client"
	}
	switch e.Kind {
	case capture.KindHandshake:
		if e.Handshake.Request {
			return fmt.Sprintf("#%d · %s · opening handshake request", e.Seq, who)
		}
		return fmt.Sprintf("#%d · %s · opening handshake response", e.Seq, who)
	case capture.KindFrame:
		fin := "FIN"
		if !e.Header.Fin {
			fin = "no FIN"
		}
		s := fmt.Sprintf("#%d · %s · %s · %s · %d bytes on the wire", e.Seq, who, e.Header.Opcode, fin, e.WireLen())
		if e.Violation != nil {
			s += " · REFUSED"
		}
		return s
	case capture.KindRaw:
		return fmt.Sprintf("#%d · %s · %d bytes written by hand (raw frame lab)", e.Seq, who, len(e.Wire))
	case capture.KindRead:
		return fmt.Sprintf("#%d · %s · one read of %d bytes from TCP", e.Seq, who, len(e.Wire))
	case capture.KindMessage:
		s := fmt.Sprintf("#%d · %s · compressed %s message · %d bytes on the wire, %d inflated", e.Seq, who, e.Header.Opcode, e.WireSize, e.Header.Length)
		if e.Violation != nil {
			s += " · REFUSED"
		}
		return s
	case capture.KindClosed:
		return fmt.Sprintf("#%d · %s", e.Seq, ClosedText(e))
	}
	return fmt.Sprintf("#%d · %s", e.Seq, e.Note)
}

// ClosedText describes the end of one endpoint's TCP connection.
func ClosedText(e capture.Entry) string {
	role := "client"
	if e.Dir == capture.ServerToClient {
		role = "server"
	}
	c := e.Closed
	first := "after the peer closed it"
	if c.ClosedTCPFirst {
		first = "first"
	}
	s := fmt.Sprintf("%s closed TCP %s", role, first)
	// What each side said before the end: the close frame this endpoint
	// received (1006 when none came) and the one it sent.
	if c.Code == protocol.CloseAbnormalClosure {
		s += "; received no close frame (1006, abnormal closure)"
	} else {
		s += fmt.Sprintf("; received close %s", c.Code)
		if c.Reason != "" {
			s += fmt.Sprintf(" %q", c.Reason)
		}
	}
	switch c.SentCode {
	case 0:
		s += "; sent no close frame"
	case protocol.CloseNoStatusReceived:
		s += "; sent a close frame with no code"
	default:
		s += fmt.Sprintf("; sent close %s", c.SentCode)
	}
	if c.Err != nil {
		s += " (" + c.Err.Error() + ")"
	}
	return s
}

// frameSender is the role that sent a frame entry.
func frameSender(e capture.Entry) protocol.Role {
	if e.Dir == capture.ServerToClient {
		return protocol.RoleServer
	}
	return protocol.RoleClient
}

// Options say how much of a dissection to draw.
type Options struct {
	Theme  render.Theme
	Width  int
	Field  render.Field // selected field, or FieldNone
	Cursor int          // hex cursor, or -1
	Header string       // selected handshake header (sourcebook ID), or ""
	// CodeKey, if set, is the key that opens the source reader: the
	// dissection then says what it would show ("s: see the code for FIN").
	CodeKey string
}

// Dissect renders an entry in full: a handshake with its annotations, a
// frame with its bit grid, fields, hex dump, unmasking and explanation.
func Dissect(e capture.Entry, o Options) string {
	t := o.Theme
	var b strings.Builder
	section := func(name string) {
		b.WriteString("\n" + t.Heading("── "+name+" "+strings.Repeat("─", max(0, min(o.Width, 80)-len(name)-5))) + "\n")
	}
	switch e.Kind {
	case capture.KindHandshake:
		hs := e.Handshake
		head := render.Handshake(hs.Raw, t, o.Width)
		if o.CodeKey != "" {
			head = markHeader(head, hs.Raw, o)
		}
		b.WriteString(head)
		if hs.Err != nil {
			b.WriteString("\n" + t.Bad("refused: "+hs.Err.Error()))
		}
		if ext := extensionsSection(hs, o.Width); ext != "" {
			section("Sec-WebSocket-Extensions: permessage-deflate (RFC 7692)")
			b.WriteString(ext)
		}
		if hs.Accept != nil {
			section("Sec-WebSocket-Accept, step by step")
			b.WriteString(render.AcceptStepsFor(*hs.Accept, render.HeaderValue(hs.Raw, "Sec-WebSocket-Accept"), t, o.Width))
		}
	case capture.KindFrame, capture.KindRaw:
		f := render.ParseFrame(e.Wire)
		if e.Kind == capture.KindFrame && len(e.Unmasked) > 0 {
			f.Unmasked = e.Unmasked
		}
		// A captured frame with RSV1 that the codec accepted (or sent)
		// carries permessage-deflate's bit: the codec refuses RSV1 unless
		// an extension that defines it was agreed (§5.2), and RFC 7692
		// §6.1 puts it on the first frame of a data message only.
		f.Compressed = e.Kind == capture.KindFrame && e.Header.Rsv1 && e.Violation == nil && e.Header.Opcode.IsData() && e.Header.Opcode != protocol.OpContinuation
		b.WriteString(render.BitGridFor(f, t, o.Field, o.Width))
		if o.Field != render.FieldNone {
			st, en := f.Span(o.Field)
			fmt.Fprintf(&b, "\n» selected: %s = %s (byte %d", o.Field.Name(), f.Value(o.Field), st)
			if en-st > 1 {
				fmt.Fprintf(&b, "-%d", en-1)
			}
			b.WriteString(")")
		}
		if o.Cursor >= 0 && o.Cursor < len(e.Wire) {
			fmt.Fprintf(&b, "\n» hex cursor: byte %d = 0x%02x = %08b", o.Cursor, e.Wire[o.Cursor], e.Wire[o.Cursor])
		}
		if fields := f.Fields(); o.CodeKey != "" && len(fields) > 0 {
			if s, en := f.Span(o.Field); en > s {
				fmt.Fprintf(&b, "\n» %s: see the code for %s", o.CodeKey, o.Field.Name())
			} else {
				fmt.Fprintf(&b, "\n» tab: pick a field · %s: see the code for %s", o.CodeKey, fields[0].Name())
			}
		}
		section("fields")
		b.WriteString(render.FieldTable(f, t, o.Field, o.Width))
		section("bytes")
		b.WriteString(render.HexDumpFor(f, t, o.Field, o.Cursor, render.HexLimit, o.Width))
		legend := render.HexLegend
		if len(legend) > o.Width {
			legend = render.Wrap(legend, o.Width)
		}
		b.WriteString("\n" + t.Dim(legend))
		section("unmasking")
		b.WriteString(render.Unmask(f, t, o.Width))
		section("why")
		var v *protocol.Violation
		if e.Kind == capture.KindFrame {
			v = e.Violation
		}
		for i, line := range render.Explain(f, frameSender(e), v) {
			if i > 0 {
				b.WriteByte('\n')
			}
			if strings.HasPrefix(line, "REFUSED") {
				b.WriteString(t.Bad(render.Wrap(line, o.Width)))
				continue
			}
			b.WriteString(render.Wrap(line, o.Width))
		}
		if f.Compressed {
			b.WriteString("\n" + render.Wrap("The message it starts, inflated and taken apart into literals and back-references, is the \"infl.\" entry after its last frame.", o.Width))
		}
		if e.Kind == capture.KindRaw {
			b.WriteString("\n" + render.Wrap("These bytes went out through WriteRaw, past every check of the encoder. The next entries show how the server read them.", o.Width))
		}
	case capture.KindMessage:
		if e.Decodable() {
			// The whole message and its window are here: take it apart.
			b.WriteString(MessageView(e.Message, t, o.Width))
			break
		}
		// Only sizes (an observer that reports headers only), or a prefix
		// kept by a store that bounds its memory: show what is kept.
		b.WriteString(render.Wrap(fmt.Sprintf("permessage-deflate (RFC 7692): the frames before this carried %d compressed bytes with RSV1 set on the first; inflated, the %s message is %d bytes.",
			e.WireSize, e.Header.Opcode, e.Header.Length), o.Width))
		section("inflated payload")
		if e.Header.Opcode == protocol.OpText && utf8.Valid(e.Unmasked) {
			b.WriteString(render.Wrap(Quote(e.Unmasked, 4*o.Width), o.Width))
		} else {
			b.WriteString(render.HexBytes(e.Unmasked, 64))
		}
		if uint64(len(e.Unmasked)) < e.Header.Length {
			fmt.Fprintf(&b, "\n(the first %d of %d bytes are kept)", len(e.Unmasked), e.Header.Length)
		}
		if e.Note != "" {
			b.WriteString("\n" + render.Wrap("("+e.Note+")", o.Width))
		}
		if v := e.Violation; v != nil {
			// Set by a watcher (the proxy): the receiver fails the
			// connection with this code; the proxy forwarded it anyway.
			b.WriteString("\n" + t.Bad(render.Wrap(fmt.Sprintf("REFUSED · %s: %s (close %d)", ruleName(v), v.Msg, uint16(v.Code)), o.Width)))
		}
	case capture.KindClosed:
		b.WriteString(render.Wrap(ClosedText(e), o.Width))
		if e.Dir == capture.ServerToClient && e.Closed.ClosedTCPFirst {
			b.WriteString("\n" + render.Wrap("§7.1.1: the server should close the TCP connection first, so it holds the TIME_WAIT state.", o.Width))
		}
	default:
		b.WriteString(e.Note)
	}
	return b.String()
}

// markHeader marks the selected header of a rendered handshake head and
// says, under it, what the code key opens; with no header selected, the
// first line says how to pick one.
func markHeader(head string, raw []byte, o Options) string {
	hs := render.HeaderSources(raw)
	if len(hs) == 0 {
		return head
	}
	lines := strings.Split(head, "\n")
	if o.Header == "" {
		hint := fmt.Sprintf("» tab: pick a header · %s: see the code for %s", o.CodeKey, hs[0].ID)
		return strings.Join(append([]string{hint}, lines...), "\n")
	}
	for _, h := range hs {
		if h.ID != o.Header {
			continue
		}
		for i, l := range lines {
			if !strings.HasPrefix(l, h.Line) {
				continue
			}
			lines[i] = o.Theme.Field(render.FieldNone, h.Line, true) + l[len(h.Line):]
			j := i + 1
			for j < len(lines) && strings.HasPrefix(lines[j], "    ") {
				j++
			}
			hint := fmt.Sprintf("  » %s: see the code for %s · tab: next header", o.CodeKey, h.ID)
			lines = append(lines[:j], append([]string{hint}, lines[j:]...)...)
			return strings.Join(lines, "\n")
		}
	}
	return head
}
