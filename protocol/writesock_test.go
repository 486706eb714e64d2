package protocol

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// readFrameFrom reads one unmasked frame (a server's) from r: its header
// and payload.
func readFrameFrom(t *testing.T, r io.Reader) (Header, []byte) {
	t.Helper()
	var b [MaxHeaderSize]byte
	if _, err := io.ReadFull(r, b[:2]); err != nil {
		t.Fatalf("reading a header: %v", err)
	}
	size := 2
	switch b[1] & 0x7F {
	case lengthMarker16:
		size = 4
	case lengthMarker64:
		size = 10
	}
	if _, err := io.ReadFull(r, b[2:size]); err != nil {
		t.Fatalf("reading a header: %v", err)
	}
	h, _, err := DecodeHeader(b[:size])
	if err != nil {
		t.Fatalf("decoding %x: %v", b[:size], err)
	}
	payload := make([]byte, h.Length)
	if _, err := io.ReadFull(r, payload); err != nil {
		t.Fatalf("reading a payload of %d bytes: %v", h.Length, err)
	}
	return h, payload
}

// TestSocketWritesArriveWhole: on a TCP socket, a server's frames of every
// size (the small ones written at once with no deadline armed, the big ones
// with header and payload in one writev) arrive whole and in order, the
// caller's payload is neither changed nor kept, and a write the socket
// takes at once arms no deadline.
func TestSocketWritesArriveWhole(t *testing.T) {
	ours, peer := tcpPair(t)
	c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: 5 * time.Second, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	sizes := []int{0, 16, 125, 126, 600, 16<<10 - 4, 16 << 10, 64 << 10, 1<<20 + 3}
	go func() {
		for i, n := range sizes {
			msg := bytes.Repeat([]byte{byte(i + 1)}, n)
			if err := c.WriteMessage(context.Background(), BinaryMessage, msg); err != nil {
				t.Errorf("writing %d bytes: %v", n, err)
				return
			}
			if !bytes.Equal(msg, bytes.Repeat([]byte{byte(i + 1)}, n)) {
				t.Errorf("writing %d bytes changed the caller's payload", n)
			}
			c.frameMu.Lock()
			kept := c.sock.vec[0] != nil || c.sock.vec[1] != nil || c.sock.bufs != nil || c.sock.pending != nil
			c.frameMu.Unlock()
			if kept {
				t.Errorf("after writing %d bytes the connection still refers to the frame", n)
			}
			if i == 1 && c.wDeadline.Load() != 0 {
				t.Errorf("a 16-byte write to a socket with room armed a deadline")
			}
		}
	}()
	peer.SetReadDeadline(time.Now().Add(20 * time.Second))
	for i, n := range sizes {
		h, payload := readFrameFrom(t, peer)
		if !h.Fin || h.Opcode != OpBinary || h.Masked || len(payload) != n || !bytes.Equal(payload, bytes.Repeat([]byte{byte(i + 1)}, n)) {
			t.Fatalf("frame %d: %+v with %d bytes, want a whole binary frame of %d bytes of %d", i, h, len(payload), n, i+1)
		}
	}
}

// TestSocketWritesObeyPassedBounds: a write that would not wait must still
// fail when a bound it obeys has already passed: a context that ended,
// the context's deadline, the caller's deadline. And a connection idle for
// longer than WriteTimeout (so that the deadline its last write armed has
// passed) still writes.
func TestSocketWritesObeyPassedBounds(t *testing.T) {
	bg := context.Background()
	ended, cancel := context.WithCancel(bg)
	cancel()
	past, cancel2 := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel2()
	for _, size := range []int{16, 64 << 10} {
		open := func(t *testing.T) *Conn {
			ours, peer := tcpPair(t)
			go io.Copy(io.Discard, peer)
			c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: 100 * time.Millisecond, CloseTimeout: 100 * time.Millisecond})
			t.Cleanup(func() { c.CloseNow() })
			return c
		}
		msg := make([]byte, size)
		t.Run(byteSize(size)+"/idle", func(t *testing.T) {
			c := open(t)
			for i := 0; i < 2; i++ {
				if err := c.WriteMessage(bg, BinaryMessage, msg); err != nil {
					t.Fatalf("write %d: %v", i, err)
				}
				time.Sleep(300 * time.Millisecond) // past the deadline the write may have armed
			}
		})
		t.Run(byteSize(size)+"/ended", func(t *testing.T) {
			if err := open(t).WriteMessage(ended, BinaryMessage, msg); !errors.Is(err, context.Canceled) {
				t.Fatalf("a write with an ended context: %v, want context.Canceled", err)
			}
		})
		t.Run(byteSize(size)+"/past", func(t *testing.T) {
			if err := open(t).WriteMessage(past, BinaryMessage, msg); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("a write with a context whose deadline passed: %v, want context.DeadlineExceeded", err)
			}
		})
		t.Run(byteSize(size)+"/caller", func(t *testing.T) {
			c := open(t)
			c.SetWriteDeadline(time.Now().Add(-time.Second))
			if err := c.WriteMessage(bg, BinaryMessage, msg); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("a write after the caller's deadline: %v, want os.ErrDeadlineExceeded", err)
			}
		})
	}
}

// FuzzSocketWrites writes messages of fuzzed sizes and fragment sizes
// from a server over TCP (small frames at once, frames bigger than the
// write buffer as one writev) and checks that every frame arrives whole,
// in order, with the right bytes.
func FuzzSocketWrites(f *testing.F) {
	f.Add(uint32(16), uint32(70000), uint32(0), byte(1))
	f.Add(uint32(16<<10-9), uint32(16<<10-10), uint32(5000), byte(2))
	f.Add(uint32(1<<20), uint32(125), uint32(20000), byte(3))
	f.Fuzz(func(t *testing.T, a, b uint32, frag uint32, fill byte) {
		sizes := []int{int(a % (1<<20 + 1)), int(b % (1<<20 + 1))}
		fragment := int(frag % (64 << 10)) // 0: one frame per message
		ours, peer := tcpPair(t)
		c := NewConn(ours, RoleServer, nil, &Options{FragmentSize: fragment, WriteTimeout: 5 * time.Second, CloseTimeout: 100 * time.Millisecond})
		defer c.CloseNow()
		msgs := make([][]byte, len(sizes))
		for i, n := range sizes {
			msgs[i] = make([]byte, n)
			for j := range msgs[i] {
				msgs[i][j] = fill + byte(i) + byte(j*7)
			}
		}
		errc := make(chan error, 1)
		go func() {
			for _, m := range msgs {
				if err := c.WriteMessage(context.Background(), BinaryMessage, m); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		peer.SetReadDeadline(time.Now().Add(20 * time.Second))
		for i, m := range msgs {
			var got []byte
			for first := true; ; first = false {
				h, payload := readFrameFrom(t, peer)
				want := OpContinuation
				if first {
					want = OpBinary
				}
				if h.Opcode != want || h.Masked {
					t.Fatalf("message %d: frame %+v, want opcode %v unmasked", i, h, want)
				}
				got = append(got, payload...)
				if h.Fin {
					break
				}
			}
			if !bytes.Equal(got, m) {
				t.Fatalf("message %d of %d bytes arrived as %d bytes, or changed", i, len(m), len(got))
			}
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	})
}
