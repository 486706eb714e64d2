package lessons

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Template expressions let a lesson state a fact the codec computes without
// typing its value: {{accept "dGhlIHNhbXBsZSBub25jZQ=="}} becomes the
// accept value computed by protocol.ComputeAccept when the lesson loads.
//
// The syntax is deliberately smaller than text/template's: a function name
// and arguments separated by spaces, where an argument is a Go-quoted string
// or a bare word. Bare words may start with a digit, so a masking key can be
// written as 37fa213d, the way the RFC prints it. An expression must fit on
// one line, so an error can name the line it is on.

// exprFunc computes one expression from its arguments.
type exprFunc func(args []string) (string, error)

// exprFuncs is the table of functions a lesson may call. README.md lists
// them for teachers; keep the two in step.
var exprFuncs map[string]exprFunc

func init() {
	exprFuncs = map[string]exprFunc{
		"accept":       fn1(func(k string) (string, error) { return protocol.ComputeAccept(k), nil }),
		"acceptconcat": fn1(func(k string) (string, error) { return protocol.ComputeAcceptSteps(k).Concatenated, nil }),
		"acceptsha1": fn1(func(k string) (string, error) {
			s := protocol.ComputeAcceptSteps(k)
			return spacedHex(s.SHA1[:]), nil
		}),
		"guid":         fn0(protocol.AcceptGUID),
		"maxheader":    fn0(strconv.Itoa(protocol.MaxHeaderSize)),
		"minheader":    fn0(strconv.Itoa(protocol.Header{}.Size())),
		"maxcontrol":   fn0(strconv.Itoa(protocol.MaxCloseReason + 2)),
		"maxreason":    fn0(strconv.Itoa(protocol.MaxCloseReason)),
		"headersize":   exprHeaderSize,
		"framesize":    exprFrameSize,
		"lenfield":     exprLenField,
		"mask":         exprMask,
		"xor":          exprXor,
		"hex":          fn1(func(s string) (string, error) { return spacedHex([]byte(s)), nil }),
		"bytes":        fn1(func(s string) (string, error) { return strconv.Itoa(len(s)), nil }),
		"runes":        fn1(func(s string) (string, error) { return strconv.Itoa(utf8.RuneCountInString(s)), nil }),
		"frame":        exprFrame,
		"closepayload": exprClosePayload,
		"opcode":       exprOpcode,
		"opname":       exprOpname,
		"utf8bad":      exprUTF8Bad,
		"rule":         exprRule,
		"rulecode":     exprRuleCode,
		"deflate":      exprDeflate,
		"deflatelen":   exprDeflateLen,
		"inflate":      exprInflate,
	}
}

// localFuncs are the expressions whose result is a name, said in the
// lesson's language (terms.go).
var localFuncs = map[string]func(lang string, args []string) (string, error){
	"closecode":     exprCloseCode,
	"lenform":       exprLenForm,
	"utf8state":     exprUTF8State,
	"tokens":        exprTokens,
	"deflatetokens": exprDeflateTokens,
}

// expand evaluates every {{...}} in line and returns the result, in
// English.
func expand(line string) (string, error) { return expandIn("en", line) }

// expandIn is expand for a lesson in lang.
func expandIn(lang, line string) (string, error) {
	var out strings.Builder
	for {
		start := strings.Index(line, "{{")
		if start < 0 {
			out.WriteString(line)
			return out.String(), nil
		}
		end := strings.Index(line[start:], "}}")
		if end < 0 {
			return "", fmt.Errorf("unclosed {{ in %q", line)
		}
		end += start
		v, err := evalExprIn(lang, line[start+2:end])
		if err != nil {
			return "", err
		}
		out.WriteString(line[:start])
		out.WriteString(v)
		line = line[end+2:]
	}
}

// evalExpr evaluates the inside of one {{...}}, in English.
func evalExpr(src string) (string, error) { return evalExprIn("en", src) }

// evalExprIn evaluates the inside of one {{...}} for a lesson in lang.
func evalExprIn(lang, src string) (string, error) {
	words, err := splitWords(src)
	if err != nil {
		return "", fmt.Errorf("{{%s}}: %w", src, err)
	}
	if len(words) == 0 {
		return "", fmt.Errorf("empty {{}}")
	}
	f, ok := exprFuncs[words[0]]
	if local, isLocal := localFuncs[words[0]]; isLocal {
		f, ok = func(args []string) (string, error) { return local(lang, args) }, true
	}
	if !ok {
		return "", fmt.Errorf("{{%s}}: unknown function %q", strings.TrimSpace(src), words[0])
	}
	v, err := f(words[1:])
	if err != nil {
		return "", fmt.Errorf("{{%s}}: %w", strings.TrimSpace(src), err)
	}
	return v, nil
}

