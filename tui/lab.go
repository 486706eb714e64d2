package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/wsanatomy/wsanatomy/tui/views"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// labPreset is one classic mistake, ready to send.
type labPreset struct {
	name            string
	fin, rsv1, mask bool
	op              protocol.Opcode
	form            protocol.LengthForm
	length          string // "auto" or a number
	payload         string // as parsePayload reads it
	// raw, if set, gives the bytes (one frame or several) that the hex
	// field holds instead: for mistakes that take more than one frame or
	// a payload no one types by hand.
	raw func() []byte
	// deflate: the mistake is one against permessage-deflate, which
	// only a connection that negotiated it judges as such.
	deflate bool
}

var labPresets = []labPreset{
	{name: "a correct frame", fin: true, mask: true, op: protocol.OpText, length: "auto", payload: "Hello"},
	{name: "RSV1 set, no extension", fin: true, rsv1: true, mask: true, op: protocol.OpText, length: "auto", payload: "Hello"},
	{name: "reserved opcode 0x3", fin: true, mask: true, op: 0x3, length: "auto", payload: "Hello"},
	{name: "fragmented ping", mask: true, op: protocol.OpPing, length: "auto", payload: "hi"},
	{name: "control frame with a 126-byte payload", fin: true, mask: true, op: protocol.OpPing, length: "auto", payload: "x*126"},
	{name: "unmasked client frame", fin: true, op: protocol.OpText, length: "auto", payload: "Hello"},
	{name: "length not in minimal form", fin: true, mask: true, op: protocol.OpText, form: protocol.Length16Bit, length: "auto", payload: "Hello"},
	{name: "64-bit length, top bit set", fin: true, mask: true, op: protocol.OpBinary, form: protocol.Length64Bit, length: "9223372036854775813", payload: "Hello"},
	{name: "continuation, nothing to continue", fin: true, mask: true, op: protocol.OpContinuation, length: "auto", payload: "Hello"},
	{name: "close code 1005", fin: true, mask: true, op: protocol.OpClose, length: "auto", payload: "hex 03 ed"},
	{name: "invalid UTF-8 text", fin: true, mask: true, op: protocol.OpText, length: "auto", payload: "hex 48 65 6c 6c ff"},
	// permessage-deflate (RFC 7692). On a connection that negotiated it
	// (the walkthrough's later steps, or any n), the server judges these
	// by RFC 7692; on one that did not, RSV1 is simply unknown (§5.2).
	{name: "RSV1 on a continuation frame", raw: rsv1Continuation, deflate: true},
	{name: "RSV1 on a ping", fin: true, rsv1: true, mask: true, op: protocol.OpPing, length: "auto", payload: "hi", deflate: true},
	// 0xff starts a block with BTYPE 11, which RFC 1951 §3.2.3 reserves.
	{name: "corrupt deflate data", fin: true, rsv1: true, mask: true, op: protocol.OpText, length: "auto", payload: "hex ff ff ff ff", deflate: true},
	{name: "compression bomb", raw: compressionBomb, deflate: true},
}

// Form fields of the raw frame lab.
const (
	labPresetF = iota
	labFIN
	labRSV1
	labRSV2
	labRSV3
	labOpcode
	labMASK
	labForm
	labLength
	labKey
	labPayload
	labHex
	labFields
)

// lab is the raw frame lab: a frame built by hand, bit by bit or as hex,
// sent from the client with WriteRaw past every check, and the server's
// reaction read back from the timeline.
type lab struct {
	focused                       bool
	focus                         int
	preset                        int
	fin, rsv1, rsv2, rsv3, masked bool
	op                            protocol.Opcode
	form                          protocol.LengthForm
	length, key, payload, hex     textField
	hexMode                       bool // the bytes come from the hex field as typed
	// edited says why bytes typed by hand are not a frame the fields can
	// show (then hexMode is set, and they are sent as typed); empty when
	// the typed bytes were decoded back into the fields.
	edited phrase
	err    error
	// The send being watched: timeline entries from index from on, of
	// session sid. sid 0 means nothing was sent yet.
	from, sid int
	sendErr   error
}

func newLab() lab {
	l := lab{length: newTextField("auto", 22), key: newTextField("37 fa 21 3d", 12), payload: newTextField("", 30), hex: newTextField("", 60)}
	l.load(0)
	return l
}

