package protocol

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

var utf8Cases = []struct {
	name  string
	text  string
	valid bool
	bad   int // index of the first byte that cannot be valid; -1 if none
}{
	{"ASCII", "Hello", true, -1},
	{"2, 3 and 4 byte characters", "κόσμε 中文 😀", true, -1},
	{"largest code point U+10FFFF", "\xf4\x8f\xbf\xbf", true, -1},
	{"lone continuation", "a\x80", false, 1},
	{"C0 overlong lead", "\xc0\xaf", false, 0},
	{"C1 overlong lead", "\xc1\xbf", false, 0},
	{"overlong 3-byte slash", "\xe0\x80\xaf", false, 1},
	{"overlong 4-byte", "\xf0\x80\x80\xaf", false, 1},
	{"surrogate U+D800", "\xed\xa0\x80", false, 1},
	{"surrogate U+DFFF", "\xed\xbf\xbf", false, 1},
	{"U+110000", "\xf4\x90\x80\x80", false, 1},
	{"F5 lead", "\xf5\x80\x80\x80", false, 0},
	{"FF byte", "ab\xffcd", false, 2},
	{"truncated 3-byte then ASCII", "\xe2\x82a", false, 2},
	{"truncated at the end", "a\xe2\x82", false, -1},
	{"κόσμε then invalid", "κόσμε\xed\xa0\x80edited", false, 11},
}

func TestUTF8ValidatorCases(t *testing.T) {
	for _, tc := range utf8Cases {
		var v UTF8Validator
		bad := v.Write([]byte(tc.text))
		if bad != tc.bad {
			t.Errorf("%s: first bad byte %d, want %d", tc.name, bad, tc.bad)
		}
		if valid := bad < 0 && v.Complete(); valid != tc.valid {
			t.Errorf("%s: valid %v, want %v", tc.name, valid, tc.valid)
		}
	}
}

// TestUTF8ValidatorSplits feeds each case split at every pair of positions
// (like a text message split into three frames) and expects the same
// verdict, and the failure at the same byte of the text.
func TestUTF8ValidatorSplits(t *testing.T) {
	for _, tc := range utf8Cases {
		b := []byte(tc.text)
		for i := 0; i <= len(b); i++ {
			for j := i; j <= len(b); j++ {
				var v UTF8Validator
				bad, off := -1, 0
				for _, piece := range [][]byte{b[:i], b[i:j], b[j:]} {
					if k := v.Write(piece); k >= 0 {
						bad = off + k
						break
					}
					off += len(piece)
				}
				if bad != tc.bad {
					t.Fatalf("%s split %d/%d: first bad byte %d, want %d", tc.name, i, j, bad, tc.bad)
				}
			}
		}
	}
}

// TestUTF8ValidatorAgreesWithStdlib checks random byte strings, mostly
// valid text with random damage, against unicode/utf8.
func TestUTF8ValidatorAgreesWithStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", "é", "中", "😀", "\x80", "\xc0", "\xe0", "\xed", "\xf0", "\xf4", "\xff", "\xbf", "\x9f", "\x8f", "\xa0", "\x90"}
	for i := 0; i < 20000; i++ {
		var b []byte
		for n := r.IntN(12); n > 0; n-- {
			b = append(b, alphabet[r.IntN(len(alphabet))]...)
		}
		var v UTF8Validator
		split := r.IntN(len(b) + 1)
		ok := v.Write(b[:split]) < 0 && v.Write(b[split:]) < 0 && v.Complete()
		if ok != utf8.Valid(b) {
			t.Fatalf("% x: validator %v, utf8.Valid %v", b, ok, utf8.Valid(b))
		}
	}
}
