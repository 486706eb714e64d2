package protocol

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
)

// keptFrames is an observer that keeps every frame event, as the TUI's
// capture does, for a test to look at after the frames that followed.
type keptFrames struct {
	mu     sync.Mutex
	frames []*FrameEvent
}

func (k *keptFrames) observe(e Event) {
	if f, ok := e.(*FrameEvent); ok {
		k.mu.Lock()
		k.frames = append(k.frames, f)
		k.mu.Unlock()
	}
}

// TestKeptFrameEventsKeepTheirRawHeaders: an observer may keep a frame's
// event after its call returns (Observer's doc), so each event's
// RawHeader must be bytes of its own, not a buffer a later frame reuses.
// The headers here differ from frame to frame (every length form, fresh
// keys on the client side, FIN and opcode changing), and each kept event
// is compared with its header as it went over the wire only once every
// frame has been read or written. Received frames take each way the
// reader reports them by: the shortest (a whole small message already
// buffered), a data frame's header and payload, a control frame, and a
// header that breaks a rule; sent frames are data and control frames.
func TestKeptFrameEventsKeepTheirRawHeaders(t *testing.T) {
	ctx := context.Background()
	t.Run("received", func(t *testing.T) {
		var wire []byte
		var want [][]byte
		add := func(h Header, payload []byte) {
			f := clientFrame(h, payload)
			wire = append(wire, f...)
			want = append(want, f[:len(f)-len(payload)])
		}
		add(Header{Fin: true, Opcode: OpText}, []byte("hi"))                  // the shortest way
		add(Header{Fin: false, Opcode: OpBinary}, make([]byte, 200))          // 16-bit length
		add(Header{Fin: true, Opcode: OpPing}, []byte("ping"))                // control, mid-message
		add(Header{Fin: false, Opcode: OpContinuation}, make([]byte, 70000))  // 64-bit length
		add(Header{Fin: true, Opcode: OpContinuation}, make([]byte, 5))       // 7-bit length
		add(Header{Fin: true, Opcode: OpBinary}, nil)                         // empty
		add(Header{Fin: true, Opcode: OpText, Rsv2: true}, []byte("bad rsv")) // breaks §5.2
		for _, headersOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("headersOnly=%v", headersOnly), func(t *testing.T) {
				var k keptFrames
				c := NewConn(nopConn{}, RoleServer, bufio.NewReader(bytes.NewReader(wire)),
					&Options{Observer: k.observe, ObserveHeadersOnly: headersOnly})
				for {
					_, r, err := c.NextReader(ctx)
					if err == nil {
						_, err = io.Copy(io.Discard, r)
					}
					if err != nil {
						break // the RSV2 frame fails the connection
					}
				}
				var got [][]byte
				for _, f := range k.frames {
					if f.Dir == Received {
						got = append(got, f.RawHeader)
						if cap(f.RawHeader) != len(f.RawHeader) {
							t.Errorf("RawHeader % x has capacity %d: an observer's append to it would write into the event", f.RawHeader, cap(f.RawHeader))
						}
					}
				}
				checkRawHeaders(t, got, want)
			})
		}
	})
	t.Run("sent", func(t *testing.T) {
		var k keptFrames
		c := NewConn(nopConn{}, RoleClient, nil, &Options{Observer: k.observe, ObserveHeadersOnly: true, Rand: &countingReader{}})
		var want [][]byte
		for _, n := range []int{3, 300, 70000} {
			if err := c.WriteMessage(ctx, BinaryMessage, make([]byte, n)); err != nil {
				t.Fatal(err)
			}
			if err := c.Ping(ctx, []byte("p")); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range k.frames {
			want = append(want, AppendHeader(nil, f.Header))
		}
		var got [][]byte
		for _, f := range k.frames {
			got = append(got, f.RawHeader)
		}
		checkRawHeaders(t, got, want)
		// Each header has a key of its own (countingReader), so two alike
		// would mean one buffer shared by several events.
		for i := 1; i < len(got); i++ {
			if bytes.Equal(got[i], got[i-1]) {
				t.Errorf("frames %d and %d report the same raw header % x", i-1, i, got[i])
			}
		}
	})
}

func checkRawHeaders(t *testing.T, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("observed %d frames, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("frame %d: kept RawHeader % x, want % x", i, got[i], want[i])
		}
	}
}

// countingReader yields 0, 1, 2, ...: a masking key different for each
// frame, known in advance.
type countingReader struct{ n byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}
