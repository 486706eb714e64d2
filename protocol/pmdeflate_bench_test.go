package protocol

import (
	"fmt"
	"testing"
)

func benchJSON(n int) []byte {
	var b []byte
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, `{"seq":%d,"id":%d,"user":"user-%d","price":%d.%02d,"tags":["red","blue"]},`, 1, i, (i*7919)%1000, i%97, (i*31)%100)
	}
	return b[:n]
}

// BenchmarkDeflater is the compressor alone, with context takeover.
func BenchmarkDeflater(b *testing.B) {
	for _, n := range []int{1 << 10, 16 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			msg := benchJSON(n)
			d := newDeflater(15)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				d.write(msg)
				d.finish()
			}
		})
	}
}

// TestDeflaterRatio: the benchmark's JSON compresses to under a quarter,
// and the same message again, with context takeover, to a small part of
// that when it fits in the window (it is one long back-reference). The
// sizes are logged for tuning (run with -v).
func TestDeflaterRatio(t *testing.T) {
	for _, n := range []int{1 << 10, 16 << 10, 64 << 10} {
		d := newDeflater(15)
		msg := benchJSON(n)
		d.write(msg)
		first := len(d.finish())
		d.write(msg)
		second := len(d.finish())
		t.Logf("%d bytes: %d compressed, %d again with context takeover", n, first, second)
		if first > n/4 {
			t.Errorf("%d bytes of JSON compressed to %d", n, first)
		}
		if n <= 1<<15 && second > first/5 {
			t.Errorf("%d bytes sent again with context takeover took %d bytes, the first time %d", n, second, first)
		}
	}
}
