// Command echo-floor is the load test's floor: not a WebSocket library and
// not a conforming endpoint, but the least work any server must do to echo
// the load generator's messages, so that its figures bound what a real
// server can reach on the same machine with the same client.
//
// After the opening handshake (gobwas's ws.Upgrade; the handshake is not
// measured), each connection runs one loop over its raw socket:
//
//   - one read into a 64 KiB buffer, as many bytes as the socket has;
//   - a message of one frame that is whole in the read buffer is unmasked
//     there and answered from there; fragments are copied into a message
//     buffer and unmasked in it; a payload bigger than the read buffer is
//     read straight into the message buffer;
//   - a reply to a small message is appended to an output buffer, written
//     once when the read buffer holds no further whole frame; a reply to a
//     big message is written at once, header and payload in one writev.
//
// It validates nothing a library must validate (reserved bits, UTF-8,
// control frame sizes, the closing handshake's codes), keeps no state but
// the message being read, and arms no deadline. A close frame is echoed and
// the connection closed. Masking uses wsanatomy's vectorised protocol.Mask.
package main

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"

	"github.com/gobwas/ws"
	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
	"github.com/wsanatomy/wsanatomy/protocol"
)

func main() {
	ln := echoserver.Listen("echo-floor")
	echoserver.ServeRaw(ln, func(conn net.Conn) {
		if _, err := ws.Upgrade(conn); err != nil {
			return
		}
		_ = echo(conn)
	})
	os.Exit(1)
}

const (
	readSize = 64 << 10 // the read buffer
	smallMax = 16 << 10 // replies up to this size are gathered in out
)

// echo runs one connection's loop until the peer closes or sends a frame it
// cannot take.
func echo(conn net.Conn) error {
	var (
		in       []byte // read buffer; in[r:w] is unparsed
		r, w     int
		msg      []byte // the message being collected
		msgOp    byte   // its opcode
		out      []byte // gathered small replies
		hdr      [10]byte
		iov      net.Buffers
		closeOut bool
	)
	for {
		// Parse every whole frame in in[r:w].
		for {
			avail := in[r:w]
			if len(avail) < 2 {
				break
			}
			b0, b1 := avail[0], avail[1]
			n, hlen := int(b1&0x7f), 2
			switch n {
			case 126:
				if len(avail) < 4 {
					goto read
				}
				n, hlen = int(binary.BigEndian.Uint16(avail[2:])), 4
			case 127:
				if len(avail) < 10 {
					goto read
				}
				n, hlen = int(binary.BigEndian.Uint64(avail[2:])), 10
			}
			if b1&0x80 == 0 || n > echoserver.MaxMessage || len(msg)+n > echoserver.MaxMessage {
				return errors.New("unmasked or oversized frame")
			}
			if len(avail) < hlen+4 {
				break
			}
			key := [4]byte(avail[hlen : hlen+4])
			have := min(n, len(avail)-hlen-4)
			if have < n && n-have <= readSize {
				break // small enough to wait for in the read buffer
			}
			op := b0 & 0x0f
			if have == n && b0&0x80 != 0 && op != 0 && op != 0x8 {
				// One whole frame, not a close: unmask it where it lies and
				// answer from the read buffer.
				p := avail[hlen+4 : hlen+4+n]
				protocol.Mask(key, 0, p)
				r += hlen + 4 + n
				if op == 0xA {
					continue // unsolicited pong: nothing to send
				}
				if op == 0x9 {
					op = 0xA
				}
				if err := reply(conn, &out, &iov, header(&hdr, op, n), p); err != nil {
					return err
				}
				continue
			}
			if op != 0 {
				msgOp = op
				msg = msg[:0]
			}
			start := len(msg)
			msg = growTo(msg, start+n)
			copy(msg[start:], avail[hlen+4:hlen+4+have])
			r += hlen + 4 + have
			if have < n {
				// A big payload: the rest goes straight into msg.
				if _, err := io.ReadFull(conn, msg[start+have:start+n]); err != nil {
					return err
				}
				r, w = 0, 0
			}
			protocol.Mask(key, 0, msg[start:start+n])
			if b0&0x80 == 0 {
				continue // more fragments to come
			}
			if msgOp == 0x9 {
				msgOp = 0xA // pong
			} else if msgOp == 0xA {
				continue // unsolicited pong: nothing to send
			}
			if err := reply(conn, &out, &iov, header(&hdr, msgOp, len(msg)), msg); err != nil {
				return err
			}
			if msgOp == 0x8 {
				closeOut = true
				break
			}
		}
	read:
		if len(out) > 0 {
			if _, err := conn.Write(out); err != nil {
				return err
			}
			out = out[:0]
		}
		if closeOut {
			return nil
		}
		// Keep the unparsed bytes at the front and read after them.
		if r > 0 {
			w = copy(in, in[r:w])
			r = 0
		}
		if in == nil {
			in = make([]byte, readSize+14)
		}
		k, err := conn.Read(in[w:])
		if err != nil {
			return err
		}
		w += k
	}
}

// reply sends header h and payload p: gathered in out when small, else
// after what out holds, in one writev.
func reply(conn net.Conn, out *[]byte, iov *net.Buffers, h, p []byte) error {
	if len(p) <= smallMax {
		*out = append(append(*out, h...), p...)
		return nil
	}
	if len(*out) > 0 {
		if _, err := conn.Write(*out); err != nil {
			return err
		}
		*out = (*out)[:0]
	}
	*iov = append((*iov)[:0], h, p)
	_, err := iov.WriteTo(conn)
	return err
}

// header writes a final frame's unmasked header for a payload of n bytes
// into h and returns it.
func header(h *[10]byte, op byte, n int) []byte {
	h[0] = 0x80 | op
	switch {
	case n < 126:
		h[1] = byte(n)
		return h[:2]
	case n <= 0xffff:
		h[1] = 126
		binary.BigEndian.PutUint16(h[2:], uint16(n))
		return h[:4]
	default:
		h[1] = 127
		binary.BigEndian.PutUint64(h[2:], uint64(n))
		return h[:10]
	}
}

// growTo returns b with length n, reusing its array when it is big enough.
func growTo(b []byte, n int) []byte {
	if n <= cap(b) {
		return b[:n]
	}
	nb := make([]byte, n, max(n, 2*cap(b)))
	copy(nb, b)
	return nb
}
