package interop

// The Autobahn-style conformance suite, run as a fuzzing client against
// echo servers and as a fuzzing server against echo clients:
//
//   - TestConformanceServer: every case against the in-process protocol
//     echo server and against `wsanatomy serve`.
//   - TestConformanceClient: every case against an in-process protocol
//     echo client and against `wsanatomy dial --echo`.
//   - TestConformanceBig: the 9.x cases (up to 16 MiB) in both directions.
//     They are slow under the race detector, so under -race they are
//     skipped; run.sh runs them in a second `go test` without -race.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

type serverTarget struct {
	name string
	url  func(t *testing.T) string // base URL, without a path
}

func serverTargets() []serverTarget {
	return []serverTarget{
		{"inproc", func(t *testing.T) string { return inprocEcho(t, nil) }},
		{"serve", func(t *testing.T) string { return "ws://" + startServe(t).addr }},
	}
}

// clientResult is how an echo client under test ended.
type clientResult struct {
	clean  bool   // a clean closing handshake (exit status 0)
	code   int    // for the in-process client: the code of its violation, if any
	detail string // the error or the process's output
}

type clientTarget struct {
	name  string
	start func(t *testing.T, url string) <-chan clientResult
}

func clientTargets() []clientTarget {
	return []clientTarget{
		{"inproc", startInprocClient},
		{"dial", startDialEcho},
	}
}

func startInprocClient(t *testing.T, url string) <-chan clientResult {
	ch := make(chan clientResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		c, err := protocol.Dial(ctx, url, nil)
		if err != nil {
			ch <- clientResult{detail: err.Error()}
			return
		}
		err = echoLoop(ctx, c)
		c.CloseNow()
		res := clientResult{detail: fmt.Sprint(err)}
		var v *protocol.Violation
		var ce *protocol.CloseError
		switch {
		case errors.As(err, &v):
			res.code = int(v.Code)
		case errors.As(err, &ce):
			res.clean = ce.Code != protocol.CloseAbnormalClosure
		}
		ch <- res
	}()
	return ch
}

func startDialEcho(t *testing.T, url string) <-chan clientResult {
	bin := wsanatomyBinary(t)
	ch := make(chan clientResult, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	cmd := exec.CommandContext(ctx, bin, "dial", "--echo", url)
	out := &boundedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		defer cancel()
		err := cmd.Wait()
		// dial exits 0 only after a close with 1000 or 1001; after another
		// code it exits 1 and says it got the server's close frame, which
		// is still a clean closing handshake.
		var ee *exec.ExitError
		clean := err == nil || (errors.As(err, &ee) && ee.ExitCode() == 1 && strings.Contains(out.String(), "closed; the server's close frame said"))
		ch <- clientResult{clean: clean, detail: fmt.Sprintf("%v; output: %s", err, out.String())}
	}()
	return ch
}

func TestConformanceServer(t *testing.T) {
	runServerCases(t, func(c confCase) bool { return !c.big })
}

func TestConformanceClient(t *testing.T) {
	runClientCases(t, func(c confCase) bool { return !c.big })
}

func TestConformanceBig(t *testing.T) {
	if raceEnabled {
		t.Skip("the 9.x cases (up to 16 MiB) run without -race: see run.sh")
	}
	t.Run("server", func(t *testing.T) { runServerCases(t, func(c confCase) bool { return c.big }) })
	t.Run("client", func(t *testing.T) { runClientCases(t, func(c confCase) bool { return c.big }) })
}

func runServerCases(t *testing.T, want func(confCase) bool) {
	cases := buildCases()
	for _, tg := range serverTargets() {
		t.Run(tg.name, func(t *testing.T) {
			base := tg.url(t)
			for _, c := range cases {
				if !want(c) || c.only == "client" {
					continue
				}
				c := c
				t.Run(c.id, func(t *testing.T) {
					if !c.big {
						t.Parallel()
					}
					p := dialRaw(t, base+"/"+c.id)
					if c.timeout > 0 {
						p.timeout = c.timeout
					}
					c.run(p)
					if p.outcome == "" && !t.Failed() {
						t.Fatalf("case %s ended without a closing handshake", c.id)
					}
				})
			}
		})
	}
}

func runClientCases(t *testing.T, want func(confCase) bool) {
	cases := buildCases()
	for _, tg := range clientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			for _, c := range cases {
				if !want(c) || c.only == "server" {
					continue
				}
				c := c
				t.Run(c.id, func(t *testing.T) {
					if !c.big {
						t.Parallel()
					}
					runClientCase(t, tg, c)
				})
			}
		})
	}
}

func runClientCase(t *testing.T, tg clientTarget, c confCase) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := tg.start(t, "ws://"+ln.Addr().String()+"/"+c.id)
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(15 * time.Second))
	nc, err := ln.Accept()
	if err != nil {
		select {
		case r := <-res:
			t.Fatalf("the client did not connect: %s", r.detail)
		case <-time.After(5 * time.Second):
		}
		t.Fatalf("the client did not connect: %v", err)
	}
	p := acceptRaw(t, nc)
	if c.timeout > 0 {
		p.timeout = c.timeout
	}
	func() {
		defer func() {
			// A failed expectation ends the case with runtime.Goexit; make
			// sure the client sees the connection end.
			nc.Close()
		}()
		c.run(p)
	}()
	var r clientResult
	select {
	case r = <-res:
	case <-time.After(30 * time.Second):
		t.Fatalf("the client did not finish within 30s of the case's end")
	}
	switch p.outcome {
	case "clean":
		if !r.clean {
			t.Errorf("closing handshake was clean but the client reports failure: %s", r.detail)
		}
	case "fail":
		if r.clean {
			t.Errorf("client failed the connection but reports a clean end: %s", r.detail)
		}
		if tg.name == "inproc" && p.failCode != 0 && r.code != p.failCode {
			t.Errorf("client's error has close code %d, want %d: %s", r.code, p.failCode, r.detail)
		}
	default:
		if !t.Failed() {
			t.Fatalf("case %s ended without a closing handshake", c.id)
		}
	}
	if t.Failed() {
		t.Logf("client: %s", strings.TrimSpace(r.detail))
	}
}
