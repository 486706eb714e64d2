package testvectors

// The Go form of the vector files. README.md documents every field; the
// JSON Schema in schema.json states the same rules for other languages.

// Groups, one per kind of input a vector feeds to an implementation.
const (
	GroupHandshake = "handshake"
	GroupFrames    = "frames"
	GroupMessages  = "messages"
	GroupUTF8      = "utf8"
	GroupClose     = "close"
	// GroupDeflate is permessage-deflate (RFC 7692): negotiation, and
	// messages on a connection that negotiated it.
	GroupDeflate = "deflate"
)

// Kinds of handshake vectors.
const (
	KindAccept   = "accept"   // Sec-WebSocket-Key to Sec-WebSocket-Accept
	KindRequest  = "request"  // a client's request, judged by a server
	KindResponse = "response" // a server's response, judged by a client
	// In group deflate, KindOffer is a request's extension offers judged
	// by a server, KindResponse a server's answer judged by the client
	// that made the offer, and KindMessages frames on a connection.
	KindOffer    = "offer"
	KindMessages = "messages"
)

// RFCs a vector's section and rule may come from.
const (
	RFC6455 = "6455"
	RFC7692 = "7692"
)

// Set is every vector loaded, file by file, in the order given.
type Set struct {
	Files []*File
}

// File is one vector file.
type File struct {
	// Name is the path the file was loaded from, or its name in the
	// embedded set.
	Name        string    `json:"-"`
	Group       string    `json:"group"`
	Description string    `json:"description"`
	Vectors     []*Vector `json:"vectors"`
}

// Levels: how firmly RFC 6455 binds an expected result or field.
const (
	LevelMust      = "MUST"      // RFC 6455 requires it of the receiver
	LevelShould    = "SHOULD"    // RFC 6455 recommends it
	LevelWsanatomy = "wsanatomy" // RFC 6455 leaves it open; this is wsanatomy's choice
)

var levels = []string{LevelMust, LevelShould, LevelWsanatomy}

// Vector is one test: an input, the result wsanatomy gives, how firmly
// RFC 6455 binds that result, and the other results it allows.
type Vector struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	// Section is the RFC 6455 section whose rule the vector tests, "5.2".
	Section string `json:"section"`
	// Level says how firmly RFC 6455 binds the kind of result in Expect
	// (accepted, failed, closed, refused): MUST, SHOULD, or wsanatomy when
	// the RFC puts the rule on the sender and leaves the receiver free.
	Level string `json:"level"`
	// Rule is the RFC text Level rests on, quoted verbatim.
	Rule string `json:"rule"`
	// RFC is the RFC that Section and Rule come from: "6455" (also when
	// absent) or "7692".
	RFC    string `json:"rfc,omitempty"`
	Input  Input  `json:"input"`
	Expect Expect `json:"expect"`
	// Allowed lists other results RFC 6455 permits for the same input, in
	// the same form as Expect. wsanatomy's own runner ignores them: Expect
	// is what wsanatomy does.
	Allowed []Expect `json:"allowed,omitempty"`
	// File is the file the vector came from.
	File *File `json:"-"`
}

// Input holds the fields of every group; which ones a vector may use
// depends on its group (see allowedInput).
type Input struct {
	Receiver     string   `json:"receiver,omitempty"`      // frames, messages: "client" or "server"
	Bytes        Bytes    `json:"bytes,omitempty"`         // frames: one frame
	InMessage    bool     `json:"in_message,omitempty"`    // frames: a fragmented message is in progress
	MessageLimit *int64   `json:"message_limit,omitempty"` // frames, messages: largest message; absent means none
	Frames       []Bytes  `json:"frames,omitempty"`        // messages: frames in arrival order
	Fragments    []Bytes  `json:"fragments,omitempty"`     // utf8: pieces of one text message
	Payload      Bytes    `json:"payload,omitempty"`       // close: a close frame's payload
	Kind         string   `json:"kind,omitempty"`          // handshake: accept, request or response
	Key          string   `json:"key,omitempty"`           // handshake accept and response
	Request      string   `json:"request,omitempty"`       // handshake request: the HTTP request head
	Response     string   `json:"response,omitempty"`      // handshake response: the HTTP response head
	Protocols    []string `json:"protocols,omitempty"`     // handshake: server's supported, or client's offered subprotocols
	Origins      []string `json:"origins,omitempty"`       // handshake request: origins the server allows
	Extensions   []string `json:"extensions,omitempty"`    // deflate offer and response: Sec-WebSocket-Extensions lines received
	Offer        string   `json:"offer,omitempty"`         // deflate response: the client's offer
	Agreed       string   `json:"agreed,omitempty"`        // deflate messages: the permessage-deflate response agreed; absent for none
}

