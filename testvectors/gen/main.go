// Command gen writes the generated vector files: frames.json, messages.json,
// utf8.json, close.json and handshake.json in ../vectors.
//
//	cd testvectors && go run ./gen
//
// It exists because some vectors come in families too regular to type by
// hand (every opcode, every split point of every UTF-8 sample) and some
// hold bytes that are tedious to compute by hand (masked payloads). It
// builds every frame with its own few lines of RFC 6455 §5.2 and §5.3 code
// and takes every expected result from the tables below, written from the
// RFC text. It must never import wsanatomy's protocol package: a vector
// derived from the codec under test would only prove that the codec agrees
// with itself.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := "vectors"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	files := map[string]file{
		"frames.json":    framesFile(),
		"messages.json":  messagesFile(),
		"utf8.json":      utf8File(),
		"close.json":     closeFile(),
		"handshake.json": handshakeFile(),
		"deflate.json":   deflateFile(),
	}
	for name, f := range files {
		f.Schema = "../schema.json"
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(f); err != nil {
			fail(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b.Bytes(), 0o644); err != nil {
			fail(err)
		}
		fmt.Printf("%s: %d vectors\n", name, len(f.Vectors))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// The file format, as README.md documents it.

type file struct {
	Schema      string `json:"$schema"`
	Group       string `json:"group"`
	Description string `json:"description"`
	Vectors     []any  `json:"vectors"`
}

type vector struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Section     string `json:"section"`
	Level       string `json:"level"`
	Rule        string `json:"rule"`
	Input       obj    `json:"input"`
	Expect      obj    `json:"expect"`
	Allowed     []obj  `json:"allowed,omitempty"`
}

// obj keeps keys in the order written, so that the files read naturally.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(p.k)
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p.v); err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteString(": ")
		b.Write(bytes.TrimSpace(v.Bytes()))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Byte strings in the file form: hex, or parts for long runs.

// hx is a hex string with a space between the given pieces.
func hx(pieces ...[]byte) string {
	var s []string
	for _, p := range pieces {
		if len(p) > 0 {
			s = append(s, hex.EncodeToString(p))
		}
	}
	return strings.Join(s, " ")
}

// repeated writes n bytes of a repeating unit compactly when n is large.
func repeated(unit []byte, n int) []any {
	var parts []any
	if whole := n / len(unit); whole > 0 {
		parts = append(parts, obj{{"repeat", hex.EncodeToString(unit)}, {"count", whole}})
	}
	if tail := n % len(unit); tail > 0 {
		parts = append(parts, hex.EncodeToString(unit[:tail]))
	}
	return parts
}

func text(s string) []any { return []any{obj{{"text", s}}} }

// Frames, built from §5.2 and §5.3.

// frame describes one frame to build. Length is what the header claims;
// Form forces a length encoding (7, 16 or 64) to build non-minimal ones.
type frame struct {
	Fin     bool
	Rsv     byte // RSV bits as they sit in byte 0: 0x40, 0x20, 0x10
	Opcode  byte
	Key     []byte // nil: unmasked
	Payload []byte
	Length  *uint64 // overrides len(Payload) in the header
	Form    int     // 0: minimal
}

func (f frame) header() []byte {
	b0 := f.Rsv | f.Opcode
	if f.Fin {
		b0 |= 0x80
	}
	n := uint64(len(f.Payload))
	if f.Length != nil {
		n = *f.Length
	}
	form := f.Form
	if form == 0 {
		switch {
		case n <= 125:
			form = 7
		case n <= 0xFFFF:
			form = 16
		default:
			form = 64
		}
	}
	var m byte
	if f.Key != nil {
		m = 0x80
	}
	var b []byte
	switch form {
	case 7:
		b = []byte{b0, m | byte(n)}
	case 16:
		b = binary.BigEndian.AppendUint16([]byte{b0, m | 126}, uint16(n))
	case 64:
		b = binary.BigEndian.AppendUint64([]byte{b0, m | 127}, n)
	}
	return append(b, f.Key...)
}

// masked returns the payload as it goes on the wire: §5.3, octet i XOR
// key octet i mod 4.
func (f frame) masked() []byte {
	out := bytes.Clone(f.Payload)
	if f.Key != nil {
		for i := range out {
			out[i] ^= f.Key[i%4]
		}
	}
	return out
}

// wire is the frame as a file byte string: header and payload as hex.
func (f frame) wire() string { return hx(f.header(), f.masked()) }

var (
	rfcKey  = []byte{0x37, 0xfa, 0x21, 0x3d} // the key of the §5.7 examples
	zeroKey = []byte{0, 0, 0, 0}
	onesKey = []byte{0xff, 0xff, 0xff, 0xff}
)

// keyFor gives the masking a sender in the other role must use: a client
// sends to a server masked (§5.1), a server sends unmasked.
func keyFor(receiver string) []byte {
	if receiver == "server" {
		return rfcKey
	}
	return nil
}

var receivers = []string{"client", "server"}

// Expected results.

// errorExp is a failure: the close codes appropriate to it (an int, or a
// []int when several are), how firmly the RFC fixes the code, and the
// section of the rule (wsanatomy's report, informative).
func errorExp(codes any, codeLevel, section string) obj {
	return obj{{"error", obj{{"close_code", codes}, {"code_level", codeLevel}, {"section", section}}}}
}

// protocolError is the usual failure: §7.1.7 asks for "a Close frame with
// an appropriate status code", and for a broken framing rule that is 1002.
func protocolError(section string) obj { return errorExp(1002, levelShould, section) }

// maskingError is a frame masked the wrong way. §5.1 says the receiver
// MUST close the connection and MAY use 1002: the code is wsanatomy's
// choice.
func maskingError() obj { return errorExp(1002, levelWsanatomy, "5.1") }

func frameExp(f frame, withPayload bool) obj {
	e := obj{{"fin", f.Fin}, {"rsv1", f.Rsv&0x40 != 0}, {"rsv2", f.Rsv&0x20 != 0}, {"rsv3", f.Rsv&0x10 != 0},
		{"opcode", int(f.Opcode)}, {"masked", f.Key != nil}}
	if f.Key != nil {
		e = append(e, kv{"mask_key", hex.EncodeToString(f.Key)})
	}
	e = append(e, kv{"length", len(f.Payload)})
	if withPayload {
		e = append(e, kv{"payload", hex.EncodeToString(f.Payload)})
	}
	return obj{{"frame", e}}
}

func u64(v uint64) *uint64 { return &v }

// periodic writes b, which repeats every period bytes, as a repeat part.
func periodic(b []byte, period int) []any {
	for i := period; i < len(b); i++ {
		if b[i] != b[i-period] {
			fail(fmt.Errorf("periodic: byte %d breaks the period %d", i, period))
		}
	}
	return repeated(b[:period], len(b))
}
