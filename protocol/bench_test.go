package protocol

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"testing"
)

func BenchmarkWriteHeader(b *testing.B) {
	buf := make([]byte, 0, MaxHeaderSize)
	for _, n := range []uint64{5, 300, 70000} {
		h := Header{Fin: true, Opcode: OpBinary, Masked: true, Length: n, MaskKey: [4]byte{1, 2, 3, 4}}
		b.Run(fmt.Sprintf("len=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf = AppendHeader(buf[:0], h)
			}
		})
	}
}

func BenchmarkReadHeader(b *testing.B) {
	for _, n := range []uint64{5, 300, 70000} {
		wire := AppendHeader(nil, Header{Fin: true, Opcode: OpBinary, Masked: true, Length: n, MaskKey: [4]byte{1, 2, 3, 4}})
		b.Run(fmt.Sprintf("len=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := DecodeHeader(wire); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMask(b *testing.B) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, size := range []int{16, 125, 1 << 10, 64 << 10, 1 << 20} {
		buf := make([]byte, size)
		b.Run(byteSize(size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Mask(key, 1, buf)
			}
		})
		b.Run(byteSize(size)+"/bytewise", func(b *testing.B) {
			b.SetBytes(int64(size))
			for i := 0; i < b.N; i++ {
				maskByteByByte(key, 1, buf)
			}
		})
	}
}

// BenchmarkMaskPaths runs each masking path at the lengths around
// maskVectorMin, the length from which Mask leaves the portable code for the
// vectorised path, and at one address offset off a 32-byte boundary
// (align=1) as well as on it. Compare with benchstat -col /path.
func BenchmarkMaskPaths(b *testing.B) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	paths := maskPathsUnderTest()
	var names []string
	for name := range paths {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, size := range []int{16, 64, 125, 128, 192, 256, 320, 1024} {
		for _, align := range []int{0, 1} {
			raw := make([]byte, size+64)
			start := alignedAt(raw, align)
			buf := raw[start : start+size]
			for _, name := range names {
				fn := paths[name]
				b.Run(fmt.Sprintf("size=%d/align=%d/path=%s", size, align, name), func(b *testing.B) {
					b.SetBytes(int64(size))
					for i := 0; i < b.N; i++ {
						fn(key, 1, buf)
					}
				})
			}
		}
	}
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// loopReader replays the same bytes forever, so a connection can read
// frames in a benchmark without a peer.
type loopReader struct {
	data []byte
	off  int
}

func (r *loopReader) Read(p []byte) (int, error) {
	n := copy(p, r.data[r.off:])
	r.off = (r.off + n) % len(r.data)
	return n, nil
}

// BenchmarkReadFrame measures reading one masked frame through the
// connection's read path (header, check, unmask, UTF-8), without a socket.
// It must not allocate.
func BenchmarkReadFrame(b *testing.B) {
	for _, size := range []int{16, 1 << 10, 64 << 10} {
		for _, typ := range []Opcode{OpBinary, OpText} {
			payload := bytes.Repeat([]byte("a"), size)
			wire := clientFrame(Header{Fin: true, Opcode: typ}, payload)
			b.Run(fmt.Sprintf("%s/%s", typ, byteSize(size)), func(b *testing.B) {
				c := NewConn(nopConn{}, RoleServer, bufio.NewReaderSize(&loopReader{data: wire}, bufferSize), nil)
				readMessages(b, c, size)
			})
		}
	}
}

// readMessages reads b.N messages of size bytes from c, as a server
// reading requests does: NextReader, then the payload into a reused
// buffer.
func readMessages(b *testing.B, c *Conn, size int) {
	buf := make([]byte, size)
	ctx := context.Background()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, r, err := c.NextReader(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoundTrip sends a message from a client to an echo server over
// loopback TCP and reads the echo.
func BenchmarkRoundTrip(b *testing.B) {
	for _, size := range []int{16, 1 << 10, 64 << 10, 1 << 20} {
		b.Run(byteSize(size), func(b *testing.B) {
			client, server := connPair(b, nil, nil)
			ctx := context.Background()
			go func() {
				buf := make([]byte, size)
				for {
					typ, r, err := server.NextReader(ctx)
					if err != nil {
						return
					}
					n, _ := io.ReadFull(r, buf)
					if server.WriteMessage(ctx, typ, buf[:n]) != nil {
						return
					}
				}
			}()
			msg := make([]byte, size)
			buf := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := client.WriteMessage(ctx, BinaryMessage, msg); err != nil {
					b.Fatal(err)
				}
				_, r, err := client.NextReader(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(r, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipelinedEcho is a request-reply server under a pipelining
// client, over loopback TCP: each op, the client sends 8 messages of
// 1 KiB in one write, then reads the 8 echoes. With BatchReplies
// (batch=on) the server's replies to requests that arrived together go
// out in fewer writes.
func BenchmarkPipelinedEcho(b *testing.B) {
	const inFlight, size = 8, 1 << 10
	for _, batch := range []bool{false, true} {
		name := "batch=off"
		if batch {
			name = "batch=on"
		}
		b.Run(name, func(b *testing.B) {
			client, server := connPair(b, nil, &Options{BatchReplies: batch})
			ctx := context.Background()
			go func() {
				buf := make([]byte, size)
				for {
					typ, r, err := server.NextReader(ctx)
					if err != nil {
						return
					}
					n, _ := io.ReadFull(r, buf)
					if server.WriteMessage(ctx, typ, buf[:n]) != nil {
						return
					}
				}
			}()
			var wire []byte
			for range inFlight {
				wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpBinary}, make([]byte, size))...)
			}
			buf := make([]byte, size)
			b.SetBytes(inFlight * size)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := client.WriteRaw(wire); err != nil {
					b.Fatal(err)
				}
				for range inFlight {
					_, r, err := client.NextReader(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.ReadFull(r, buf); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			client.CloseNow()
		})
	}
}

// TestReadAndRoundTripAllocateNothing guards the promise of issue 2:
// reading a frame allocates nothing in steady state, and neither does a
// write. (An allocation count, not a timing: it does not depend on the
// machine.)
func TestReadAndRoundTripAllocateNothing(t *testing.T) {
	wire := clientFrame(Header{Fin: true, Opcode: OpText}, bytes.Repeat([]byte("a"), 1024))
	c := NewConn(nopConn{}, RoleServer, bufio.NewReaderSize(&loopReader{data: wire}, bufferSize), nil)
	buf := make([]byte, 1024)
	ctx := context.Background()
	read := func() {
		_, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(200, read); n != 0 {
		t.Errorf("reading a 1 KiB text frame allocates %v times", n)
	}
	client := NewConn(nopConn{}, RoleClient, nil, &Options{Rand: repeatReader{1, 2, 3, 4}})
	write := func() {
		if err := client.WriteMessage(ctx, BinaryMessage, buf); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(200, write); n != 0 {
		t.Errorf("writing a 1 KiB masked frame allocates %v times", n)
	}
}
