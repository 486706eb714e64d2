package protocol

import (
	"fmt"
	"strings"
)

// Sec-WebSocket-Extensions, the syntax
//
// A client lists the extensions it would like in Sec-WebSocket-Extensions,
// most preferred first; the server answers with the ones it agreed to
// (§9.1). This file reads and writes that header and nothing else: which
// offer to accept, and what its parameters mean, is decided elsewhere
// (pmdeflate_negotiate.go for permessage-deflate), just as decoding a frame
// header is kept apart from judging it.
//
// The grammar, from §9.1 (with RFC 2616's "implied *LWS": spaces and tabs
// may appear between the pieces):
//
//	Sec-WebSocket-Extensions = extension-list
//	extension-list = 1#extension
//	extension = extension-token *( ";" extension-param )
//	extension-token = registered-token
//	registered-token = token
//	extension-param = token [ "=" (token | quoted-string) ]
//	    ;When using the quoted-string syntax variant, the value
//	    ;after quoted-string unescaping MUST conform to the
//	    ;'token' ABNF.
//
// So "permessage-deflate; client_max_window_bits, permessage-deflate" is two
// offers of the same extension, the first with one parameter that has no
// value. §9.1 also says the header "MAY be split or combined across
// multiple lines": two header lines mean the same as one line joining
// their values with a comma, so the parser takes all of them.

// Extension is one element of an extension list: a name and its
// parameters, in the order they were written.
type Extension struct {
	Name   string
	Params []ExtensionParam
}

// ExtensionParam is one parameter of an extension. HasValue tells
// "client_max_window_bits" (no value) from "client_max_window_bits=15".
// Value is unescaped: `x="15"` and `x=15` both have the value 15. Quoted
// records which form was used, so that a screen can show it.
type ExtensionParam struct {
	Name     string
	Value    string
	HasValue bool
	Quoted   bool
}

// String writes the extension the way it goes in the header.
func (e Extension) String() string {
	var b strings.Builder
	b.WriteString(e.Name)
	for _, p := range e.Params {
		b.WriteString("; ")
		b.WriteString(p.Name)
		if p.HasValue {
			b.WriteByte('=')
			if p.Quoted {
				b.WriteString(`"` + p.Value + `"`)
			} else {
				b.WriteString(p.Value)
			}
		}
	}
	return b.String()
}

// Param returns the first parameter called name.
func (e Extension) Param(name string) (ExtensionParam, bool) {
	for _, p := range e.Params {
		if p.Name == name {
			return p, true
		}
	}
	return ExtensionParam{}, false
}

