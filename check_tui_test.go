package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// screen is the --tui program's terminal: what it drew, and the keys it
// is given.
type screen struct {
	mu  sync.Mutex
	out bytes.Buffer
	in  *io.PipeWriter
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

// waitFor waits until the screen has drawn every one of what.
func (s *screen) waitFor(t *testing.T, what ...string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		s.mu.Lock()
		drawn := s.out.String()
		s.mu.Unlock()
		ok := true
		for _, w := range what {
			ok = ok && strings.Contains(drawn, w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q; last 2000 bytes:\n%s", what, drawn[max(0, len(drawn)-2000):])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runTUI runs check with --tui on a screen of its own, and returns the
// screen while it runs and, on done, check's exit status and stdout.
func runTUI(t *testing.T, args ...string) (*screen, <-chan [2]string) {
	t.Helper()
	r, w := io.Pipe()
	s := &screen{in: w}
	checkTUIOptions = []tea.ProgramOption{tea.WithInput(r), tea.WithOutput(s)}
	done := make(chan [2]string, 1)
	go func() {
		code, stdout, _ := runCLI(append([]string{"check", "--tui"}, args...)...)
		done <- [2]string{string(rune('0' + code)), stdout}
	}()
	t.Cleanup(func() { checkTUIOptions = nil; w.Close() })
	return s, done
}

func waitDone(t *testing.T, done <-chan [2]string) (code, stdout string) {
	t.Helper()
	select {
	case d := <-done:
		return d[0], d[1]
	case <-time.After(60 * time.Second):
		t.Fatal("check --tui did not end within 60s of q")
	}
	return "", ""
}

// check --tui against a server that breaks §5.1: the screen fills and
// says 1 failed, q ends it, and stdout and the exit status are those of
// the text mode.
func TestCheckTUI(t *testing.T) {
	url := reflectingServer(t)
	s, done := runTUI(t, url, "--cases", "2.2,2.3", "--timeout", "5s", "--lang", "zh")
	s.waitFor(t, "通过 0 个，失败 2 个", "第 2 节 · ping 与 pong")
	io.WriteString(s.in, "q")
	code, stdout := waitDone(t, done)
	if code != "1" || lastLine(stdout) != "0 passed, 2 failed" {
		t.Errorf("exit %s, stdout:\n%s", code, stdout)
	}
}

// --show CASE --tui opens the case as soon as it is done.
func TestCheckTUIShow(t *testing.T) {
	url := reflectingServer(t)
	s, done := runTUI(t, "--show", "2.2", url, "--timeout", "5s")
	s.waitFor(t, "verdict: FAILED", "peer: the server sent a masked ping frame", "REFUSED by the receiver (§5.1)", "GET / HTTP/1.1")
	io.WriteString(s.in, "q")
	if code, stdout := waitDone(t, done); code != "1" || lastLine(stdout) != "0 passed, 1 failed" {
		t.Errorf("exit %s, stdout:\n%s", code, stdout)
	}
}

// Without a terminal on stdout, --tui says so on stderr and the report
// is the text one.
func TestCheckTUINeedsATerminal(t *testing.T) {
	url := reflectingServer(t)
	code, stdout, stderr := runCLI("check", "--tui", url, "--cases", "2.2", "--timeout", "5s")
	if code != 1 || !strings.Contains(stdout, "[1/1] FAILED") || lastLine(stdout) != "0 passed, 1 failed" ||
		!strings.Contains(stderr, "--tui needs a terminal") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
