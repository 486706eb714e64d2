package protocol

import (
	"bufio"
	"bytes"
	"context"
	"testing"
)

// fragmentedWire is a masked binary message of size bytes sent as frames
// of at most frag bytes each, as a client with a small write buffer sends
// a big message (gorilla's is 4 KiB).
func fragmentedWire(size, frag int) []byte {
	payload := bytes.Repeat([]byte("a"), size)
	var wire []byte
	op := OpBinary
	for len(payload) > 0 {
		n := min(frag, len(payload))
		wire = append(wire, clientFrame(Header{Fin: n == len(payload), Opcode: op}, payload[:n])...)
		payload, op = payload[n:], OpContinuation
	}
	return wire
}

// BenchmarkReadObserved measures what an observer costs the reader: the
// same messages read with no observer (observer=none) and with one that
// asked for headers only and does nothing (observer=headers), as serve's
// default log is. Compare with benchstat -col /observer. A 1 MiB message
// in 4 KiB frames is 256 frame events per message.
func BenchmarkReadObserved(b *testing.B) {
	cases := []struct {
		name       string
		size, frag int
	}{
		{"16B", 16, 16},
		{"1MiB-in-4KiB-frames", 1 << 20, 4 << 10},
	}
	for _, tc := range cases {
		wire := fragmentedWire(tc.size, tc.frag)
		for _, observed := range []bool{false, true} {
			name := tc.name + "/observer=none"
			var opts *Options
			if observed {
				name = tc.name + "/observer=headers"
				opts = &Options{Observer: func(Event) {}, ObserveHeadersOnly: true}
			}
			b.Run(name, func(b *testing.B) {
				c := NewConn(nopConn{}, RoleServer, bufio.NewReaderSize(&loopReader{data: wire}, bufferSize), opts)
				readMessages(b, c, tc.size)
			})
		}
	}
}

// BenchmarkWriteObserved is BenchmarkReadObserved's other half: a server
// writing 16 B messages, each one frame and one event, with and without
// a headers-only observer.
func BenchmarkWriteObserved(b *testing.B) {
	for _, observed := range []bool{false, true} {
		name := "16B/observer=none"
		var opts *Options
		if observed {
			name = "16B/observer=headers"
			opts = &Options{Observer: func(Event) {}, ObserveHeadersOnly: true}
		}
		b.Run(name, func(b *testing.B) {
			c := NewConn(nopConn{}, RoleServer, nil, opts)
			msg := make([]byte, 16)
			ctx := context.Background()
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := c.WriteMessage(ctx, BinaryMessage, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
