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
// a header claiming 32 MiB - 1 once made serve hold about 1 GiB (1 MiB
// allocated ahead per header). Memory must follow the bytes received.
func TestServeMemoryForClaimedHeaders(t *testing.T) {
	const n = 1000
	s := startServe(t)
	pid := s.cmd.Process.Pid
	rss0, _ := procMemory(t, pid)
	claimingConns(t, s.addr, n)
	time.Sleep(500 * time.Millisecond) // let serve read every header
	rss, peak := procMemory(t, pid)
	t.Logf("serve, %d connections each claiming %d bytes: RSS %d MiB (before: %d MiB), peak %d MiB",
		n, protocol.DefaultMessageLimit-1, rss>>20, rss0>>20, peak>>20)
	if peak-rss0 > 160<<20 {
		t.Errorf("serve's peak memory grew by %d MiB for %d headers that claim much and send nothing", (peak-rss0)>>20, n)
	}
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
