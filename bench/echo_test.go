package bench

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	gorilla "github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// maxMessage is the largest message any benchmark sends; every reusable
// buffer is this big, and every read limit at least this big.
const maxMessage = 1 << 20

// echoClient is one connected client of an echo server.
type echoClient interface {
	// roundTrip sends msg as one binary message and reads the echo into buf.
	roundTrip(msg, buf []byte) (int, error)
	close()
}

// An echo server listens on 127.0.0.1, accepts one connection per dial and
// sends every message back. Each library is paired with itself.
type echoSetup struct {
	lib   string
	start func(tb testing.TB) echoClient
}

var echoSetups = []echoSetup{
	{libOurs, startOurs},
	{libGorilla, startGorilla},
	{libCoder, startCoder},
	{libGobwas, startGobwas},
}

// BenchmarkEcho: the client writes a binary message, the server reads it
// whole into a reused buffer and writes it back, the client reads the echo
// into a reused buffer. One op is one round trip; B/op and allocs/op count
// both ends, since both run in this process.
func BenchmarkEcho(b *testing.B) {
	for _, size := range sizes {
		for _, s := range echoSetups {
			b.Run("lib="+s.lib+"/size="+sizeName(size), func(b *testing.B) {
				c := s.start(b)
				defer c.close()
				msg := make([]byte, size)
				for i := range msg {
					msg[i] = byte(i)
				}
				buf := make([]byte, maxMessage)
				// One round trip before timing, to warm buffers and pools.
				if _, err := c.roundTrip(msg, buf); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					n, err := c.roundTrip(msg, buf)
					if err != nil {
						b.Fatal(err)
					}
					if n != size {
						b.Fatalf("echo of %d bytes, want %d", n, size)
					}
				}
			})
		}
	}
}

// TestEcho checks every pair echoes the exact bytes, at every size.
func TestEcho(t *testing.T) {
	for _, s := range echoSetups {
		t.Run(s.lib, func(t *testing.T) {
			c := s.start(t)
			defer c.close()
			buf := make([]byte, maxMessage)
			for _, size := range sizes {
				msg := make([]byte, size)
				for i := range msg {
					msg[i] = byte(i*31 + size)
				}
				for range 2 {
					n, err := c.roundTrip(msg, buf)
					if err != nil {
						t.Fatal(err)
					}
					if string(buf[:n]) != string(msg) {
						t.Fatalf("size %d: echo differs", size)
					}
				}
			}
		})
	}
}

// listen opens a listener on 127.0.0.1 that is closed when the test ends.
func listen(tb testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	return ln
}

// serveHTTP serves h on ln until the test ends.
func serveHTTP(tb testing.TB, ln net.Listener, h http.HandlerFunc) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
}

func wsURL(ln net.Listener) string { return "ws://" + ln.Addr().String() + "/" }

// --- wsanatomy: protocol.AcceptConn / protocol.Dial, NextReader + WriteMessage.

type oursClient struct{ c *protocol.Conn }

func startOurs(tb testing.TB) echoClient {
	ln := listen(tb)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		ctx := context.Background()
		c, err := protocol.AcceptConn(ctx, nc, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
		if err != nil {
			return
		}
		buf := make([]byte, maxMessage)
		for {
			typ, r, err := c.NextReader(ctx)
			if err != nil {
				return
			}
			n, err := readAll(r, buf)
			if err != nil {
				return
			}
			if err := c.WriteMessage(ctx, typ, buf[:n]); err != nil {
				return
			}
		}
	}()
	c, err := protocol.Dial(context.Background(), wsURL(ln), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &oursClient{c}
}

func (o *oursClient) roundTrip(msg, buf []byte) (int, error) {
	ctx := context.Background()
	if err := o.c.WriteMessage(ctx, protocol.BinaryMessage, msg); err != nil {
		return 0, err
	}
	_, r, err := o.c.NextReader(ctx)
	if err != nil {
		return 0, err
	}
	return readAll(r, buf)
}

func (o *oursClient) close() { o.c.CloseNow() }

// --- gorilla: Upgrader / Dialer with default 4 KiB buffers, NextReader +
// WriteMessage.

type gorillaClient struct{ c *gorilla.Conn }

func startGorilla(tb testing.TB) echoClient {
	ln := listen(tb)
	up := gorilla.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(maxMessage)
		buf := make([]byte, maxMessage)
		for {
			typ, r, err := c.NextReader()
			if err != nil {
				return
			}
			n, err := readAll(r, buf)
			if err != nil {
				return
			}
			if err := c.WriteMessage(typ, buf[:n]); err != nil {
				return
			}
		}
	})
	c, _, err := gorilla.DefaultDialer.Dial(wsURL(ln), nil)
	if err != nil {
		tb.Fatal(err)
	}
	c.SetReadLimit(maxMessage)
	return &gorillaClient{c}
}

