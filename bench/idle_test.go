package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	gorilla "github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// idleConns is how many connections BenchmarkIdleConn holds open at once.
const idleConns = 2000

// BenchmarkIdleConn measures what an idle server connection costs: idleConns
// clients on 127.0.0.1 complete the opening handshake and then send nothing,
// while the server has a goroutine per connection blocked reading the next
// message, as a server waiting for its clients does. B/conn is the growth
// of the heap and goroutine stacks after a GC, divided by the connections.
// The clients are raw sockets that write a fixed handshake, so the figure
// is the server's connection plus one client socket, the same for every
// library. Run it with -benchtime 1x: each op opens idleConns connections.
//
// Each library is set up as in its echo server of the load test
// (cmd/echo-*): ours and gobwas on raw connections, gorilla and coder
// behind net/http, each with its default buffers.
func BenchmarkIdleConn(b *testing.B) {
	for _, s := range []struct {
		lib   string
		serve func(testing.TB, net.Listener)
	}{
		{libOurs, serveRaw(serveOursIdle)},
		{libGorilla, serveGorillaIdle},
		{libCoder, serveCoderIdle},
		{libGobwas, serveRaw(serveGobwasIdle)},
	} {
		b.Run("lib="+s.lib, func(b *testing.B) {
			for range b.N {
				b.ReportMetric(idleBytesPerConn(b, s.serve), "B/conn")
			}
		})
	}
}

// serveRaw accepts connections on ln and hands each to serve on a
// goroutine of its own, until ln is closed.
func serveRaw(serve func(net.Conn)) func(testing.TB, net.Listener) {
	return func(_ testing.TB, ln net.Listener) {
		go func() {
			for {
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				go serve(nc)
			}
		}()
	}
}

func serveOursIdle(nc net.Conn) {
	ctx := context.Background()
	c, err := protocol.AcceptConn(ctx, nc, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
	if err != nil {
		nc.Close()
		return
	}
	for {
		if _, _, err := c.ReadMessage(ctx); err != nil {
			c.CloseNow()
			return
		}
	}
}

func serveGorillaIdle(tb testing.TB, ln net.Listener) {
	up := gorilla.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			if _, _, err := c.NextReader(); err != nil {
				return
			}
		}
	})
}

func serveCoderIdle(tb testing.TB, ln net.Listener) {
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			if _, _, err := c.Reader(context.Background()); err != nil {
				return
			}
		}
	})
}

// serveGobwasIdle is cmd/echo-gobwas's connection: a 4 KiB bufio.Reader
// under wsutil.Reader and a wsutil.Writer, held for the connection's life.
func serveGobwasIdle(conn net.Conn) {
	defer conn.Close()
	if _, err := ws.Upgrade(conn); err != nil {
		return
	}
	rd, ctl := gobwasReader(bufio.NewReader(conn), conn, ws.StateServerSide)
	wr := wsutil.NewWriter(conn, ws.StateServerSide, ws.OpBinary)
	for {
		if _, err := gobwasNext(rd, ctl); err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, rd); err != nil {
			return
		}
		runtime.KeepAlive(wr)
	}
}

const idleHandshake = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

func idleBytesPerConn(b *testing.B, serve func(testing.TB, net.Listener)) float64 {
	b.StopTimer()
	ln := listen(b)
	serve(b, ln)
	memory := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc + ms.StackInuse
	}
	goroutines := runtime.NumGoroutine()
	before := memory()
	clients := make([]net.Conn, 0, idleConns)
	defer func() {
		for _, c := range clients {
			c.Close()
		}
		// Let the server's goroutines end before the next measurement
		// starts, so that their memory is not freed during it (bounded).
		for i := 0; i < 1000 && runtime.NumGoroutine() > goroutines; i++ {
			time.Sleep(10 * time.Millisecond)
		}
	}()
	for range idleConns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		clients = append(clients, c)
		if _, err := c.Write([]byte(idleHandshake)); err != nil {
			b.Fatal(err)
		}
		// Read the whole 101 response, so that the server is past its
		// handshake and waiting for a frame.
		br := bufio.NewReaderSize(c, 256)
		status, err := br.ReadString('\n')
		if err != nil || !strings.Contains(status, " 101 ") {
			b.Fatal(fmt.Errorf("handshake: %q, %v", status, err))
		}
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				b.Fatal(err)
			}
			if line == "\r\n" {
				break
			}
		}
	}
	after := memory()
	runtime.KeepAlive(clients)
	return float64(int64(after)-int64(before)) / idleConns
}
