package protocol

import (
	"encoding/binary"
	"unicode/utf8"
)

// UTF8Validator checks a text message's payload as UTF-8 while it arrives in
// pieces of any size: split across frames, across reads, even in the middle
// of a character.
//
// RFC 6455 §8.1: "When an endpoint is to interpret a byte stream as UTF-8
// but finds that the byte stream is not, in fact, a valid UTF-8 stream, that
// endpoint MUST _Fail the WebSocket Connection_." Checking the whole message
// at its end would be correct but slow to fail; this validator fails on the
// first byte after which no continuation could make the text valid, so a
// receiver can close with 1007 without waiting for the rest.
//
// The zero value is ready to use. Its invariant: need is the number of
// continuation bytes still owed by the character in progress (0-3), and the
// next byte must lie in lo..hi.
type UTF8Validator struct {
	need   uint8
	lo, hi byte
}

// Write feeds the next bytes of the text. It returns -1 if they are valid
// so far, or the index in p of the first byte that makes the text invalid.
func (v *UTF8Validator) Write(p []byte) int {
	if v.need == 0 && isASCII(p) {
		// Most text is ASCII, and ASCII is always valid UTF-8, whole
		// characters only: nothing is left open for the next piece.
		return -1
	}
	i := 0
	// Finish a character left open by the previous piece.
	for v.need > 0 && i < len(p) {
		if !v.step(p[i]) {
			return i
		}
		i++
	}
	// Fast path: the middle of p, up to the start of the last character, is
	// checked by the standard library; only on failure do we walk it byte
	// by byte to find where it broke.
	end := completeUpTo(p[i:]) + i
	if !utf8.Valid(p[i:end]) {
		for ; i < end; i++ {
			if !v.step(p[i]) {
				return i
			}
		}
	}
	for i = end; i < len(p); i++ {
		if !v.step(p[i]) {
			return i
		}
	}
	return -1
}

// isASCII reports whether every byte of p is below 0x80. It looks at eight
// bytes at a time: one test of their high bits tells whether any is set.
func isASCII(p []byte) bool {
	for len(p) >= 8 {
		if binary.LittleEndian.Uint64(p)&0x8080808080808080 != 0 {
			return false
		}
		p = p[8:]
	}
	for _, b := range p {
		if b >= 0x80 {
			return false
		}
	}
	return true
}

// Complete reports whether the text ends on a character boundary. A text
// message whose last frame leaves a character unfinished is invalid too.
func (v *UTF8Validator) Complete() bool { return v.need == 0 }

// Reset prepares the validator for a new message.
func (v *UTF8Validator) Reset() { *v = UTF8Validator{} }

// completeUpTo returns the length of the longest prefix of p that does not
// end inside a multi-byte character: it backs off from the end over at most
// three continuation bytes to the start of the last character.
func completeUpTo(p []byte) int {
	n := len(p)
	for back := 1; back <= 4 && back <= n; back++ {
		b := p[n-back]
		if b < 0x80 {
			return n // ASCII ends the text cleanly
		}
		if b >= 0xC0 { // a lead byte: is its character complete?
			if back >= seqLen(b) {
				return n
			}
			return n - back
		}
	}
	return n // no lead byte nearby: leave it for the slow path to reject
}

// seqLen returns the length of the sequence a lead byte starts, per the
// table in RFC 3629 §4; 1 for bytes that cannot start one.
func seqLen(b byte) int {
	switch {
	case b >= 0xF0:
		return 4
	case b >= 0xE0:
		return 3
	case b >= 0xC0:
		return 2
	}
	return 1
}

// step feeds one byte. The ranges are those of the Unicode Standard, Table
// 3-7 (well-formed UTF-8): they exclude overlong forms (C0, C1, E0 80-9F,
// F0 80-8F), UTF-16 surrogates (ED A0-BF) and code points above U+10FFFF
// (F4 90-BF, F5-FF).
func (v *UTF8Validator) step(b byte) bool {
	if v.need > 0 {
		if b < v.lo || b > v.hi {
			return false
		}
		v.need--
		v.lo, v.hi = 0x80, 0xBF
		return true
	}
	switch {
	case b < 0x80:
		return true
	case b >= 0xC2 && b <= 0xDF:
		v.need, v.lo, v.hi = 1, 0x80, 0xBF
	case b == 0xE0:
		v.need, v.lo, v.hi = 2, 0xA0, 0xBF
	case b >= 0xE1 && b <= 0xEC, b == 0xEE, b == 0xEF:
		v.need, v.lo, v.hi = 2, 0x80, 0xBF
	case b == 0xED:
		v.need, v.lo, v.hi = 2, 0x80, 0x9F
	case b == 0xF0:
		v.need, v.lo, v.hi = 3, 0x90, 0xBF
	case b >= 0xF1 && b <= 0xF3:
		v.need, v.lo, v.hi = 3, 0x80, 0xBF
	case b == 0xF4:
		v.need, v.lo, v.hi = 3, 0x80, 0x8F
	default:
		return false
	}
	return true
}
