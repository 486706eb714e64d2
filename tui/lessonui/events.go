package lessonui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// arrow is the direction of what role sent: → client to server, ←
// server to client.
func arrow(r protocol.Role) string {
	if r == protocol.RoleServer {
		return "←"
	}
	return "→"
}

func roleName(lang string, r protocol.Role) string {
	if r == protocol.RoleServer {
		return tr(lang, "server")
	}
	return tr(lang, "client")
}

// selectable reports whether an event has a detail view.
func selectable(e lessonrun.Event) bool {
	switch e.Kind {
	case lessonrun.KindFrame, lessonrun.KindHandshake, lessonrun.KindRace, lessonrun.KindHTTP, lessonrun.KindRaw, lessonrun.KindClosed:
		return true
	case lessonrun.KindMessage:
		// A compressed message can be taken apart.
		return e.Entry.Decodable()
	}
	return false
}

// compressed reports whether a frame's RSV1 is permessage-deflate's bit
// (RFC 7692 §6): set on the first frame of a data message the codec sent
// or accepted.
func compressed(e lessonrun.Event) bool {
	h := e.Entry.Header
	return h.Rsv1 && e.Entry.Violation == nil && h.Opcode.IsData() && h.Opcode != protocol.OpContinuation
}

// oneLine describes an event in one line of the demo's timeline.
func oneLine(lang string, e lessonrun.Event, t render.Theme) string {
	switch e.Kind {
	case lessonrun.KindFrame:
		h := e.Entry.Header
		parts := []string{arrow(e.Role), h.Opcode.String()}
		if h.Fin {
			parts = append(parts, "FIN")
		} else {
			parts = append(parts, "fin=0")
		}
		if h.Rsv1 || h.Rsv2 || h.Rsv3 {
			parts = append(parts, "RSV")
		}
		if h.Masked {
			parts = append(parts, "M")
		}
		parts = append(parts, fmt.Sprintf("%dB", h.Length))
		if compressed(e) && len(e.Entry.Unmasked) > 0 {
			// DEFLATE data, not text: the message is shown inflated on
			// its own line.
			parts = append(parts, fmt.Sprintf(tr(lang, "ev.compressed"), len(e.Entry.Unmasked)))
		} else if h.Opcode == protocol.OpBinary && len(e.Entry.Unmasked) > 0 {
			// Binary data is never "not UTF-8 text": it was not meant as text.
			parts = append(parts, fmt.Sprintf(tr(lang, "ev.binary"), len(e.Entry.Unmasked)))
		} else if h.Opcode != protocol.OpClose && len(e.Entry.Unmasked) > 0 {
			parts = append(parts, t.Quote(e.Entry.Unmasked, 12))
		} else if h.Opcode == protocol.OpClose && e.Entry.Violation == nil {
			code, reason, _ := protocol.ParseClosePayload(e.Entry.Unmasked)
			if len(e.Entry.Unmasked) == 0 {
				// An empty close frame carries no code: 1005 is what the
				// receiver reports, never what is on the wire (§7.4.1).
				parts = append(parts, tr(lang, "ev.nocode"))
			} else {
				parts = append(parts, fmt.Sprintf("%d %q", uint16(code), reason))
			}
		}
		s := strings.Join(parts, " ")
		if v := e.Entry.Violation; v != nil {
			rfc := ""
			if v.RFC != "" && v.RFC != "6455" {
				rfc = "RFC " + v.RFC + " "
			}
			s += " " + t.Bad(fmt.Sprintf("✗ %s§%s → %d", rfc, v.Section, uint16(v.Code)))
		}
		if !e.Received {
			s += t.Dim(tr(lang, "ev.notreceived"))
		}
		return s
	case lessonrun.KindHandshake:
		line, _, _ := strings.Cut(string(e.Entry.Handshake.Raw), "\r\n")
		a := "→"
		if !e.Entry.Handshake.Request {
			a = "←"
		}
		s := a + " " + line
		if e.Entry.Handshake.Err != nil {
			s = t.Bad(s)
		}
		return s
	case lessonrun.KindRaw:
		return fmt.Sprintf(tr(lang, "ev.raw"), arrow(e.Role), len(e.Entry.Wire))
	case lessonrun.KindRace:
		return fmt.Sprintf(tr(lang, "ev.race"), arrow(e.Role), e.Race.Offset)
	case lessonrun.KindRead:
		return t.Dim(fmt.Sprintf(tr(lang, "ev.read"), "  "+roleName(lang, e.Role), len(e.Entry.Wire)) + ": " + render.HexBytes(e.Entry.Wire, 6))
	case lessonrun.KindMessage:
		kind, body := e.Opcode.String(), t.Quote(e.Bytes, 16)
		switch e.Opcode {
		case protocol.OpText:
			kind = tr(lang, "kind.text")
		case protocol.OpBinary:
			kind = tr(lang, "kind.binary")
			if len(e.Bytes) > 0 {
				body = fmt.Sprintf(tr(lang, "ev.binary"), len(e.Bytes))
			}
		}
		s := fmt.Sprintf(tr(lang, "ev.message"), "  "+roleName(lang, e.Role), kind, len(e.Bytes), body)
		if e.Entry.Message != nil {
			return s + fmt.Sprintf(tr(lang, "ev.inflated"), e.Entry.WireSize)
		}
		return t.Dim(s)
	case lessonrun.KindClosed:
		return closedLine(lang, e, t)
	case lessonrun.KindHTTP:
		return fmt.Sprintf(tr(lang, "ev.http"), len(e.HTTP.Request), len(e.HTTP.Response), len(e.HTTP.Body))
	case lessonrun.KindNote:
		return "· " + noteText(lang, e)
	}
	return ""
}

