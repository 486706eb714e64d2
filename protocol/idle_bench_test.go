package protocol

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkIdleTimeoutEcho is an echo server with and without
// IdleTimeout (idle=off, idle=5m), over loopback TCP: the cost of the idle
// clock. ping-pong: one 16-byte message at a time, so every read waits
// for the socket. pipelined: 8 messages of 1 KiB sent at once, so most
// reads find their message already buffered and wait for nothing.
func BenchmarkIdleTimeoutEcho(b *testing.B) {
	for _, w := range []struct {
		name           string
		inFlight, size int
	}{{"ping-pong", 1, 16}, {"pipelined", 8, 1 << 10}} {
		for _, idle := range []time.Duration{0, 5 * time.Minute} {
			name := "idle=off"
			if idle > 0 {
				name = "idle=5m"
			}
			b.Run(fmt.Sprintf("%s/%s", w.name, name), func(b *testing.B) {
				client, server := connPair(b, nil, &Options{BatchReplies: true, IdleTimeout: idle})
				ctx := context.Background()
				go func() {
					buf := make([]byte, w.size)
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
				for range w.inFlight {
					wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpBinary}, make([]byte, w.size))...)
				}
				buf := make([]byte, w.size)
				b.SetBytes(int64(w.inFlight * w.size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := client.WriteRaw(wire); err != nil {
						b.Fatal(err)
					}
					for range w.inFlight {
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
}