// splitWords splits on spaces, keeping Go-quoted strings whole (unquoted).
// Action lines use the same rules, so a teacher learns them once.
func splitWords(s string) ([]string, error) {
	var words []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return words, nil
		}
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("bad quoted string at %q", s)
			}
			w, _ := strconv.Unquote(q)
			words = append(words, w)
			s = s[len(q):]
			continue
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			i = len(s)
		}
		words = append(words, s[:i])
		s = s[i:]
	}
}

func fn0(v string) exprFunc {
	return func(args []string) (string, error) {
		if len(args) != 0 {
			return "", fmt.Errorf("takes no arguments")
		}
		return v, nil
	}
}

func fn1(f func(string) (string, error)) exprFunc {
	return func(args []string) (string, error) {
		if len(args) != 1 {
			return "", fmt.Errorf("takes 1 argument, got %d", len(args))
		}
		return f(args[0])
	}
}

// spacedHex formats bytes the way the lessons print them: "7f 9f 4d".
func spacedHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts, " ")
}

// parseHex reads bytes written as "37fa213d", "37 fa 21 3d" or "0x37 0xfa".
func parseHex(s string) ([]byte, error) {
	s = strings.ReplaceAll(strings.ToLower(s), "0x", "")
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == ',' || r == '\t' {
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad hex %q", s)
	}
	return b, nil
}

func parseKey(s string) ([4]byte, error) {
	var k [4]byte
	b, err := parseHex(s)
	if err != nil {
		return k, err
	}
	if len(b) != 4 {
		return k, fmt.Errorf("masking key %q is %d bytes, want 4", s, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// parseMasked reads the words "masked" and "unmasked".
func parseMasked(s string) (bool, error) {
	switch s {
	case "masked":
		return true, nil
	case "unmasked":
		return false, nil
	}
	return false, fmt.Errorf("want masked or unmasked, got %q", s)
}

func parseLength(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("bad length %q", s)
	}
	return n, nil
}

// lengthHeader builds the header of a binary frame of n bytes.
func lengthHeader(args []string) (protocol.Header, error) {
	if len(args) != 2 {
		return protocol.Header{}, fmt.Errorf("want LENGTH masked|unmasked")
	}
	n, err := parseLength(args[0])
	if err != nil {
		return protocol.Header{}, err
	}
	m, err := parseMasked(args[1])
	return protocol.Header{Fin: true, Opcode: protocol.OpBinary, Length: n, Masked: m}, err
}

func exprHeaderSize(args []string) (string, error) {
	h, err := lengthHeader(args)
	return strconv.Itoa(h.Size()), err
}

func exprFrameSize(args []string) (string, error) {
	h, err := lengthHeader(args)
	return strconv.FormatUint(uint64(h.Size())+h.Length, 10), err
}

func exprLenField(args []string) (string, error) {
	h, err := lengthHeader(append(args, "unmasked"))
	return strconv.Itoa(int(h.LengthField())), err
}

func exprLenForm(lang string, args []string) (string, error) {
	h, err := lengthHeader(append(args, "unmasked"))
	return LengthFormName(lang, protocol.MinimalLengthForm(h.Length)), err
}

func exprMask(args []string) (string, error) {
	if len(args) != 2 {
		return "", fmt.Errorf("want \"TEXT\" KEYHEX")
	}
	k, err := parseKey(args[1])
	if err != nil {
		return "", err
	}
	b := []byte(args[0])
	protocol.Mask(k, 0, b)
	return spacedHex(b), nil
}

func exprXor(args []string) (string, error) {
	if len(args) != 2 {
		return "", fmt.Errorf("want two hex bytes")
	}
	a, err := parseHex(args[0])
	if err != nil {
		return "", err
	}
	b, err := parseHex(args[1])
	if err != nil {
		return "", err
	}
	if len(a) != 1 || len(b) != 1 {
		return "", fmt.Errorf("want one byte each")
	}
	return fmt.Sprintf("%02x", a[0]^b[0]), nil
}

// parseOpcode reads an opcode by name (text, ping) or number (1, 0x9).
func parseOpcode(s string) (protocol.Opcode, error) {
	for op := protocol.Opcode(0); op < 16; op++ {
		if op.String() == s {
			return op, nil
		}
	}
	n, err := strconv.ParseUint(s, 0, 4)
	if err != nil {
		return 0, fmt.Errorf("unknown opcode %q", s)
	}
	return protocol.Opcode(n), nil
}

// exprFrame builds a whole frame with FIN set: frame OPCODE "PAYLOAD"
// masked KEY, or frame OPCODE "PAYLOAD" unmasked. Trailing flags change
// the first byte: "nofin" clears FIN (the first fragments of a message),
// "rsv1", "rsv2" and "rsv3" set a reserved bit (for frames a receiver
// without extensions must refuse).
func exprFrame(args []string) (string, error) {
	h := protocol.Header{Fin: true}
	for len(args) > 0 {
		switch args[len(args)-1] {
		case "nofin":
			h.Fin = false
		case "rsv1":
			h.Rsv1 = true
		case "rsv2":
			h.Rsv2 = true
		case "rsv3":
			h.Rsv3 = true
		default:
			b, err := buildFrame(args, h)
			return spacedHex(b), err
		}
		args = args[:len(args)-1]
	}
	return "", fmt.Errorf("want OPCODE \"PAYLOAD\" masked KEY | unmasked")
}

func buildFrame(args []string, h protocol.Header) ([]byte, error) {
	if len(args) < 3 {
		return nil, fmt.Errorf("want OPCODE \"PAYLOAD\" masked KEY | unmasked")
	}
	op, err := parseOpcode(args[0])
	if err != nil {
		return nil, err
	}
	m, err := parseMasked(args[2])
	if err != nil {
		return nil, err
	}
	h.Opcode, h.Masked, h.Length = op, m, uint64(len(args[1]))
	switch {
	case m && len(args) != 4:
		return nil, fmt.Errorf("a masked frame needs a KEY")
	case !m && len(args) != 3:
		return nil, fmt.Errorf("an unmasked frame takes no KEY")
	case m:
		if h.MaskKey, err = parseKey(args[3]); err != nil {
			return nil, err
		}
	}
	b := protocol.AppendHeader(nil, h)
	payload := []byte(args[1])
	if m {
		protocol.Mask(h.MaskKey, 0, payload)
	}
	return append(b, payload...), nil
}

func parseCode(s string) (protocol.CloseCode, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("bad close code %q", s)
	}
	return protocol.CloseCode(n), nil
}

func exprClosePayload(args []string) (string, error) {
	if len(args) != 2 {
		return "", fmt.Errorf("want CODE \"REASON\"")
	}
	c, err := parseCode(args[0])
	if err != nil {
		return "", err
	}
	b, err := protocol.AppendClosePayload(nil, c, args[1])
	return spacedHex(b), err
}

func exprCloseCode(lang string, args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want CODE")
	}
	c, err := parseCode(args[0])
	return CloseCodeName(lang, c), err
}

