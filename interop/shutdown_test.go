package interop

// What a shutdown must not lose: serve's SIGTERM with clients that read
// slowly, and dial --echo's SIGINT and SIGTERM.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// echoClient is a client of serve that keeps up to window messages in
// flight and checks that every echo is the next message it sent.
type echoClient struct {
	c      *protocol.Conn
	local  string
	slow   time.Duration // pause after each echo read
	echoes int           // echoes received, in order, all correct
	code   protocol.CloseCode
	err    error
}

// run sends numbered messages and reads their echoes until the connection
// ends; ready is signalled once after `warm` echoes.
func (e *echoClient) run(window, warm int, ready chan<- struct{}) {
	ctx := context.Background()
	inflight := make(chan struct{}, window)
	go func() {
		for j := 0; ; j++ {
			select {
			case inflight <- struct{}{}:
			case <-e.c.Done():
				return
			}
			msg := fmt.Appendf(nil, "m%07d:%s", j, strings.Repeat("e", 500+j%700))
			if e.c.WriteMessage(ctx, protocol.BinaryMessage, msg) != nil {
				return
			}
		}
	}()
	signalled := false
	for {
		if !signalled && e.echoes >= warm {
			ready <- struct{}{}
			signalled = true
		}
		_, msg, err := e.c.ReadMessage(ctx)
		if err != nil {
			e.code, _ = protocol.CloseStatus(err)
			e.err = err
			break
		}
		if want := fmt.Sprintf("m%07d:", e.echoes); !strings.HasPrefix(string(msg), want) || len(msg) != len(want)+500+e.echoes%700 {
			e.err = fmt.Errorf("echo %d is wrong: %.9q, %d bytes", e.echoes, msg, len(msg))
			e.c.CloseNow()
			break
		}
		e.echoes++
		<-inflight
		if e.slow > 0 {
			time.Sleep(e.slow)
		}
	}
	if !signalled {
		ready <- struct{}{}
	}
}

// echoesLogged reads serve's log for the lines that end connections,
// "<addr> connection ended after N echoes", and returns N by client
// address, and which clients' TCP close it logged.
func echoesLogged(log string) (echoes map[string]int, tcpClosed map[string]bool) {
	out := make(map[string]int)
	tcpClosed = make(map[string]bool)
	const mark = " connection ended after "
	for _, line := range strings.Split(log, "\n") {
		if i := strings.Index(line, " TCP closed ("); i >= 0 {
			if f := strings.Fields(line[:i]); len(f) > 0 {
				tcpClosed[f[len(f)-1]] = true
			}
			continue
		}
		i := strings.Index(line, mark)
		if i < 0 {
			continue
		}
		f := strings.Fields(line[:i])
		var n int
		if _, err := fmt.Sscanf(line[i+len(mark):], "%d echoes", &n); err == nil && len(f) > 0 {
			out[f[len(f)-1]] = n
		}
	}
	return out, tcpClosed
}

// TestServeSIGTERMLosesNothing: 100 clients, a quarter of them reading
// slowly, all with echoes in flight, then SIGTERM. Every client must get
// its 1001; every echo that serve counts as written must have arrived, in
// order and intact; serve must exit 0 within its bound (twice the close
// timeout and a second); and its log must be complete.
func TestServeSIGTERMLosesNothing(t *testing.T) {
	const clients = 100
	s := startServeWith(t, 32<<20)
	ready := make(chan struct{}, clients)
	done := make(chan *echoClient, clients)
	for i := 0; i < clients; i++ {
		e := &echoClient{}
		if i%4 == 0 {
			e.slow = 5 * time.Millisecond
		}
		c, err := protocol.Dial(context.Background(), s.url("/"), nil)
		if err != nil {
			t.Fatal(err)
		}
		e.c, e.local = c, c.LocalAddr().String()
		go func() { e.run(map[bool]int{true: 256, false: 16}[e.slow > 0], 20, ready); done <- e }()
	}
	for i := 0; i < clients; i++ {
		<-ready
	}
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	bound := 2*protocol.DefaultCloseTimeout + time.Second
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("serve exited with %v", s.err)
		}
	case <-time.After(bound + 5*time.Second):
		t.Fatalf("serve did not exit within %v of SIGTERM", bound+5*time.Second)
	}
	took := time.Since(start)
	if took > bound {
		t.Errorf("serve took %v to exit, its bound is %v", took, bound)
	}
	log := s.stderr.String()
	logged, closed := echoesLogged(log)
	total, slowTotal := 0, 0
	for i := 0; i < clients; i++ {
		e := <-done
		if e.code != protocol.CloseGoingAway {
			t.Errorf("client %s (slow %v): ended with %v, want its 1001", e.local, e.slow, e.err)
		}
		n, ok := logged[e.local]
		if !ok {
			t.Errorf("serve's log has no end line for %s", e.local)
		} else if n != e.echoes {
			t.Errorf("client %s (slow %v): serve wrote %d echoes, %d arrived", e.local, e.slow, n, e.echoes)
		}
		if !closed[e.local] {
			t.Errorf("serve's log lacks the TCP close of %s", e.local)
		}
		total += e.echoes
		if e.slow > 0 {
			slowTotal += e.echoes
		}
	}
	if !strings.Contains(log, "shutdown complete") {
		t.Errorf("serve's log lacks its last line")
	}
	t.Logf("SIGTERM with %d clients (%d slow): serve exited in %v (bound %v); %d echoes verified (%d to slow readers)",
		clients, clients/4, took.Round(time.Millisecond), bound, total, slowTotal)
}

