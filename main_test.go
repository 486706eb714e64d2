package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/testvectors"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	noLocale(t)
	for _, args := range [][]string{
		{"bogus"},
		{"--no-such-flag"},
		{"serve", "--no-such-flag"},
		{"serve", "extra"},
		{"dial"},
		{"dial", "ws://a/", "ws://b/"},
		{"dial", "--nope", "ws://a/"},
	} {
		code, _, stderr := runCLI(args...)
		if code != 2 || !strings.Contains(stderr, "' for usage\n") {
			t.Errorf("%q: exit %d, stderr %q; want 2 with where the usage is", args, code, stderr)
		}
	}
	if code, out, _ := runCLI("help"); code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "dial") {
		t.Errorf("help: exit %d, %q", code, out)
	}
}

// TestDialFailuresAreOneLine: a bad URL, a refused connection and a failed
// handshake each print one readable line and exit non-zero.
func TestDialFailuresAreOneLine(t *testing.T) {
	// A server that is not WebSocket: answers 404. It listens first, so
	// that the refusing port below can never be given its port again.
	httpLn, _ := net.Listen("tcp", "127.0.0.1:0")
	defer httpLn.Close()
	// A port that refuses: listen, note the address, close.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "ws://" + ln.Addr().String() + "/"
	ln.Close()
	go func() {
		for {
			c, err := httpLn.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 4096))
			c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		}
	}()
	for _, tc := range []struct{ url, want string }{
		{"http://127.0.0.1/", "scheme must be ws or wss"},
		{"ws://", "no host"},
		{"not a url at all", "scheme must be ws or wss"},
		{refused, "connection refused"},
		{"ws://" + httpLn.Addr().String() + "/", "expected status 101"},
	} {
		code, _, stderr := runCLI("dial", tc.url)
		if code == 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("dial %q: exit %d, stderr %q; want one line containing %q", tc.url, code, stderr, tc.want)
		}
	}
}

