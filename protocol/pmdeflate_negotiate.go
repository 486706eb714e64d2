package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// permessage-deflate, the negotiation (RFC 7692 §5, RFC 7692 §7.1)
//
// The client offers "permessage-deflate" with up to four parameters; the
// server accepts one offer by answering with "permessage-deflate" and the
// parameters it agrees to, or declines all of them by leaving the
// extension out of its response (the connection then goes on without
// compression). The four parameters, each about one direction:
//
//   - server_no_context_takeover: the server starts every message it
//     sends with an empty window, forgetting earlier messages.
//   - client_no_context_takeover: the same for the client's messages.
//   - server_max_window_bits=N: the server's back-references reach at most
//     2^N bytes back (N from 8 to 15), which bounds the memory the
//     client's decompressor needs.
//   - client_max_window_bits[=N]: the same for the client's messages. In
//     an offer it may have no value: it then only says that this client
//     understands the parameter and that the server may set it.
//
// RFC 7692 §7: "A server MUST decline an extension negotiation offer for
// this extension if any of the following conditions are met": a parameter
// not defined for an offer, a parameter with an invalid value, the same
// parameter twice, or a configuration the server does not support. A
// client must likewise refuse a response that breaks those rules or that
// gives a parameter the offer did not allow (RFC 7692 §5.1 and RFC 7692 §7.1 item by item,
// below): it fails the connection.

// PerMessageDeflate is the registered name of the extension.
const PerMessageDeflate = "permessage-deflate"

// The four parameters of RFC 7692 §7.1.
const (
	paramServerNoContextTakeover = "server_no_context_takeover"
	paramClientNoContextTakeover = "client_no_context_takeover"
	paramServerMaxWindowBits     = "server_max_window_bits"
	paramClientMaxWindowBits     = "client_max_window_bits"
)

// Window sizes: RFC 7692 §7.1.2.1 and RFC 7692 §7.1.2.2 allow 8 to 15 bits (a window of 256
// bytes to 32 KiB); DEFLATE itself cannot reach further than 32 KiB.
const (
	MinWindowBits = 8
	MaxWindowBits = 15
)

// DeflateParams is what one permessage-deflate element of the header says:
// an offer or a response. Invariants: a WindowBits field is 0 when the
// parameter is absent and MinWindowBits..MaxWindowBits otherwise;
// ClientMaxWindowBitsNoValue is true only in an offer, when
// client_max_window_bits was sent without a value (ClientMaxWindowBits is
// then 0).
type DeflateParams struct {
	ServerNoContextTakeover    bool
	ClientNoContextTakeover    bool
	ServerMaxWindowBits        int
	ClientMaxWindowBits        int
	ClientMaxWindowBitsNoValue bool
}

// Extension writes the parameters as a header element, in the order of
// RFC 7692 §7.1.
func (p DeflateParams) Extension() Extension {
	e := Extension{Name: PerMessageDeflate}
	if p.ServerNoContextTakeover {
		e.Params = append(e.Params, ExtensionParam{Name: paramServerNoContextTakeover})
	}
	if p.ClientNoContextTakeover {
		e.Params = append(e.Params, ExtensionParam{Name: paramClientNoContextTakeover})
	}
	if p.ServerMaxWindowBits != 0 {
		e.Params = append(e.Params, ExtensionParam{Name: paramServerMaxWindowBits, Value: strconv.Itoa(p.ServerMaxWindowBits), HasValue: true})
	}
	if p.ClientMaxWindowBits != 0 {
		e.Params = append(e.Params, ExtensionParam{Name: paramClientMaxWindowBits, Value: strconv.Itoa(p.ClientMaxWindowBits), HasValue: true})
	} else if p.ClientMaxWindowBitsNoValue {
		e.Params = append(e.Params, ExtensionParam{Name: paramClientMaxWindowBits})
	}
	return e
}

func (p DeflateParams) String() string { return p.Extension().String() }

// DeflateParamError says which parameter of a permessage-deflate element
// is wrong and why. Section is the RFC 7692 section with the rule.
type DeflateParamError struct {
	Param   string // the parameter at fault; "" if the element as a whole is
	Section string
	Msg     string
}

func (e *DeflateParamError) Error() string {
	if e.Param == "" {
		return fmt.Sprintf("permessage-deflate: %s (RFC 7692 §%s)", e.Msg, e.Section)
	}
	return fmt.Sprintf("permessage-deflate parameter %s: %s (RFC 7692 §%s)", e.Param, e.Msg, e.Section)
}

