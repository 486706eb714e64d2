package interop

// The conformance cases of package conformance (the same ones `wsanatomy
// check` runs), as a fuzzing client against echo servers and as a fuzzing
// server against echo clients, with the verdict of every case asserted:
//
//   - TestConformanceServer: the codec's in-process echo server, `wsanatomy
//     serve`, and gorilla/websocket's, coder/websocket's and gobwas/ws's
//     echo servers (echoservers_test.go).
//   - TestConformanceClient: an in-process codec echo client and
//     `wsanatomy dial --echo`.
//   - TestConformanceBig: the 9.x cases (up to 16 MiB) against every
//     server and client. They are slow under the race detector, so under
//     -race they are skipped; run.sh runs them without -race.
//   - TestConformanceDeflateServer and TestConformanceDeflateClient
//     (deflate_conformance_test.go): the permessage-deflate cases, without
//     -race too.
//
// The expected verdicts are in expected_test.go, with the reason for every
// one that is not OK.

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
)

type serverTarget struct {
	name string
	url  func(t *testing.T) string
}

func serverTargets() []serverTarget {
	return []serverTarget{
		{"inproc", func(t *testing.T) string { return inprocEcho(t, nil) + "/" }},
		{"serve", func(t *testing.T) string { return "ws://" + startServe(t).addr + "/" }},
		{"gorilla", func(t *testing.T) string { return gorillaEcho(t) }},
		{"gorilla-utf8", func(t *testing.T) string { return gorillaUTF8Echo(t) }},
		{"coder", func(t *testing.T) string { return coderEcho(t) }},
		{"gobwas", func(t *testing.T) string { return gobwasEcho(t) }},
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

// asStartClient adapts a client target to the conformance runner. The
// close code of each in-process client's violation is kept in codes, by
// case id (the URL's path).
func asStartClient(t *testing.T, tg clientTarget, codes *sync.Map) conformance.StartClient {
	return func(ctx context.Context, url string) <-chan conformance.ClientExit {
		out := make(chan conformance.ClientExit, 1)
		res := tg.start(t, url)
		go func() {
			select {
			case r := <-res:
				var err error
				if !r.clean {
					err = fmt.Errorf("client failed (close code %d): %s", r.code, r.detail)
				}
				codes.Store(url[strings.LastIndex(url, "/")+1:], r.code)
				out <- conformance.ClientExit{Err: err}
			case <-ctx.Done():
				out <- conformance.ClientExit{Err: fmt.Errorf("client did not finish: %w", ctx.Err())}
			}
		}()
		return out
	}
}

// confConfig suits a loaded 2-core CI machine: generous bounds, so that
// only a real answer, never a slow one, makes a verdict.
func confConfig() conformance.Config {
	return conformance.Config{Timeout: 10 * time.Second, FailFastWait: 5 * time.Second, CaseLimit: 120 * time.Second, Parallel: 8}
}

func big(cs []conformance.Case, want bool) []conformance.Case {
	var out []conformance.Case
	for _, c := range cs {
		if c.Big == want {
			out = append(out, c)
		}
	}
	return out
}

// The permessage-deflate cases (12.x, 13.x, A.13.x) are left to
// deflate_conformance_test.go, which runs them without -race.
func TestConformanceServer(t *testing.T) {
	runServerCases(t, deflateOnly(big(conformance.ForServers(conformance.All()), false), false), 8)
}

func TestConformanceClient(t *testing.T) {
	runClientCases(t, deflateOnly(big(conformance.ForClients(conformance.All()), false), false))
}

func TestConformanceBig(t *testing.T) {
	if raceEnabled {
		t.Skip("the 9.x cases (up to 16 MiB) run without -race: see run.sh")
	}
	t.Run("server", func(t *testing.T) { runServerCases(t, big(conformance.ForServers(conformance.All()), true), 2) })
	t.Run("client", func(t *testing.T) { runClientCases(t, big(conformance.ForClients(conformance.All()), true)) })
}

func runServerCases(t *testing.T, cases []conformance.Case, parallel int) {
	for _, tg := range serverTargets() {
		t.Run(tg.name, func(t *testing.T) {
			cfg := confConfig()
			cfg.Parallel = parallel
			if slowUTF8[tg.name] {
				// It fails invalid UTF-8 only at the end of a message, so
				// every fail-fast case waits the whole FailFastWait.
				cfg.FailFastWait = time.Second
			}
			results := conformance.RunServer(context.Background(), tg.url(t), cases, cfg)
			checkVerdicts(t, tg.name, results)
		})
	}
}

func runClientCases(t *testing.T, cases []conformance.Case) {
	for _, tg := range clientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			cfg := confConfig()
			var codes sync.Map
			results := conformance.RunClient(context.Background(), asStartClient(t, tg, &codes), cases, cfg)
			checkVerdicts(t, tg.name, results)
			// A client that passed reports a clean end after a closing
			// handshake, and a failure after failing the connection.
			for _, r := range results {
				if r.Verdict == conformance.Failed {
					continue
				}
				clean := r.ClientExit == "exit status 0"
				if (r.Ending == conformance.EndClean) != clean {
					t.Errorf("case %s ended %q, but the client reports %s", r.ID, r.Ending, r.ClientExit)
				}
				// The in-process client's error names the code it failed
				// the connection with: the one the case expects.
				if code, _ := codes.Load(r.ID); tg.name == "inproc" && r.Ending == conformance.EndFailed && r.FailCode != 0 && code != r.FailCode {
					t.Errorf("case %s: the client failed with close code %v, want %d", r.ID, code, r.FailCode)
				}
			}
		})
	}
}

func verdictStrings(vs []conformance.Verdict) []string {
	var out []string
	for _, v := range vs {
		out = append(out, string(v))
	}
	return out
}

// checkVerdicts compares every result with its expected verdict.
func checkVerdicts(t *testing.T, target string, results []conformance.Result) {
	t.Helper()
	if len(results) == 0 {
		t.Fatal("no results")
	}
	bad := 0
	for _, r := range results {
		want := expectedVerdicts(target, r.ID)
		if !contains(verdictStrings(want), string(r.Verdict)) {
			bad++
			if bad <= 30 {
				t.Errorf("%s: case %s (%s): %s, want %s: %s", target, r.ID, r.Desc, r.Verdict, want, r.Detail)
			}
		}
	}
	if bad > 30 {
		t.Errorf("%s: ... and %d more cases with an unexpected verdict", target, bad-30)
	}
}
