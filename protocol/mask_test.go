package protocol

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func maskByteByByte(key [4]byte, pos int, b []byte) {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
}

func TestMaskRFCExample(t *testing.T) {
	// §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58.
	b := []byte("Hello")
	if pos := Mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, b); pos != 1 {
		t.Errorf("next key position %d, want 1", pos)
	}
	if want := []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}; !bytes.Equal(b, want) {
		t.Errorf("masked % x, want % x", b, want)
	}
}

// TestMaskMatchesDefinition compares the word-at-a-time code with the
// definition of §5.3, for every length up to 200 and every start position,
// and checks that masking in pieces equals masking at once.
func TestMaskMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	key := [4]byte{0xde, 0xad, 0xbe, 0xef}
	for n := 0; n <= 200; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		for pos := 0; pos < 4; pos++ {
			want := bytes.Clone(data)
			maskByteByByte(key, pos, want)
			got := bytes.Clone(data)
			if next := Mask(key, pos, got); next != (pos+n)%4 {
				t.Fatalf("n=%d pos=%d: next %d", n, pos, next)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("n=%d pos=%d: mismatch", n, pos)
			}
			split := r.IntN(n + 1)
			pieces := bytes.Clone(data)
			p := Mask(key, pos, pieces[:split])
			Mask(key, p, pieces[split:])
			if !bytes.Equal(pieces, want) {
				t.Fatalf("n=%d pos=%d split=%d: pieces differ", n, pos, split)
			}
		}
	}
}