func paramErr(param, section, format string, args ...any) *DeflateParamError {
	return &DeflateParamError{Param: param, Section: section, Msg: fmt.Sprintf(format, args...)}
}

// parseDeflateParams reads the parameters of one permessage-deflate
// element. offer says whether it is a client's offer (where
// client_max_window_bits may come without a value) or a server's response.
// It applies the rules common to both: only the four known parameters,
// each at most once, with valid values.
func parseDeflateParams(e Extension, offer bool) (DeflateParams, *DeflateParamError) {
	var p DeflateParams
	seen := map[string]bool{}
	for _, param := range e.Params {
		if seen[param.Name] {
			return DeflateParams{}, paramErr(param.Name, "7", "appears twice; each parameter may be given once")
		}
		seen[param.Name] = true
		switch param.Name {
		case paramServerNoContextTakeover, paramClientNoContextTakeover:
			// RFC 7692 §7.1.1.1, RFC 7692 §7.1.1.2: these parameters have no value.
			if param.HasValue {
				return DeflateParams{}, paramErr(param.Name, "7.1.1", "has the value %s, but it takes no value", quotePeer(param.Value))
			}
			if param.Name == paramServerNoContextTakeover {
				p.ServerNoContextTakeover = true
			} else {
				p.ClientNoContextTakeover = true
			}
		case paramServerMaxWindowBits, paramClientMaxWindowBits:
			section := "7.1.2.1"
			if param.Name == paramClientMaxWindowBits {
				section = "7.1.2.2"
			}
			if !param.HasValue {
				// Only an offer's client_max_window_bits may go without
				// a value (RFC 7692 §7.1.2.2); the server must then give one if
				// it gives the parameter at all.
				if param.Name == paramClientMaxWindowBits && offer {
					p.ClientMaxWindowBitsNoValue = true
					continue
				}
				return DeflateParams{}, paramErr(param.Name, section, "has no value; expected a number from %d to %d", MinWindowBits, MaxWindowBits)
			}
			bits, ok := parseWindowBits(param.Value)
			if !ok {
				return DeflateParams{}, paramErr(param.Name, section, "has the value %s; expected a number from %d to %d without leading zeros", quotePeer(param.Value), MinWindowBits, MaxWindowBits)
			}
			if param.Name == paramServerMaxWindowBits {
				p.ServerMaxWindowBits = bits
			} else {
				p.ClientMaxWindowBits = bits
			}
		default:
			return DeflateParams{}, paramErr(param.Name, "7", "is not a parameter of permessage-deflate")
		}
	}
	return p, nil
}

// parseWindowBits accepts the decimal numbers 8 to 15, written without
// leading zeros, as RFC 7692 §7.1.2.1 and RFC 7692 §7.1.2.2 ask.
func parseWindowBits(s string) (int, bool) {
	if s == "" || s[0] == '0' || len(s) > 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinWindowBits || n > MaxWindowBits {
		return 0, false
	}
	return n, true
}

// CompressionOptions is one side's policy for permessage-deflate. The zero
// value offers (as a client) or accepts (as a server) compression with the
// largest window and context takeover in both directions, which is what
// browsers ask for.
type CompressionOptions struct {
	// Disabled turns the extension off: a client offers nothing, a server
	// declines every offer.
	Disabled bool
	// ServerNoContextTakeover and ClientNoContextTakeover ask for (client)
	// or impose (server) a fresh window for every message of that side:
	// less memory kept between messages, more bytes on the wire.
	ServerNoContextTakeover bool
	ClientNoContextTakeover bool
	// ServerMaxWindowBits and ClientMaxWindowBits, when not zero, limit
	// the window of that side's compressor (8 to 15). A smaller peer
	// window means a smaller decompressor state kept for it.
	ServerMaxWindowBits int
	ClientMaxWindowBits int
	// Threshold: messages shorter than this many bytes are sent
	// uncompressed (RSV1 clear), since compressing a few bytes costs more
	// than it saves. Zero means DefaultCompressionThreshold; negative
	// compresses every message. A message written with NextWriter, whose
	// size is not known in advance, is always compressed.
	Threshold int
}

// DefaultCompressionThreshold is the size below which messages go out
// uncompressed when CompressionOptions.Threshold is zero.
const DefaultCompressionThreshold = 64

