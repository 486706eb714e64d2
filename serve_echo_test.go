package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestServeEchoesEverySize: the echo loop's pooled buffers give back every
// message exactly, whatever the sizes before it: around the size classes'
// edges, a small message after a large one (whose buffer it is then read
// into), a large one after a small one (the buffer grows as it arrives),
// in one frame and in many, pipelined, with the log at every level.
func TestServeEchoesEverySize(t *testing.T) {
	sizes := []int{0, 1, 511, 512, 513, 4096, 70000, 10, 1 << 20, 3, 1<<20 + 1, 125, 126}
	for _, level := range []logLevel{logFrame, logOff} {
		t.Run(level.String(), func(t *testing.T) {
			addr, _, stop := startPolicyServer(t, &servePolicy{}, level)
			defer stop()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := protocol.Dial(ctx, "ws://"+addr+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseNow()
			msgs := make([][]byte, len(sizes))
			for i, n := range sizes {
				msgs[i] = bytes.Repeat([]byte{byte(i + 1)}, n)
				if i%2 == 0 {
					copy(msgs[i], fmt.Sprint(i)) // a text marker where it fits
				}
			}
			// All sent before any echo is read: the server finds several
			// in its buffer at once, and every other one is fragmented.
			go func() {
				for i, m := range msgs {
					var err error
					if i%2 == 1 && len(m) > 0 {
						err = c.WriteFragmented(ctx, protocol.BinaryMessage, m, 1000)
					} else {
						err = c.WriteMessage(ctx, protocol.BinaryMessage, m)
					}
					if err != nil {
						return
					}
				}
			}()
			for i, want := range msgs {
				typ, got, err := c.ReadMessage(ctx)
				if err != nil {
					t.Fatalf("echo %d (%d bytes): %v", i, len(want), err)
				}
				if typ != protocol.BinaryMessage || !bytes.Equal(got, want) {
					t.Fatalf("echo %d: %v, %d bytes; want binary, %d bytes as sent", i, typ, len(got), len(want))
				}
			}
			c.Close(protocol.CloseNormal, "")
		})
	}
}

// chunkReader hands out n bytes, 1000 at a time, then io.EOF with the
// last of them, as NextReader's reader does.
type chunkReader struct{ n int }

func (r *chunkReader) Read(p []byte) (int, error) {
	k := min(len(p), r.n, 1000)
	r.n -= k
	if r.n == 0 {
		return k, io.EOF
	}
	return k, nil
}

// TestReadEchoStopsAtTheLimit: a message as long as the limit is read into
// a buffer of the limit's size, not doubled past it, and one that goes on
// is refused without a larger buffer (dial --echo against an endless
// message peaked at 3.4 times the limit when it was doubled).
func TestReadEchoStopsAtTheLimit(t *testing.T) {
	const limit = 4096 // a power of two, like DefaultMessageLimit: a size class of its own
	b, err := readEcho(&chunkReader{n: limit}, 0, limit)
	if err != nil || len(b.b) != limit || cap(b.b) != limit {
		t.Fatalf("a message of the limit's size: %v; len %d cap %d, want %d and %d", err, len(b.b), cap(b.b), limit, limit)
	}
	b.release()
	if _, err := readEcho(&chunkReader{n: limit + 1}, 0, limit); err == nil {
		t.Fatal("a message past the limit was read")
	}
	b, err = readEcho(&chunkReader{n: 70000}, 10, 0) // no limit: grows as bytes come
	if err != nil || len(b.b) != 70000 {
		t.Fatalf("70000 bytes with no limit: %v, len %d", err, len(b.b))
	}
}
