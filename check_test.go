package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestMain lets a test run this very binary as the wsanatomy command (for
// `serve`, and for `dial --echo` as the client under check): with
// WSANATOMY_TEST_MAIN=1 the arguments are the command's.
func TestMain(m *testing.M) {
	if os.Getenv("WSANATOMY_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startServeProcess runs `wsanatomy serve` as a process and returns its
// ws:// URL; it is stopped with SIGTERM at cleanup.
func startServeProcess(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "WSANATOMY_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Error("serve did not stop within 20s of SIGTERM")
		}
	})
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if nc, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			nc.Close()
			return "ws://" + addr + "/"
		}
	}
	t.Fatal("serve did not start")
	return ""
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// loadReport reads and decodes a --json file.
func loadReport(t *testing.T, path string) report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rep
}

// readReport reads a --json file and checks that every verdict is OK, or
// INFORMATIONAL for the cases where the RFC leaves the choice open.
func readReport(t *testing.T, path string, informational ...string) report {
	t.Helper()
	rep := loadReport(t, path)
	info := map[string]bool{}
	for _, id := range informational {
		info[id] = true
	}
	for _, r := range rep.Results {
		want := conformance.OK
		if info[r.ID] {
			want = conformance.Informational
		}
		if r.Verdict != want {
			t.Errorf("case %s: %s, want %s: %s (client: %s)", r.ID, r.Verdict, want, r.Detail, r.ClientExit)
		}
	}
	return rep
}

// The project's own server passes every case but 9.x (run in interop/,
// without the race detector): OK, and INFORMATIONAL for 7.1.6, where it
// chooses to echo the message that came before the close.
func TestCheckServe(t *testing.T) {
	url := startServeProcess(t)
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI("check", url, "--exclude", "9.*,"+deflateCases, "--parallel", "4", "--timeout", "10s", "--fail-fast-wait", "5s", "--json", out)
	cases, _ := conformance.Select(conformance.ForServers(conformance.All()), nil, append([]string{"9.*"}, strings.Split(deflateCases, ",")...))
	want := len(cases)
	if code != 0 || lastLine(stdout) != fmt.Sprintf("%d passed, 0 failed", want) {
		t.Errorf("exit %d, last line %q, want %d passed; stderr %s", code, lastLine(stdout), want, stderr)
	}
	rep := readReport(t, out, "7.1.6")
	if len(rep.Results) != want || rep.Passed != want || rep.Failed != 0 {
		t.Errorf("the report has %d results, %d passed, %d failed; want %d", len(rep.Results), rep.Passed, rep.Failed, want)
	}
}

// The permessage-deflate cases (Autobahn 12.x and 13.x, RFC 7692): interop/
// runs them all without the race detector; here a sample of small ones,
// every kind of payload and parameter, runs against serve and dial.
const (
	deflateCases  = "12.*,13.*,A.13.*"
	deflateSample = "12.1.3,12.2.4,12.3.2,12.4.4,12.5.2,13.2.2,13.3.2,13.5.1,13.7.2,A.13.2.1,A.13.3.1,A.13.4.1"
)

// serve accepts permessage-deflate by default: the sample passes.
func TestCheckServeDeflate(t *testing.T) {
	url := startServeProcess(t)
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI("check", url, "--cases", deflateSample, "--parallel", "4", "--timeout", "10s", "--json", out)
	want := len(strings.Split(deflateSample, ","))
	if code != 0 || lastLine(stdout) != fmt.Sprintf("%d passed, 0 failed", want) {
		t.Errorf("exit %d, last line %q, want %d passed; stderr %s", code, lastLine(stdout), want, stderr)
	}
	if rep := readReport(t, out); len(rep.Results) != want {
		t.Errorf("the report has %d results, want %d", len(rep.Results), want)
	}
}

