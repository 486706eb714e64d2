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

// TestDeflaterRatioReport logs the compressed size of the benchmark's
// messages, for tuning (run with -v).
func TestDeflaterRatioReport(t *testing.T) {
	for _, n := range []int{1 << 10, 16 << 10, 64 << 10} {
		d := newDeflater(15)
		msg := benchJSON(n)
		d.write(msg)
		first := len(d.finish())
		d.write(msg)
		second := len(d.finish())
		t.Logf("%d bytes: %d compressed, %d again with context takeover", n, first, second)
	}
}
