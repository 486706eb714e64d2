package tui

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// ours returns the stacks of goroutines running wsanatomy code, other than
// the test's own.
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

// live starts the real program, with a real session, in a test terminal.
func live(t *testing.T, w, h int) (*teatest.TestModel, int) {
	t.Helper()
	before := len(ours())
	tm := teatest.NewTestModel(t, New(), teatest.WithInitialTermSize(w, h))
	return tm, before
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
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func typeKeys(tm *teatest.TestModel, names ...string) {
	for _, k := range keys(names...) {
		tm.Send(k)
	}
}

// quitAndCheck presses q, waits for the program to end, and checks that
// the close handshake ran and no goroutine was left behind.
func quitAndCheck(t *testing.T, tm *teatest.TestModel, before int) Model {
	t.Helper()
	typeKeys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	final := tm.FinalModel(t).(Model)
	io.Copy(io.Discard, tm.FinalOutput(t))
	if final.sess != nil && !final.sess.Closed() {
		t.Errorf("the session is still open after quitting")
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(ours()) > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := ours(); len(left) > before {
		t.Errorf("%d goroutines of ours before, %d after quitting:\n%s", before, len(left), strings.Join(left, "\n\n"))
	}
	return final
}

func TestLiveWalkthroughAndQuit(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "GET / HTTP/1.1", "s1 client")
	typeKeys(tm, "space", "space")
	waitFor(t, tm, "0000  81 85 37 fa 21 3d 7f 9f 4d 51 58")
	quitAndCheck(t, tm, before)
}

func TestLiveRawLabAndFreshSession(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, "r", "right", "right", "right") // fragmented ping
	waitFor(t, tm, "fragmented ping")
	typeKeys(tm, "enter")
	waitFor(t, tm, "§5.5", "1002 (protocol error)", "server closed TCP first")
	typeKeys(tm, "n")
	waitFor(t, tm, "s2 client")
	quitAndCheck(t, tm, before)
}

func TestLiveFreePlayRefusal(t *testing.T) {
	tm, before := live(t, 80, 24)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, "f", "ctrl+u", "x", "*", "2", "0", "0", "tab", "tab", "right", "right", "enter")
	waitFor(t, tm, "§5.5: ping payload is 200")
	// The session survives: a text message still goes through.
	typeKeys(tm, "left", "left", "shift+tab", "shift+tab", "ctrl+u", "h", "i", "enter")
	waitFor(t, tm, " sent")
	typeKeys(tm, "esc") // q in the form would be text
	final := quitAndCheck(t, tm, before)
	var texts int
	for _, e := range final.tl.entries {
		if e.Kind == capture.KindFrame && string(e.Unmasked) == "hi" {
			texts++
		}
	}
	if texts == 0 {
		t.Errorf("the text sent after the refusal is not in the timeline")
	}
	if !strings.Contains(final.free.status.in("en"), "sent") {
		t.Errorf("free play status %q", final.free.status)
	}
}

var _ tea.Model = Model{}

// TestLiveWalkthroughCompression walks the real program to the end of the
// plain walkthrough, then into the compression steps: a fresh connection
// negotiates permessage-deflate, and "Hello" goes out with RSV1 set and the
// RFC 7692 §7.2.3.1 payload, masked with the RFC 6455 key.
func TestLiveWalkthroughCompression(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "GET / HTTP/1.1", "s1 client")
	typeKeys(tm, strings.Fields(strings.Repeat("space ", 18))...)
	waitFor(t, tm, "step 19/", "client TCP closed")
	typeKeys(tm, "space")
	waitFor(t, tm, "s2 client", "compression: the client offers permessage-deflate")
	typeKeys(tm, "space", "space")
	// c1: FIN, RSV1, text. 87: masked, 7 bytes. Then the RFC's key and
	// f2 48 cd c9 c9 07 00 masked with it.
	waitFor(t, tm, "0000  c1 87 37 fa 21 3d c5 b2 ec f4 fe fd 21")
	typeKeys(tm, "space")
	waitFor(t, tm, `literals "Hello"`)
	quitAndCheck(t, tm, before)
}

// TestLiveLabRSV1OnPing: on a fresh connection (n), which negotiates
// permessage-deflate, the lab's "RSV1 on a ping" is refused under RFC 7692.
func TestLiveLabRSV1OnPing(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, "n")
	waitFor(t, tm, "s2 client")
	typeKeys(tm, "r", "left", "left", "left")
	waitFor(t, tm, "RSV1 on a ping")
	typeKeys(tm, "enter")
	waitFor(t, tm, "RFC 7692 §6", "1002 (protocol error)")
	quitAndCheck(t, tm, before)
}

// TestLiveWalkthroughFastForward presses through the whole plain
// walkthrough at once into the compression steps: the first connection
// still finishes its closing handshake (1000) before the fresh one opens.
func TestLiveWalkthroughFastForward(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, strings.Fields(strings.Repeat("space ", 21))...)
	waitFor(t, tm, "0000  c1 87 37 fa 21 3d c5 b2 ec f4 fe fd 21")
	final := quitAndCheck(t, tm, before)
	closes := 0
	for _, e := range final.tl.entries {
		if e.Conn == 1 && e.Kind == capture.KindFrame && e.Header.Opcode == 0x8 && bytes.HasPrefix(e.Unmasked, []byte{0x03, 0xe8}) {
			closes++
		}
	}
	if closes != 2 {
		t.Errorf("the first connection has %d close frames with 1000, want 2 (the client's and the echo)", closes)
	}
}

// TestLiveFreshSessionAfterOldEnds: n closes the connection on screen and
// opens another. Everything of the old one (its close frames, the end of
// its TCP on both sides) is listed before the new session's separator, so
// that no entry of session 1 reads as part of session 2.
func TestLiveFreshSessionAfterOldEnds(t *testing.T) {
	tm, before := live(t, 120, 40)
	waitFor(t, tm, "s1 client")
	typeKeys(tm, "space", "space")
	waitFor(t, tm, "0000  81 85 37 fa 21 3d 7f 9f 4d 51 58")
	typeKeys(tm, "n")
	waitFor(t, tm, "s2 client")
	typeKeys(tm, "n")
	waitFor(t, tm, "s3 client")
	final := quitAndCheck(t, tm, before)
	for _, conn := range []int{1, 2} {
		sep, closed := -1, 0
		for i, e := range final.tl.entries {
			if e.Kind == capture.KindNote && e.Conn == conn+1 {
				sep = i
				break
			}
			if e.Conn == conn && e.Kind == capture.KindClosed {
				closed++
			}
		}
		if sep < 0 {
			t.Fatalf("no separator for session %d", conn+1)
		}
		if closed != 2 {
			t.Errorf("session %d: %d ends of TCP before session %d's separator, want 2 (client and server)", conn, closed, conn+1)
		}
		for _, e := range final.tl.entries[sep:] {
			if e.Conn == conn {
				t.Errorf("session %d's entry #%d (%s) is listed after session %d's separator", conn, e.Seq, views.EntryRowIn(e, false, "en"), conn+1)
			}
		}
	}
}
