package lessons

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

var templateRE = regexp.MustCompile(`\{\{[^}]*\}\}`)

// TestNoTypedFacts is the drift guard. Every value a lesson computes with
// an expression must not also be typed out by hand anywhere in the lessons
// (an accept value, a hex frame, a masked byte string): a typed copy would
// not follow the codec if it changed. Short values (digits like "4") are
// too common in prose to judge, so only values of 8 characters or more are
// checked; short facts are covered by TestStatedFacts and by the typed
// answer rule below.
func TestNoTypedFacts(t *testing.T) {
	en, zh := loadBoth(t)
	computed := map[string]string{} // value -> the expression that made it
	var sources []struct{ file, text string }
	for _, cat := range [][]Lesson{en, zh} {
		for _, l := range cat {
			src, err := Source(l)
			if err != nil {
				t.Fatal(err)
			}
			for _, expr := range templateRE.FindAllString(src, -1) {
				v, err := expand(expr)
				if err != nil {
					t.Fatalf("%s: %v", l.File, err)
				}
				if len(v) >= 8 {
					computed[v] = expr
				}
			}
			sources = append(sources, struct{ file, text string }{l.File, templateRE.ReplaceAllString(src, "")})
		}
	}
	if len(computed) < 10 {
		t.Fatalf("only %d long computed facts in the lessons; the guard would be empty", len(computed))
	}
	for _, s := range sources {
		for v, expr := range computed {
			if strings.Contains(s.text, v) {
				t.Errorf("%s types %q by hand; write %s instead", s.file, v, expr)
			}
		}
	}
}

// TestTypedAnswersAreComputed: a check whose answer is a number or hex must
// take it from an expression, so the codec decides what is right.
func TestTypedAnswersAreComputed(t *testing.T) {
	numeric := regexp.MustCompile(`^[0-9a-fA-Fx §.+ -]+$`)
	en, zh := loadBoth(t)
	for _, cat := range [][]Lesson{en, zh} {
		for _, l := range cat {
			for _, s := range l.Steps {
				c := s.Check
				if c == nil || c.IsChoice() {
					continue
				}
				if numeric.MatchString(c.Answers[0]) && !c.Computed {
					t.Errorf("%s:%d: answer %q is typed; compute it with an expression", l.File, c.Line, c.Answers[0])
				}
			}
		}
	}
}

// TestStatedFacts compares facts the lessons state with the codec directly,
// without going through the expression helpers: the boundary payload sizes
// of lesson 3, and that lesson 3 takes each of them from an expression.
func TestStatedFacts(t *testing.T) {
	for _, tt := range []struct {
		n      uint64
		masked bool
		size   int
		field  byte
	}{
		{125, false, 2, 125}, {126, false, 4, 126}, {65535, false, 4, 126}, {65536, false, 10, 127},
		{125, true, 6, 125}, {126, true, 8, 126}, {65535, true, 8, 126}, {65536, true, 14, 127},
	} {
		h := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Length: tt.n, Masked: tt.masked}
		b := protocol.AppendHeader(nil, h)
		if len(b) != tt.size || b[1]&0x7F != tt.field {
			t.Errorf("length %d masked=%v: header % x, want %d bytes with field %d", tt.n, tt.masked, b, tt.size, tt.field)
		}
		d, n, err := protocol.DecodeHeader(b)
		if err != nil || n != tt.size || d.Length != tt.n {
			t.Errorf("length %d: decoded %v, %d, %v", tt.n, d, n, err)
		}
	}
	en, zh := loadBoth(t)
	for _, cat := range [][]Lesson{en, zh} {
		l, _ := Find(cat, 3)
		src, err := Source(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"{{headersize 125", "{{headersize 126", "{{headersize 65535", "{{headersize 65536"} {
			if !strings.Contains(src, want) {
				t.Errorf("%s does not compute %s...}}", l.File, want)
			}
		}
	}
}

// TestActionsEncode runs every action of every lesson through the codec:
// the frames it sends are built by protocol.AppendHeader and protocol.Mask,
// decoded back by protocol.DecodeHeader, and judged by protocol.CheckHeader
// as the receiving side would. Only raw and race actions may break rules;
// they exist to show what a correct peer does with a broken stream.
func TestActionsEncode(t *testing.T) {
	en, _ := loadBoth(t)
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, l := range en {
		for _, s := range l.Steps {
			for _, a := range s.Actions {
				frames, err := a.Frames(key)
				if err != nil {
					t.Errorf("%s:%d: %q: %v", l.File, a.Line, a.Source, err)
					continue
				}
				if a.Kind == ActRaw || a.Kind == ActRace {
					if len(frames) != 1 || len(frames[0]) < 2 {
						t.Errorf("%s:%d: %q: no bytes", l.File, a.Line, a.Source)
					}
					continue
				}
				st := protocol.State{Role: a.From.Peer()}
				var payload []byte
				for _, f := range frames {
					h, n, err := protocol.DecodeHeader(f)
					if err != nil {
						t.Fatalf("%s:%d: %v", l.File, a.Line, err)
					}
					if v := protocol.CheckHeader(h, st); v != nil {
						t.Errorf("%s:%d: %q: %v", l.File, a.Line, a.Source, v)
					}
					if uint64(len(f)-n) != h.Length {
						t.Errorf("%s:%d: frame of %d bytes has length %d after a %d-byte header", l.File, a.Line, len(f), h.Length, n)
					}
					p := append([]byte(nil), f[n:]...)
					if h.Masked {
						protocol.Mask(h.MaskKey, 0, p)
					}
					payload = append(payload, p...)
					if !h.Opcode.IsControl() {
						st.InMessage = !h.Fin
					}
				}
				if (a.Kind == ActSend || a.Kind == ActFragments) && string(payload) != string(a.Payload) {
					t.Errorf("%s:%d: payload round trip: got %q", l.File, a.Line, payload)
				}
			}
		}
	}
}
