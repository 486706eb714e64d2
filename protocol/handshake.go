package protocol

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// AcceptGUID is the fixed string a server appends to the client's key before
// hashing, RFC 6455 §1.3. It is "unlikely to be used by network endpoints
// that do not understand the WebSocket Protocol", so only a real WebSocket
// server can produce the right Sec-WebSocket-Accept.
const AcceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptSteps is the Sec-WebSocket-Accept computation of §1.3 and §4.2.2,
// one value per step, so that a lesson or a screen can show each of them.
type AcceptSteps struct {
	Key          string   // the client's Sec-WebSocket-Key, as sent
	Concatenated string   // Key + AcceptGUID
	SHA1         [20]byte // SHA-1 of Concatenated
	Accept       string   // base64 of SHA1: the Sec-WebSocket-Accept value
}

// ComputeAcceptSteps computes the accept value for key, keeping every step.
func ComputeAcceptSteps(key string) AcceptSteps {
	// anatomy: header=Sec-WebSocket-Accept (the computation)
	s := AcceptSteps{Key: key, Concatenated: key + AcceptGUID}
	s.SHA1 = sha1.Sum([]byte(s.Concatenated))
	s.Accept = base64.StdEncoding.EncodeToString(s.SHA1[:])
	return s
}

// ComputeAccept returns base64(SHA-1(key + AcceptGUID)), the value a server
// sends as Sec-WebSocket-Accept. The key is used as the text that was sent,
// §4.1: "(as a string, not base64-decoded)". The accept value proves the server read
// this handshake; it is not authentication and not security.
func ComputeAccept(key string) string { return ComputeAcceptSteps(key).Accept }

// NewKey returns a fresh Sec-WebSocket-Key: 16 bytes from rand, base64
// encoded. §4.1: "The nonce MUST be selected randomly for each connection."
func NewKey(rand io.Reader) (string, error) {
	var nonce [16]byte
	if _, err := io.ReadFull(rand, nonce[:]); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(nonce[:]), nil
}

// validKey reports whether key is the base64 of exactly 16 bytes, as §4.2.1
// item 5 requires of the client's Sec-WebSocket-Key.
func validKey(key string) bool {
	// Exactly 24 characters: 16 bytes need 22 base64 digits and 2 '='.
	// anatomy: header=Sec-WebSocket-Key (its form)
	if len(key) != 24 {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(key)
	return err == nil && len(b) == 16
}

// headerHasToken reports whether any comma-separated element of any of the
// named header's values equals token, ignoring ASCII case. Upgrade and
// Connection are token lists (§4.2.1: "an |Upgrade| header field containing
// the value "websocket", treated as an ASCII case-insensitive value"), and
// "Connection: keep-alive, Upgrade" is a valid request from a browser.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, elem := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(elem), token) {
				return true
			}
		}
	}
	return false
}

// headerTokens returns the comma-separated elements of a header's values,
// trimmed, skipping empty ones.
func headerTokens(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for _, elem := range strings.Split(v, ",") {
			if elem = strings.TrimSpace(elem); elem != "" {
				out = append(out, elem)
			}
		}
	}
	return out
}

// maxQuoted is the most of a peer's value that an error quotes. The peer
// chooses the value, and %q spends up to 4 bytes on each of its bytes: a
// refusal that quoted a large header whole would grow the log (and the
// response body that carries the refusal) several times over.
const maxQuoted = 64

// quotePeer quotes a value that a peer sent, for an error: whole if it is
// short, else its first maxQuoted bytes and its length.
func quotePeer(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxQuoted]) + fmt.Sprintf("... (%d bytes)", len(s))
}