// `dial --echo --compress` passes the sample; without --compress the
// cases are UNIMPLEMENTED, which is no failure.
func TestCheckDialEchoDeflate(t *testing.T) {
	want := len(strings.Split(deflateSample, ","))
	for _, compress := range []bool{true, false} {
		out := filepath.Join(t.TempDir(), "report.json")
		client := fmt.Sprintf("WSANATOMY_TEST_MAIN=1 %s dial --echo {url}", os.Args[0])
		if compress {
			client = fmt.Sprintf("WSANATOMY_TEST_MAIN=1 %s dial --echo --compress {url}", os.Args[0])
		}
		code, stdout, stderr := runCLI("check", "--client", client, "--cases", deflateSample, "--parallel", "4", "--timeout", "10s", "--json", out)
		if code != 0 || lastLine(stdout) != fmt.Sprintf("%d passed, 0 failed", want) {
			t.Errorf("compress %v: exit %d, last line %q, want %d passed; stderr %s", compress, code, lastLine(stdout), want, stderr)
		}
		rep := loadReport(t, out)
		for _, r := range rep.Results {
			if w := map[bool]conformance.Verdict{true: conformance.OK, false: conformance.Unimplemented}[compress]; r.Verdict != w {
				t.Errorf("compress %v: case %s: %s, want %s: %s (client: %s)", compress, r.ID, r.Verdict, w, r.Detail, r.ClientExit)
			}
			if r.Ending != conformance.EndClean || !strings.HasPrefix(r.ClientExit, "exit status 0") {
				t.Errorf("compress %v: case %s ended %q, client %s", compress, r.ID, r.Ending, r.ClientExit)
			}
		}
	}
}

// `dial --echo` passes every client case it is given. Each case starts a
// process, so this runs the sections other than 6.x's 1200 invalid
// strings, which interop/ runs in full.
func TestCheckDialEcho(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	client := fmt.Sprintf("WSANATOMY_TEST_MAIN=1 %s dial --echo {url}", os.Args[0])
	code, stdout, stderr := runCLI("check", "--client", client, "--exclude", "9.*,6.I.*,"+deflateCases, "--parallel", "4",
		"--timeout", "10s", "--fail-fast-wait", "5s", "--json", out)
	cases, _ := conformance.Select(conformance.ForClients(conformance.All()), nil, append([]string{"9.*", "6.I.*"}, strings.Split(deflateCases, ",")...))
	if code != 0 || lastLine(stdout) != fmt.Sprintf("%d passed, 0 failed", len(cases)) {
		t.Errorf("exit %d, last line %q, want %d passed; stderr %s", code, lastLine(stdout), len(cases), stderr)
	}
	rep := readReport(t, out, "7.1.6")
	if len(rep.Results) != len(cases) || !rep.Client {
		t.Errorf("the report has %d results (client %v), want %d", len(rep.Results), rep.Client, len(cases))
	}
	// A client that passed exits 0 after a closing handshake with 1000 or
	// 1001; after one with any other code it says which and exits 1, and
	// after failing the connection it exits with an error.
	for _, r := range rep.Results {
		exited0 := r.ClientExit == "exit status 0" || strings.HasPrefix(r.ClientExit, "exit status 0; output: ")
		normal := strings.Contains(r.ClientExit, "close frame said 1000 ") || strings.Contains(r.ClientExit, "close frame said 1001 ")
		switch {
		case r.Ending != conformance.EndClean && exited0:
			t.Errorf("case %s ended %q, but dial --echo reports %s", r.ID, r.Ending, r.ClientExit)
		case r.Ending == conformance.EndClean && normal && !exited0:
			t.Errorf("case %s ended with a normal closing handshake, but dial --echo reports %s", r.ID, r.ClientExit)
		case r.Ending == conformance.EndClean && !normal &&
			!(strings.HasPrefix(r.ClientExit, "exit status 1;") && strings.Contains(r.ClientExit, "the server's close frame said")):
			t.Errorf("case %s ended with a closing handshake with another code, but dial --echo reports %s", r.ID, r.ClientExit)
		}
	}
}

// reflectingServer completes the opening handshake and then sends back
// every byte it receives: the client's masked frames come back masked,
// which §5.1 forbids a server.
func reflectingServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				nc.SetDeadline(time.Now().Add(time.Minute))
				br := bufio.NewReader(nc)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
					protocol.ComputeAccept(req.Header.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
				io.Copy(nc, br)
			}()
		}
	}()
	return "ws://" + ln.Addr().String() + "/"
}

func TestCheckFailsABrokenServer(t *testing.T) {
	url := reflectingServer(t)
	code, stdout, _ := runCLI("check", url, "--cases", "1.1.*,2.*", "--timeout", "2s")
	if code != 1 || lastLine(stdout) != "0 passed, 19 failed" {
		t.Errorf("exit %d, last line %q; want exit 1, 0 passed, 19 failed\n%s", code, lastLine(stdout), stdout)
	}
	// The rule is wrapped under its label; read it as one line.
	if n := strings.Count(strings.Join(strings.Fields(stdout), " "), "A server MUST NOT mask any frames"); n != 19 {
		t.Errorf("%d cases name the masking rule, want 19:\n%s", n, stdout)
	}
}

