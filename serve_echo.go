package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	mathbits "math/bits"
	"sync"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// echo sends every message back with its type until the connection ends,
// and returns how many it sent. The error is nil after a clean closing
// handshake. Once our close frame is out (a shutdown), messages still
// arriving are read but not echoed, until the peer's close frame answers.
//
// Each message is read into a buffer borrowed from echoBuffers for as long
// as its echo takes, not into a new slice (ReadMessage's): under load a
// new slice per message made the garbage collector a good part of the
// server's work, and a 64 KiB message arriving in 4 KiB fragments was
// copied again each time its slice doubled. Between messages the
// connection holds no buffer, so an idle one costs nothing here.
//
// A buffer never grows past c's MessageLimit, since the codec refuses a
// message that would.
func echo(ctx context.Context, c *protocol.Conn) (int, error) {
	limit := c.MessageLimit()
	n := 0
	closing := false
	last := 0 // the size of the previous message: most of a client's are alike
	for {
		typ, r, err := c.NextReader(ctx)
		var b *echoBuffer
		if err == nil {
			b, err = readEcho(r, last, limit)
		}
		if err != nil {
			var ce *protocol.CloseError
			if errors.As(err, &ce) && ce.Code != protocol.CloseAbnormalClosure {
				return n, nil
			}
			return n, err
		}
		last = len(b.b)
		if closing {
			b.release()
			continue
		}
		err = c.WriteMessage(ctx, typ, b.b)
		b.release() // WriteMessage has sent or copied every byte
		switch {
		case err == nil:
			n++
		case errors.Is(err, protocol.ErrCloseSent):
			closing = true
		default:
			return n, err
		}
	}
}

// readEcho reads a message to its end into a pooled buffer, starting with
// one the size of hint (the previous message) so that alike messages are
// read with no copy. The buffer grows, by doubling, only as bytes arrive:
// never with the length a header claims, and never past limit (when it
// is positive): the codec refuses a message longer than its MessageLimit,
// so a buffer full at the limit is only probed for the end (or that
// refusal) with one byte, instead of doubled.
func readEcho(r io.Reader, hint int, limit int64) (*echoBuffer, error) {
	b := getEchoBuffer(hint)
	for {
		room := b.b[len(b.b):cap(b.b)]
		if len(room) == 0 {
			if limit > 0 && int64(len(b.b)) >= limit {
				var probe [1]byte
				room = probe[:]
				n, err := r.Read(room)
				if n > 0 { // cannot happen with the codec's limit in force
					err = fmt.Errorf("echo: the message goes on past the limit of %d bytes", limit)
				}
				if err == io.EOF {
					return b, nil
				}
				b.release()
				return nil, err
			}
			size := 2 * cap(b.b)
			if limit > 0 {
				size = int(min(int64(size), limit))
			}
			bigger := getEchoBuffer(size)
			bigger.b = append(bigger.b, b.b...)
			b.release()
			b = bigger
			room = b.b[len(b.b):cap(b.b)]
		}
		n, err := r.Read(room)
		b.b = b.b[:len(b.b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			b.release()
			return nil, err
		}
	}
}

// echoBuffer is a message buffer of one size class, lent by getEchoBuffer
// and given back with release. It is a pointer, so that pooling it
// allocates nothing.
type echoBuffer struct {
	b     []byte // b[:0] when lent; cap(b) is 1<<class
	class int
}

// Size classes are powers of two from 512 B. Buffers up to 4 MiB are
// pooled; larger ones, which few messages need, are left to the garbage
// collector rather than kept.
const (
	minEchoClass    = 9
	maxPooledClass  = 22
	echoClassesKept = maxPooledClass - minEchoClass + 1
)

var echoPools [echoClassesKept]sync.Pool

// getEchoBuffer lends an empty buffer with room for at least size bytes.
func getEchoBuffer(size int) *echoBuffer {
	class := max(minEchoClass, mathbits.Len(uint(max(size, 1)-1)))
	if class <= maxPooledClass {
		if b, ok := echoPools[class-minEchoClass].Get().(*echoBuffer); ok {
			return b
		}
	}
	return &echoBuffer{b: make([]byte, 0, 1<<class), class: class}
}

// release gives b back; nothing of it may be used afterwards.
func (b *echoBuffer) release() {
	if b.class > maxPooledClass {
		return
	}
	b.b = b.b[:0]
	echoPools[b.class-minEchoClass].Put(b)
}
