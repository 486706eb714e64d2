package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/bench/internal/load"
)

// TestLoadScript runs load.sh end to end with tiny durations, so that the
// build, the server programs, the client and the tables cannot rot.
func TestLoadScript(t *testing.T) {
	raw := filepath.Join(t.TempDir(), "load.out")
	modes := "unpinned"
	if _, err := exec.LookPath("taskset"); err == nil {
		modes = "unpinned,pinned"
	}
	cmd := exec.Command("sh", "../../load.sh", "-quick", "-modes", modes,
		"-dur", "100ms", "-warmup", "50ms", "-idle", "20", "-settle", "50ms",
		"-serve-log-off", "", "-raw", raw)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("load.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Throughput (messages/s), ratio to gobwas",
		"Server CPU per message",
		"Round-trip latency p50 / p99",
		"Server memory per idle connection, 20 connections",
		"| 1 conn, 1 MiB, 1 in flight | unpinned |",
		"| gobwas-b |",
		"| floor |",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	f, err := os.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, idle := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		switch {
		case strings.Contains(sc.Text(), `"mode"`):
			cells++
		case strings.Contains(sc.Text(), `"kib_per_conn"`):
			idle++
		}
	}
	servers := len(allServers("", ""))
	if want := 4 * servers * len(strings.Split(modes, ",")); cells != want {
		t.Errorf("%d measurements in %s, want %d (4 workloads x %d servers x %s)", cells, raw, want, servers, modes)
	}
	if idle != servers {
		t.Errorf("%d idle-memory measurements, want %d", idle, servers)
	}
}

// TestAddedServers: -add NAME=PROGRAM [ARGS] puts one more server right
// after the library-only one, and a malformed flag is refused.
func TestAddedServers(t *testing.T) {
	s, err := parseAdded("before=/tmp/echo-old")
	if err != nil || s.Name != "before" || len(s.Cmd) != 1 || s.Cmd[0] != "/tmp/echo-old" {
		t.Fatalf("parseAdded: %+v, %v", s, err)
	}
	withArgs, err := parseAdded("serve-before=old/wsanatomy serve  --log off")
	if got := strings.Join(withArgs.Cmd, "|"); err != nil || withArgs.Name != "serve-before" || got != "old/wsanatomy|serve|--log|off" {
		t.Errorf("parseAdded with arguments: %+v, %v", withArgs, err)
	}
	for _, bad := range []string{"before", "=prog", "before=", "before=  "} {
		if _, err := parseAdded(bad); err == nil {
			t.Errorf("parseAdded(%q) accepted", bad)
		}
	}
	all := withAdded(allServers("bin", ""), []load.Server{s})
	var names []string
	for _, srv := range all {
		names = append(names, srv.Name)
	}
	if got := strings.Join(names, ","); got != "wsanatomy,before,wsanatomy-http,serve,gorilla,coder,gobwas,gobwas-b,floor" {
		t.Errorf("servers in order: %s", got)
	}
}
