package render

import (
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// headerNotes annotates the headers of the opening handshake with their
// rule, keyed by lower-case header name.
var headerNotes = map[string]string{
	"host":                     "required: the server's host, optionally followed by :port when the port is not the default (§4.1 item 4, §4.2.1 item 2)",
	"upgrade":                  "must hold the token \"websocket\", any case (§4.1 item 5, §4.2.1)",
	"connection":               "must include the token \"Upgrade\", any case (§4.1 item 6, §4.2.1)",
	"sec-websocket-key":        "16 random bytes, base64: a fresh nonce per connection (§4.1 item 7)",
	"sec-websocket-version":    "must be 13 (§4.1 item 9); a server that does not speak it refuses with an HTTP error and lists its versions (§4.2.2, §4.4)",
	"sec-websocket-accept":     "base64(SHA-1(key + GUID)): proves a WebSocket server read this request (§4.2.2)",
	"sec-websocket-protocol":   "subprotocols offered, or the one chosen (§4.1 item 10, §11.3.4)",
	"sec-websocket-extensions": "extensions offered or accepted, e.g. permessage-deflate (§9)",
	"origin":                   "sent by browsers; the server may refuse origins it does not trust (§4.1 item 8, §10.2)",
	"user-agent":               "ordinary HTTP; WebSocket ignores it",
	"content-length":           "ordinary HTTP",
}

// responseNotes annotate the headers of a 101 response where the rule
// differs from the request's: the server's duty (§4.2.2 item 5) and the
// client's check of it (the second list of §4.1, items 2-3).
var responseNotes = map[string]string{
	"upgrade":    "the server MUST send \"websocket\" (§4.2.2 item 5); the client MUST fail the connection if it is missing or not \"websocket\", any case (§4.1, its checks of the response, item 2)",
	"connection": "the server MUST send \"Upgrade\" (§4.2.2 item 5); the client MUST fail the connection if it lacks the token \"Upgrade\", any case (§4.1, its checks of the response, item 3)",
}

// HandshakeLine is one line of a handshake head and its annotation.
type HandshakeLine struct {
	Text, Note string
}

// AnnotateHandshake splits a request or response head into lines and says
// what each line is for. A response other than 101 is ordinary HTTP, so
// its lines get no WebSocket rules.
func AnnotateHandshake(raw []byte) []HandshakeLine { return annotateHandshake("", raw) }

func annotateHandshake(lang string, raw []byte) []HandshakeLine {
	tr := func(en string) string { return tr(lang, en) }
	var out []HandshakeLine
	refused := false  // a response other than 101: the rest is ordinary HTTP
	response := false // a 101 response: some headers' rules are the server's
	lines := strings.Split(strings.TrimRight(string(raw), "\r\n"), "\r\n")
	for i, ln := range lines {
		note := ""
		switch {
		case i == 0 && strings.HasPrefix(ln, "GET "):
			note = tr("the request line: method GET, HTTP/1.1 or later (§4.1 items 2-3)")
		case i == 0 && strings.Contains(ln, " 101 "):
			note = tr("101: the server agrees to switch protocols; WebSocket frames follow (§4.2.2)")
			response = true
		case i == 0:
			note = tr("not 101: no WebSocket connection; the client handles the response as HTTP, such as a 401 or a redirect (§4.1)")
			refused = true
		default:
			name, _, _ := strings.Cut(ln, ":")
			name = strings.ToLower(strings.TrimSpace(name))
			switch {
			case refused && name == "sec-websocket-version":
				note = tr("the versions this server speaks (§4.4)")
			case response && responseNotes[name] != "":
				note = tr(responseNotes[name])
			case !refused:
				note = tr(headerNotes[name])
			}
			if note == "" {
				note = tr("an ordinary HTTP header")
			}
		}
		out = append(out, HandshakeLine{Text: ln, Note: note})
	}
	end := "an empty line (CRLF CRLF) ends the head; frames start right after it"
	if refused {
		end = "an empty line (CRLF CRLF) ends the head; an ordinary HTTP body may follow"
	}
	out = append(out, HandshakeLine{Text: "", Note: tr(end)})
	return out
}

// Handshake renders an annotated head. With width of 100 or more, notes go
// beside the lines; otherwise under them, indented.
func Handshake(raw []byte, t Theme, width int) string {
	var b strings.Builder
	for i, l := range annotateHandshake(t.lang, raw) {
		if i > 0 {
			b.WriteByte('\n')
		}
		text := l.Text
		if text == "" {
			text = t.tr("(empty line)")
		}
		if width >= 100 && cols(text) <= 46 {
			note := l.Note
			if t.lang == "zh" {
				// Chinese notes wrap beside the lines (English ones are
				// left as they were drawn).
				note = strings.ReplaceAll(t.Wrap(note, width-47), "\n", "\n"+strings.Repeat(" ", 47))
			}
			b.WriteString(pad(text, 46) + " " + t.Dim(note))
			continue
		}
		if cols(text) > width {
			// A long header (several extension offers) breaks at its
			// spaces; the continuation lines are indented.
			text = strings.ReplaceAll(Wrap(text, width-2), "\n", "\n  ")
		}
		b.WriteString(text + "\n    " + t.Dim(strings.ReplaceAll(t.Wrap(l.Note, width-4), "\n", "\n    ")))
	}
	return b.String()
}

// HeaderValue returns the value of the named header in a head, or "".
func HeaderValue(raw []byte, name string) string {
	for _, ln := range strings.Split(string(raw), "\r\n") {
		k, v, ok := strings.Cut(ln, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// AcceptSteps shows the Sec-WebSocket-Accept computation of §4.2.2 step by
// step and checks the result against got, the value the server sent.
func AcceptSteps(s protocol.AcceptSteps, got string, t Theme) string {
	return AcceptStepsFor(s, got, t, 100)
}

// AcceptStepsFor is [AcceptSteps] in width columns: long values continue
// on the next lines, under the first.
func AcceptStepsFor(s protocol.AcceptSteps, got string, t Theme, width int) string {
	const ind = "               " // under the values
	valW := max(20, width-len(ind))
	var b strings.Builder
	step := func(label, value string, style func(string) string) {
		lines := strings.Split(t.Wrap(value, valW), "\n")
		for i, l := range lines {
			if i == 0 {
				b.WriteString("  " + pad(label, 13) + style(l))
			} else {
				b.WriteString("\n" + ind + style(l))
			}
		}
	}
	plain := func(s string) string { return s }
	step("1. key", s.Key, plain)
	b.WriteByte('\n')
	if len(s.Concatenated) <= valW {
		step("2. + GUID", s.Concatenated, plain)
	} else {
		// The key, then the GUID right after it: one string, cut in two.
		step("2. + GUID", s.Key, plain)
		b.WriteString("\n" + ind + strings.TrimPrefix(s.Concatenated, s.Key))
	}
	b.WriteByte('\n')
	step("3. SHA-1", fmt.Sprintf("% x", s.SHA1[:]), plain)
	b.WriteByte('\n')
	step("4. base64", s.Accept, plain)
	b.WriteByte('\n')
	switch {
	case got == s.Accept:
		step(t.tr("5. check"), t.tr("matches the server's Sec-WebSocket-Accept: ")+got, t.Good)
	case got == "":
		step(t.tr("5. check"), t.tr("the server sent no Sec-WebSocket-Accept"), t.Bad)
	default:
		step(t.tr("5. check"), t.tr("does NOT match the server's ")+got, t.Bad)
	}
	note := t.Wrap(t.tr("The key is used as sent, not base64-decoded; the GUID is fixed by §1.3."), max(20, width-5))
	b.WriteString("\n" + t.Dim("     "+strings.ReplaceAll(note, "\n", "\n     ")))
	return b.String()
}