// closedLine is one endpoint's end of the connection, with both halves
// of what it said and heard: the close frame it sent (the code it failed
// the connection with, or the one it echoed) and the code it reports for
// the peer. An endpoint that fails the connection sends 1002, say, and
// reports 1006, because it never reads the answer (§7.1.7, §7.1.5); one
// line with only the 1006 would contradict the prose that says it closed
// with 1002.
func closedLine(lang string, e lessonrun.Event, t render.Theme) string {
	c := e.Entry.Closed
	var sent string
	switch c.SentCode {
	case 0:
		sent = tr(lang, "ev.sent.none")
	case protocol.CloseNoStatusReceived:
		sent = tr(lang, "ev.sent.nocode")
	default:
		sent = fmt.Sprintf(tr(lang, "ev.sent"), t.CloseCode(c.SentCode))
	}
	var saw string
	switch c.Code {
	case protocol.CloseAbnormalClosure:
		saw = fmt.Sprintf(tr(lang, "ev.saw.none"), t.CloseCode(c.Code))
	case protocol.CloseNoStatusReceived:
		saw = fmt.Sprintf(tr(lang, "ev.saw.nocode"), t.CloseCode(c.Code))
	default:
		saw = fmt.Sprintf(tr(lang, "ev.saw"), t.CloseCode(c.Code))
		if c.Reason != "" {
			saw += fmt.Sprintf(" %q", c.Reason)
		}
	}
	s := fmt.Sprintf(tr(lang, "ev.closed"), "  "+roleName(lang, e.Role), sent, saw)
	if c.ClosedTCPFirst {
		s += tr(lang, "ev.closed.first")
	}
	return s
}

func noteText(lang string, e lessonrun.Event) string {
	switch e.Note {
	case lessonrun.NoteConnected:
		if e.Text != "" {
			return fmt.Sprintf(tr(lang, "note.subproto"), e.Text)
		}
		return tr(lang, "note.connected")
	case lessonrun.NoteReconnect:
		return tr(lang, "note.reconnect")
	case lessonrun.NoteRefused:
		s := fmt.Sprintf(tr(lang, "note.refused"), e.N)
		if e.Err != nil {
			s += tr(lang, "colon") + errText(lang, e.Err, render.PlainTheme().WithLang(lang))
		}
		return s
	case lessonrun.NoteDribble:
		return fmt.Sprintf(tr(lang, "note.dribble"), e.N)
	case lessonrun.NoteMute:
		return tr(lang, "note.mute")
	case lessonrun.NoteHeartbeat:
		return fmt.Sprintf(tr(lang, "note.heartbeat"), e.D, e.D2)
	case lessonrun.NotePong:
		return fmt.Sprintf(tr(lang, "note.pong"), e.D)
	case lessonrun.NoteDead:
		return fmt.Sprintf(tr(lang, "note.dead"), e.D)
	case lessonrun.NoteWait:
		return fmt.Sprintf(tr(lang, "note.wait"), e.D)
	case lessonrun.NoteLimit:
		return fmt.Sprintf(tr(lang, "note.limit"), e.N)
	case lessonrun.NoteDrop:
		return fmt.Sprintf(tr(lang, "note.drop"), roleName(lang, e.Role))
	case lessonrun.NoteServer:
		// The runner joins its lists with ", "; a Chinese list takes 、.
		list := func(s string) string {
			if lang == "zh" {
				return strings.ReplaceAll(s, ", ", "、")
			}
			return s
		}
		return fmt.Sprintf(tr(lang, "note.server"), list(e.Text), list(e.Text2))
	case lessonrun.NoteError:
		return fmt.Sprintf(tr(lang, "note.error"), e.Err)
	}
	return ""
}

