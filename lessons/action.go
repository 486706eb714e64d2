package lessons

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// ActionKind says what an action does. The TUI's runner carries actions out
// on a live client/server pair; this package only parses and validates them,
// so a typo in a lesson fails when the lesson loads, not in front of a
// learner.
type ActionKind uint8

const (
	// ActSend: "client text "Hello"". From sends one message of Opcode
	// (text, binary, ping or pong) with Payload.
	ActSend ActionKind = iota + 1
	// ActFragments: "client fragments text "Hello, world" 5". From sends
	// one message split into frames of at most Size payload bytes.
	ActFragments
	// ActRaw: "client raw 89 80 ...". From writes Raw as is, bypassing the
	// encoder (protocol Conn.WriteRaw).
	ActRaw
	// ActDribble: "dribble 3". Until the end of the step, every write is
	// cut into pieces of Size bytes, sent one at a time, so the reader sees
	// a frame arrive in several reads.
	ActDribble
	// ActClose: "client close 1000 "bye"" or "close" (client, no code).
	// From starts the closing handshake. Code is 1005 when no code is
	// given: the close frame then has an empty body.
	ActClose
	// ActDrop: "server drop". From closes TCP without a close frame; the
	// peer reports 1006.
	ActDrop
	// ActHandshake: "handshake protocol=chat origin=http://x version=13".
	// A fresh client connects with these Handshake options.
	ActHandshake
	// ActHTTP: "http "Hello"". A plain HTTP/1.1 POST carrying Payload to a
	// loopback server, answered with the same body, to compare its bytes
	// on the wire with a WebSocket frame's.
	ActHTTP
	// ActRace: "client race "Hello" "World" 4". Two text messages written
	// without a lock: frame B lands after the first Size bytes of frame A,
	// as when two goroutines write to one connection at once.
	ActRace
	// ActMute: "server mute". From stops reading and answering, as a peer
	// that froze or whose network vanished without a FIN.
	ActMute
	// ActHeartbeat: "client heartbeat 200ms 600ms". From pings every
	// Interval and declares the peer dead when no pong arrives within
	// Timeout: an application policy, not part of RFC 6455.
	ActHeartbeat
	// ActWait: "wait 500ms". Pause, so that time-based events can happen.
	ActWait
	// ActLimit: "server limit 1024". From refuses messages larger than Size
	// bytes (closing with 1009), as §10.4 advises.
	ActLimit
)

var actionNames = map[ActionKind]string{
	ActSend: "send", ActFragments: "fragments", ActRaw: "raw", ActDribble: "dribble",
	ActClose: "close", ActDrop: "drop", ActHandshake: "handshake", ActHTTP: "http",
	ActRace: "race", ActMute: "mute", ActHeartbeat: "heartbeat", ActWait: "wait",
	ActLimit: "limit",
}

func (k ActionKind) String() string {
	if s, ok := actionNames[k]; ok {
		return s
	}
	return "action(" + strconv.Itoa(int(k)) + ")"
}

// Action is one line of an ```action block, parsed and validated.
type Action struct {
	Kind ActionKind
	// From is the endpoint that acts; 0 for dribble, wait, http and
	// handshake, which belong to no side.
	From     protocol.Role
	Opcode   protocol.Opcode // ActSend, ActFragments
	Payload  []byte          // ActSend, ActFragments, ActRace (frame A), ActHTTP
	Payload2 []byte          // ActRace: frame B
	// Size is the fragment size (ActFragments), the bytes per write
	// (ActDribble), the offset in frame A where B lands (ActRace) or the
	// message limit (ActLimit).
	Size      int
	Raw       []byte             // ActRaw
	Code      protocol.CloseCode // ActClose
	Reason    string             // ActClose
	Interval  time.Duration      // ActHeartbeat, ActWait
	Timeout   time.Duration      // ActHeartbeat
	Handshake HandshakeOptions   // ActHandshake
	// Source is the line as written, after template expansion; Line is its
	// line number in the lesson file.
	Source string
	Line   int
}

// HandshakeOptions are the client's choices for ActHandshake. Empty fields
// mean the defaults of a correct client.
type HandshakeOptions struct {
	Subprotocols []string // Sec-WebSocket-Protocol, in order of preference
	Extensions   string   // Sec-WebSocket-Extensions, as written
	Origin       string   // Origin
	Version      string   // Sec-WebSocket-Version; "" means 13
	Key          string   // Sec-WebSocket-Key; "" means a random one
}

