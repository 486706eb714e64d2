package interop

// The soak test: thousands of connections over loopback, with verified
// echo traffic, slow readers, clients that vanish mid-message and a
// SIGTERM of serve in the middle of it all. Afterwards goroutines, file
// descriptors and the heap must be back where they started, and no
// message that was acknowledged (echoed) may be missing.
//
// It takes ten seconds or so, and the race detector would make it ten
// times slower, so that does not run it: interop/run.sh runs it in its second,
// race-free pass.

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// soakMessage is message j of a client: its number, then filler, so that
// an echo proves both order and content.
func soakMessage(j int, rnd *rand.Rand) []byte {
	n := 12 + rnd.Intn(6000)
	msg := make([]byte, n)
	copy(msg, fmt.Sprintf("s%010d:", j))
	for i := 12; i < n; i++ {
		msg[i] = byte('a' + (j+i)%26)
	}
	return msg
}

// soakClient talks to an echo server in one of five ways, and returns how
// many echoes it verified.
func soakClient(ctx context.Context, url string, kind int, seed int64) (verified int, err error) {
	rnd := rand.New(rand.NewSource(seed))
	if kind == 4 && seed%2 == 0 {
		// Vanishes in the middle of a frame, without a close frame.
		u := strings.TrimPrefix(url, "ws://")
		host := u[:strings.Index(u, "/")]
		nc, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			return 0, err
		}
		defer nc.Close()
		fmt.Fprintf(nc, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", host, newKey())
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		if resp, err := http.ReadResponse(bufio.NewReader(nc), nil); err != nil || resp.StatusCode != 101 {
			return 0, fmt.Errorf("handshake: %v", err)
		}
		nc.Write(buildFrame(true, 0, opBinary, pattern(3000, byte(seed)), true)[:1000])
		return 0, nil
	}
	c, err := protocol.Dial(ctx, url, nil)
	if err != nil {
		return 0, err
	}
	defer c.CloseNow()
	count, window, pause := 20, 4, time.Duration(0)
	switch kind {
	case 3: // a slow reader: many echoes queued for it
		count, window, pause = 40, 40, time.Millisecond
	case 4: // vanishes after a few echoes, with messages in flight
		count = 5 + rnd.Intn(10)
	}
	sent := make([][]byte, 0, count)
	next := 0
	for verified < count {
		for next < count && next-verified < window {
			msg := soakMessage(next, rnd)
			typ := protocol.BinaryMessage
			if next%3 == 0 {
				typ = protocol.TextMessage // the filler is ASCII
			}
			if err := c.WriteMessage(ctx, typ, msg); err != nil {
				return verified, fmt.Errorf("write %d: %w", next, err)
			}
			sent = append(sent, msg)
			next++
		}
		_, got, err := c.ReadMessage(ctx)
		if err != nil {
			return verified, fmt.Errorf("echo %d: %w", verified, err)
		}
		if string(got) != string(sent[verified]) {
			return verified, fmt.Errorf("echo %d differs: %s", verified, describeDiff(got, sent[verified]))
		}
		sent[verified] = nil
		verified++
		if pause > 0 {
			time.Sleep(pause)
		}
	}
	if kind == 4 {
		// Gone without a close frame, with the last message unanswered.
		c.WriteMessage(ctx, protocol.BinaryMessage, soakMessage(next, rnd))
		c.CloseNow()
		return verified, nil
	}
	if err := c.Close(protocol.CloseNormal, "done"); err != nil {
		return verified, err
	}
	if pc := c.PeerClose(); pc == nil || pc.Code != protocol.CloseNormal {
		return verified, fmt.Errorf("the server answered our close with %v", pc)
	}
	return verified, nil
}

// TestSoak runs 2,000 connections against an in-process protocol echo
// server (200 at a time), then 1,000 against `serve` with a SIGTERM while
// they talk.
func TestSoak(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector; interop/run.sh runs it without")
	}
	if testing.Short() {
		t.Skip("a soak test")
	}
	t.Run("in-process", soakInProcess)
	t.Run("serve-SIGTERM", soakServeSIGTERM)
}

