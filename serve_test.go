package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// startEcho runs serve's echo server in-process with cfg and returns its
// address, its log and a function that stops it (as SIGTERM would) and
// returns serve's result.
func startEcho(t *testing.T, cfg serveConfig) (addr string, log *syncBuffer, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log = &syncBuffer{}
	s := newEchoServer(newFrameLog(log))
	s.cfg = cfg
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.serve(ctx, ln) }()
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() { cancel(); result = <-served })
		return result
	}
	t.Cleanup(func() { stop() })
	return ln.Addr().String(), log, stop
}

// rawUpgrade opens a TCP connection and does the opening handshake by
// hand, so that the test client allocates next to nothing of its own.
func rawUpgrade(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	var key [16]byte
	rand.Read(key[:])
	fmt.Fprintf(nc, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		addr, base64.StdEncoding.EncodeToString(key[:]))
	br := bufio.NewReaderSize(nc, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	return nc, br
}

// maskedFrame is a client frame with a zero masking key (valid: the key
// must be unpredictable to scripts, §10.3, which a test is not).
func maskedFrame(fin bool, op protocol.Opcode, payload []byte) []byte {
	h := protocol.Header{Fin: fin, Opcode: op, Masked: true, Length: uint64(len(payload))}
	return append(protocol.AppendHeader(nil, h), payload...)
}

// TestServeLogIsBounded: 200,000 empty frames (1.2 MB on the wire) once
// made 15 MiB of log. Frame lines are now limited per connection, and what
// is left out is counted.
func TestServeLogIsBounded(t *testing.T) {
	addr, log, stop := startEcho(t, defaultServeConfig())
	nc, br := rawUpgrade(t, addr)
	go io.Copy(io.Discard, br) // the echoes
	frame := maskedFrame(true, protocol.OpBinary, nil)
	const n = 200_000
	batch := make([]byte, 0, len(frame)*1000)
	for i := 0; i < 1000; i++ {
		batch = append(batch, frame...)
	}
	sent := 0
	for i := 0; i < n/1000; i++ {
		m, err := nc.Write(batch)
		sent += m
		if err != nil {
			t.Fatal(err)
		}
	}
	nc.Write(maskedFrame(true, protocol.OpClose, []byte{0x03, 0xe8}))
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	t.Logf("%d empty frames (%d bytes) in: %d bytes of log", n, sent, len(out))
	if len(out) > 256<<10 {
		t.Errorf("%d bytes in made %d bytes of log", sent, len(out))
	}
	if !strings.Contains(out, "frames not logged") {
		t.Errorf("the log does not say that frames were left out:\n%s", tail(out, 2000))
	}
}

// TestServeEchoCostsAboutTheMessage: the log prints headers, so it gets
// no payload copies, and an echo costs serve about the message itself
// (once the observer's copies made it cost 8.5 times as much).
func TestServeEchoCostsAboutTheMessage(t *testing.T) {
	addr, _, _ := startEcho(t, defaultServeConfig())
	nc, br := rawUpgrade(t, addr)
	const size = 8 << 20
	frame := maskedFrame(true, protocol.OpBinary, make([]byte, size))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	go nc.Write(frame)
	h, err := protocol.ReadHeader(br)
	if err != nil || h.Length != size {
		t.Fatalf("echo header %v, %v", h, err)
	}
	if _, err := io.CopyN(io.Discard, br, size); err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// The test's own frame was built before; reading the echo into
	// io.Discard costs nothing. What is left is serve's.
	if used := after.TotalAlloc - before.TotalAlloc; used > 3*size {
		t.Errorf("echoing %d bytes allocated %d bytes (%.1fx)", size, used, float64(used)/size)
	}
}

// TestServeDropsStalledClients: a client that never reads is dropped by
// the write timeout, one that dribbles by the idle timeout, each within
// its bound.
func TestServeDropsStalledClients(t *testing.T) {
	cfg := defaultServeConfig()
	cfg.writeTimeout = 300 * time.Millisecond
	cfg.idleTimeout = 500 * time.Millisecond
	cfg.closeTimeout = 300 * time.Millisecond
	addr, log, _ := startEcho(t, cfg)

	// Never reads: sends 1 MiB messages and waits for the server to give up.
	nc, _ := rawUpgrade(t, addr)
	big := maskedFrame(true, protocol.OpBinary, make([]byte, 1<<20))
	start := time.Now()
	for time.Since(start) < 10*time.Second {
		nc.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := nc.Write(big); err != nil && !isTimeoutErr(err) {
			break // the server closed the connection
		}
	}
	if d := time.Since(start); d >= 10*time.Second {
		t.Errorf("a client that never reads was not dropped")
	}

	// Dribbles: one byte of a frame every 50ms (the frame would take 5s).
	nc2, br2 := rawUpgrade(t, addr)
	frame := maskedFrame(true, protocol.OpText, []byte(strings.Repeat("a", 94)))
	closed := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(br2); closed <- b }()
	start = time.Now()
	for _, b := range frame {
		if _, err := nc2.Write([]byte{b}); err != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case got := <-closed:
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("the dribbler was dropped after %v", d)
		}
		if len(got) < 4 || got[0] != 0x88 || got[2] != 0x03 || got[3] != 0xe9 {
			t.Errorf("the dribbler got % x, want a close frame with 1001", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a dribbling client was not dropped")
	}
	if !strings.Contains(log.String(), "idle timeout") {
		t.Errorf("the log does not say why the dribbler was dropped:\n%s", tail(log.String(), 2000))
	}
}

func isTimeoutErr(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestServeShutdownWaitsForEveryClose: at shutdown every client, slow
// readers included, gets its 1001 after every echo the log says was sent,
// and serve returns only after every closing handshake has finished.
func TestServeShutdownWaitsForEveryClose(t *testing.T) {
	addr, log, stop := startEcho(t, defaultServeConfig())
	const clients = 20
	type result struct {
		local  string
		echoes int
		code   protocol.CloseCode
		err    error
	}
	results := make(chan result, clients)
	ready := make(chan struct{}, clients)
	for i := 0; i < clients; i++ {
		slow := i%4 == 0
		go func() {
			c, err := protocol.Dial(context.Background(), "ws://"+addr+"/", nil)
			if err != nil {
				results <- result{err: err}
				ready <- struct{}{}
				return
			}
			ctx := context.Background()
			// Up to 32 messages in flight, so that a slow reader has
			// echoes queued in its socket when the shutdown begins (but
			// not more than it can read within the close timeout).
			window := make(chan struct{}, 32)
			go func() {
				for j := 0; ; j++ {
					select {
					case window <- struct{}{}:
					case <-c.Done():
						return
					}
					if c.WriteMessage(ctx, protocol.BinaryMessage, []byte(fmt.Sprintf("m%06d%s", j, strings.Repeat("x", 2000)))) != nil {
						return
					}
				}
			}()
			n := 0
			for {
				if n == 10 {
					ready <- struct{}{}
				}
				_, msg, err := c.ReadMessage(ctx)
				if err != nil {
					code, _ := protocol.CloseStatus(err)
					results <- result{local: c.LocalAddr().String(), echoes: n, code: code, err: err}
					return
				}
				if want := fmt.Sprintf("m%06d", n); !strings.HasPrefix(string(msg), want) {
					results <- result{err: fmt.Errorf("echo %d is %.7q, want %s", n, msg, want)}
					return
				}
				n++
				<-window
				if slow {
					time.Sleep(2 * time.Millisecond)
				}
			}
		}()
	}
	for i := 0; i < clients; i++ {
		<-ready
	}
	t0 := time.Now()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("serve stopped %v after the shutdown began", time.Since(t0))
	out := log.String()
	for i := 0; i < clients; i++ {
		r := <-results
		if r.code != protocol.CloseGoingAway {
			t.Errorf("client %s: %v, want 1001\n%s", r.local, r.err, grepLines(out, r.local+" connection ended")+"\n"+grepLines(out, r.local+" TCP"))
			continue
		}
		want := fmt.Sprintf("%s connection ended after %d echoes", r.local, r.echoes)
		if !strings.Contains(out, want) {
			t.Errorf("client %s received %d echoes; the log says otherwise:\n%s", r.local, r.echoes, grepLines(out, r.local+" connection ended"))
		}
		if !strings.Contains(out, r.local+" TCP closed") {
			t.Errorf("the log lacks the TCP close of %s", r.local)
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