func (l *lab) load(i int) {
	p := labPresets[i]
	l.preset = i
	l.fin, l.rsv1, l.rsv2, l.rsv3, l.masked, l.op, l.form = p.fin, p.rsv1, false, false, p.mask, p.op, p.form
	l.length.SetValue(p.length)
	l.payload.SetValue(p.payload)
	l.hexMode, l.edited = false, phrase{}
	if p.raw != nil {
		// The builder shows the first frame; the bytes are the preset's.
		b := p.raw()
		h, _, err := protocol.DecodeHeader(b)
		if err == nil {
			l.fin, l.rsv1, l.rsv2, l.rsv3, l.masked, l.op = h.Fin, h.Rsv1, h.Rsv2, h.Rsv3, h.Masked, h.Opcode
		}
		l.length.SetValue("auto")
		l.payload.SetValue("")
		l.hex.SetValue(hexString(b))
		l.hexMode, l.err = true, nil
		return
	}
	l.rebuild()
}

// build encodes the frame the fields describe, mistakes included.
func (l *lab) build() ([]byte, error) {
	payload, err := parsePayload(l.payload.Value())
	if err != nil {
		return nil, formErr("payload: after \"hex \" come bytes as pairs of hex digits, such as hex 48 65")
	}
	h := protocol.Header{Fin: l.fin, Rsv1: l.rsv1, Rsv2: l.rsv2, Rsv3: l.rsv3, Opcode: l.op & 0xF, Masked: l.masked,
		Length: uint64(len(payload)), LengthForm: l.form}
	if v := strings.TrimSpace(l.length.Value()); v != "auto" && v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, formErr("length: %q is not auto or a number", v)
		}
		h.Length = n
	}
	if h.LengthForm == protocol.Length7Bit && h.Length > 125 {
		return nil, formErr("length %d does not fit the 7-bit form", h.Length)
	}
	if h.LengthForm == protocol.Length16Bit && h.Length > 0xFFFF {
		return nil, formErr("length %d does not fit the 16-bit form", h.Length)
	}
	if h.Masked {
		k, err := parseHex(l.key.Value())
		if err != nil || len(k) != 4 {
			return nil, formErr("masking key: want 4 hex bytes")
		}
		copy(h.MaskKey[:], k)
	}
	b := protocol.AppendHeader(nil, h)
	start := len(b)
	b = append(b, payload...)
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, b[start:])
	}
	return b, nil
}

// rebuild refreshes the hex field from the builder fields.
func (l *lab) rebuild() {
	b, err := l.build()
	l.err = err
	if err != nil {
		return
	}
	l.hex.SetValue(hexString(b))
}

// decode sets the builder's fields from bytes typed by hand, when they
// are exactly one frame the builder encodes to those same bytes; then the
// form describes what will be sent, and further changes to a field start
// from it. Otherwise it leaves the fields alone and says why: the bytes
// are then sent as typed, and the form is marked edited.
func (l *lab) decode(b []byte) (why phrase, ok bool) {
	if len(b) < 2 {
		return later("fewer than 2 bytes, not yet a frame header"), false
	}
	h, n, err := protocol.DecodeHeader(b)
	if err != nil {
		return later("a header cut short: %d of its %d bytes", len(b), n), false
	}
	payload := append([]byte(nil), b[n:]...)
	// Fewer payload bytes than the length claims is a frame the builder
	// makes too (a typed length, as the 64-bit preset has); more is the
	// start of something else.
	if extra := uint64(len(payload)); extra > h.Length {
		return later("%d more bytes than the length field claims (another frame, or trailing bytes)", extra-h.Length), false
	}
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, payload)
	}
	try := *l
	try.fin, try.rsv1, try.rsv2, try.rsv3, try.masked, try.op = h.Fin, h.Rsv1, h.Rsv2, h.Rsv3, h.Masked, h.Opcode
	try.form = h.LengthForm
	if h.LengthForm == protocol.MinimalLengthForm(h.Length) {
		try.form = protocol.LengthAuto
	}
	try.length.SetValue("auto")
	if h.Length != uint64(len(payload)) {
		try.length.SetValue(strconv.FormatUint(h.Length, 10))
	}
	if h.Masked {
		try.key.SetValue(hexString(h.MaskKey[:]))
	}
	try.payload.SetValue(payloadField(payload))
	// The fields must give back the very bytes typed; if some corner
	// escapes the reading above, the form says edited rather than lie.
	if got, err := try.build(); err != nil || !bytes.Equal(got, b) {
		return later("the fields would encode these bytes differently"), false
	}
	*l = try
	return phrase{}, true
}

