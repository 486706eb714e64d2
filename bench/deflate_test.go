package bench

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// Compressed echo (permessage-deflate, RFC 7692): the same round trip as
// BenchmarkEcho, with compression negotiated and used on every message in
// both directions. Each library runs in the modes it has:
//
//   - wsanatomy: context takeover (mode=takeover) and not (mode=nctx);
//   - coder: CompressionContextTakeover and CompressionNoContextTakeover,
//     with CompressionThreshold 1 so that every message is compressed;
//   - gorilla: EnableCompression, which always asks for no context
//     takeover (mode=nctx).
//
// Besides time and allocations, wire-B/op reports the bytes the server
// read from the network per round trip (the client's compressed message
// with its frame header), so the table shows what compression saved.

// deflateMessage is a JSON-like message of n bytes, the kind of traffic
// compression is meant for; seq varies it so that consecutive messages
// are alike but not equal.
func deflateMessage(n, seq int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"seq":%d,"id":%d,"user":"user-%d","price":%d.%02d,"tags":["red","blue"]},`, seq, i, (i*7919+seq)%1000, i%97, (i*31)%100)
	}
	return b.Bytes()[:n]
}

var deflateSizes = []int{1 << 10, 16 << 10, 64 << 10}

// deflateServerBuf is the size of the echo servers' read buffer. The
// memory benchmark makes it small, so that what it measures is the
// connections' own state, not a 1 MiB buffer per server.
var deflateServerBuf = maxMessage

// countingListener counts the bytes read from its connections.
type countingListener struct {
	net.Listener
	read *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.read}, nil
}

type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

type deflateSetup struct {
	lib, mode string
	start     func(tb testing.TB, read *atomic.Int64) echoClient
}

var deflateSetups = []deflateSetup{
	{libOurs, "takeover", func(tb testing.TB, read *atomic.Int64) echoClient {
		return startOursDeflate(tb, read, false)
	}},
	{libOurs, "nctx", func(tb testing.TB, read *atomic.Int64) echoClient {
		return startOursDeflate(tb, read, true)
	}},
	{libCoder, "takeover", func(tb testing.TB, read *atomic.Int64) echoClient {
		return startCoderDeflate(tb, read, coder.CompressionContextTakeover)
	}},
	{libCoder, "nctx", func(tb testing.TB, read *atomic.Int64) echoClient {
		return startCoderDeflate(tb, read, coder.CompressionNoContextTakeover)
	}},
	{libGorilla, "nctx", startGorillaDeflate},
}

func BenchmarkCompressedEcho(b *testing.B) {
	for _, size := range deflateSizes {
		for _, s := range deflateSetups {
			b.Run("mode="+s.mode+"/lib="+s.lib+"/size="+sizeName(size), func(b *testing.B) {
				var read atomic.Int64
				c := s.start(b, &read)
				defer c.close()
				msgs := make([][]byte, 16)
				for i := range msgs {
					msgs[i] = deflateMessage(size, i)
				}
				buf := make([]byte, maxMessage)
				for i := 0; i < 4; i++ { // warm buffers, pools and windows
					if _, err := c.roundTrip(msgs[i], buf); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				read.Store(0)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					n, err := c.roundTrip(msgs[i%len(msgs)], buf)
					if err != nil {
						b.Fatal(err)
					}
					if n != size {
						b.Fatalf("echo of %d bytes, want %d", n, size)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(read.Load())/float64(b.N), "wire-B/op")
			})
		}
	}
}

// BenchmarkCompressedConnMemory measures the memory a compressing
// connection keeps: it opens 50 client-server pairs of one library in
// one mode, sends one 16 KiB message each way on each, and reports the
// live heap per pair (client and server together, with the server's
// 16 KiB read buffer) after a GC, while all of them are still open.
func BenchmarkCompressedConnMemory(b *testing.B) {
	const pairs = 50
	deflateServerBuf = 16 << 10
	defer func() { deflateServerBuf = maxMessage }()
	for _, s := range deflateSetups {
		b.Run("mode="+s.mode+"/lib="+s.lib, func(b *testing.B) {
			var perPair float64
			for i := 0; i < b.N; i++ {
				var read atomic.Int64
				msg := deflateMessage(16<<10, 0)
				buf := make([]byte, 16<<10)
				// Let the connections of the previous run finish closing,
				// so that their memory is not freed during this one.
				time.Sleep(200 * time.Millisecond)
				runtime.GC()
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				clients := make([]echoClient, pairs)
				for j := range clients {
					clients[j] = s.start(b, &read)
					if _, err := clients[j].roundTrip(msg, buf); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				perPair = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / pairs
				for _, c := range clients {
					c.close()
				}
			}
			b.ReportMetric(perPair, "heap-B/conn")
		})
	}
}

// TestCompressedEcho checks every setup negotiates compression and echoes
// the exact bytes, so that the benchmarks measure compressed traffic.
func TestCompressedEcho(t *testing.T) {
	for _, s := range deflateSetups {
		t.Run(s.lib+"/"+s.mode, func(t *testing.T) {
			var read atomic.Int64
			c := s.start(t, &read)
			defer c.close()
			buf := make([]byte, maxMessage)
			for i, size := range deflateSizes {
				msg := deflateMessage(size, i)
				read.Store(0)
				n, err := c.roundTrip(msg, buf)
				if err != nil || !bytes.Equal(buf[:n], msg) {
					t.Fatalf("echo of %d bytes: %d bytes, %v", size, n, err)
				}
				if got := read.Load(); got >= int64(size)/2 {
					t.Fatalf("a %d-byte JSON message took %d bytes on the wire: not compressed", size, got)
				}
			}
		})
	}
}

// --- wsanatomy

func startOursDeflate(tb testing.TB, read *atomic.Int64, noTakeover bool) echoClient {
	ln := countingListener{listen(tb), read}
	comp := &protocol.CompressionOptions{Threshold: -1, ServerNoContextTakeover: noTakeover, ClientNoContextTakeover: noTakeover}
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		ctx := context.Background()
		c, err := protocol.AcceptConn(ctx, nc, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin, Compression: comp})
		if err != nil {
			return
		}
		buf := make([]byte, deflateServerBuf)
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
	c, err := protocol.Dial(context.Background(), wsURL(ln), &protocol.DialOptions{Compression: comp})
	if err != nil {
		tb.Fatal(err)
	}
	if c.Deflate() == nil {
		tb.Fatal("permessage-deflate was not agreed")
	}
	return &oursClient{c}
}

// --- coder

func startCoderDeflate(tb testing.TB, read *atomic.Int64, mode coder.CompressionMode) echoClient {
	ln := countingListener{listen(tb), read}
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true, CompressionMode: mode, CompressionThreshold: 1})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(maxMessage)
		ctx := context.Background()
		buf := make([]byte, deflateServerBuf)
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
	c, _, err := coder.Dial(context.Background(), wsURL(ln), &coder.DialOptions{CompressionMode: mode, CompressionThreshold: 1})
	if err != nil {
		tb.Fatal(err)
	}
	c.SetReadLimit(maxMessage)
	return &coderClient{c}
}

// --- gorilla

func startGorillaDeflate(tb testing.TB, read *atomic.Int64) echoClient {
	ln := countingListener{listen(tb), read}
	up := gorilla.Upgrader{CheckOrigin: func(*http.Request) bool { return true }, EnableCompression: true}
	serveHTTP(tb, ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(maxMessage)
		buf := make([]byte, deflateServerBuf)
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
	d := gorilla.Dialer{EnableCompression: true}
	c, _, err := d.Dial(wsURL(ln), nil)
	if err != nil {
		tb.Fatal(err)
	}
	c.SetReadLimit(maxMessage)
	return &gorillaClient{c}
}