func (o *CompressionOptions) threshold() int {
	switch {
	case o == nil || o.Threshold == 0:
		return DefaultCompressionThreshold
	case o.Threshold < 0:
		return 0
	}
	return o.Threshold
}

func checkWindowOption(name string, bits int) error {
	if bits != 0 && (bits < MinWindowBits || bits > MaxWindowBits) {
		return fmt.Errorf("websocket: CompressionOptions.%s is %d, expected 0 or %d to %d (RFC 7692 §7.1.2)", name, bits, MinWindowBits, MaxWindowBits)
	}
	return nil
}

func (o *CompressionOptions) check() error {
	if err := checkWindowOption("ServerMaxWindowBits", o.ServerMaxWindowBits); err != nil {
		return err
	}
	return checkWindowOption("ClientMaxWindowBits", o.ClientMaxWindowBits)
}

// DeflateAgreement is what both sides use once permessage-deflate is
// negotiated. Its window fields are always MinWindowBits..MaxWindowBits:
// a parameter left out of the response means the largest window, 15.
type DeflateAgreement struct {
	ServerNoContextTakeover bool
	ClientNoContextTakeover bool
	ServerMaxWindowBits     int
	ClientMaxWindowBits     int
}

// agreementFrom turns a response into the agreement it stands for.
func agreementFrom(resp DeflateParams) DeflateAgreement {
	a := DeflateAgreement{
		ServerNoContextTakeover: resp.ServerNoContextTakeover,
		ClientNoContextTakeover: resp.ClientNoContextTakeover,
		ServerMaxWindowBits:     resp.ServerMaxWindowBits,
		ClientMaxWindowBits:     resp.ClientMaxWindowBits,
	}
	if a.ServerMaxWindowBits == 0 {
		a.ServerMaxWindowBits = MaxWindowBits
	}
	if a.ClientMaxWindowBits == 0 {
		a.ClientMaxWindowBits = MaxWindowBits
	}
	return a
}

// ClientOffer is the permessage-deflate offer a client with these options
// sends. It always includes client_max_window_bits, so that the server may
// limit our window if it wants to (RFC 7692 §7.1.2.2), with a value if we limit
// ourselves.
func (o *CompressionOptions) ClientOffer() DeflateParams {
	return DeflateParams{
		ServerNoContextTakeover:    o.ServerNoContextTakeover,
		ClientNoContextTakeover:    o.ClientNoContextTakeover,
		ServerMaxWindowBits:        o.ServerMaxWindowBits,
		ClientMaxWindowBits:        o.ClientMaxWindowBits,
		ClientMaxWindowBitsNoValue: o.ClientMaxWindowBits == 0,
	}
}

// DeclinedOffer is an offer the server did not accept, and why.
type DeclinedOffer struct {
	Offer  string // the element as the client wrote it
	Reason string
}

// Negotiation is the server's decision on a request's extension offers:
// the response element (if one offer was accepted), what it means, and
// every offer that was passed over, with the reason.
type Negotiation struct {
	Offered  []Extension      // every element of the request's header
	Accepted bool             // an offer of permessage-deflate was accepted
	Response DeflateParams    // what the server answers, when Accepted
	Agreed   DeflateAgreement // what both sides will use, when Accepted
	Declined []DeclinedOffer
}

// ResponseHeader is the Sec-WebSocket-Extensions value of the response,
// or "" when nothing was accepted.
func (n *Negotiation) ResponseHeader() string {
	if n == nil || !n.Accepted {
		return ""
	}
	return n.Response.String()
}

// NegotiateDeflate is the server's policy: it reads the offers in the
// client's order of preference and accepts the first permessage-deflate
// offer it can honour, declining (with a reason) those before it. Other
// extensions are declined as unknown. A header that breaks the §9.1
// grammar is an error: §9.1 asks the recipient of malformed data to fail
// the connection.
func NegotiateDeflate(headerValues []string, opts *CompressionOptions) (*Negotiation, error) {
	offers, err := ParseExtensions(headerValues)
	if err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &CompressionOptions{}
	}
	n := &Negotiation{Offered: offers}
	for _, e := range offers {
		if n.Accepted {
			break
		}
		if e.Name != PerMessageDeflate {
			n.Declined = append(n.Declined, DeclinedOffer{Offer: e.String(), Reason: "this server knows no extension called " + strconv.Quote(e.Name)})
			continue
		}
		if opts.Disabled {
			n.Declined = append(n.Declined, DeclinedOffer{Offer: e.String(), Reason: "compression is turned off on this server"})
			continue
		}
		resp, reason := acceptDeflateOffer(e, opts)
		if reason != "" {
			n.Declined = append(n.Declined, DeclinedOffer{Offer: e.String(), Reason: reason})
			continue
		}
		n.Accepted, n.Response, n.Agreed = true, resp, agreementFrom(resp)
	}
	return n, nil
}