// payloadField is payload as the payload field writes it: as text when
// it is printable UTF-8 that parsePayload reads back unchanged, else as
// hex.
func payloadField(p []byte) string {
	s := string(p)
	printable := utf8.ValidString(s) && !strings.HasPrefix(s, "hex ") && !repeatRE.MatchString(s)
	for _, r := range s {
		if !unicode.IsPrint(r) {
			printable = false
		}
	}
	if printable {
		return s
	}
	return "hex " + hexString(p)
}

// Bytes returns the bytes to send.
func (l lab) Bytes() ([]byte, error) {
	if l.hexMode {
		b, err := parseHex(l.hex.Value())
		if err != nil {
			return nil, formErr("hex: odd number of digits or not hex")
		}
		return b, nil
	}
	return l.build()
}

// labSendMsg asks the model to send the lab's bytes.
type labSendMsg struct{ b []byte }

// labDoneMsg reports the end of a raw send on session sid.
type labDoneMsg struct {
	sid int
	err error
}

func (l *lab) setFocus(i int) {
	l.focus = (i + labFields) % labFields
	for _, f := range []*textField{&l.length, &l.key, &l.payload, &l.hex} {
		f.Blur()
	}
	switch l.focus {
	case labLength:
		l.length.Focus()
	case labKey:
		l.key.Focus()
	case labPayload:
		l.payload.Focus()
	case labHex:
		l.hex.Focus()
	}
}

// leave takes the focus from the form; e brings it back to the same field.
func (l *lab) leave() {
	l.focused = false
	for _, f := range []*textField{&l.length, &l.key, &l.payload, &l.hex} {
		f.Blur()
	}
}

// Update handles a key while the lab form has focus.
func (l lab) Update(msg tea.KeyMsg) (lab, tea.Cmd) {
	if step, leave := formMove(msg.String()); step != 0 {
		l.setFocus(l.focus + step)
		return l, nil
	} else if leave {
		l.leave()
		return l, nil
	}
	switch msg.String() {
	case "enter":
		b, err := l.Bytes()
		if err != nil {
			l.err = err
			return l, nil
		}
		l.leave()
		return l, func() tea.Msg { return labSendMsg{b: b} }
	}
	d := 0
	switch msg.String() {
	case "left":
		d = -1
	case "right", " ":
		d = 1
	}
	changed := true
	switch {
	case l.focus == labPresetF && d != 0:
		l.load((l.preset + d + len(labPresets)) % len(labPresets))
		return l, nil
	case l.focus == labFIN && d != 0:
		l.fin = !l.fin
	case l.focus == labRSV1 && d != 0:
		l.rsv1 = !l.rsv1
	case l.focus == labRSV2 && d != 0:
		l.rsv2 = !l.rsv2
	case l.focus == labRSV3 && d != 0:
		l.rsv3 = !l.rsv3
	case l.focus == labMASK && d != 0:
		l.masked = !l.masked
	case l.focus == labOpcode && d != 0:
		l.op = (l.op + protocol.Opcode(d) + 16) % 16
	case l.focus == labForm && d != 0:
		l.form = (l.form + protocol.LengthForm(d) + 4) % 4
	case l.focus == labLength:
		l.length, changed = l.length.Update(msg)
	case l.focus == labKey:
		l.key, changed = l.key.Update(msg)
	case l.focus == labPayload:
		l.payload, changed = l.payload.Update(msg)
	case l.focus == labHex:
		if l.hex, changed = l.hex.Update(msg); changed {
			l.hexEdited()
		}
		return l, nil
	default:
		changed = false
	}
	if changed {
		l.hexMode, l.edited = false, phrase{}
		l.rebuild()
	}
	return l, nil
}

// hexEdited takes the bytes the learner typed: back into the fields when
// they are one frame the fields can show, else as they are, marked.
func (l *lab) hexEdited() {
	l.hexMode, l.edited, l.err = true, phrase{}, nil
	b, err := parseHex(l.hex.Value())
	if err != nil {
		l.err = formErr("hex: odd number of digits or not hex")
		return
	}
	if why, ok := l.decode(b); ok {
		l.hexMode = false
	} else {
		l.edited = why
	}
}

// sendRaw writes the bytes from the client with WriteRaw and gives the
// server a moment to react.
func sendRaw(s *session.Session, b []byte) tea.Cmd {
	return func() tea.Msg {
		err := <-s.Do(-1, func(ctx context.Context, s *session.Session) error {
			if err := s.Client.WriteRaw(b); err != nil {
				return err
			}
			s.WaitClosed(700 * time.Millisecond)
			return nil
		})
		return labDoneMsg{sid: s.ID, err: err}
	}
}

