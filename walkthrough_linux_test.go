package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// openPTY opens a pseudo-terminal of cols columns: the terminal side, for
// the program, and the side that reads what it printed.
func openPTY(t *testing.T, cols uint16) (term, ctl *os.File) {
	t.Helper()
	ctl, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		// A sandbox without pseudo-terminals; TestUseScreen in package
		// tui still holds the rule itself.
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ctl.Fd(), req, uintptr(arg)); e != 0 {
			t.Fatalf("ioctl %#x: %v", req, e)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	ws := struct{ rows, cols, x, y uint16 }{24, cols, 0, 0}
	ioctl(syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	term, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return term, ctl
}

// TestWalkthroughTermDumb: on a terminal that says TERM=dumb the
// walkthrough prints its plain text instead of opening the screen, wrapped
// to the terminal's width.
func TestWalkthroughTermDumb(t *testing.T) {
	term, ctl := openPTY(t, 64)
	defer ctl.Close()
	if !isTerminal(term) {
		t.Fatal("the pseudo-terminal is not a terminal")
	}
	// Everything printed is read before the terminal closes (a closed
	// terminal may drop what is not read yet): the test writes an end
	// mark after the program's output and reads up to it.
	const end = "END-OF-OUTPUT"
	var mu sync.Mutex
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ctl.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	defer term.Close()
	t.Setenv("TERM", "dumb")
	var stderr bytes.Buffer
	err := runWalkthrough([]string{"--lang", "zh"}, term, &stderr)
	if err != nil {
		t.Fatalf("runWalkthrough: %v (%s)", err, stderr.String())
	}
	io.WriteString(term, "\n"+end+"\n")
	var text string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		text = out.String()
		mu.Unlock()
		if strings.Contains(text, end) || time.Now().After(deadline) {
			break
		}
	}
	text, _, _ = strings.Cut(strings.ReplaceAll(text, "\r\n", "\n"), end)
	if !strings.Contains(text, "=== 第 1/30 步：") || strings.Contains(text, "\x1b[?1049h") {
		t.Fatalf("TERM=dumb did not get the plain walkthrough:\n%.400s", text)
	}
	for i, l := range strings.Split(text, "\n") {
		if w := lessons.Width(l); w > 64 {
			t.Errorf("line %d is %d columns on a 64-column terminal: %q", i+1, w, l)
		}
	}
}