// acceptDeflateOffer builds the response to one offer, or says why the
// offer must be declined. The response never carries a parameter the
// offer did not allow (RFC 7692 §7.1).
func acceptDeflateOffer(e Extension, opts *CompressionOptions) (DeflateParams, string) {
	offer, perr := parseDeflateParams(e, true)
	if perr != nil {
		return DeflateParams{}, perr.Error()
	}
	var resp DeflateParams
	// RFC 7692 §7.1.1.1: an offered server_no_context_takeover must be accepted
	// by including it; the server may also include it unasked, since it
	// only concerns the server's own compressor.
	resp.ServerNoContextTakeover = offer.ServerNoContextTakeover || opts.ServerNoContextTakeover
	// RFC 7692 §7.1.1.2: the server may always ask the client not to use context
	// takeover. An offered client_no_context_takeover is a promise from
	// the client; we say it back so that the agreement shows it.
	resp.ClientNoContextTakeover = offer.ClientNoContextTakeover || opts.ClientNoContextTakeover
	// RFC 7692 §7.1.2.1: the offer limits our window; the response may give only
	// the same or a smaller value, and only if the offer had the
	// parameter. Without it in the offer, we may still compress with a
	// smaller window than 15 without saying so: a decoder with a bigger
	// window reads it just the same.
	if offer.ServerMaxWindowBits != 0 {
		resp.ServerMaxWindowBits = offer.ServerMaxWindowBits
		if opts.ServerMaxWindowBits != 0 && opts.ServerMaxWindowBits < resp.ServerMaxWindowBits {
			resp.ServerMaxWindowBits = opts.ServerMaxWindowBits
		}
	}
	// RFC 7692 §7.1.2.2: we may limit the client's window only if it offered the
	// parameter, and to no more than the value it gave.
	if opts.ClientMaxWindowBits != 0 && opts.ClientMaxWindowBits < MaxWindowBits {
		if offer.ClientMaxWindowBits == 0 && !offer.ClientMaxWindowBitsNoValue {
			return DeflateParams{}, fmt.Sprintf("this server requires client_max_window_bits <= %d, but the offer does not allow the server to set it", opts.ClientMaxWindowBits)
		}
		resp.ClientMaxWindowBits = opts.ClientMaxWindowBits
	}
	if offer.ClientMaxWindowBits != 0 && (resp.ClientMaxWindowBits == 0 || offer.ClientMaxWindowBits < resp.ClientMaxWindowBits) {
		// The client announced the window it will use; saying it back
		// keeps the agreement explicit.
		resp.ClientMaxWindowBits = offer.ClientMaxWindowBits
	}
	return resp, ""
}