func (g *gorillaClient) roundTrip(msg, buf []byte) (int, error) {
	if err := g.c.WriteMessage(gorilla.BinaryMessage, msg); err != nil {
		return 0, err
	}
	_, r, err := g.c.NextReader()
	if err != nil {
		return 0, err
	}
	return readAll(r, buf)
}

func (g *gorillaClient) close() { g.c.Close() }

// --- coder: Accept / Dial, Reader + Write with context.Background.

type coderClient struct{ c *coder.Conn }

func startCoder(tb testing.TB) echoClient {
	ln := listen(tb)
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(maxMessage)
		ctx := context.Background()
		buf := make([]byte, maxMessage)
		for {
			typ, r, err := c.Reader(ctx)
			if err != nil {
				return
			}
			n, err := readAll(r, buf)
			if err != nil {
				return
			}
			if err := c.Write(ctx, typ, buf[:n]); err != nil {
				return
			}
		}
	})
	c, _, err := coder.Dial(context.Background(), wsURL(ln), nil)
	if err != nil {
		tb.Fatal(err)
	}
	c.SetReadLimit(maxMessage)
	return &coderClient{c}
}

func (k *coderClient) roundTrip(msg, buf []byte) (int, error) {
	ctx := context.Background()
	if err := k.c.Write(ctx, coder.MessageBinary, msg); err != nil {
		return 0, err
	}
	_, r, err := k.c.Reader(ctx)
	if err != nil {
		return 0, err
	}
	return readAll(r, buf)
}

func (k *coderClient) close() { k.c.CloseNow() }

// --- gobwas: ws.Upgrade / ws.Dial on raw connections, wsutil.Reader over
// a 4 KiB bufio.Reader, wsutil.Writer (4 KiB buffer) reused with ResetOp.
// Control frames are answered by wsutil.ControlFrameHandler.

type gobwasClient struct {
	conn net.Conn
	rd   *wsutil.Reader
	wr   *wsutil.Writer
	ctl  wsutil.FrameHandlerFunc
}

// gobwasReader reads messages from conn, answering control frames.
func gobwasReader(src io.Reader, conn net.Conn, state ws.State) (*wsutil.Reader, wsutil.FrameHandlerFunc) {
	ctl := wsutil.ControlFrameHandler(conn, state)
	return &wsutil.Reader{
		Source:         src,
		State:          state,
		OnIntermediate: ctl,
		MaxMessageSize: maxMessage,
	}, ctl
}

// gobwasNext returns the opcode of the next data message, handling the
// control frames before it.
func gobwasNext(rd *wsutil.Reader, ctl wsutil.FrameHandlerFunc) (ws.OpCode, error) {
	for range 1000 { // bounded: a peer cannot keep us here forever
		h, err := rd.NextFrame()
		if err != nil {
			return 0, err
		}
		if h.OpCode.IsControl() {
			if err := ctl(h, rd); err != nil {
				return 0, err
			}
			continue
		}
		return h.OpCode, nil
	}
	return 0, io.ErrNoProgress
}

func startGobwas(tb testing.TB) echoClient {
	ln := listen(tb)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		if _, err := ws.Upgrade(conn); err != nil {
			return
		}
		rd, ctl := gobwasReader(bufio.NewReader(conn), conn, ws.StateServerSide)
		wr := wsutil.NewWriter(conn, ws.StateServerSide, ws.OpBinary)
		buf := make([]byte, maxMessage)
		for {
			op, err := gobwasNext(rd, ctl)
			if err != nil {
				return
			}
			n, err := readAll(rd, buf)
			if err != nil {
				return
			}
			wr.ResetOp(op)
			if _, err := wr.Write(buf[:n]); err != nil {
				return
			}
			if err := wr.Flush(); err != nil {
				return
			}
		}
	}()
	conn, br, _, err := ws.Dial(context.Background(), wsURL(ln))
	if err != nil {
		tb.Fatal(err)
	}
	var src io.Reader
	if br != nil {
		src = br // bytes the server sent after its response; br reads on from conn
	} else {
		src = bufio.NewReader(conn)
	}
	rd, ctl := gobwasReader(src, conn, ws.StateClientSide)
	return &gobwasClient{conn: conn, rd: rd, ctl: ctl, wr: wsutil.NewWriter(conn, ws.StateClientSide, ws.OpBinary)}
}

func (g *gobwasClient) roundTrip(msg, buf []byte) (int, error) {
	g.wr.ResetOp(ws.OpBinary)
	if _, err := g.wr.Write(msg); err != nil {
		return 0, err
	}
	if err := g.wr.Flush(); err != nil {
		return 0, err
	}
	if _, err := gobwasNext(g.rd, g.ctl); err != nil {
		return 0, err
	}
	return readAll(g.rd, buf)
}

func (g *gobwasClient) close() { g.conn.Close() }
