package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// idleConns is how many connections BenchmarkIdleConn holds open at once.
const idleConns = 2000

// BenchmarkIdleConn measures what an idle server connection costs: idleConns
// clients on 127.0.0.1 complete the opening handshake and then send nothing,
// while the server has a goroutine per connection blocked in ReadMessage,
// as a server waiting for its clients does. B/conn is the growth of the
// heap and goroutine stacks after a GC, divided by the connections. The
// clients are raw sockets that write a fixed handshake, so the figure is
// the server's connection plus one client socket, the same for every
// library. Run it with -benchtime 1x: each op opens idleConns connections.
func BenchmarkIdleConn(b *testing.B) {
	b.Run("lib="+libOurs, func(b *testing.B) {
		for range b.N {
			b.ReportMetric(idleBytesPerConn(b, serveOursIdle), "B/conn")
		}
	})
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

const idleHandshake = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

func idleBytesPerConn(b *testing.B, serve func(net.Conn)) float64 {
	b.StopTimer()
	ln := listen(b)
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(nc)
		}
	}()
	memory := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc + ms.StackInuse
	}
	before := memory()
	clients := make([]net.Conn, 0, idleConns)
	defer func() {
		for _, c := range clients {
			c.Close()
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
