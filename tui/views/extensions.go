package views

import (
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// The permessage-deflate negotiation, parameter by parameter
//
// A handshake half that carries Sec-WebSocket-Extensions gets a section
// that reads the header with the codec's own parser
// (protocol.ParseExtensions) and says what each offer and each parameter
// means, with its section of RFC 7692. On the response, the server's
// decision (protocol.Negotiation, reported by the codec) adds the offers
// it declined, with the reason, and the agreement both sides now follow.

// deflateParamMeaning says what one permessage-deflate parameter asks, in
// the request (offer) or the response.
func deflateParamMeaning(lang string, p protocol.ExtensionParam, offer bool) string {
	switch p.Name {
	case "server_no_context_takeover":
		if offer {
			return say(lang, "the client asks the server to empty its compression window after every message (RFC 7692 §7.1.1.1)")
		}
		return say(lang, "the server will empty its window after every message: nothing it sends points back into an earlier message (§7.1.1.1)")
	case "client_no_context_takeover":
		if offer {
			return say(lang, "a hint that the client will not use context takeover: it empties its window after every message (§7.1.1.2)")
		}
		return say(lang, "the server prevents the client from using context takeover: the client empties its window after every message (§7.1.1.2)")
	case "server_max_window_bits":
		if offer {
			return sayf(lang, "the client asks the server to keep its window to 2^%s bytes (§7.1.2.1)", p.Value)
		}
		return sayf(lang, "the server's window is at most 2^%s bytes (§7.1.2.1)", p.Value)
	case "client_max_window_bits":
		switch {
		case offer && !p.HasValue:
			return say(lang, "the client can limit its own window if the server asks it to (§7.1.2.2)")
		case offer:
			return sayf(lang, "the client will keep its window to 2^%s bytes (§7.1.2.2)", p.Value)
		}
		return sayf(lang, "the client's window must be at most 2^%s bytes (§7.1.2.2)", p.Value)
	}
	// An undefined parameter breaks a different rule on each side (§7.1):
	// the server declines such an offer; the client fails the connection
	// on such a response.
	if offer {
		return say(lang, "a parameter permessage-deflate does not define for an offer: the server must decline this offer (§7.1)")
	}
	return say(lang, "a parameter permessage-deflate does not define for a response: the client must fail the WebSocket connection (§7.1)")
}

// extensionsSection describes the Sec-WebSocket-Extensions of a handshake
// half, or returns "" if it has none.
func extensionsSection(hs *protocol.HandshakeEvent, lang string, width int) string {
	value := render.HeaderValue(hs.Raw, "Sec-WebSocket-Extensions")
	if value == "" && hs.Negotiation == nil {
		return ""
	}
	var lines []string
	add := func(s string) { lines = append(lines, render.PlainTheme().WithLang(lang).Wrap(s, width)) }
	exts, err := protocol.ParseExtensions([]string{value})
	switch {
	case value == "":
	case err != nil:
		add(say(lang, "the header breaks the grammar of RFC 6455 §9.1: ") + err.Error())
	default:
		for i, e := range exts {
			if hs.Request {
				add(sayf(lang, "offer %d: %s", i+1, e.String()))
			} else {
				add(sayf(lang, "accepted: %s", e.String()))
			}
			if e.Name != protocol.PerMessageDeflate {
				add(say(lang, "  an extension this codec does not know"))
				continue
			}
			if len(e.Params) == 0 {
				add(say(lang, "  no parameters: context takeover both ways, windows of 2^15 bytes (§7.1.1, §7.1.2)"))
			}
			for _, p := range e.Params {
				add("  " + p.Name + say(lang, ": ") + deflateParamMeaning(lang, p, hs.Request))
			}
		}
	}
	if n := hs.Negotiation; n != nil && !hs.Request {
		for _, d := range n.Declined {
			add(sayf(lang, "declined: %s (%s)", d.Offer, d.Reason))
		}
		if n.Accepted {
			a := n.Agreed
			takeover := func(no bool) string {
				if no {
					return say(lang, "no context takeover")
				}
				return say(lang, "context takeover")
			}
			add(sayf(lang, "agreed: client → server %s, window 2^%d; server → client %s, window 2^%d. RSV1 now marks a compressed message (§6).",
				takeover(a.ClientNoContextTakeover), a.ClientMaxWindowBits, takeover(a.ServerNoContextTakeover), a.ServerMaxWindowBits))
		} else {
			add(say(lang, "nothing agreed: frames stay as RFC 6455 defines them, and RSV1 stays a violation (§5.2)"))
		}
	}
	return strings.Join(lines, "\n")
}
