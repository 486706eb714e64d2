package bench

import (
	"testing"

	"github.com/gobwas/ws"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// BenchmarkMask XORs a buffer in place with a 4-byte key (RFC 6455 §5.3).
// gorilla's maskBytes and coder's mask are unexported, so only gobwas
// (ws.Cipher) and wsanatomy (protocol.Mask) take part.
func BenchmarkMask(b *testing.B) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, size := range sizes {
		buf := make([]byte, size)
		b.Run("lib="+libOurs+"/size="+sizeName(size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				protocol.Mask(key, 1, buf)
			}
		})
		b.Run("lib="+libGobwas+"/size="+sizeName(size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ws.Cipher(buf, key, 1)
			}
		})
	}
}

// TestMaskAgrees checks that the two masking functions compute the same
// thing, so that the benchmark compares like with like.
func TestMaskAgrees(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, size := range []int{0, 1, 7, 15, 16, 17, 33, 1000} {
		for pos := 0; pos < 4; pos++ {
			a, c := make([]byte, size), make([]byte, size)
			for i := range a {
				a[i] = byte(i * 7)
				c[i] = byte(i * 7)
			}
			protocol.Mask(key, pos, a)
			ws.Cipher(c, key, pos)
			if string(a) != string(c) {
				t.Fatalf("size %d pos %d: results differ", size, pos)
			}
		}
	}
}