func TestCheckShow(t *testing.T) {
	url := reflectingServer(t)
	code, stdout, _ := runCLI("check", "--show", "2.2", url, "--timeout", "2s")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"case 2.2: ping with a text payload",
		"verdict: FAILED",
		"Sec-WebSocket-Key:", // the handshake view
		"== frame 1, wsanatomy check (client) -> the server",
		"opcode       0x9 (ping)", // the frame view's field table
		"== frame 2, the server -> wsanatomy check (client)",
		"\"Hello, world!\"",
		"0 passed, 1 failed",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--show output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCheckRunLimit(t *testing.T) {
	url := reflectingServer(t)
	code, stdout, _ := runCLI("check", url, "--cases", "1.*", "--limit", "1ns")
	if code != 1 || !strings.Contains(stdout, "not run: the run's time limit of 1ns ran out") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "http://127.0.0.1:1/"},
		{"check", "ws://127.0.0.1:1/", "ws://127.0.0.1:2/"},
		{"check", "--client", "dial --echo"},
		{"check", "--show", "99.9", "ws://127.0.0.1:1/"},
		{"check", "--cases", "[", "ws://127.0.0.1:1/"},
		{"check", "--cases", "nothing-matches", "ws://127.0.0.1:1/"},
		{"check", "--parallel", "0", "ws://127.0.0.1:1/"},
	} {
		if code, _, stderr := runCLI(args...); code != 2 || !strings.Contains(stderr, "run 'wsanatomy check --help' for usage") {
			t.Errorf("%q: exit %d, stderr %q; want 2 with usage", args, code, stderr)
		}
	}
}

// closedPort is a ws:// URL on 127.0.0.1 where nothing listens any more.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/"
	ln.Close()
	return url
}

// A server that is not running broke no rule of RFC 6455: check says it
// cannot connect, once, runs no case and exits 3, in text, --json and
// --tui, in either language.
func TestCheckUnreachable(t *testing.T) {
	url := closedPort(t)
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI("check", url, "--cases", "1.1.*", "--json", jsonPath)
	want := "wsanatomy: check: cannot connect to " + url + ": connection refused; no case was run\n"
	if code != exitUnreachable || stderr != want || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, no report, stderr %q", code, stdout, stderr, exitUnreachable, want)
	}
	rep := loadReport(t, jsonPath)
	if rep.Error != "cannot connect to "+url+": connection refused" || len(rep.Results) != 0 || rep.Target != url {
		t.Errorf("--json report: %+v", rep)
	}

	code, stdout, stderr = runCLI("check", url, "--tui", "--lang", "zh")
	want = "wsanatomy：check：无法连接到 " + url + "：connection refused；没有运行任何用例\n"
	if code != exitUnreachable || stderr != want || stdout != "" {
		t.Errorf("--tui --lang zh: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, stdout, stderr, exitUnreachable, want)
	}
}

// The report lists the cases by id, 1.1.2 before 1.1.10 and each
// section's additions after Autobahn's own, however they finish; the rule
// is wrapped to 80 columns under its label. The --json report and the
// --tui screen (which are given the same list) are in the same order.
func TestCheckReportOrderAndWidth(t *testing.T) {
	url := reflectingServer(t)
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, _ := runCLI("check", url, "--cases", "1.1.*,1.2.*,A.1.*,2.*", "--timeout", "2s", "--parallel", "4", "--json", jsonPath)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	rep := loadReport(t, jsonPath)
	if !slices.IsSortedFunc(rep.Results, func(a, b conformance.Result) int { return conformance.CompareIDs(a.ID, b.ID) }) {
		var got []string
		for _, r := range rep.Results {
			got = append(got, r.ID)
		}
		t.Errorf("--json results not in id order: %v", got)
	}
	_, report, ok := strings.Cut(stdout, "results by case id:\n")
	if !ok {
		t.Fatalf("no report:\n%s", stdout)
	}
	var ids []string
	for _, line := range strings.Split(report, "\n") {
		if utf8.RuneCountInString(line) > 80 {
			t.Errorf("line of %d columns: %q", utf8.RuneCountInString(line), line)
		}
		if f := strings.Fields(line); len(f) > 2 && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			ids = append(ids, f[1])
		}
	}
	want := []string{"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8",
		"1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6", "1.2.7", "1.2.8",
		"A.1.1", "A.1.2", "A.1.3", "A.1.7", "A.1.13"}
	if len(ids) < len(want) || !slices.Equal(ids[:len(want)], want) || ids[len(want)] != "2.1" {
		t.Errorf("report order %v, want %v then 2.1 ...", ids, want)
	}
	if !strings.Contains(report, "      rule: ") || !strings.Contains(report, "\n            ") {
		t.Errorf("the rule is not wrapped under its label:\n%s", report)
	}
}