// View draws the builder and the server's reaction in width columns, in
// lang, for the connection c. compact is the short layout of small
// screens: no hint line (the footer has the keys) and the reaction in at
// most two lines.
func (l lab) View(st styles, width int, compact bool, entries []capture.Entry, lang string, c connState) string {
	mark := func(i int, s string) string {
		if l.focused && l.focus == i {
			return st.focus.Render("»" + s)
		}
		return " " + s
	}
	bit := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	// Bytes edited by hand that the fields cannot show: the fields are
	// drawn dim, as they no longer describe what enter sends.
	edited := l.hexMode && !l.edited.empty()
	field := func(s string) string {
		if edited {
			return st.dim.Render(s)
		}
		return s
	}
	p := labPresets[l.preset]
	var b strings.Builder
	b.WriteString(st.title.Render(say(lang, "raw frame lab ")) + mark(labPresetF, sayf(lang, "preset ‹%d/%d %s›", l.preset+1, len(labPresets), say(lang, p.name))) + "\n")
	form := say(lang, "auto")
	if l.form != protocol.LengthAuto {
		form = lessons.LengthFormName(lang, l.form)
	}
	fields := []string{
		mark(labFIN, "FIN["+bit(l.fin)+"]"), mark(labRSV1, "RSV1["+bit(l.rsv1)+"]"), mark(labRSV2, "RSV2["+bit(l.rsv2)+"]"),
		mark(labRSV3, "RSV3["+bit(l.rsv3)+"]"), mark(labOpcode, fmt.Sprintf("opcode[0x%X %s]", uint8(l.op), views.ShortOp(l.op))),
		mark(labMASK, "MASK["+bit(l.masked)+"]"), mark(labForm, say(lang, "len form")+"["+form+"]"),
		mark(labLength, say(lang, "len")+"[") + strings.TrimRight(l.length.View(), " ") + "]", mark(labKey, say(lang, "key")+"[") + strings.TrimRight(l.key.View(), " ") + "]",
	}
	line := ""
	for _, f := range fields {
		if line != "" && lipgloss.Width(line)+lipgloss.Width(f) > width {
			b.WriteString(field(line) + "\n")
			line = ""
		}
		line += f
	}
	b.WriteString(field(line) + "\n")
	b.WriteString(field(mark(labPayload, say(lang, "payload: ")+l.payload.View())) + "\n")
	bytesLabel := say(lang, "bytes: ")
	if edited {
		bytesLabel = say(lang, "bytes (edited): ")
	}
	b.WriteString(mark(labHex, bytesLabel) + l.hex.View() + "\n")
	para := func(style lipgloss.Style, s string) {
		b.WriteString(style.Render(indent(wrapIn(lang, s, width-1), " ", " ")) + "\n")
	}
	switch {
	case l.err != nil:
		para(st.bad, "✗ "+errText(lang, l.err))
	case edited && compact:
		para(st.bad, sayf(lang, "edited by hand: %s", l.edited.in(lang)))
	case edited:
		para(st.bad, sayf(lang, "edited by hand: %s, so the fields above do not describe them; %s sends these bytes exactly as typed", l.edited.in(lang), kn(fk.LabSend)))
	case p.deflate && !c.deflate && !c.opening:
		para(st.bad, sayf(lang, "this connection did not negotiate permessage-deflate, so the server reads RSV1 as an unknown bit (§5.2); %s starts one that does", kn(fk.NewSession)))
	case compact:
	case l.focused:
		para(st.dim, sayf(lang, "%s: next field · %s: toggle, change · type in len, key, payload or bytes · %s: send from the client · %s: leave", kn(fk.Field), keymap.KeyLabel(lang, kn(fk.LabChange)), kn(fk.Send), kn(fk.FormLeave)))
	default:
		para(st.dim, sayf(lang, "%s: edit the frame · %s: send it · %s: fresh connection", kn(fk.Edit), kn(fk.LabSend), kn(fk.NewSession)))
	}
	b.WriteString(l.reaction(st, width, compact, entries, lang))
	return b.String()
}

