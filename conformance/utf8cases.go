package conformance

// The 6.x cases: UTF-8 in text messages.

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// utf8Vector is a byte string to send as a text message.
type utf8Vector struct {
	name string
	b    []byte
}

// utf8Vectors lists the test strings of Autobahn's 6.x cases (after
// Markus Kuhn's UTF-8 decoder stress test) plus a matrix of every lead
// byte with the boundary values of the second byte. Whether each is valid
// is decided by the Go standard library, not by protocol/.
func utf8Vectors() []utf8Vector {
	var vs []utf8Vector
	add := func(name string, s string) { vs = append(vs, utf8Vector{name, []byte(s)}) }
	add("hello", "Hello-µ@ßöäüàá-UTF-8!!")
	add("kosme", "κόσμε")
	add("kosme-surrogate", "κόσμε\xed\xa0\x80edited")
	add("first-1", "\x00")
	add("first-2", "\xc2\x80")
	add("first-3", "\xe0\xa0\x80")
	add("first-4", "\xf0\x90\x80\x80")
	add("first-5", "\xf8\x88\x80\x80\x80")
	add("first-6", "\xfc\x84\x80\x80\x80\x80")
	add("last-1", "\x7f")
	add("last-2", "\xdf\xbf")
	add("last-3", "\xef\xbf\xbf")
	add("last-4", "\xf7\xbf\xbf\xbf")
	add("last-5", "\xfb\xbf\xbf\xbf\xbf")
	add("last-6", "\xfd\xbf\xbf\xbf\xbf\xbf")
	add("bound-d7ff", "\xed\x9f\xbf")
	add("bound-e000", "\xee\x80\x80")
	add("bound-fffd", "\xef\xbf\xbd")
	add("bound-10ffff", "\xf4\x8f\xbf\xbf")
	add("bound-110000", "\xf4\x90\x80\x80")
	add("cont-80", "\x80")
	add("cont-bf", "\xbf")
	add("cont-80bf", "\x80\xbf")
	add("cont-80bf80", "\x80\xbf\x80")
	add("cont-80bf80bf", "\x80\xbf\x80\xbf")
	add("cont-all", func() string {
		var b []byte
		for c := 0x80; c <= 0xbf; c++ {
			b = append(b, byte(c))
		}
		return string(b)
	}())
	for _, r := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}} {
		var b []byte
		for c := r[0]; c <= r[1]; c++ {
			b = append(b, byte(c), ' ')
		}
		add(fmt.Sprintf("lonely-%x-%x", r[0], r[1]), string(b))
	}
	missing := []string{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"}
	for i, s := range missing {
		add(fmt.Sprintf("missing-last-%d", i+1), s)
	}
	add("missing-concat", strings.Join(missing, ""))
	add("impossible-fe", "\xfe")
	add("impossible-ff", "\xff")
	add("impossible-fefeffff", "\xfe\xfe\xff\xff")
	for i, s := range []string{"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", "\xfc\x80\x80\x80\x80\xaf"} {
		add(fmt.Sprintf("overlong-slash-%d", i+1), s)
	}
	for i, s := range []string{"\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf", "\xfc\x83\xbf\xbf\xbf\xbf"} {
		add(fmt.Sprintf("overlong-max-%d", i+1), s)
	}
	for i, s := range []string{"\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80", "\xfc\x80\x80\x80\x80\x80"} {
		add(fmt.Sprintf("overlong-nul-%d", i+1), s)
	}
	for i, s := range []string{"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf"} {
		add(fmt.Sprintf("surrogate-%d", i+1), s)
	}
	for i, s := range []string{"\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x80\xed\xbf\xbf", "\xed\xad\xbf\xed\xb0\x80", "\xed\xad\xbf\xed\xbf\xbf",
		"\xed\xae\x80\xed\xb0\x80", "\xed\xae\x80\xed\xbf\xbf", "\xed\xaf\xbf\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf"} {
		add(fmt.Sprintf("surrogate-pair-%d", i+1), s)
	}
	for i, s := range []string{"\xef\xbf\xbe", "\xef\xbf\xbf", "\xef\xb7\x90", "\xef\xb7\xaf", "\xf0\x9f\xbf\xbe", "\xf3\xbf\xbf\xbf", "\xf4\x8f\xbf\xbe"} {
		add(fmt.Sprintf("noncharacter-%d", i+1), s)
	}
	add("emoji", "wsanatomy \U0001F600 \u00e9\u4e2d\u6587 \U0010FFFF end")
	// Every lead byte against the boundaries of the second byte's ranges.
	for lead := 0xc0; lead <= 0xff; lead++ {
		for _, second := range []byte{0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0} {
			b := []byte{byte(lead), second}
			for len(b) < seqLenOf(byte(lead)) {
				b = append(b, 0x80)
			}
			vs = append(vs, utf8Vector{fmt.Sprintf("matrix-%02x-%02x", lead, second), append(b, 'z')})
		}
	}
	return vs
}