// CheckDeflateResponse is the client's check of the server's
// Sec-WebSocket-Extensions against its offer. It returns the agreement
// (nil if the server declined compression) or an error naming the
// parameter that breaks the offer.
func CheckDeflateResponse(headerValues []string, offer DeflateParams) (*DeflateAgreement, error) {
	exts, err := ParseExtensions(headerValues)
	if err != nil {
		return nil, err
	}
	if len(exts) == 0 {
		return nil, nil // declined: no compression
	}
	if len(exts) > 1 {
		names := make([]string, len(exts))
		for i, e := range exts {
			names[i] = e.Name
		}
		return nil, paramErr("", "5.1", "the response accepts %d extensions (%s), but only one permessage-deflate was offered", len(exts), strings.Join(names, ", "))
	}
	e := exts[0]
	if e.Name != PerMessageDeflate {
		// RFC 6455, on extensions: "A server MUST NOT respond with any
		// extension not requested by the client."
		return nil, paramErr("", "5.1", "the response accepts the extension %q, which was not offered", e.Name)
	}
	resp, perr := parseDeflateParams(e, false)
	if perr != nil {
		return nil, perr
	}
	// RFC 7692 §7.1.2.1: server_max_window_bits comes back only if it was offered,
	// with the same or a smaller value; and an offer with it is accepted
	// only by a response that has it.
	if offer.ServerMaxWindowBits != 0 && resp.ServerMaxWindowBits == 0 {
		return nil, paramErr(paramServerMaxWindowBits, "7.1.2.1", "was offered as %d but is missing from the response; the server must include it to accept the offer", offer.ServerMaxWindowBits)
	}
	if resp.ServerMaxWindowBits != 0 {
		if offer.ServerMaxWindowBits == 0 {
			return nil, paramErr(paramServerMaxWindowBits, "7.1.2.1", "is in the response but was not in the offer")
		}
		if resp.ServerMaxWindowBits > offer.ServerMaxWindowBits {
			return nil, paramErr(paramServerMaxWindowBits, "7.1.2.1", "is %d in the response, larger than the %d offered", resp.ServerMaxWindowBits, offer.ServerMaxWindowBits)
		}
	}
	// RFC 7692 §7.1.2.2: client_max_window_bits comes back only if it was offered,
	// and no larger than the value offered.
	if resp.ClientMaxWindowBits != 0 {
		if offer.ClientMaxWindowBits == 0 && !offer.ClientMaxWindowBitsNoValue {
			return nil, paramErr(paramClientMaxWindowBits, "7.1.2.2", "is in the response but was not in the offer")
		}
		if offer.ClientMaxWindowBits != 0 && resp.ClientMaxWindowBits > offer.ClientMaxWindowBits {
			return nil, paramErr(paramClientMaxWindowBits, "7.1.2.2", "is %d in the response, larger than the %d offered", resp.ClientMaxWindowBits, offer.ClientMaxWindowBits)
		}
	}
	a := agreementFrom(resp)
	// What we offered binds us even if the server left it out: we said
	// we would use no larger window than our value (RFC 7692 §7.1.2.2) and, if we
	// offered client_no_context_takeover, no context takeover (RFC 7692 §7.1.1.2).
	if offer.ClientMaxWindowBits != 0 && offer.ClientMaxWindowBits < a.ClientMaxWindowBits {
		a.ClientMaxWindowBits = offer.ClientMaxWindowBits
	}
	a.ClientNoContextTakeover = a.ClientNoContextTakeover || offer.ClientNoContextTakeover
	// RFC 7692 §7.1.1.1: if we asked for server_no_context_takeover, a response
	// without it does not accept our offer.
	if offer.ServerNoContextTakeover && !resp.ServerNoContextTakeover {
		return nil, paramErr(paramServerNoContextTakeover, "7.1.1.1", "was offered but is missing from the response; the server must include it to accept the offer")
	}
	return &a, nil
}

// WatchNegotiation is a watcher's reading of a handshake it relays: from
// the Sec-WebSocket-Extensions values of the request and of the response,
// what the two sides agreed. The server accepts one offer (RFC 7692 §5):
// the agreement is the response read against the first
// permessage-deflate offer it keeps to, so that what the client promised
// in that offer (client_no_context_takeover, a client_max_window_bits
// value) binds it even if the response leaves it out. It returns nil when
// the response accepts no permessage-deflate. A response that keeps to no
// offer is reported as an error with the agreement the response alone
// stands for, since the client is then expected to fail the connection
// but the bytes still flow.
func WatchNegotiation(requestValues, responseValues []string) (*Negotiation, error) {
	resps, err := ParseExtensions(responseValues)
	if err != nil {
		return nil, err
	}
	var respExt *Extension
	for i := range resps {
		if resps[i].Name == PerMessageDeflate {
			respExt = &resps[i]
			break
		}
	}
	if respExt == nil {
		return nil, nil
	}
	resp, perr := parseDeflateParams(*respExt, false)
	if perr != nil {
		return nil, perr
	}
	offers, _ := ParseExtensions(requestValues)
	n := &Negotiation{Offered: offers, Accepted: true, Response: resp, Agreed: agreementFrom(resp)}
	var firstErr error
	for _, e := range offers {
		if e.Name != PerMessageDeflate {
			continue
		}
		offer, perr := parseDeflateParams(e, true)
		if perr != nil {
			continue
		}
		a, err := CheckDeflateResponse(responseValues, offer)
		if err == nil && a != nil {
			n.Agreed = *a
			return n, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = paramErr("", "5.1", "the response accepts permessage-deflate, which the request did not offer")
	}
	return n, firstErr
}