// Expect holds the expected result. Which fields a vector may use depends
// on its group (see allowedExpect).
type Expect struct {
	Frame      *FrameExpect     `json:"frame,omitempty"`      // frames: the decoded frame
	Error      *ErrorExpect     `json:"error,omitempty"`      // frames, messages, utf8, close: the failure
	Incomplete *bool            `json:"incomplete,omitempty"` // frames: the bytes end inside the frame
	Messages   *[]MessageExpect `json:"messages,omitempty"`   // messages: the messages delivered
	Closed     *ClosedExpect    `json:"closed,omitempty"`     // messages, close: the peer's close, accepted
	Replies    *[]ReplyExpect   `json:"replies,omitempty"`    // messages: control frames the receiver sends back
	Valid      *bool            `json:"valid,omitempty"`      // utf8: the text is valid
	Accept     string           `json:"accept,omitempty"`     // handshake accept
	Status     *Status          `json:"status,omitempty"`     // handshake request: 101, or "4xx" for any refusal
	// PreferredStatus is the exact refusal status RFC 6455 recommends
	// (SHOULD) or wsanatomy chooses; PreferredStatusLevel says which.
	PreferredStatus      *int    `json:"preferred_status,omitempty"`
	PreferredStatusLevel string  `json:"preferred_status_level,omitempty"`
	SecWebSocketVersion  *string `json:"sec_websocket_version,omitempty"` // handshake request: a version the refusal must list
	OK                   *bool   `json:"ok,omitempty"`                    // handshake response: the client accepts it
	Header               string  `json:"header,omitempty"`                // handshake: the header that is wrong
	Protocol             *string `json:"protocol,omitempty"`              // handshake: the subprotocol chosen ("" for none)
	Accepted             *bool   `json:"accepted,omitempty"`              // deflate offer: an offer was accepted
	// Params is the server's answer to the accepted offer: parameter
	// names to values, "" for a parameter without one. wsanatomy's own
	// answer; RFC 7692 allows others.
	Params *map[string]string `json:"params,omitempty"`
}

// FrameExpect is a decoded frame. Payload, if given, is the payload after
// unmasking; if absent the payload is not compared.
type FrameExpect struct {
	Fin     *bool   `json:"fin"`
	Rsv1    *bool   `json:"rsv1"`
	Rsv2    *bool   `json:"rsv2"`
	Rsv3    *bool   `json:"rsv3"`
	Opcode  *int    `json:"opcode"`
	Masked  *bool   `json:"masked"`
	MaskKey *string `json:"mask_key,omitempty"`
	Length  *uint64 `json:"length"`
	Payload *Bytes  `json:"payload,omitempty"`
}

// ErrorExpect is a failed connection: the close codes appropriate for it
// (the receiver's close frame should carry one of them), how firmly the
// RFC binds that code, and the RFC section of the broken rule. Section and
// At are wsanatomy's own reports, informative only. At is for utf8
// vectors: the index, in the whole message, of the first byte after which
// the text can no longer be valid (the message length if it ends
// mid-character).
type ErrorExpect struct {
	CloseCode CodeSet `json:"close_code"`
	CodeLevel string  `json:"code_level"`
	Section   string  `json:"section"`
	// RFC is the RFC of Section: "6455" (also when absent) or "7692".
	RFC string `json:"rfc,omitempty"`
	At  *int   `json:"at,omitempty"`
}

// MessageExpect is one delivered message. Type is "text" or "binary".
type MessageExpect struct {
	Type    string `json:"type"`
	Payload *Bytes `json:"payload"`
}

// ClosedExpect is a close frame the receiver accepted: its code (1005 for
// an empty payload, which carries none) and reason.
type ClosedExpect struct {
	Code   *int    `json:"code"`
	Reason *string `json:"reason"`
}

// ReplyExpect is a frame the receiver sends back: a pong answering a ping,
// or its close frame. For a close frame only CloseCode is compared, since
// the reason is the implementation's own words; for any other frame,
// Payload, after unmasking.
//
// Level says how firmly RFC 6455 asks for the frame to be sent, and, for a
// close frame, CodeLevel how firmly it fixes the code: a close frame
// answering a close is a MUST whose code the RFC says is "typically" the
// echo (wsanatomy level); one sent on failing is a SHOULD with an
// appropriate code (SHOULD).
type ReplyExpect struct {
	Opcode    *int    `json:"opcode"`
	Payload   *Bytes  `json:"payload,omitempty"`
	CloseCode CodeSet `json:"close_code,omitempty"`
	Level     string  `json:"level"`
	CodeLevel string  `json:"code_level,omitempty"`
}

// RFCNumber is the RFC of the vector's Section and Rule: RFC if set,
// otherwise RFC 6455.
func (v *Vector) RFCNumber() string {
	if v.RFC == "" {
		return RFC6455
	}
	return v.RFC
}
