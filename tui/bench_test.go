package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// manyFrames builds n frame entries alternating direction, as a long
// session would record them.
func manyFrames(n int) []capture.Entry {
	es := make([]capture.Entry, n)
	for i := range es {
		h := protocol.Header{Fin: true, Opcode: protocol.OpText, Length: 5, Masked: i%2 == 0, MaskKey: [4]byte{0x37, 0xfa, 0x21, 0x3d}}
		wire := append(protocol.AppendHeader(nil, h), "Hello"...)
		dir := capture.ClientToServer
		if i%2 == 1 {
			dir = capture.ServerToClient
		}
		es[i] = capture.Entry{Seq: i, Conn: 1, Tag: -1, Kind: capture.KindFrame, Dir: dir, At: time.Duration(i) * time.Microsecond,
			Header: h, Wire: wire, Unmasked: []byte("Hello")}
	}
	return es
}

// BenchmarkKeypress measures one keypress (Update) and the redraw (View)
// that follows, with 1,000 and 100,000 frames in the timeline. The cost
// must not grow with the number of frames.
func BenchmarkKeypress(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("frames=%d", n), func(b *testing.B) {
			m := newModel()
			m.mode = modeFree
			m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40}, entriesMsg(manyFrames(n)))
			m = send(m, keys("G")...)
			down, up := keys("down")[0], keys("up")[0]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := up
				if i%2 == 1 {
					k = down
				}
				m = send(m, k)
				_ = m.View()
			}
		})
	}
}

// TestKeypressCostIndependentOfFrames checks the benchmark's claim in a
// plain test run: a keypress with 100,000 frames costs about the same as
// with 1,000.
func TestKeypressCostIndependentOfFrames(t *testing.T) {
	// Memory, not time: bytes allocated per keypress do not depend on how
	// busy the machine is, and a screen that built a row per frame (or
	// copied the timeline) would allocate in proportion to the frames.
	// The time per keypress is BenchmarkKeypress's to measure.
	cost := func(n int) (bytes, allocs int64) {
		r := testing.Benchmark(func(b *testing.B) {
			m := newModel()
			m.mode = modeFree
			m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40}, entriesMsg(manyFrames(n)))
			m = send(m, keys("G")...)
			k := keys("up")[0]
			b.ReportAllocs()
			for b.Loop() {
				m = send(m, k)
				_ = m.View()
			}
		})
		return r.AllocedBytesPerOp(), r.AllocsPerOp()
	}
	smallB, smallA := cost(1000)
	largeB, largeA := cost(100000)
	if largeB > 2*smallB+64<<10 || largeA > 2*smallA+500 {
		t.Errorf("a keypress with 100,000 frames allocates %d B in %d allocations, with 1,000 frames %d B in %d",
			largeB, largeA, smallB, smallA)
	}
}

// BenchmarkView measures View alone in each mode with 1,000 and 100,000
// frames in the timeline, on a wide and a narrow screen.
func BenchmarkView(b *testing.B) {
	for _, md := range []struct {
		name string
		keys []string
	}{{"walk", nil}, {"free", []string{"f", "esc"}}, {"lab", []string{"r", "esc"}}} {
		for _, size := range [][2]int{{120, 40}, {80, 24}} {
			for _, n := range []int{1000, 100000} {
				b.Run(fmt.Sprintf("%s/%dx%d/frames=%d", md.name, size[0], size[1], n), func(b *testing.B) {
					m := newModel()
					m = send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]}, entriesMsg(manyFrames(n)))
					m = send(m, keys(md.keys...)...)
					m = send(m, keys("G", "up")...)
					b.ReportAllocs()
					for b.Loop() {
						_ = m.View()
					}
				})
			}
		}
	}
}
