package interop

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// binDir holds the wsanatomy binary built once for the whole test run.
var (
	binDir    string
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// wsanatomyBinary builds the repository's main package once and returns the
// path of the binary. The build runs from the repository root (..).
func wsanatomyBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wsanatomy-interop-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		binPath = filepath.Join(dir, "wsanatomy")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build of the main package failed: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// boundedBuffer keeps the last max bytes written to it, for showing a
// subprocess's log when a test fails.
type boundedBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b = append(b.b, p...)
	if len(b.b) > b.max {
		b.b = append(b.b[:0], b.b[len(b.b)-b.max:]...)
	}
	return len(p), nil
}

func (b *boundedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.b)
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// serveProc is a running `wsanatomy serve`.
type serveProc struct {
	cmd    *exec.Cmd
	addr   string
	stderr *boundedBuffer
	done   chan struct{}
	err    error // exit status, valid after done
}

// startServe starts `wsanatomy serve --addr 127.0.0.1:PORT` and waits until
// it accepts TCP connections. It is stopped with SIGTERM at cleanup.
func startServe(t testing.TB) *serveProc { return startServeWith(t, 64<<10) }

// startServeWith is startServe keeping logMax bytes of the log, and
// passing extra flags.
func startServeWith(t testing.TB, logMax int, flags ...string) *serveProc {
	t.Helper()
	return startServeEnv(t, logMax, nil, flags...)
}

// startServeEnv is startServeWith with extra environment variables.
func startServeEnv(t testing.TB, logMax int, env []string, flags ...string) *serveProc {
	t.Helper()
	bin := wsanatomyBinary(t)
	for attempt := 0; attempt < 3; attempt++ {
		p := &serveProc{addr: freeAddr(t), stderr: &boundedBuffer{max: logMax}, done: make(chan struct{})}
		p.cmd = exec.Command(bin, append([]string{"serve", "--addr", p.addr}, flags...)...)
		if env != nil {
			p.cmd.Env = append(os.Environ(), env...)
		}
		p.cmd.Stderr = p.stderr
		p.cmd.Stdout = p.stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.err = p.cmd.Wait(); close(p.done) }()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-p.done:
				deadline = time.Time{} // exited: maybe the port was taken
				continue
			default:
			}
			// Wait for serve to say it listens: on a shared machine the
			// port freeAddr found may be taken again before serve binds
			// it, and a dial would then reach another program.
			if !strings.Contains(p.stderr.String(), "echo server on ws://"+p.addr+"/") {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			nc, err := net.DialTimeout("tcp", p.addr, time.Second)
			if err == nil {
				nc.Close()
				t.Cleanup(func() {
					p.stop(t)
					if t.Failed() {
						t.Logf("serve log (tail):\n%s", tail(p.stderr.String(), 4000))
					}
				})
				return p
			}
			time.Sleep(20 * time.Millisecond)
		}
		p.cmd.Process.Kill()
		<-p.done
		t.Logf("serve attempt %d did not come up: %v\n%s", attempt, p.err, tail(p.stderr.String(), 2000))
	}
	t.Fatal("wsanatomy serve did not start")
	return nil
}

// stop sends SIGTERM and waits (bounded) for a clean exit.
func (p *serveProc) stop(t testing.TB) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("serve exited with %v after SIGTERM", p.err)
		}
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("serve did not exit within 15s of SIGTERM")
	}
}

func (p *serveProc) url(path string) string { return "ws://" + p.addr + path }

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// inprocEcho starts an httptest server whose handler is a protocol echo
// loop, like `serve` but in this process. It returns the ws:// URL.
func inprocEcho(t testing.TB, opts *protocol.AcceptOptions) string {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin}
		if opts != nil {
			o = *opts
		}
		// Counted before Accept hijacks the connection: srv.Close waits
		// for a handler only until then, so the wait must already see it.
		wg.Add(1)
		defer wg.Done()
		c, err := protocol.Accept(w, r, &o)
		if err != nil {
			return
		}
		defer c.CloseNow()
		echoLoop(context.Background(), c)
	}))
	t.Cleanup(func() {
		srv.Close()
		waitGroupTimeout(t, &wg, 10*time.Second, "in-process echo handlers")
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// echoLoop sends every message back with its type until reading fails, and
// returns the error that ended it.
func echoLoop(ctx context.Context, c *protocol.Conn) error {
	for {
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			return err
		}
		if err := c.WriteMessage(ctx, typ, msg); err != nil {
			return err
		}
	}
}

func waitGroupTimeout(t testing.TB, wg *sync.WaitGroup, d time.Duration, what string) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Errorf("%s still running after %v", what, d)
	}
}

// settleGoroutines waits (bounded) until runtime.NumGoroutine is at most
// base, and fails with a goroutine dump otherwise.
func settleGoroutines(t testing.TB, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	n := runtime.NumGoroutine()
	for n > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	if n > base {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("goroutines did not settle: %d running, %d before\n%s", n, base, buf)
	}
}

// isCloseCode reports whether err carries the close code.
func isCloseCode(err error, code protocol.CloseCode) bool {
	got, ok := protocol.CloseStatus(err)
	return ok && got == code
}

func describeDiff(got, want []byte) string {
	if len(got) != len(want) {
		return fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d is %#x, want %#x", i, got[i], want[i])
		}
	}
	return "equal"
}

func equalOrDiff(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s: %s", what, describeDiff(got, want))
	}
}