// FormatExtensions writes an extension list as one header value.
func FormatExtensions(exts []Extension) string {
	parts := make([]string, len(exts))
	for i, e := range exts {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// ExtensionSyntaxError is a Sec-WebSocket-Extensions value that does not
// follow the §9.1 grammar. Rule names the ABNF rule that was broken, Pos
// is the byte offset in Value where reading stopped.
type ExtensionSyntaxError struct {
	Value string
	Pos   int
	Rule  string
	Msg   string
}

func (e *ExtensionSyntaxError) Error() string {
	return fmt.Sprintf("websocket: Sec-WebSocket-Extensions %q breaks the %s rule of RFC 6455 §9.1 at byte %d: %s",
		e.Value, e.Rule, e.Pos, e.Msg)
}

// ParseExtensions parses the values of every Sec-WebSocket-Extensions
// header line, in order, into one list. No lines at all is an empty list;
// a line with no extension in it breaks "1#extension".
func ParseExtensions(values []string) ([]Extension, error) {
	var out []Extension
	for _, v := range values {
		exts, err := parseExtensionList(v)
		if err != nil {
			return nil, err
		}
		out = append(out, exts...)
	}
	return out, nil
}

// extParser reads one header value. Its invariant: pos is the offset of
// the next byte not yet consumed.
type extParser struct {
	s   string
	pos int
}

func (p *extParser) fail(rule, format string, args ...any) *ExtensionSyntaxError {
	return &ExtensionSyntaxError{Value: p.s, Pos: p.pos, Rule: rule, Msg: fmt.Sprintf(format, args...)}
}

// skipLWS skips the optional spaces and tabs the "implied *LWS" rule
// allows between words and separators.
func (p *extParser) skipLWS() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

// token reads an RFC 2616 token: one or more characters that are neither
// control characters nor separators.
func (p *extParser) token() string {
	start := p.pos
	for p.pos < len(p.s) && isTokenChar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// describe names the byte at pos for an error message.
func (p *extParser) describe() string {
	if p.pos >= len(p.s) {
		return "the value ends"
	}
	return fmt.Sprintf("found %q", p.s[p.pos])
}

// parseExtensionList reads "1#extension": extensions separated by commas.
// RFC 2616's "#" rule allows empty elements (a, , b), so those are
// skipped; but at least one extension must be there.
func parseExtensionList(s string) ([]Extension, error) {
	p := &extParser{s: s}
	var out []Extension
	for {
		p.skipLWS()
		if p.pos == len(s) {
			break
		}
		if s[p.pos] == ',' {
			p.pos++
			continue
		}
		e, err := p.extension()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		p.skipLWS()
		if p.pos == len(s) {
			break
		}
		if s[p.pos] != ',' {
			return nil, p.fail("extension-list", "expected \",\" or \";\" after an extension, %s", p.describe())
		}
	}
	if len(out) == 0 {
		return nil, p.fail("extension-list", "the list is empty; 1#extension needs at least one extension")
	}
	return out, nil
}

// extension reads extension-token *( ";" extension-param ).
func (p *extParser) extension() (Extension, error) {
	name := p.token()
	if name == "" {
		return Extension{}, p.fail("extension-token", "expected an extension name (a token), %s", p.describe())
	}
	e := Extension{Name: name}
	for {
		p.skipLWS()
		if p.pos == len(p.s) || p.s[p.pos] != ';' {
			return e, nil
		}
		p.pos++
		p.skipLWS()
		param, err := p.param()
		if err != nil {
			return Extension{}, err
		}
		e.Params = append(e.Params, param)
	}
}

// param reads token [ "=" (token | quoted-string) ].
func (p *extParser) param() (ExtensionParam, error) {
	name := p.token()
	if name == "" {
		return ExtensionParam{}, p.fail("extension-param", "expected a parameter name (a token) after \";\", %s", p.describe())
	}
	param := ExtensionParam{Name: name}
	p.skipLWS()
	if p.pos == len(p.s) || p.s[p.pos] != '=' {
		return param, nil
	}
	p.pos++
	p.skipLWS()
	param.HasValue = true
	if p.pos < len(p.s) && p.s[p.pos] == '"' {
		v, err := p.quotedString()
		if err != nil {
			return ExtensionParam{}, err
		}
		// §9.1: once unescaped, a quoted value must still be a token (the
		// comment under the extension-param rule).
		if !isToken(v) {
			return ExtensionParam{}, p.fail("extension-param", "quoted value %q of %s is not a token once unescaped", v, name)
		}
		param.Value, param.Quoted = v, true
		return param, nil
	}
	param.Value = p.token()
	if param.Value == "" {
		return ExtensionParam{}, p.fail("extension-param", "expected a value (a token or a quoted-string) after \"%s=\", %s", name, p.describe())
	}
	return param, nil
}

// quotedString reads RFC 2616's quoted-string: a double quote, characters
// or backslash-escaped characters (quoted-pair), a double quote. It
// returns the unescaped contents.
func (p *extParser) quotedString() (string, error) {
	p.pos++ // the opening quote
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			if p.pos+1 == len(p.s) {
				p.pos++
				return "", p.fail("quoted-string", "a backslash at the end leaves the quoted-pair unfinished")
			}
			b.WriteByte(p.s[p.pos+1])
			p.pos += 2
		case c < ' ' && c != '\t' || c == 0x7f:
			return "", p.fail("quoted-string", "control character 0x%02x inside quotes", c)
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.fail("quoted-string", "the closing double quote is missing")
}

// isTokenChar reports whether c may appear in an RFC 2616 token: any
// visible ASCII character except the separators.
func isTokenChar(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune("()<>@,;:\\\"/[]?={}", rune(c))
}
