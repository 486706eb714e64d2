package main

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// utf8Sample is one text, with the index of the byte from which it can no
// longer be valid: the first byte after which no continuation could make
// the text valid UTF-8 (RFC 3629 §4, the Unicode Standard's Table 3-7), or
// the length of the text when it ends inside a character. -1: valid.
// wsanatomy fails the connection there; RFC 6455 asks only that invalid
// text fail it (§8.1), not where, so "at" is informative.
//
// The indexes were worked out by hand from the table:
//
//	C0, C1, F5-FF      never valid anywhere
//	E0 then 80-9F      overlong three-byte form
//	ED then A0-BF      UTF-16 surrogate, U+D800-U+DFFF
//	F0 then 80-8F      overlong four-byte form
//	F4 then 90-BF      above U+10FFFF
//	lead byte, then a byte outside 80-BF: fails at that byte
type utf8Sample struct {
	name, category string
	hex            string
	at             int
}

// The samples follow the categories of Markus Kuhn's UTF-8 decoder stress
// test, which the Autobahn test suite's case 6 also uses.
var utf8Samples = []utf8Sample{
	// Valid text.
	{"ascii", "valid", "48 65 6c 6c 6f", -1},
	{"kosme", "valid", "ce ba e1 bd b9 cf 83 ce bc ce b5", -1},
	{"first-of-each-length", "valid boundary", "00 c2 80 e0 a0 80 f0 90 80 80", -1},
	{"last-of-each-length", "valid boundary", "7f df bf ef bf bf f4 8f bf bf", -1},
	{"around-surrogates", "valid boundary", "ed 9f bf ee 80 80", -1},
	{"noncharacters", "valid boundary", "ef bf be ef bf bf", -1},
	{"replacement-char", "valid boundary", "ef bf bd", -1},
	{"emoji", "valid", "f0 9f 98 80", -1},
	{"euro", "valid", "e2 82 ac", -1},

	// Unexpected continuation bytes.
	{"lone-continuation-80", "unexpected continuation", "80", 0},
	{"lone-continuation-bf", "unexpected continuation", "bf", 0},
	{"continuation-after-ascii", "unexpected continuation", "61 62 80", 2},
	{"extra-continuation", "unexpected continuation", "c2 80 80", 2},

	// Lead bytes that can never start a character.
	{"byte-c0", "impossible byte", "c0", 0},
	{"byte-f5", "impossible byte", "f5 80 80 80", 0},
	{"byte-f8-five-byte-form", "impossible byte", "f8 88 80 80 80", 0},
	{"byte-fc-six-byte-form", "impossible byte", "fc 84 80 80 80 80", 0},
	{"byte-fe", "impossible byte", "fe", 0},
	{"byte-ff-after-text", "impossible byte", "61 ff", 1},

	// Overlong forms.
	{"overlong-slash-2", "overlong", "c0 af", 0},
	{"overlong-slash-3", "overlong", "e0 80 af", 1},
	{"overlong-slash-4", "overlong", "f0 80 80 af", 1},
	{"overlong-max-2", "overlong", "c1 bf", 0},
	{"overlong-max-3", "overlong", "e0 9f bf", 1},
	{"overlong-max-4", "overlong", "f0 8f bf bf", 1},
	{"overlong-nul-after-text", "overlong", "48 69 c0 80", 2},

	// UTF-16 surrogates.
	{"surrogate-d800", "surrogate", "ed a0 80", 1},
	{"surrogate-dbff", "surrogate", "ed af bf", 1},
	{"surrogate-dc00", "surrogate", "ed b0 80", 1},
	{"surrogate-dfff", "surrogate", "ed bf bf", 1},
	{"surrogate-pair", "surrogate", "ed a0 80 ed b0 80", 1},
	{"surrogate-after-kosme", "surrogate", "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64", 12},

	// Code points past U+10FFFF.
	{"above-10ffff", "above U+10FFFF", "f4 90 80 80", 1},
	{"above-10ffff-max-4", "above U+10FFFF", "f7 bf bf bf", 0},
	{"above-10ffff-after-kosme", "above U+10FFFF", "ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64", 12},

	// Truncated sequences: at the end of the text, or cut by another byte.
	{"truncated-2-at-end", "truncated", "c2", 1},
	{"truncated-3-at-end", "truncated", "e2 82", 2},
	{"truncated-4-at-end", "truncated", "f0 9f 98", 3},
	{"truncated-4-after-text", "truncated", "61 62 f0 9f", 4},
	{"truncated-2-by-ascii", "truncated", "c2 41", 1},
	{"truncated-3-by-ascii", "truncated", "e2 82 41", 2},
	{"truncated-4-by-ascii", "truncated", "f0 9f 98 41", 3},
	{"truncated-3-by-lead", "truncated", "e2 82 e2 82 ac", 2},
	{"bad-second-byte", "truncated", "e2 28 a1", 1},
	{"bad-last-byte", "truncated", "78 f4 8f bf c0", 4},
}

// utf8File: every sample split into two fragments at every byte position,
// and once more one byte per fragment. A validator that only checks whole
// fragments, or forgets a character begun in the previous one, fails some
// split.
func utf8File() file {
	f := file{Group: "utf8", Description: "Text split across fragments at every byte position, valid and invalid; invalid text must fail the connection (§8.1), and at gives the byte from which it can no longer be valid, where wsanatomy fails (informative)"}
	for _, s := range utf8Samples {
		b, err := hex.DecodeString(strings.ReplaceAll(s.hex, " ", ""))
		if err != nil {
			fail(fmt.Errorf("utf8 sample %s: %v", s.name, err))
		}
		if s.at > len(b) {
			fail(fmt.Errorf("utf8 sample %s: at %d is past its %d bytes", s.name, s.at, len(b)))
		}
		exp := obj{{"valid", true}}
		what := "valid"
		if s.at >= 0 {
			exp = obj{{"error", obj{{"close_code", 1007}, {"code_level", levelShould}, {"section", "8.1"}, {"at", s.at}}}}
			what = fmt.Sprintf("invalid from byte %d", s.at)
			if s.at == len(b) {
				what = fmt.Sprintf("invalid at byte %d, the end of the message, inside a character", s.at)
			}
		}
		for k := 0; k <= len(b); k++ {
			frags := []string{hex.EncodeToString(b[:k]), hex.EncodeToString(b[k:])}
			f.Vectors = append(f.Vectors, vector{
				ID:          fmt.Sprintf("utf8-%s-split-%d", s.name, k),
				Description: fmt.Sprintf("%s: %s split after byte %d of %d, %s", s.category, s.hex, k, len(b), what),
				Section:     "8.1",
				Level:       levelMust,
				Rule:        qUTF8,
				Input:       obj{{"fragments", frags}},
				Expect:      exp,
			})
		}
		if len(b) > 1 {
			var frags []string
			for _, c := range b {
				frags = append(frags, hex.EncodeToString([]byte{c}))
			}
			f.Vectors = append(f.Vectors, vector{
				ID:          fmt.Sprintf("utf8-%s-bytewise", s.name),
				Description: fmt.Sprintf("%s: %s one byte per fragment, %s", s.category, s.hex, what),
				Section:     "8.1",
				Level:       levelMust,
				Rule:        qUTF8,
				Input:       obj{{"fragments", frags}},
				Expect:      exp,
			})
		}
	}
	return f
}
