package views

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// Line is an entry as one line of text, for logs and `proxy --plain`:
// time, connection, direction, and what the entry holds. start is the
// time entries' At counts from.
func Line(e capture.Entry, start time.Time) string {
	ts := start.Add(e.At).Format("15:04:05.000")
	who := fmt.Sprintf("%s #%d %s", ts, e.Conn, e.Dir.Arrow())
	switch e.Kind {
	case capture.KindHandshake:
		return who + " " + handshakeLine(e.Handshake)
	case capture.KindFrame:
		s := who + " " + e.Header.String()
		if p := payloadText(e, 40); p != "" {
			s += " " + p
		}
		if v := e.Violation; v != nil {
			s += fmt.Sprintf("  ✗ §%s: %s (close %d)", v.Section, v.Msg, uint16(v.Code))
		}
		return s
	case capture.KindRaw:
		return fmt.Sprintf("%s raw %d bytes", who, len(e.Wire))
	case capture.KindRead:
		return fmt.Sprintf("%s read %d bytes", who, len(e.Wire))
	case capture.KindMessage:
		s := fmt.Sprintf("%s compressed %s message: %d bytes on the wire, %d inflated", who, e.Header.Opcode, e.WireSize, e.Header.Length)
		if p := payloadText(e, 40); p != "" {
			s += " " + p
		}
		if v := e.Violation; v != nil {
			s += fmt.Sprintf("  ✗ %s: %s (close %d)", ruleName(v), v.Msg, uint16(v.Code))
		}
		return s
	case capture.KindClosed:
		return fmt.Sprintf("%s #%d ✕ %s", ts, e.Conn, ClosedText(e))
	}
	return fmt.Sprintf("%s #%d %s", ts, e.Conn, e.Note)
}

// HandshakeLine is handshakeLine for logs: a handshake half in one line.
func HandshakeLine(h *protocol.HandshakeEvent) string { return handshakeLine(h) }

// handshakeLine is the start line of a handshake half and the headers a
// reader of a log needs: path, Origin, subprotocols and extensions.
func handshakeLine(h *protocol.HandshakeEvent) string {
	first, _, _ := strings.Cut(string(h.Raw), "\r\n")
	var hdr http.Header
	if h.Request {
		if req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(h.Raw))); err == nil {
			hdr = req.Header
			if o := hdr.Get("Origin"); o != "" {
				first += " · Origin " + o
			}
		}
	} else if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(h.Raw)), nil); err == nil {
		resp.Body.Close()
		hdr = resp.Header
	}
	word := "agreed"
	if h.Request {
		word = "offered"
	}
	for _, name := range []string{"Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"} {
		if v := strings.Join(hdr.Values(name), ", "); v != "" {
			label := "subprotocols"
			if strings.HasSuffix(name, "Extensions") {
				label = "extensions"
			}
			first += fmt.Sprintf(" · %s %s: %s", label, word, v)
		}
	}
	if h.Err != nil {
		first += " · refused: " + h.Err.Error()
	}
	return first
}

// payloadText shows a frame's payload: a close frame's code and reason,
// text in quotes, anything else in hex; at most n characters of it.
func payloadText(e capture.Entry, n int) string {
	p := e.Unmasked
	switch {
	case e.Header.Opcode == protocol.OpClose && e.Violation == nil:
		code, reason, _ := protocol.ParseClosePayload(p)
		if len(p) < 2 {
			return "(no code)"
		}
		if reason != "" {
			return fmt.Sprintf("%d %q", uint16(code), reason)
		}
		return fmt.Sprintf("%d", uint16(code))
	case len(p) == 0:
		return ""
	case utf8.Valid(p) && e.Header.Opcode != protocol.OpBinary && !e.Header.Rsv1:
		return Quote(p, n)
	}
	s := hex.EncodeToString(p[:min(len(p), n/2)])
	if len(p) > n/2 {
		s += "…"
	}
	return s
}

// Quote quotes at most n characters of text, marking a cut with "…".
func Quote(p []byte, n int) string {
	s := string(p)
	if r := []rune(s); len(r) > n {
		return fmt.Sprintf("%q…", string(r[:n]))
	}
	return fmt.Sprintf("%q", s)
}