func soakInProcess(t *testing.T) {
	goroutines0, fds0, heap0 := runtime.NumGoroutine(), openFDs(t), heapInUse()

	var handlers sync.WaitGroup
	var accepted atomic.Int64
	opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin}
	opts.WriteTimeout = 2 * time.Second
	opts.IdleTimeout = 3 * time.Second
	opts.CloseTimeout = time.Second
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, opts)
		if err != nil {
			return
		}
		handlers.Add(1)
		defer handlers.Done()
		accepted.Add(1)
		defer c.CloseNow()
		echoLoop(context.Background(), c)
	}))
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/soak"

	const conns, parallel = 2000, 200
	var verified, failures atomic.Int64
	var firstErr sync.Once
	jobs := make(chan int)
	var workers sync.WaitGroup
	start := time.Now()
	for w := 0; w < parallel; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for i := range jobs {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				n, err := soakClient(ctx, url, i%5, int64(i))
				cancel()
				verified.Add(int64(n))
				if err != nil {
					failures.Add(1)
					firstErr.Do(func() { t.Errorf("connection %d (kind %d): %v", i, i%5, err) })
				}
			}
		}()
	}
	for i := 0; i < conns; i++ {
		jobs <- i
	}
	close(jobs)
	workers.Wait()
	elapsed := time.Since(start)
	srv.Close()
	waitGroupTimeout(t, &handlers, 10*time.Second, "echo handlers")
	if failures.Load() > 0 {
		t.Errorf("%d of %d connections failed", failures.Load(), conns)
	}

	// Back to baseline: what the connections held is released.
	settleGoroutines(t, goroutines0)
	fds := openFDs(t)
	for deadline := time.Now().Add(10 * time.Second); fds > fds0 && time.Now().Before(deadline); fds = openFDs(t) {
		time.Sleep(50 * time.Millisecond)
	}
	if fds > fds0 {
		t.Errorf("%d file descriptors open, %d before", fds, fds0)
	}
	heap := heapInUse()
	if heap > heap0+8<<20 {
		t.Errorf("heap in use %d KiB after, %d KiB before", heap>>10, heap0>>10)
	}
	t.Logf("%d connections (%d accepted as WebSocket) in %v: %d echoes verified; after: %d goroutines (%d before), %d fds (%d), heap %d KiB (%d KiB)",
		conns, accepted.Load(), elapsed.Round(time.Millisecond), verified.Load(), runtime.NumGoroutine(), goroutines0, fds, fds0, heap>>10, heap0>>10)
}

// soakServeSIGTERM: 1,000 clients of every kind talk to `serve`; SIGTERM
// arrives while they do. Every client still connected gets 1001, every
// echo serve wrote arrives, and serve exits 0 within its bound.
func soakServeSIGTERM(t *testing.T) {
	fds0 := openFDs(t)
	s := startServeWith(t, 64<<20)
	const clients = 1000
	ready := make(chan struct{}, clients)
	done := make(chan *echoClient, clients)
	var vanished sync.WaitGroup
	var start []func()
	for i := 0; i < clients; i++ {
		switch i % 5 {
		case 4: // vanish: through the soak client, while the others talk
			vanished.Add(1)
			go func() {
				defer vanished.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if _, err := soakClient(ctx, s.url("/"), 4, int64(i)); err != nil {
					t.Errorf("vanishing client %d: %v", i, err)
				}
			}()
			continue
		}
		e := &echoClient{}
		window := 8
		if i%5 == 3 {
			e.slow, window = 3*time.Millisecond, 128
		}
		c, err := protocol.Dial(context.Background(), s.url("/"), nil)
		if err != nil {
			t.Fatal(err)
		}
		e.c, e.local = c, c.LocalAddr().String()
		start = append(start, func() { e.run(window, 10, ready); done <- e })
	}
	// Every client connects first, then all talk at once: connecting
	// while hundreds of others talk would only make the test slow.
	for _, f := range start {
		go f()
	}
	talking := clients - clients/5
	for i := 0; i < talking; i++ {
		<-ready
	}
	vanished.Wait()
	sigterm := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	bound := 2*protocol.DefaultCloseTimeout + time.Second
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("serve exited with %v", s.err)
		}
	case <-time.After(bound + 5*time.Second):
		t.Fatalf("serve did not exit within %v of SIGTERM", bound+5*time.Second)
	}
	took := time.Since(sigterm)
	logged, _ := echoesLogged(s.stderr.String())
	total := 0
	for i := 0; i < talking; i++ {
		e := <-done
		if e.code != protocol.CloseGoingAway {
			t.Errorf("client %s: ended with %v, want 1001", e.local, e.err)
		}
		if n, ok := logged[e.local]; !ok || n != e.echoes {
			t.Errorf("client %s: serve logged %d echoes (found %v), %d arrived", e.local, n, ok, e.echoes)
		}
		total += e.echoes
	}
	if took > bound {
		t.Errorf("serve took %v to exit; its bound is %v", took, bound)
	}
	fds := openFDs(t)
	for deadline := time.Now().Add(10 * time.Second); fds > fds0 && time.Now().Before(deadline); fds = openFDs(t) {
		time.Sleep(50 * time.Millisecond)
	}
	if fds > fds0 {
		t.Errorf("%d file descriptors open, %d before", fds, fds0)
	}
	t.Logf("serve with %d clients (%d slow, %d vanishing): SIGTERM, exit in %v (bound %v); %d echoes verified",
		clients, clients/5, clients/5, took.Round(time.Millisecond), bound, total)
}
