package views

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// EntryTitleIn is the one-line title of an entry, used above its
// dissection, in lang ("zh" for Simplified Chinese).
func EntryTitleIn(e capture.Entry, lang string) string {
	who := say(lang, "client → server")
	if e.Dir == capture.ServerToClient {
		who = say(lang, "server → client")
	}
	switch e.Kind {
	case capture.KindHandshake:
		if e.Handshake.Request {
			return sayf(lang, "#%d · %s · opening handshake request", e.Seq, who)
		}
		return sayf(lang, "#%d · %s · opening handshake response", e.Seq, who)
	case capture.KindFrame:
		fin := "FIN"
		if !e.Header.Fin {
			fin = say(lang, "no FIN")
		}
		s := sayf(lang, "#%d · %s · %s · %s · %d bytes on the wire", e.Seq, who, e.Header.Opcode, fin, e.WireLen())
		if e.Violation != nil {
			s += say(lang, " · REFUSED")
		}
		return s
	case capture.KindRaw:
		return sayf(lang, "#%d · %s · %d bytes written by hand (raw frame lab)", e.Seq, who, len(e.Wire))
	case capture.KindRead:
		return sayf(lang, "#%d · %s · one read of %d bytes from TCP", e.Seq, who, len(e.Wire))
	case capture.KindMessage:
		s := sayf(lang, "#%d · %s · compressed %s message · %d bytes on the wire, %d inflated", e.Seq, who, e.Header.Opcode, e.WireSize, e.Header.Length)
		if e.Violation != nil {
			s += say(lang, " · REFUSED")
		}
		return s
	case capture.KindClosed:
		return fmt.Sprintf("#%d · %s", e.Seq, ClosedTextIn(e, lang))
	}
	return fmt.Sprintf("#%d · %s", e.Seq, e.Note)
}

// ClosedText describes the end of one endpoint's TCP connection.
func ClosedText(e capture.Entry) string { return ClosedTextIn(e, "en") }