// TestDialEchoClosesOnSignal: dial --echo, interrupted, sends a close
// frame with 1000 and waits for the answer, instead of vanishing (which
// the server would see as 1006).
func TestDialEchoClosesOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan error, 1)
			echoed := make(chan struct{})
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := protocol.Accept(w, r, nil)
				if err != nil {
					got <- err
					return
				}
				ctx := context.Background()
				c.WriteMessage(ctx, protocol.TextMessage, []byte("ping me back"))
				if _, msg, err := c.ReadMessage(ctx); err != nil || string(msg) != "ping me back" {
					got <- fmt.Errorf("echo: %q %v", msg, err)
					return
				}
				close(echoed)
				_, _, err = c.ReadMessage(ctx)
				got <- err
			})}
			go srv.Serve(ln)
			defer srv.Close()
			cmd := exec.Command(wsanatomyBinary(t), "dial", "--echo", "ws://"+ln.Addr().String()+"/")
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-echoed:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Fatal("dial --echo did not echo")
			}
			start := time.Now()
			cmd.Process.Signal(sig)
			select {
			case err := <-got:
				if code, ok := protocol.CloseStatus(err); !ok || code != protocol.CloseNormal {
					t.Errorf("the server's read ended with %v, want the client's 1000", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("the server saw no end")
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("dial --echo exited with %v after %v", err, sig)
				}
			case <-time.After(2*protocol.DefaultCloseTimeout + 5*time.Second):
				cmd.Process.Kill()
				t.Errorf("dial --echo did not exit after %v", sig)
			}
			t.Logf("dial --echo exited %v after %v", time.Since(start).Round(time.Millisecond), sig)
		})
	}
}

// TestServeHeartbeatDropsASilentClient: with --heartbeat, serve pings
// every client and closes, with 1001, one that does not answer.
func TestServeHeartbeatDropsASilentClient(t *testing.T) {
	s := startServeWith(t, 64<<10, "--heartbeat", "200ms", "--heartbeat-timeout", "500ms")
	p := dialRaw(t, s.url("/"))
	pings := 0
	start := time.Now()
	for {
		f, err := p.ReadFrame(10 * time.Second)
		if err != nil {
			t.Fatalf("after %d pings: %v (no close frame)", pings, err)
		}
		if f.Op == opPing {
			pings++ // and not answered
			continue
		}
		if f.Op != opClose || len(f.Payload) < 2 || int(f.Payload[0])<<8|int(f.Payload[1]) != 1001 {
			t.Fatalf("got opcode %#x % x, want a close frame with 1001", f.Op, f.Payload)
		}
		break
	}
	if d := time.Since(start); pings == 0 || d > 5*time.Second {
		t.Errorf("closed after %d pings and %v", pings, d)
	}
	p.Close()
	time.Sleep(100 * time.Millisecond)
	if log := s.stderr.String(); !strings.Contains(log, "heartbeat") {
		t.Errorf("serve's log does not say why:\n%s", tail(log, 2000))
	}
}

// TestDialHeartbeatGivesUpOnASilentServer: dial --heartbeat against a
// server that completes the handshake, then reads everything and answers
// nothing, gives up, says why and exits 1, within the bound.
func TestDialHeartbeatGivesUpOnASilentServer(t *testing.T) {
	url := fakeServer(t, func(nc net.Conn, req *http.Request, br *bufio.Reader) {
		fmt.Fprintf(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
			protocol.ComputeAccept(req.Header.Get("Sec-WebSocket-Key")))
		io.Copy(io.Discard, br)
	})
	cmd := exec.Command(wsanatomyBinary(t), "dial", "--echo", "--heartbeat", "200ms", "--heartbeat-timeout", "500ms", url)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err == nil {
			t.Errorf("dial exited 0 after its heartbeat failed")
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("dial --heartbeat did not give up on a silent server")
	}
	if !strings.Contains(stderr.String(), "no pong arrived in time") {
		t.Errorf("dial's stderr does not say why: %q", stderr.String())
	}
	t.Logf("dial gave up after %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
}
