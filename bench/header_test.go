package bench

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gobwas/ws"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// Payload lengths that exercise the three length forms of §5.2: 7-bit,
// 16-bit and 64-bit.
var headerLens = []int64{5, 300, 70000}

// sliceWriter is an io.Writer into a reusable slice, so that writing a
// header through an io.Writer allocates only if the library does.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// BenchmarkHeaderWrite encodes one masked binary frame header: gobwas
// writes it to an io.Writer (ws.WriteHeader), wsanatomy appends it to a
// slice (protocol.AppendHeader). gorilla and coder do not export theirs.
func BenchmarkHeaderWrite(b *testing.B) {
	key := [4]byte{1, 2, 3, 4}
	for _, n := range headerLens {
		name := fmt.Sprintf("/len=%d", n)
		b.Run("lib="+libOurs+name, func(b *testing.B) {
			h := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: uint64(n), MaskKey: key}
			buf := make([]byte, 0, protocol.MaxHeaderSize)
			b.ReportAllocs()
			b.SetBytes(int64(len(protocol.AppendHeader(nil, h))))
			for i := 0; i < b.N; i++ {
				buf = protocol.AppendHeader(buf[:0], h)
			}
		})
		b.Run("lib="+libGobwas+name, func(b *testing.B) {
			h := ws.Header{Fin: true, OpCode: ws.OpBinary, Masked: true, Length: n, Mask: key}
			w := &sliceWriter{b: make([]byte, 0, ws.MaxHeaderSize)}
			b.ReportAllocs()
			b.SetBytes(int64(ws.HeaderSize(h)))
			for i := 0; i < b.N; i++ {
				w.b = w.b[:0]
				if err := ws.WriteHeader(w, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHeaderRead decodes one header from an io.Reader: gobwas
// ws.ReadHeader and wsanatomy protocol.ReadHeader.
func BenchmarkHeaderRead(b *testing.B) {
	for _, n := range headerLens {
		wire := protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: uint64(n), MaskKey: [4]byte{1, 2, 3, 4}})
		name := fmt.Sprintf("/len=%d", n)
		b.Run("lib="+libOurs+name, func(b *testing.B) {
			r := bytes.NewReader(wire)
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for i := 0; i < b.N; i++ {
				r.Reset(wire)
				if _, err := protocol.ReadHeader(r); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("lib="+libGobwas+name, func(b *testing.B) {
			r := bytes.NewReader(wire)
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for i := 0; i < b.N; i++ {
				r.Reset(wire)
				if _, err := ws.ReadHeader(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHeaderDecode decodes one header by each library's cheapest
// path: wsanatomy decodes from a byte slice (protocol.DecodeHeader, what
// its connections use); gobwas has no slice decoder, so it reads from a
// reused bytes.Reader into a caller-owned buffer (ws.ReadHeaderBuffer).
func BenchmarkHeaderDecode(b *testing.B) {
	for _, n := range headerLens {
		wire := protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: uint64(n), MaskKey: [4]byte{1, 2, 3, 4}})
		name := fmt.Sprintf("/len=%d", n)
		b.Run("lib="+libOurs+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for i := 0; i < b.N; i++ {
				if _, _, err := protocol.DecodeHeader(wire); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("lib="+libGobwas+name, func(b *testing.B) {
			r := bytes.NewReader(wire)
			buf := make([]byte, ws.MaxHeaderSize)
			b.ReportAllocs()
			b.SetBytes(int64(len(wire)))
			for i := 0; i < b.N; i++ {
				r.Reset(wire)
				if _, err := ws.ReadHeaderBuffer(r, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHeadersAgree checks that both libraries put the same bytes on the
// wire for the headers benchmarked.
func TestHeadersAgree(t *testing.T) {
	for _, n := range headerLens {
		ours := protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: uint64(n), MaskKey: [4]byte{1, 2, 3, 4}})
		var w sliceWriter
		if err := ws.WriteHeader(&w, ws.Header{Fin: true, OpCode: ws.OpBinary, Masked: true, Length: n, Mask: [4]byte{1, 2, 3, 4}}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, w.b) {
			t.Errorf("len %d: wsanatomy % x, gobwas % x", n, ours, w.b)
		}
	}
}