// seqLenOf is the length a lead byte announces, by its high bits only.
func seqLenOf(b byte) int {
	switch {
	case b >= 0xf0:
		return 4
	case b >= 0xe0:
		return 3
	}
	return 2
}

// completable reports whether p is a prefix of some valid UTF-8 string:
// either valid already, or made valid by appending at most 3 bytes. The
// candidates cover the edges of every continuation range of Unicode's
// Table 3-7.
func completable(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	cands := []byte{0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf}
	var try func(q []byte, left int) bool
	try = func(q []byte, left int) bool {
		if utf8.Valid(q) {
			return true
		}
		if left == 0 {
			return false
		}
		for _, c := range cands {
			if try(append(q[:len(q):len(q)], c), left-1) {
				return true
			}
		}
		return false
	}
	return try(p, 3)
}

// firstBad returns the index of the first byte after which p can no
// longer become valid UTF-8, or -1 if there is none.
func firstBad(p []byte) int {
	for k := range p {
		if !completable(p[:k+1]) {
			return k
		}
	}
	return -1
}

func utf8Cases() []Case {
	var cs []Case
	vs := utf8Vectors()
	var valid, invalid []utf8Vector
	for _, v := range vs {
		if utf8.Valid(v.b) {
			valid = append(valid, v)
		} else {
			invalid = append(invalid, v)
		}
	}
	// The delivery variants. Each returns the bytes of one text message.
	type variant struct {
		id    string
		desc  string
		build func(p *Peer, b []byte) [][]byte // writes to make, in order
	}
	variants := []variant{
		{"1", "one frame", func(p *Peer, b []byte) [][]byte { return [][]byte{p.Frame(true, 0, OpText, b)} }},
		{"2", "1-byte frames", func(p *Peer, b []byte) [][]byte { return [][]byte{fragmentFrames(p, OpText, b, 1)} }},
		{"3", "one frame in 1-byte TCP writes", func(p *Peer, b []byte) [][]byte {
			f := p.Frame(true, 0, OpText, b)
			var w [][]byte
			for i := range f {
				w = append(w, f[i:i+1])
			}
			return w
		}},
	}
	// Valid strings: all on one connection per variant, each echoed.
	for _, vr := range variants {
		vr := vr
		cs = append(cs, Case{ID: "6.V." + vr.id, Desc: "every valid string, " + vr.desc, Rule: ruleUTF8Valid, run: func(p *Peer) {
			for _, v := range valid {
				for _, w := range vr.build(p, v.b) {
					p.MustSend(w)
				}
				p.expectValid(v, "")
			}
			p.CloseHandshake(1000, "")
		}})
	}
	cs = append(cs, Case{ID: "6.V.4", Desc: "every valid string split into 2 frames at every position", Rule: ruleUTF8Valid, run: func(p *Peer) {
		for _, v := range valid {
			for k := 0; k <= len(v.b); k++ {
				p.MustSend(append(p.Frame(false, 0, OpText, v.b[:k]), p.Frame(true, 0, OpCont, v.b[k:])...))
				p.expectValid(v, fmt.Sprintf(" split at byte %d", k))
			}
		}
		p.CloseHandshake(1000, "")
	}})
	// Invalid strings: one connection each per variant.
	for _, v := range invalid {
		v := v
		for _, vr := range variants {
			vr := vr
			cs = append(cs, Case{ID: "6.I." + vr.id + "." + v.name, Desc: fmt.Sprintf("invalid % x, %s: 1007", v.b, vr.desc), Rule: ruleUTF8, run: func(p *Peer) {
				for _, w := range vr.build(p, v.b) {
					if p.Send(w) != nil {
						break
					}
				}
				p.ExpectFail(1007)
			}})
		}
		// Every split position into two frames, for the named strings (the
		// matrix strings are covered by the 1-byte frames variant).
		if !strings.HasPrefix(v.name, "matrix-") {
			for k := 1; k < len(v.b); k++ {
				k := k
				cs = append(cs, Case{ID: fmt.Sprintf("6.I.4.%s.%d", v.name, k), Desc: fmt.Sprintf("invalid % x split into 2 frames at %d: 1007", v.b, k), Rule: ruleUTF8, run: func(p *Peer) {
					p.Send(append(p.Frame(false, 0, OpText, v.b[:k]), p.Frame(true, 0, OpCont, v.b[k:])...))
					p.ExpectFail(1007)
				}})
			}
		}
		// Fail fast (6.4.x): the close should come as soon as the first
		// impossible byte arrives, before the rest of the frame is sent.
		// Only the named strings: the matrix adds nothing here.
		payload := append(append([]byte(nil), v.b...), "edited"...)
		k := firstBad(payload)
		if k < 0 || k == len(payload)-1 || strings.HasPrefix(v.name, "matrix-") {
			continue
		}
		cs = append(cs, Case{ID: "6.F." + v.name, Desc: fmt.Sprintf("fail fast: % x, close before the rest of the frame", payload[:k+1]), Rule: ruleFailFast, run: func(p *Peer) {
			f := p.Frame(true, 0, OpText, payload)
			cut := len(f) - len(payload) + k
			p.MustSend(f[:cut])
			time.Sleep(time.Millisecond)
			p.MustSend(f[cut : cut+1])
			p.failFast(f[cut+1:])
		}})
	}
	// Autobahn's 6.4.1 to 6.4.4 as written.
	part1, part2, part3 := []byte("κόσμε"), []byte("\xf4\x90\x80\x80"), []byte("edited")
	cs = append(cs,
		Case{ID: "6.4.1", Desc: "fail fast: invalid second fragment, close before the third", Rule: ruleFailFast, run: func(p *Peer) {
			p.SendFrame(false, 0, OpText, part1)
			time.Sleep(pause)
			p.SendFrame(false, 0, OpCont, part2)
			p.failFast(p.Frame(true, 0, OpCont, part3))
		}},
		Case{ID: "6.4.2", Desc: "fail fast: the invalid byte starts the third fragment", Rule: ruleFailFast, run: func(p *Peer) {
			p.SendFrame(false, 0, OpText, part1)
			p.SendFrame(false, 0, OpCont, []byte{0xf4})
			p.ExpectNothing(20*time.Millisecond, "0xf4 can still start a character")
			p.SendFrame(false, 0, OpCont, []byte("\x90\x80\x80"))
			p.failFast(p.Frame(true, 0, OpCont, part3))
		}},
		Case{ID: "6.4.3", Desc: "fail fast inside one frame: close before the rest of the frame", Rule: ruleFailFast, run: func(p *Peer) {
			payload := append(append(append([]byte(nil), part1...), part2...), part3...)
			f := p.Frame(true, 0, OpText, payload)
			hl := len(f) - len(payload)
			p.MustSend(f[:hl+len(part1)])
			time.Sleep(pause)
			p.MustSend(f[hl+len(part1) : hl+len(part1)+len(part2)])
			p.failFast(f[hl+len(part1)+len(part2):])
		}},
		Case{ID: "6.4.4", Desc: "fail fast inside one frame, at the second byte of a character", Rule: ruleFailFast, run: func(p *Peer) {
			payload := append(append(append([]byte(nil), part1...), part2...), part3...)
			f := p.Frame(true, 0, OpText, payload)
			hl := len(f) - len(payload)
			p.MustSend(f[:hl+len(part1)+1])
			p.ExpectNothing(20*time.Millisecond, "0xf4 can still start a character")
			p.MustSend(f[hl+len(part1)+1 : hl+len(part1)+2])
			p.failFast(f[hl+len(part1)+2:])
		}},
	)
	return cs
}

// expectValid reads the echo of a valid string.
func (p *Peer) expectValid(v utf8Vector, how string) {
	gotOp, got, ctrl, err := p.ReadMessage(p.Timeout)
	switch {
	case ctrl != nil && ctrl.Op == OpClose:
		p.failf(Failed, "the peer closed (%v) on the valid UTF-8 string %s (% x)%s", *ctrl, v.name, v.b, how)
	case err != nil || ctrl != nil:
		p.failf(Failed, "expected the echo of the valid UTF-8 string %s (% x)%s: %v %v", v.name, v.b, how, ctrl, err)
	case gotOp != OpText || !bytes.Equal(got, v.b):
		p.failf(Failed, "the echo of the valid UTF-8 string %s (% x)%s differs: %s message % x", v.name, v.b, how, opName(gotOp), got)
	}
}