// reaction reads the server's answer to the last send from the timeline.
func (l lab) reaction(st styles, width int, compact bool, entries []capture.Entry, lang string) string {
	if l.sid == 0 {
		return st.dim.Render(" " + say(lang, "server's reaction: send a frame to see it"))
	}
	if l.sendErr != nil {
		return st.bad.Render(indent(wrapIn(lang, sayf(lang, "✗ the client could not send: %s", errText(lang, l.sendErr)), width-1), " ", " ")) + st.dim.Render(" "+sayf(lang, "(%s: fresh connection)", kn(fk.NewSession)))
	}
	type item struct {
		text  string
		style lipgloss.Style
	}
	th := render.PlainTheme().WithLang(lang)
	var items []item
	plain := lipgloss.NewStyle()
	seenRaw, accepted, refused := false, false, false
	for i := l.from; i < len(entries) && i < l.from+12; i++ {
		e := entries[i]
		if e.Conn != l.sid {
			continue
		}
		switch {
		case e.Kind == capture.KindRaw:
			seenRaw = true
		case !seenRaw:
		case e.Kind == capture.KindFrame && e.Dir == capture.ClientToServer && e.Violation != nil:
			items = append(items, item{"✗ " + errText(lang, e.Violation), st.bad})
			refused = true
		case e.Kind == capture.KindFrame && e.Dir == capture.ClientToServer:
			accepted = true
			items = append(items, item{sayf(lang, "✓ the server read a valid %s frame", e.Header.Opcode), st.good})
		case e.Kind == capture.KindFrame && e.Header.Opcode == protocol.OpClose:
			code, reason, _ := protocol.ParseClosePayload(e.Unmasked)
			if compact {
				items = append(items, item{sayf(lang, "← close %d", uint16(code)), plain})
			} else {
				items = append(items, item{sayf(lang, "← close frame %s %q", th.CloseCode(code), reason), plain})
			}
		case e.Kind == capture.KindFrame:
			items = append(items, item{sayf(lang, "← %s frame: the echo", e.Header.Opcode), plain})
		case e.Kind == capture.KindClosed && compact:
			items = append(items, item{sayf(lang, "✕ %s TCP closed", say(lang, roleOf(e))), plain})
		case e.Kind == capture.KindClosed && !refused && e.Dir == capture.ServerToClient && asViolation(e.Closed.Err) != nil:
			// A rule broken inside a message, not in a frame's header:
			// data that does not inflate, a message past the limit.
			items = append(items, item{"✗ " + errText(lang, asViolation(e.Closed.Err)), st.bad})
			refused = true
			c, cl := e, *e.Closed
			cl.Err = nil
			c.Closed = &cl
			items = append(items, item{"✕ " + views.ClosedTextIn(c, lang), plain})
		case e.Kind == capture.KindClosed:
			// The error, if any, repeats the violation above.
			c, cl := e, *e.Closed
			cl.Err = nil
			c.Closed = &cl
			items = append(items, item{"✕ " + views.ClosedTextIn(c, lang), plain})
		}
	}
	if !seenRaw {
		return " " + say(lang, "server's reaction: sending...")
	}
	if len(items) == 0 {
		items = append(items, item{say(lang, "(no reaction yet: the server may be waiting for more bytes; TCP is a byte stream)"), st.dim})
	}
	tail := sayf(lang, "%s: start a fresh connection", kn(fk.NewSession))
	if accepted {
		tail = sayf(lang, "%s: edit and send another", kn(fk.Edit))
	}
	if compact {
		// The first line says what the server saw, the second what it
		// did about it; the timeline has the details.
		first := items[0]
		var rest []string
		for _, it := range items[1:] {
			rest = append(rest, it.text)
		}
		// The way on (n, or e) is never cut: what happened gives way
		// to it, ending with "…".
		second := " " + tail
		if len(rest) > 0 {
			end := " · " + tail
			second = views.Fit(" "+strings.Join(rest, " · "), max(0, width-lipgloss.Width(end)))
			second = strings.TrimRight(second, " ") + end
		}
		return first.style.Render(views.Fit(" "+say(lang, "reaction: ")+first.text, width)) + "\n" + views.Fit(second, width)
	}
	out := []string{st.title.Render(" " + say(lang, "server's reaction:"))}
	for _, it := range items {
		out = append(out, it.style.Render(indent(wrapIn(lang, it.text, max(10, width-3)), "   ", " ")))
	}
	out = append(out, st.dim.Render(" "+tail))
	return strings.Join(out, "\n")
}

// asViolation returns the rule err broke, or nil.
func asViolation(err error) *protocol.Violation {
	var v *protocol.Violation
	if errors.As(err, &v) {
		return v
	}
	return nil
}

// roleOf names the endpoint an entry belongs to.
func roleOf(e capture.Entry) string {
	if e.Dir == capture.ServerToClient {
		return "server"
	}
	return "client"
}

// indent prefixes the first line of s with first and the others with rest.
func indent(s, rest, first string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