// ClosedTextIn is [ClosedText] in lang.
func ClosedTextIn(e capture.Entry, lang string) string {
	role := say(lang, "client")
	if e.Dir == capture.ServerToClient {
		role = say(lang, "server")
	}
	c := e.Closed
	format := "%s closed TCP after the peer closed it"
	if c.ClosedTCPFirst {
		format = "%s closed TCP first"
	}
	s := sayf(lang, format, role)
	// What each side said before the end: the close frame this endpoint
	// received (1006 when none came) and the one it sent.
	if c.Code == protocol.CloseAbnormalClosure {
		s += say(lang, "; received no close frame (1006, abnormal closure)")
	} else {
		s += sayf(lang, "; received close %s", closeCode(lang, c.Code))
		if c.Reason != "" {
			s += fmt.Sprintf(" %q", c.Reason)
		}
	}
	switch c.SentCode {
	case 0:
		s += say(lang, "; sent no close frame")
	case protocol.CloseNoStatusReceived:
		s += say(lang, "; sent a close frame with no code")
	default:
		s += sayf(lang, "; sent close %s", closeCode(lang, c.SentCode))
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
	lang := t.Lang()
	var b strings.Builder
	section := func(name string) {
		name = say(lang, name)
		b.WriteString("\n" + t.Heading("── "+name+" "+strings.Repeat("─", max(0, min(o.Width, 80)-lessons.Width(name)-5))) + "\n")
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
			b.WriteString("\n" + t.Bad(say(lang, "refused: ")+hs.Err.Error()))
		}
		if ext := extensionsSection(hs, lang, o.Width); ext != "" {
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
		// §6 puts it on the first frame of a data message only.
		f.Compressed = e.Kind == capture.KindFrame && e.Header.Rsv1 && e.Violation == nil && e.Header.Opcode.IsData() && e.Header.Opcode != protocol.OpContinuation
		b.WriteString(render.BitGridFor(f, t, o.Field, o.Width))
		if o.Field != render.FieldNone {
			st, en := f.Span(o.Field)
			bytes := fmt.Sprint(st)
			if en-st > 1 {
				bytes += fmt.Sprintf("-%d", en-1)
			}
			b.WriteString("\n" + sayf(lang, "» selected: %s = %s (byte %s)", o.Field.Name(), f.Value(o.Field), bytes))
		}
		if o.Cursor >= 0 && o.Cursor < len(e.Wire) {
			b.WriteString("\n" + sayf(lang, "» hex cursor: byte %d = 0x%02x = %08b", o.Cursor, e.Wire[o.Cursor], e.Wire[o.Cursor]))
		}
		if fields := f.Fields(); o.CodeKey != "" && len(fields) > 0 {
			if s, en := f.Span(o.Field); en > s {
				b.WriteString("\n" + sayf(lang, "» %s: see the code for %s", o.CodeKey, o.Field.Name()))
			} else {
				b.WriteString("\n" + sayf(lang, "» %s: pick a field · %s: see the code for %s", FieldKey, o.CodeKey, fields[0].Name()))
			}
		}
		section("fields")
		b.WriteString(render.FieldTable(f, t, o.Field, o.Width))
		section("bytes")
		b.WriteString(render.HexDumpFor(f, t, o.Field, o.Cursor, render.HexLimit, o.Width))
		legend := t.HexLegend()
		if lessons.Width(legend) > o.Width {
			legend = wrapAtSpaces(legend, o.Width)
		}
		b.WriteString("\n" + t.Dim(legend))
		section("unmasking")
		b.WriteString(render.Unmask(f, t, o.Width))
		section("why")
		var v *protocol.Violation
		if e.Kind == capture.KindFrame {
			v = e.Violation
		}
		why := t.Explain(f, frameSender(e), v)
		for i, line := range why {
			if i > 0 {
				b.WriteByte('\n')
			}
			// With a violation, Explain's last line is the receiver's
			// refusal.
			if v != nil && i == len(why)-1 {
				b.WriteString(t.Bad(t.Wrap(line, o.Width)))
				continue
			}
			b.WriteString(t.Wrap(line, o.Width))
		}
		if f.Compressed {
			b.WriteString("\n" + t.Wrap(say(lang, "The message it starts, inflated and taken apart into literals and back-references, is the \"infl.\" entry after its last frame."), o.Width))
		}
		if e.Kind == capture.KindRaw {
			b.WriteString("\n" + t.Wrap(say(lang, "These bytes went out through WriteRaw, past every check of the encoder. The next entries show how the server read them."), o.Width))
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
		b.WriteString(t.Wrap(ClosedTextIn(e, lang), o.Width))
		if e.Dir == capture.ServerToClient && e.Closed.ClosedTCPFirst {
			b.WriteString("\n" + t.Wrap(say(lang, "§7.1.1: the server should close the TCP connection first, so it holds the TIME_WAIT state."), o.Width))
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
		hint := sayf(o.Theme.Lang(), "» %s: pick a header · %s: see the code for %s", FieldKey, o.CodeKey, hs[0].ID)
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
			// The hint goes under the header's whole note. In colour a
			// wrapped note's lines start with the colour's escape code,
			// so the indent is looked for in the text without it.
			j := i + 1
			for j < len(lines) && strings.HasPrefix(ansi.Strip(lines[j]), "    ") {
				j++
			}
			hint := sayf(o.Theme.Lang(), "  » %s: see the code for %s · %s: next header", o.CodeKey, h.ID, FieldKey)
			lines = append(lines[:j], append([]string{hint}, lines[j:]...)...)
			return strings.Join(lines, "\n")
		}
	}
	return head
}

// wrapAtSpaces breaks s at spaces into lines of at most width terminal
// columns (a Chinese character takes two), as [render.Wrap] does for
// English: the hex legend's items are separated by spaces, and one of
// them is never cut in the middle of a word, in either language.
func wrapAtSpaces(s string, width int) string {
	width = max(width, 10)
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && lessons.Width(line)+1+lessons.Width(w) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(out, line), "\n")
}