// parseAction parses one action line. Errors say what was expected, and the
// caller adds the file and line.
func parseAction(line string) (Action, error) {
	words, err := splitWords(line)
	if err != nil {
		return Action{}, err
	}
	a := Action{Source: line}
	if len(words) == 0 {
		return a, fmt.Errorf("empty action")
	}
	// A leading client or server names the actor.
	if r, err := parseRole(words[0]); err == nil {
		a.From = r
		words = words[1:]
		if len(words) == 0 {
			return a, fmt.Errorf("%s does what? want text, binary, ping, pong, fragments, raw, close, drop, race, mute, heartbeat or limit", a.From)
		}
	}
	verb, args := words[0], words[1:]
	needActor := func() error {
		if a.From == 0 {
			return fmt.Errorf("%q needs an actor: client %s or server %s", verb, verb, verb)
		}
		return nil
	}
	noActor := func() error {
		if a.From != 0 {
			return fmt.Errorf("%q belongs to no side; drop %q", verb, a.From)
		}
		return nil
	}
	switch verb {
	case "text", "binary", "ping", "pong":
		a.Kind = ActSend
		a.Opcode, _ = parseOpcode(verb)
		if err := needActor(); err != nil {
			return a, err
		}
		a.Payload, err = parsePayload(args)
	case "fragments":
		a.Kind = ActFragments
		if err := needActor(); err != nil {
			return a, err
		}
		if len(args) < 3 || (args[0] != "text" && args[0] != "binary") {
			return a, fmt.Errorf(`want fragments text|binary PAYLOAD SIZE`)
		}
		a.Opcode, _ = parseOpcode(args[0])
		if a.Size, err = positive(args[len(args)-1]); err != nil {
			return a, err
		}
		a.Payload, err = parsePayload(args[1 : len(args)-1])
	case "raw":
		a.Kind = ActRaw
		if err := needActor(); err != nil {
			return a, err
		}
		if a.Raw, err = parseHex(strings.Join(args, " ")); err == nil && len(a.Raw) == 0 {
			err = fmt.Errorf("raw needs bytes in hex")
		}
	case "dribble":
		a.Kind = ActDribble
		if err := noActor(); err != nil {
			return a, err
		}
		if len(args) != 1 {
			return a, fmt.Errorf("want dribble BYTES")
		}
		a.Size, err = positive(args[0])
	case "close":
		a.Kind = ActClose
		if a.From == 0 {
			a.From = protocol.RoleClient
		}
		err = a.parseClose(args)
	case "drop", "mute":
		a.Kind = map[string]ActionKind{"drop": ActDrop, "mute": ActMute}[verb]
		if err := needActor(); err != nil {
			return a, err
		}
		if len(args) != 0 {
			err = fmt.Errorf("%s takes no arguments", verb)
		}
	case "handshake":
		a.Kind = ActHandshake
		if err := noActor(); err != nil {
			return a, err
		}
		err = a.Handshake.parse(args)
	case "http":
		a.Kind = ActHTTP
		if err := noActor(); err != nil {
			return a, err
		}
		a.Payload, err = parsePayload(args)
	case "race":
		a.Kind = ActRace
		if err := needActor(); err != nil {
			return a, err
		}
		if len(args) != 3 {
			return a, fmt.Errorf(`want race "A" "B" OFFSET`)
		}
		a.Payload, a.Payload2 = []byte(args[0]), []byte(args[1])
		a.Size, err = positive(args[2])
	case "heartbeat":
		a.Kind = ActHeartbeat
		if err := needActor(); err != nil {
			return a, err
		}
		if len(args) != 2 {
			return a, fmt.Errorf("want heartbeat INTERVAL TIMEOUT, e.g. heartbeat 200ms 600ms")
		}
		if a.Interval, err = duration(args[0]); err == nil {
			a.Timeout, err = duration(args[1])
		}
	case "wait":
		a.Kind = ActWait
		if err := noActor(); err != nil {
			return a, err
		}
		if len(args) != 1 {
			return a, fmt.Errorf("want wait DURATION, e.g. wait 500ms")
		}
		a.Interval, err = duration(args[0])
	case "limit":
		a.Kind = ActLimit
		if err := needActor(); err != nil {
			return a, err
		}
		if len(args) != 1 {
			return a, fmt.Errorf("want limit BYTES")
		}
		a.Size, err = positive(args[0])
	default:
		return a, fmt.Errorf("unknown action %q (see lessons/README.md)", verb)
	}
	return a, err
}

// parsePayload reads a payload: one quoted string (Go escapes allowed, so
// "caf\xc3" is invalid UTF-8 on purpose), or "bytes N" for N bytes of
// lowercase letters, enough to show the 16- and 64-bit length forms.
func parsePayload(args []string) ([]byte, error) {
	switch {
	case len(args) == 1:
		return []byte(args[0]), nil
	case len(args) == 2 && args[0] == "bytes":
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 || n > 1<<24 {
			return nil, fmt.Errorf("bad byte count %q", args[1])
		}
		return Filler(n), nil
	}
	return nil, fmt.Errorf(`want a payload: "quoted text" or bytes N`)
}

// Filler returns n bytes of a, b, c, ... z, a, b: a payload whose bytes are
// readable in a hex dump.
func Filler(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

func (a *Action) parseClose(args []string) error {
	a.Code = protocol.CloseNoStatusReceived
	if len(args) == 0 {
		return nil
	}
	if len(args) > 2 {
		return fmt.Errorf(`want close [CODE ["REASON"]]`)
	}
	c, err := parseCode(args[0])
	if err != nil {
		return err
	}
	if !c.ValidOnWire() {
		// 1005 and 1006 are what an application reports, never what a
		// close frame carries (§7.4.1); a lesson must not ask for them.
		return fmt.Errorf("close code %s may not be sent in a close frame (§7.4.1, §7.4.2)", c)
	}
	a.Code = c
	if len(args) == 2 {
		a.Reason = args[1]
	}
	// Refuse here what the codec would refuse on the wire: a lesson must
	// not ask for a close frame no correct endpoint may send.
	_, err = protocol.AppendClosePayload(nil, a.Code, a.Reason)
	return err
}

func (o *HandshakeOptions) parse(args []string) error {
	for _, arg := range args {
		k, v, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("handshake option %q: want name=value", arg)
		}
		switch k {
		case "protocol":
			o.Subprotocols = strings.Split(v, ",")
		case "extensions":
			o.Extensions = v
		case "origin":
			o.Origin = v
		case "version":
			o.Version = v
		case "key":
			o.Key = v
		default:
			return fmt.Errorf("unknown handshake option %q: want protocol, extensions, origin, version or key", k)
		}
	}
	return nil
}

func positive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive number, got %q", s)
	}
	return n, nil
}

func duration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > time.Minute {
		return 0, fmt.Errorf("want a duration such as 200ms, up to 1m, got %q", s)
	}
	return d, nil
}