// JSONEntry is an entry as one JSON object, for `proxy --json`: stable
// field names, payload as text when it is UTF-8 text and as hex otherwise.
type JSONEntry struct {
	Time    time.Time `json:"time"`
	Conn    int       `json:"conn"`
	Dir     string    `json:"dir"` // "client->server" or "server->client"
	Kind    string    `json:"kind"`
	Head    string    `json:"head,omitempty"` // handshake: the request or response head
	Fin     *bool     `json:"fin,omitempty"`
	Rsv1    bool      `json:"rsv1,omitempty"`
	Rsv2    bool      `json:"rsv2,omitempty"`
	Rsv3    bool      `json:"rsv3,omitempty"`
	Opcode  string    `json:"opcode,omitempty"`
	Masked  bool      `json:"masked,omitempty"`
	MaskKey string    `json:"mask_key,omitempty"`
	Length  *uint64   `json:"length,omitempty"`
	// WireLength is a compressed message's size on the wire; Length is
	// then its inflated size.
	WireLength int64   `json:"wire_length,omitempty"`
	Text       *string `json:"text,omitempty"`
	Hex        string  `json:"hex,omitempty"`
	// InflatedText and InflatedHex are a compressed message's payload
	// once inflated (kind "message"), as text when it is UTF-8 text.
	InflatedText *string   `json:"inflated_text,omitempty"`
	InflatedHex  string    `json:"inflated_hex,omitempty"`
	Truncated    bool      `json:"truncated,omitempty"` // only the first bytes of the payload are shown
	CloseCode    uint16    `json:"close_code,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	Violation    *JSONRule `json:"violation,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// JSONRule is a broken rule.
type JSONRule struct {
	Section string `json:"section"`
	Code    uint16 `json:"code"`
	Msg     string `json:"msg"`
}

// JSON returns e as a [JSONEntry].
func JSON(e capture.Entry, start time.Time) JSONEntry {
	j := JSONEntry{Time: start.Add(e.At).UTC(), Conn: e.Conn, Dir: "client->server"}
	if e.Dir == capture.ServerToClient {
		j.Dir = "server->client"
	}
	switch e.Kind {
	case capture.KindHandshake:
		j.Kind, j.Head = "handshake", string(e.Handshake.Raw)
	case capture.KindFrame:
		h := e.Header
		fin, length := h.Fin, h.Length
		j.Kind, j.Fin, j.Rsv1, j.Rsv2, j.Rsv3, j.Opcode, j.Masked, j.Length = "frame", &fin, h.Rsv1, h.Rsv2, h.Rsv3, h.Opcode.String(), h.Masked, &length
		if h.Masked {
			j.MaskKey = hex.EncodeToString(h.MaskKey[:])
		}
		p := e.Unmasked
		j.Truncated = uint64(len(p)) < h.Length
		if utf8.Valid(p) && (h.Opcode == protocol.OpText || h.Opcode == protocol.OpContinuation) && !h.Rsv1 {
			s := string(p)
			j.Text = &s
		} else if len(p) > 0 {
			j.Hex = hex.EncodeToString(p)
		}
		if h.Opcode == protocol.OpClose && len(p) >= 2 {
			code, reason, _ := protocol.ParseClosePayload(p)
			j.CloseCode, j.Reason = uint16(code), reason
		}
		if v := e.Violation; v != nil {
			j.Violation = &JSONRule{Section: v.Section, Code: uint16(v.Code), Msg: v.Msg}
		}
	case capture.KindMessage:
		// A compressed message, inflated: its type, sizes and bytes. The
		// bytes go in inflated_text or inflated_hex, never in text or
		// hex, so that a reader of the stream cannot take them for a
		// frame's payload as it went over the wire.
		length := e.Header.Length
		j.Kind, j.Opcode, j.Length, j.WireLength = "message", e.Header.Opcode.String(), &length, e.WireSize
		p := e.Unmasked
		j.Truncated = uint64(len(p)) < length
		if e.Header.Opcode == protocol.OpText && utf8.Valid(p) {
			s := string(p)
			j.InflatedText = &s
		} else if len(p) > 0 {
			j.InflatedHex = hex.EncodeToString(p)
		}
		if v := e.Violation; v != nil {
			j.Violation = &JSONRule{Section: v.Section, Code: uint16(v.Code), Msg: v.Msg}
		}
	case capture.KindClosed:
		j.Kind, j.Note = "closed", ClosedText(e)
	case capture.KindRaw, capture.KindRead:
		j.Kind, j.Hex = "raw", hex.EncodeToString(e.Wire)
	default:
		j.Kind, j.Note = "note", e.Note
	}
	return j
}

// MarshalLine is JSON(e) encoded as one line.
func MarshalLine(e capture.Entry, start time.Time) []byte {
	b, _ := json.Marshal(JSON(e, start)) // cannot fail: plain fields only
	return append(b, '\n')
}

// ruleName names a broken rule: "§8.1" for RFC 6455, "RFC 7692 §7.2.2"
// for another RFC.
func ruleName(v *protocol.Violation) string {
	if v.RFC != "" {
		return "RFC " + v.RFC + " §" + v.Section
	}
	return "§" + v.Section
}
