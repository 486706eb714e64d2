package checkui

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// echoServer is the project's own echo server, in this process, on
// 127.0.0.1 (httptest listens there): the codec's Accept and a loop
// sending every message back.
func echoServer(t *testing.T) string {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Counted before Accept hijacks the connection: srv.Close waits
		// for a handler only until then.
		wg.Add(1)
		defer wg.Done()
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			if err := c.WriteMessage(context.Background(), typ, msg); err != nil {
				return
			}
		}
	}))
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

// serverRun is the RunFunc of `check URL`.
func serverRun(url string, cases []conformance.Case, cfg conformance.Config) RunFunc {
	return func(ctx context.Context, progress func(conformance.Result)) []conformance.Result {
		cfg.Progress = func(_, _ int, r conformance.Result) { progress(r) }
		return conformance.RunServer(ctx, url, cases, cfg)
	}
}

func selectCases(t *testing.T, globs ...string) []conformance.Case {
	t.Helper()
	cs, err := conformance.Select(conformance.ForServers(conformance.All()), globs, nil)
	if err != nil || len(cs) == 0 {
		t.Fatalf("select %q: %d cases, %v", globs, len(cs), err)
	}
	return cs
}

func waitFor(t *testing.T, tm *teatest.TestModel, what ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range what {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func press(tm *teatest.TestModel, names ...string) {
	for _, n := range names {
		switch n {
		case "enter":
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		default:
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(n)})
		}
	}
}

// The whole flow against the project's own echo server: a few cases run,
// the list fills and the run ends with its summary; enter opens a case,
// j moves through its exchange to a frame with its field table, esc goes
// back, q quits; every case passed, so check's exit status is 0.
func TestEndToEnd(t *testing.T) {
	url := echoServer(t)
	before := len(ours())
	cases := selectCases(t, "1.1.1", "1.1.2", "1.2.1", "2.1", "2.2", "5.1")
	// Generous limits: the machine may be busy; none of these is waited
	// out by a conforming server.
	cfg := conformance.Config{Timeout: 20 * time.Second, CaseLimit: 60 * time.Second, Parallel: 2}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := Start(ctx, serverRun(url, cases, cfg))
	defer r.Stop()
	tm := teatest.NewTestModel(t, New(cases, r, Options{Target: url, Parallel: 2}), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "6 passed, 0 failed", "section 1 · framing", "section 2 · pings and pongs", "section 5 · fragmentation")
	// The first case: 1.1.1, a text message of 0 bytes, and its echo.
	press(tm, "g", "enter")
	waitFor(t, tm, "verdict: OK", "GET /", "101 Switching Protocols")
	press(tm, "j", "j")
	waitFor(t, tm, "── fields", "client → server · text · FIN")
	press(tm, "esc", "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
	io.Copy(io.Discard, tm.FinalOutput(t))
	final := tm.FinalModel(t).(Model)
	if final.done != len(cases) || final.running {
		t.Errorf("the report saw %d of %d results (running %v)", final.done, len(cases), final.running)
	}
	results := r.Stop()
	if len(results) != len(cases) {
		t.Fatalf("%d results for %d cases", len(results), len(cases))
	}
	for _, res := range results {
		if res.Verdict != conformance.OK {
			t.Errorf("case %s: %s: %s", res.ID, res.Verdict, res.Detail)
		}
	}
	if got := ExitStatus(results); got != 0 {
		t.Errorf("exit status %d, want 0", got)
	}
	// Nothing of the run or the screen is left running.
	deadline := time.Now().Add(10 * time.Second)
	for len(ours()) > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := ours(); len(left) > before {
		t.Errorf("%d goroutines of ours before, %d after quitting:\n%s", before, len(left), strings.Join(left, "\n\n"))
	}
}

// ours returns the stacks of goroutines running wsanatomy code other than
// the tests' own (such as the echo server's handlers).
func ours() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "github.com/wsanatomy/wsanatomy/") && !strings.Contains(g, "_test.go") {
			out = append(out, g)
		}
	}
	return out
}

// silentServer accepts TCP connections and never answers, and counts the
// ones still open.
type silentServer struct {
	ln    net.Listener
	mu    sync.Mutex
	open  int
	conns int
	all   []net.Conn
	wg    sync.WaitGroup
}

func startSilent(t *testing.T) *silentServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.open++
			s.conns++
			s.all = append(s.all, nc)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				io.Copy(io.Discard, nc) // until our side closes
				nc.Close()
				s.mu.Lock()
				s.open--
				s.mu.Unlock()
			}()
		}
	}()
	t.Cleanup(func() {
		// A failed test may leave our side open: close the server's side,
		// so that the test ends either way.
		ln.Close()
		s.mu.Lock()
		for _, nc := range s.all {
			nc.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *silentServer) counts() (open, all int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open, s.conns
}

// Quitting while cases hang stops the run at once, not when their long
// limits run out; every connection is closed, and the cases that did not
// finish are FAILED, so the exit status is 1, as when a text run is
// interrupted.
func TestQuitMidRun(t *testing.T) {
	s := startSilent(t)
	url := "ws://" + s.ln.Addr().String() + "/"
	cases := selectCases(t, "1.1.*")
	// Limits far longer than the test's bound below: only stopping the
	// run can end these cases in time.
	cfg := conformance.Config{Timeout: 10 * time.Minute, CaseLimit: 20 * time.Minute, Parallel: 2}
	r := Start(context.Background(), serverRun(url, cases, cfg))
	tm := teatest.NewTestModel(t, New(cases, r, Options{Target: url, Parallel: 2}), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "0 of 8", "running 1.1.1 1.1.2")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, all := s.counts(); all == 2 {
			break // both workers are waiting for the handshake
		}
		if time.Now().After(deadline) {
			t.Fatal("the two first cases did not connect")
		}
	}
	press(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
	io.Copy(io.Discard, tm.FinalOutput(t))
	stopped := make(chan []conformance.Result, 1)
	go func() { stopped <- r.Stop() }()
	var results []conformance.Result
	select {
	case results = <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not stop within 30s of quitting")
	}
	if len(results) != len(cases) {
		t.Fatalf("%d results for %d cases", len(results), len(cases))
	}
	for _, res := range results {
		if res.Verdict != conformance.Failed {
			t.Errorf("case %s: %s, want FAILED: %s", res.ID, res.Verdict, res.Detail)
		}
	}
	if !strings.Contains(results[len(results)-1].Detail, "not run: "+errClosed.Error()) {
		t.Errorf("the last case says %q", results[len(results)-1].Detail)
	}
	if got := ExitStatus(results); got != 1 {
		t.Errorf("exit status %d, want 1", got)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		open, all := s.counts()
		if open == 0 {
			if all != 2 {
				t.Errorf("%d connections were made, want 2 (the cases running when q was pressed)", all)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d connections still open 20s after the run stopped", open, all)
		}
	}
}