func exprOpcode(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want NAME")
	}
	op, err := parseOpcode(args[0])
	return fmt.Sprintf("0x%X", uint8(op)), err
}

func exprOpname(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want NUMBER")
	}
	op, err := parseOpcode(args[0])
	return op.String(), err
}

// exprUTF8Bad returns the index of the first byte at which the hex bytes
// stop being valid UTF-8, or -1, as protocol.UTF8Validator finds it.
func exprUTF8Bad(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want \"HEX\"")
	}
	b, err := parseHex(args[0])
	if err != nil {
		return "", err
	}
	var v protocol.UTF8Validator
	return strconv.Itoa(v.Write(b)), nil
}

// exprUTF8State says in words what the validator makes of some bytes fed
// to it alone: valid, unfinished (no invalid byte yet, but a character is
// still owed bytes) or invalid at an index. {{utf8bad}} gives the bare
// index, whose -1 for "nothing invalid" means nothing to a learner.
func exprUTF8State(lang string, args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want \"HEX\"")
	}
	b, err := parseHex(args[0])
	if err != nil {
		return "", err
	}
	var v protocol.UTF8Validator
	if i := v.Write(b); i >= 0 {
		return fmt.Sprintf(utf8Words(lang, "invalid"), i), nil
	}
	if !v.Complete() {
		return utf8Words(lang, "unfinished"), nil
	}
	return utf8Words(lang, "valid"), nil
}

// violation decodes a frame header given in hex and judges it as received
// by role (client or server), with no message in progress.
func violation(args []string) (*protocol.Violation, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("want \"HEX\" client|server")
	}
	b, err := parseHex(args[0])
	if err != nil {
		return nil, err
	}
	role, err := parseRole(args[1])
	if err != nil {
		return nil, err
	}
	h, _, err := protocol.DecodeHeader(b)
	if err != nil {
		return nil, err
	}
	v := protocol.CheckHeader(h, protocol.State{Role: role})
	if v == nil {
		return nil, fmt.Errorf("header %s breaks no rule", spacedHex(b))
	}
	return v, nil
}

func exprRule(args []string) (string, error) {
	v, err := violation(args)
	if err != nil {
		return "", err
	}
	return "§" + v.Section, nil
}

func exprRuleCode(args []string) (string, error) {
	v, err := violation(args)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(int(v.Code)), nil
}

func parseRole(s string) (protocol.Role, error) {
	switch s {
	case "client":
		return protocol.RoleClient, nil
	case "server":
		return protocol.RoleServer, nil
	}
	return 0, fmt.Errorf("want client or server, got %q", s)
}
