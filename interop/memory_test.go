package interop

// Memory that a peer can make serve hold: a header claiming a big message
// must cost what arrived, not what it claims, and an echo must cost about
// the message, not copies of it for the log.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// procMemory returns a process's resident memory now and at its peak
// (VmRSS and VmHWM of /proc/PID/status), in bytes.
func procMemory(t *testing.T, pid int) (rss, peak int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("cannot read the process's memory: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return rss, peak
}

// claimingConns opens n connections to addr that each complete the
// handshake and send one frame header claiming nearly 32 MiB, and nothing
// more.
func claimingConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	hdr := protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true,
		Length: protocol.DefaultMessageLimit - 1, MaskKey: [4]byte{1, 2, 3, 4}})
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, nc := range conns {
			nc.Close()
		}
	})
	for i := 0; i < n; i++ {
		nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, nc)
		fmt.Fprintf(nc, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", addr, newKey())
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		if resp, err := http.ReadResponse(bufio.NewReader(nc), nil); err != nil || resp.StatusCode != 101 {
			t.Fatalf("connection %d: handshake %v", i, err)
		}
		nc.Write(hdr)
	}
	return conns
}

// TestServeMemoryForClaimedHeaders: 1,000 connections that each send only
// a header claiming 32 MiB - 1 once made serve hold about 1 GiB of heap
// (1 MiB allocated ahead per header; the pages are never touched, so the
// resident size hides it, but the heap holds it). Memory must follow the
// bytes received. The heap is read from the runtime's own GC trace.
func TestServeMemoryForClaimedHeaders(t *testing.T) {
	const n = 1000
	s := startServeEnv(t, 8<<20, []string{"GODEBUG=gctrace=1"})
	pid := s.cmd.Process.Pid
	rss0, _ := procMemory(t, pid)
	claimingConns(t, s.addr, n)
	time.Sleep(500 * time.Millisecond) // let serve read every header
	rss, peak := procMemory(t, pid)
	heap := maxLiveHeap(s.stderr.String())
	t.Logf("serve, %d connections each claiming %d bytes: live heap at most %d MiB (GC trace); RSS %d MiB (before: %d MiB), peak RSS %d MiB",
		n, protocol.DefaultMessageLimit-1, heap>>20, rss>>20, rss0>>20, peak>>20)
	if heap > 128<<20 {
		t.Errorf("serve's live heap reached %d MiB for %d headers that claim much and send nothing", heap>>20, n)
	}
	if peak-rss0 > 160<<20 {
		t.Errorf("serve's peak memory grew by %d MiB for %d headers that claim much and send nothing", (peak-rss0)>>20, n)
	}
}

// maxLiveHeap returns the largest live heap that GODEBUG=gctrace=1 lines
// report ("gc 7 @0.1s 2%: ..., 12->13->9 MB, ...": the last figure is
// the heap still live after that GC).
func maxLiveHeap(log string) int64 {
	var max int64
	for _, line := range strings.Split(log, "\n") {
		if !strings.HasPrefix(line, "gc ") {
			continue
		}
		for _, f := range strings.Split(line, ",") {
			f = strings.TrimSpace(f)
			if !strings.HasSuffix(f, " MB") || !strings.Contains(f, "->") {
				continue
			}
			parts := strings.Split(strings.TrimSuffix(f, " MB"), "->")
			if live, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil && live<<20 > max {
				max = live << 20
			}
		}
	}
	return max
}

// TestMemoryClaimedHeadersVersusGorilla measures the heap that 1,000
// claiming headers cost an in-process server, ours and gorilla's, side by
// side. (Only a figure to compare: serve's own bound is tested above.)
func TestMemoryClaimedHeadersVersusGorilla(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory makes the figures meaningless")
	}
	const n = 1000
	ours := func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
		if err != nil {
			return
		}
		defer c.CloseNow()
		echoLoop(context.Background(), c)
	}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	theirs := func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(protocol.DefaultMessageLimit)
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			c.WriteMessage(typ, msg)
		}
	}
	for _, srv := range []struct {
		name    string
		handler http.HandlerFunc
	}{{"wsanatomy", ours}, {"gorilla", theirs}} {
		heap0 := heapInUse()
		hs := httptest.NewServer(srv.handler)
		conns := claimingConns(t, strings.TrimPrefix(hs.URL, "http://"), n)
		time.Sleep(500 * time.Millisecond)
		var m runtime.MemStats
		runtime.ReadMemStats(&m) // without a GC: what is held, garbage included
		held := heapInUse()
		t.Logf("%s: %d connections each claiming %d bytes: heap in use %d MiB after GC, %d MiB before it (baseline %d MiB)",
			srv.name, n, protocol.DefaultMessageLimit-1, held>>20, m.HeapInuse>>20, heap0>>20)
		for _, nc := range conns {
			nc.Close()
		}
		hs.Close()
	}
}

