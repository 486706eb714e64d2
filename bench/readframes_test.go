package bench

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	gorilla "github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// Frames of BenchmarkReadFrames: this many masked text frames of this many
// bytes each, built once and replayed without end.
const (
	smallFrames    = 1000
	smallFrameSize = 16
)

// clientFrames builds the wire bytes of smallFrames masked, final text
// frames of smallFrameSize ASCII bytes, each with its own masking key, as a
// client would send them.
func clientFrames() []byte {
	payload := []byte("0123456789abcdef")[:smallFrameSize]
	var wire []byte
	for i := range smallFrames {
		key := [4]byte{byte(i), byte(i >> 8), 0x5a, 0xc3}
		wire = protocol.AppendHeader(wire, protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, Length: smallFrameSize, MaskKey: key})
		start := len(wire)
		wire = append(wire, payload...)
		protocol.Mask(key, 0, wire[start:])
	}
	return wire
}

// memConn is a net.Conn whose reads replay data forever and whose writes
// vanish: a server connection with a client that never stops sending.
type memConn struct {
	data []byte
	off  int
}

func (c *memConn) Read(p []byte) (int, error) {
	n := copy(p, c.data[c.off:])
	c.off = (c.off + n) % len(c.data)
	return n, nil
}

func (c *memConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return memAddr{} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

type memAddr struct{}

func (memAddr) Network() string { return "mem" }
func (memAddr) String() string  { return "mem" }

// hijackRecorder is an http.ResponseWriter whose Hijack hands out conn, so
// that gorilla and coder, which only accept from net/http, can be given an
// in-memory connection.
type hijackRecorder struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (h hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.conn, bufio.NewReadWriter(bufio.NewReader(h.conn), bufio.NewWriter(h.conn)), nil
}

func upgradeRequest() *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://mem/", nil)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Sec-WebSocket-Version", "13")
	r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	return r
}

// frameReader reads one message into buf and returns its length.
type frameReader func(buf []byte) (int, error)

type readSetup struct {
	lib   string
	start func(tb testing.TB, conn net.Conn) frameReader
}

var readSetups = []readSetup{
	{libOurs, func(tb testing.TB, conn net.Conn) frameReader {
		c := protocol.NewConn(conn, protocol.RoleServer, nil, nil)
		ctx := context.Background()
		return func(buf []byte) (int, error) {
			_, r, err := c.NextReader(ctx)
			if err != nil {
				return 0, err
			}
			return readAll(r, buf)
		}
	}},
	{libGorilla, func(tb testing.TB, conn net.Conn) frameReader {
		up := gorilla.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
		c, err := up.Upgrade(hijackRecorder{httptest.NewRecorder(), conn}, upgradeRequest(), nil)
		if err != nil {
			tb.Fatal(err)
		}
		return func(buf []byte) (int, error) {
			_, r, err := c.NextReader()
			if err != nil {
				return 0, err
			}
			return readAll(r, buf)
		}
	}},
	{libCoder, func(tb testing.TB, conn net.Conn) frameReader {
		c, err := coder.Accept(hijackRecorder{httptest.NewRecorder(), conn}, upgradeRequest(), nil)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { c.CloseNow() })
		ctx := context.Background()
		return func(buf []byte) (int, error) {
			_, r, err := c.Reader(ctx)
			if err != nil {
				return 0, err
			}
			return readAll(r, buf)
		}
	}},
	{libGobwas, func(tb testing.TB, conn net.Conn) frameReader {
		rd, ctl := gobwasReader(bufio.NewReader(conn), conn, ws.StateServerSide)
		rd.CheckUTF8 = true // as wsanatomy does; gorilla and coder never check
		return func(buf []byte) (int, error) {
			if _, err := gobwasNext(rd, ctl); err != nil {
				return 0, err
			}
			return readAll(rd, buf)
		}
	}},
}

// BenchmarkReadFrames reads small masked text messages, one per op, as a
// server does, through each library's message reader. The client is an
// in-memory connection that replays smallFrames pre-built frames, so no
// socket or system call is involved: this is the per-frame overhead of the
// read path (header parse and checks, unmasking, UTF-8 where checked).
func BenchmarkReadFrames(b *testing.B) {
	wire := clientFrames()
	for _, s := range readSetups {
		b.Run("lib="+s.lib+"/size="+sizeName(smallFrameSize), func(b *testing.B) {
			read := s.start(b, &memConn{data: wire})
			buf := make([]byte, 64)
			b.SetBytes(smallFrameSize)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				n, err := read(buf)
				if err != nil {
					b.Fatal(err)
				}
				if n != smallFrameSize {
					b.Fatalf("read %d bytes, want %d", n, smallFrameSize)
				}
			}
		})
	}
}

// TestReadFrames checks that every library reads the pre-built frames back
// as the bytes that were masked, across a wrap of the replayed buffer.
func TestReadFrames(t *testing.T) {
	wire := clientFrames()
	for _, s := range readSetups {
		t.Run(s.lib, func(t *testing.T) {
			read := s.start(t, &memConn{data: wire})
			buf := make([]byte, 64)
			for i := range smallFrames + 10 {
				n, err := read(buf)
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if string(buf[:n]) != "0123456789abcdef" {
					t.Fatalf("frame %d: %q", i, buf[:n])
				}
			}
		})
	}
}