// TestServeAndDialEcho runs the echo server and the echo client against
// each other's counterpart: our client through the server, then the echo
// client against a protocol server that sends messages and closes.
func TestServeAndDialEcho(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logBuf syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	srv := newEchoServer(newFrameLog(&logBuf))
	served := make(chan error, 1)
	go func() { served <- srv.serve(ctx, ln) }()
	url := "ws://" + ln.Addr().String() + "/any/path"

	// chat mode: stdin lines come back.
	var out, errb bytes.Buffer
	code := run([]string{"dial", url}, strings.NewReader("hello\nworld\n"), &out, &errb)
	if code != 0 || out.String() != "hello\nworld\n" {
		t.Errorf("dial: exit %d, out %q, err %q", code, out.String(), errb.String())
	}

	// A client that stays connected sees 1001 when the server stops.
	c, err := protocol.Dial(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	readErr := make(chan error, 1)
	go func() { _, _, err := c.ReadMessage(context.Background()); readErr <- err }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-readErr:
		if code, ok := protocol.CloseStatus(err); !ok || code != protocol.CloseGoingAway {
			t.Errorf("client read %v, want close 1001", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server shutdown did not close the client")
	}
	if err := <-served; err != nil {
		t.Errorf("serve returned %v", err)
	}
	log := logBuf.String()
	for _, want := range []string{"<- GET /any/path HTTP/1.1", "<- text FIN len=5 (7-bit) masked", "-> text FIN len=5 (7-bit)",
		"TCP closed (server first); received close 1000", "-> close FIN len=22 (7-bit) code 1001 (going away) \"server shutting down\""} {
		if !strings.Contains(log, want) {
			t.Errorf("server log lacks %q:\n%s", want, log)
		}
	}
}

func TestDialEchoMode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	result := make(chan error, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			result <- err
			return
		}
		c, err := protocol.AcceptConn(context.Background(), nc, nil)
		if err != nil {
			result <- err
			return
		}
		ctx := context.Background()
		big := bytes.Repeat([]byte{7}, 1<<20)
		for _, m := range []struct {
			typ  protocol.MessageType
			data []byte
		}{{protocol.TextMessage, []byte("one")}, {protocol.BinaryMessage, big}} {
			c.WriteMessage(ctx, m.typ, m.data)
			typ, got, err := c.ReadMessage(ctx)
			if err != nil || typ != m.typ || !bytes.Equal(got, m.data) {
				result <- errors.New("echo differs")
				return
			}
		}
		result <- c.Close(protocol.CloseNormal, "done")
	}()
	code, _, stderr := runCLI("dial", "--echo", "ws://"+ln.Addr().String()+"/")
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Errorf("dial --echo exit %d, stderr %q", code, stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's log goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestVectorsShowUsesFrameView: `vectors --show` dissects a vector's frame
// with the walkthrough's renderers, bit grid and all, for every vector.
func TestVectorsShowUsesFrameView(t *testing.T) {
	code, out, stderr := runCLI("vectors", "--show", "rfc-5.7-masked-text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"|1|0|0|0|0 0 0 1|1|0 0 0 0 1 0 1|0 0 1 1 0 1 1 1 1 1 1 1 1 0 1 0|", // the bit grid's first row
		"0x7f ^ 0x37 = 0x48 'H'",
		"masking key  37 fa 21 3d",
		"PASS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	set, err := testvectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range set.Files {
		for _, v := range f.Vectors {
			if _, err := testvectors.Show(context.Background(), set, v.ID); err != nil {
				t.Errorf("show %s: %v", v.ID, err)
			}
		}
	}
	if code, _, _ := runCLI("vectors", "--show", "no-such-vector"); code == 0 {
		t.Error("--show of an unknown id exited 0")
	}
}

// TestDialLinesThatAreNotText: a stdin line that is not UTF-8 goes as a
// binary message instead of ending the session, and text from the server
// cannot drive the terminal with control characters.
func TestDialLinesThatAreNotText(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := newEchoServer(newFrameLog(&syncBuffer{}))
	served := make(chan error, 1)
	go func() { served <- srv.serve(ctx, ln) }()
	defer func() { cancel(); <-served }()
	var out, errb bytes.Buffer
	code := run([]string{"dial", "ws://" + ln.Addr().String() + "/"}, strings.NewReader("ok1\n\xff\xfe bad\n\x1b[31mred\nok2\n"), &out, &errb)
	want := "ok1\n[binary, 6 bytes] ff fe 20 62 61 64\n\\x1b[31mred\nok2\n"
	if code != 0 || out.String() != want {
		t.Errorf("exit %d\nout %q\nwant %q\nstderr %q", code, out.String(), want, errb.String())
	}
	if !strings.Contains(errb.String(), "not UTF-8") {
		t.Errorf("stderr does not explain the binary line: %q", errb.String())
	}
	if code, _, stderr := runCLI("serve", "--addr", ""); code != 2 || !strings.Contains(stderr, "needs an address") {
		t.Errorf("serve --addr '': exit %d, %q", code, stderr)
	}
}

// TestVectorsWrongExpectation: vectors written elsewhere in the documented
// schema run with `vectors DIR`; a wrong expectation fails, exits 1 and
// says why, also with --show after the path.
func TestVectorsWrongExpectation(t *testing.T) {
	dir := t.TempDir()
	file := `{"group": "frames", "description": "a deliberately wrong expectation", "vectors": [{
		"id": "wrong-opcode", "description": "an empty text frame, wrongly expected as binary", "section": "5.2",
		"level": "MUST", "rule": "%x1 denotes a text frame",
		"input": {"receiver": "client", "bytes": "8100"},
		"expect": {"frame": {"fin": true, "rsv1": false, "rsv2": false, "rsv3": false, "opcode": 2, "masked": false, "length": 0, "payload": ""}}}]}`
	if err := os.WriteFile(filepath.Join(dir, "wrong.json"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI("vectors", dir)
	if code != 1 || !strings.HasSuffix(out, "0 passed, 1 failed\n") || !strings.Contains(out, "opcode: expected 2, got 1") {
		t.Errorf("vectors DIR: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("vectors", dir, "--show", "wrong-opcode")
	if code != 1 || !strings.Contains(out, "FAIL: opcode: expected 2, got 1") {
		t.Errorf("vectors DIR --show: exit %d\n%s", code, out)
	}
}

func TestSourceFieldWithoutTerminal(t *testing.T) {
	code, out, _ := runCLI("source", "--field", "FIN", "--plain")
	if code != 0 || !strings.Contains(out, "protocol/frame.go") || !strings.Contains(out, "▸ FIN") {
		t.Errorf("source --field FIN --plain: exit %d\n%.300s", code, out)
	}
	if code, _, stderr := runCLI("source", "--field", "nosuch", "--plain"); code != 1 || !strings.Contains(stderr, "no field or header") {
		t.Errorf("unknown field: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCLI("source", "--width", "0", "--list"); code != 2 {
		t.Errorf("--width 0: exit %d, want 2", code)
	}
}

// source --lang zh says the reader's own words in Chinese; a language it
// does not speak is a usage error.
func TestSourceLang(t *testing.T) {
	code, out, stderr := runCLI("source", "--list", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "按阅读顺序排列") || !strings.Contains(out, "frame.go") {
		t.Errorf("source --list --lang zh: exit %d, %q %q", code, out, stderr)
	}
	code, out, _ = runCLI("source", "frame.go", "--plain", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "保持英文原样") || !strings.Contains(out, "func AppendHeader") {
		t.Errorf("source frame.go --plain --lang zh: exit %d\n%.500s", code, out)
	}
	if code, _, stderr := runCLI("source", "--lang", "fr"); code != 2 || !strings.Contains(stderr, "en or zh") {
		t.Errorf("source --lang fr: exit %d, %q", code, stderr)
	}
}

// CMD --help and help CMD print that command's help, with every flag, on
// stdout and exit 0; --version names the build.
func TestCommandHelp(t *testing.T) {
	noLocale(t)
	for cmd, flags := range map[string][]string{
		"serve":  {"--addr"},
		"dial":   {"--echo", "--origin", "--subprotocol"},
		"source": {"--field", "--lang", "--list", "--plain", "--width"},
	} {
		code, out, stderr := runCLI(cmd, "--help")
		if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: wsanatomy "+cmd) {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", cmd, code, out, stderr)
		}
		for _, f := range flags {
			if !strings.Contains(out, "  "+f) {
				t.Errorf("%s --help does not list %s:\n%s", cmd, f, out)
			}
		}
		if code2, out2, _ := runCLI("help", cmd); code2 != 0 || out2 != out {
			t.Errorf("help %s: exit %d, output differs from %s --help:\n%s", cmd, code2, cmd, out2)
		}
		if code3, out3, _ := runCLI(cmd, "-h"); code3 != 0 || out3 != out {
			t.Errorf("%s -h: exit %d, output differs from --help", cmd, code3)
		}
	}
	for _, cmd := range []string{"lessons", "vectors"} {
		if code, out, stderr := runCLI("help", cmd); code != 0 || stderr != "" || !strings.Contains(out, "wsanatomy "+cmd) {
			t.Errorf("help %s: exit %d, %q %q", cmd, code, out, stderr)
		}
	}
	if code, _, stderr := runCLI("help", "bogus"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("help bogus: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCLI("help", "serve", "dial"); code != 2 {
		t.Errorf("help with two commands: exit %d", code)
	}
	if code, out, _ := runCLI("--version"); code != 0 || !strings.HasPrefix(out, "wsanatomy ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

// dial host:port says which URL was probably meant.
func TestDialSuggestsURL(t *testing.T) {
	code, _, stderr := runCLI("dial", "127.0.0.1:9")
	if code == 0 || !strings.Contains(stderr, "did you mean ws://127.0.0.1:9/?") {
		t.Errorf("dial 127.0.0.1:9: exit %d, %q", code, stderr)
	}
}