// TestServeMemoryForAnEcho: one 30 MiB echo must raise serve's peak
// memory by at most three times the message (once it was 8.5 times: the
// log's observer got copies of every payload).
func TestServeMemoryForAnEcho(t *testing.T) {
	const size = 30 << 20
	s := startServe(t)
	pid := s.cmd.Process.Pid
	nc, err := net.DialTimeout("tcp", s.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	fmt.Fprintf(nc, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", s.addr, newKey())
	br := bufio.NewReaderSize(nc, 64<<10)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v", err)
	}
	_, peak0 := procMemory(t, pid)
	frame := protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: size})
	go func() {
		nc.Write(frame)
		nc.Write(make([]byte, size)) // a zero key: the payload is sent as is
	}()
	h, err := protocol.ReadHeader(br)
	if err != nil || h.Length != size {
		t.Fatalf("echo: %v %v", h, err)
	}
	if _, err := io.CopyN(io.Discard, br, size); err != nil {
		t.Fatal(err)
	}
	_, peak := procMemory(t, pid)
	t.Logf("serve's peak memory: %d MiB before a %d MiB echo, %d MiB after (+%d MiB, %.2fx the message)",
		peak0>>20, size>>20, peak>>20, (peak-peak0)>>20, float64(peak-peak0)/size)
	if peak-peak0 > 3*size {
		t.Errorf("a %d MiB echo raised serve's peak memory by %d MiB", size>>20, (peak-peak0)>>20)
	}
}

// TestDialMemoryForAnEndlessMessage: a server that sends one fragmented
// message without end is refused with 1009 at the 32 MiB limit. dial once
// peaked at about three times the limit on the way (a buffer grown by
// appends); now the buffer at most doubles, up to the limit.
func TestDialMemoryForAnEndlessMessage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closeCode := make(chan protocol.CloseCode, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		c, err := protocol.AcceptConn(context.Background(), nc, nil)
		if err != nil {
			return
		}
		go func() {
			_, _, err := c.ReadMessage(context.Background())
			code, _ := protocol.CloseStatus(err)
			closeCode <- code
		}()
		chunk := make([]byte, 256<<10)
		if c.WriteFrame(context.Background(), protocol.Header{Opcode: protocol.OpBinary}, chunk) != nil {
			return
		}
		for c.WriteFrame(context.Background(), protocol.Header{Opcode: protocol.OpContinuation}, chunk) == nil {
		}
	}()
	cmd := exec.Command(wsanatomyBinary(t), "dial", "--echo", "ws://"+ln.Addr().String()+"/")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	var peak int64
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
poll:
	for {
		select {
		case <-exited:
			break poll
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("dial did not end")
		case <-time.After(5 * time.Millisecond):
			if _, p := procMemory(t, pid); p > peak {
				peak = p // VmHWM: the peak so far, read until the process is gone
			}
		}
	}
	select {
	case code := <-closeCode:
		if code != protocol.CloseMessageTooBig {
			t.Errorf("the server got close code %v, want 1009", code)
		}
	case <-time.After(10 * time.Second):
		t.Error("the server got no close frame")
	}
	t.Logf("dial's peak memory refusing an endless message at the %d MiB limit: %d MiB (%.2fx the limit)",
		protocol.DefaultMessageLimit>>20, peak>>20, float64(peak)/protocol.DefaultMessageLimit)
	if peak > 2*protocol.DefaultMessageLimit+16<<20 {
		t.Errorf("dial peaked at %d MiB for a %d MiB limit", peak>>20, protocol.DefaultMessageLimit>>20)
	}
}
