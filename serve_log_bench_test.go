package main

import (
	"io"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// BenchmarkServeLogFrames is what serve's log does with the events of one
// 1 MiB echo whose message arrives in 4 KiB frames (a gorilla client's):
// 256 received frames and the one frame of the echo, at each log level
// but off (which installs no observer). Past its burst, the frame log only
// counts most frames under load, so this is the cost of that counting.
func BenchmarkServeLogFrames(b *testing.B) {
	const frames = 256
	in := make([]*protocol.FrameEvent, frames)
	for i := range in {
		h := protocol.Header{Fin: i == frames-1, Opcode: protocol.OpContinuation, Masked: true, Length: 4 << 10}
		if i == 0 {
			h.Opcode = protocol.OpBinary
		}
		in[i] = &protocol.FrameEvent{Role: protocol.RoleServer, Dir: protocol.Received, Header: h, RawHeader: protocol.AppendHeader(nil, h)}
	}
	oh := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Length: 1 << 20}
	out := &protocol.FrameEvent{Role: protocol.RoleServer, Dir: protocol.Sent, Header: oh, RawHeader: protocol.AppendHeader(nil, oh)}
	for _, level := range []logLevel{logFrame, logMessage} {
		b.Run("log="+level.String(), func(b *testing.B) {
			cl := newConnLogger(level, &servePolicy{}, newFrameLog(io.Discard))
			peer := "127.0.0.1:54321"
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Each event stamped as the codec stamps it.
				for _, e := range in {
					e.Time = time.Now()
					cl.event(peer, e)
				}
				out.Time = time.Now()
				cl.event(peer, out)
			}
		})
	}
}
