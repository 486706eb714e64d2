package load

import (
	"os"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	// A command name with spaces and parentheses, as a program may choose.
	line := "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 123 45 0 0 20 0 3 0 100 1000 200 0 0\n"
	got, err := parseStat(4242, []byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if want := 168 * clockTick; got != want {
		t.Errorf("parseStat = %v, want %v (123+45 ticks)", got, want)
	}
	if _, err := parseStat(1, []byte("1 (x) S 1 2 3")); err == nil {
		t.Error("parseStat of a short line: no error")
	}
	if _, err := parseStat(1, []byte("1 (x) S 1 2 3 4 5 6 7 8 9 10 x y 1")); err == nil {
		t.Error("parseStat of non-numeric times: no error")
	}
}

// TestCPUTimeCounts: this process's CPU time grows while it computes.
func TestCPUTimeCounts(t *testing.T) {
	before, err := CPUTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x := uint64(1)
	deadline := time.Now().Add(10 * time.Second)
	for {
		for i := range 1_000_000 {
			x = x*6364136223846793005 + uint64(i)
		}
		now, err := CPUTime(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if now > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU time stayed at %v for 10s of computing (%d)", before, x)
		}
	}
}

// TestRSSCounts: touching 64 MiB shows in the resident set.
func TestRSSCounts(t *testing.T) {
	before, err := RSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if before <= 0 {
		t.Fatalf("RSS = %d", before)
	}
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	after, err := RSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after-before < 32<<20 {
		t.Errorf("RSS grew by %d bytes after touching 64 MiB, want at least 32 MiB", after-before)
	}
	b[len(b)-1] = 2 // keep b alive until after the reading
}

func TestParseIO(t *testing.T) {
	r, w, err := parseIO(1, []byte("rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 3\nread_bytes: 0\n"))
	if err != nil || r != 10 || w != 3 {
		t.Errorf("parseIO = %d, %d, %v; want 10, 3", r, w, err)
	}
	if _, _, err := parseIO(1, []byte("rchar: 1\n")); err == nil {
		t.Error("parseIO without syscr: no error")
	}
}

// TestSyscallsCount: reading a file shows in this process's read count.
func TestSyscallsCount(t *testing.T) {
	r0, _, err := Syscalls(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := os.ReadFile("/proc/self/stat"); err != nil {
			t.Fatal(err)
		}
	}
	r1, _, err := Syscalls(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if r1-r0 < 10 {
		t.Errorf("10 file reads counted as %d read system calls", r1-r0)
	}
}