// detail dissects one event for the demo pane, wrapped to width.
func detail(lang string, e lessonrun.Event, t render.Theme, width int) string {
	return detailFor(lang, e, t, width, "", false)
}

// detailFor is detail with the field or header link (a sourcebook ID, or
// "") picked and, with code set, a hint saying what s opens.
func detailFor(lang string, e lessonrun.Event, t render.Theme, width int, link string, code bool) string {
	var b strings.Builder
	links := eventLinks(e)
	sel := render.FieldNone
	for _, l := range links {
		if l.id == link {
			sel = l.field
		}
	}
	hint := ""
	if code && len(links) > 0 {
		hint = codeHint(lang, links, link, e.Kind == lessonrun.KindHandshake)
	}
	switch e.Kind {
	case lessonrun.KindFrame:
		wire := e.Entry.Wire
		f := render.ParseFrame(wire)
		// RSV1 on a data frame the codec sent or accepted is
		// permessage-deflate's bit (RFC 7692 §6).
		f.Compressed = compressed(e)
		dir := roleName(lang, e.Role) + " " + arrow(e.Role) + " " + roleName(lang, e.Role.Peer())
		if e.Role == protocol.RoleServer {
			dir = roleName(lang, e.Role.Peer()) + " ← " + roleName(lang, e.Role)
		}
		b.WriteString(t.Heading(fmt.Sprintf(tr(lang, "detail.frame"), dir, e.Entry.Header.Opcode, len(wire))))
		if unread := int64(e.Entry.Header.Length) - int64(len(f.Payload())); f.HeaderLen > 0 && unread > 0 {
			// A refused header: the size above is what was read, not the
			// frame the header announced.
			b.WriteString(t.Heading(fmt.Sprintf(tr(lang, "detail.unread"), unread)))
		}
		b.WriteString("\n")
		if hint != "" {
			b.WriteString(hint + "\n")
		}
		if width >= render.GridWidth+2 {
			b.WriteString(render.BitGrid(f, t, sel) + "\n")
		}
		b.WriteString(render.FieldTable(f, t, sel, width) + "\n")
		b.WriteString(render.HexDump(f, t, sel, -1, render.HexLimit) + "\n")
		b.WriteString(t.Dim(t.Wrap(t.HexLegend(), width)) + "\n")
		if f.Header.Masked {
			b.WriteString(render.Unmask(f, t, width) + "\n")
		}
		for _, s := range t.Explain(f, e.Role, e.Entry.Violation) {
			b.WriteString(t.Wrap(s, width) + "\n")
		}
	case lessonrun.KindHandshake:
		head := render.Handshake(e.Entry.Handshake.Raw, t, width)
		if hint != "" {
			head = markHeader(head, links, link, hint, t)
		}
		b.WriteString(head + "\n")
		if e.Entry.Handshake.Accept != nil && !e.Entry.Handshake.Request && accepted(e.Entry.Handshake.Raw) {
			// Only a 101 carries an accept value to check; a refusal
			// (403) is ordinary HTTP.
			b.WriteString(t.Heading(tr(lang, "detail.accept")) + "\n")
			b.WriteString(render.AcceptStepsFor(*e.Entry.Handshake.Accept, render.HeaderValue(e.Entry.Handshake.Raw, "Sec-WebSocket-Accept"), t, width) + "\n")
		}
		if e.Entry.Handshake.Err != nil {
			b.WriteString(t.Bad(t.Wrap(errText(lang, e.Entry.Handshake.Err, t), width)) + "\n")
		}
	case lessonrun.KindHTTP:
		ex := e.HTTP
		b.WriteString(t.Heading(fmt.Sprintf(tr(lang, "detail.request"), len(ex.Request))) + "\n")
		b.WriteString(httpText(ex.Request) + "\n")
		b.WriteString(t.Heading(fmt.Sprintf(tr(lang, "detail.response"), len(ex.Response))) + "\n")
		b.WriteString(httpText(ex.Response) + "\n")
		cl := protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, Length: uint64(len(ex.Body))}
		sv := protocol.Header{Fin: true, Opcode: protocol.OpText, Length: uint64(len(ex.Body))}
		b.WriteString(lessons.Wrap(fmt.Sprintf(tr(lang, "detail.compare"), len(ex.Body),
			cl.Size()+len(ex.Body), sv.Size()+len(ex.Body)), width) + "\n")
	case lessonrun.KindRace:
		r := e.Race
		b.WriteString("A: " + render.HexBytes(r.A, 16) + "\n")
		b.WriteString("B: " + render.HexBytes(r.B, 16) + "\n")
		b.WriteString(tr(lang, "detail.stream") + "\n")
		b.WriteString(raceStream(r, t, width))
		b.WriteString("\n")
	case lessonrun.KindRaw:
		b.WriteString(hexRows(e.Entry.Wire, width) + "\n")
		// Show the first frame the bytes hold, as a receiver reads it.
		f := render.ParseFrame(e.Entry.Wire)
		if f.HeaderLen > 0 {
			if hint != "" {
				b.WriteString(hint + "\n")
			}
			b.WriteString(render.FieldTable(f, t, sel, width) + "\n")
		}
	case lessonrun.KindMessage:
		if e.Entry.Decodable() {
			b.WriteString(views.MessageView(e.Entry.Message, t, width) + "\n")
		}
	case lessonrun.KindClosed:
		c := e.Entry.Closed
		fmt.Fprintf(&b, "%s%s%s", roleName(lang, e.Role), tr(lang, "colon"), t.CloseCode(c.Code))
		if c.Reason != "" {
			fmt.Fprintf(&b, " %q", c.Reason)
		}
		b.WriteString("\n")
		if c.Err != nil {
			b.WriteString(t.Dim(t.Wrap(errText(lang, c.Err, t), width)) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// accepted reports whether a response head is a 101.
func accepted(raw []byte) bool {
	status, _, _ := strings.Cut(string(raw), "\r\n")
	return strings.Contains(status, " 101 ")
}

// errText is an error as the screen says it: a broken rule in the
// learner's language, and any other error of the codec as the codec wrote
// it, which a Chinese screen quotes as the original message.
func errText(lang string, err error, t render.Theme) string {
	var v *protocol.Violation
	if lang != "zh" {
		return err.Error()
	}
	if errors.As(err, &v) {
		sec := "§" + v.Section
		if v.RFC != "" && v.RFC != "6455" {
			sec = "RFC " + v.RFC + " " + sec
		}
		return fmt.Sprintf(tr(lang, "err.violation"), sec, t.ViolationMsg(v))
	}
	return fmt.Sprintf(tr(lang, "err.quoted"), err.Error())
}

// httpText shows an HTTP message with its CRLFs, one line each.
func httpText(raw []byte) string {
	s := strings.ReplaceAll(string(raw), "\r\n", "\\r\\n\n")
	return strings.TrimRight(s, "\n")
}

// hexRows prints bytes 16 a row (fewer when narrow).
func hexRows(b []byte, width int) string {
	per := 16
	if width < 50 {
		per = 8
	}
	var rows []string
	for i := 0; i < len(b) && i < 256; i += per {
		rows = append(rows, fmt.Sprintf("% x", b[i:min(i+per, len(b))]))
	}
	if len(b) > 256 {
		rows = append(rows, fmt.Sprintf("... %d bytes in all", len(b)))
	}
	return strings.Join(rows, "\n")
}

// raceStream shows the race's bytes as they went out, each tagged with the
// writer it came from, so the learner sees B's header inside A.
func raceStream(r *lessonrun.Race, t render.Theme, width int) string {
	per := 16
	if width < 50 {
		per = 8
	}
	type tagged struct {
		b byte
		w byte
	}
	var all []tagged
	for _, s := range r.Segments {
		for _, c := range s.Bytes {
			all = append(all, tagged{c, s.Writer})
		}
	}
	var out []string
	for i := 0; i < len(all); i += per {
		var hx, tags []string
		for _, x := range all[i:min(i+per, len(all))] {
			h := fmt.Sprintf("%02x", x.b)
			if x.w == 'B' {
				h = t.Bad(h)
			}
			hx = append(hx, h)
			tags = append(tags, " "+string(x.w))
		}
		out = append(out, strings.Join(hx, " "), t.Dim(strings.Join(tags, " ")))
	}
	return strings.Join(out, "\n")
}
