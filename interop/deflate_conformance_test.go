package interop

// The permessage-deflate cases of package conformance (Autobahn's sections
// 12 and 13, and the project's A.13.x; the same ones `wsanatomy check`
// runs), against echo servers and clients with and without compression.
// Compressing and inflating 90 cases of up to ten 128 KiB messages is slow
// under the race detector, so these tests run without it (run.sh); the
// main module runs a sample of small ones under -race.

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"

	"github.com/wsanatomy/wsanatomy/conformance"
)

// deflateOnly returns the cases that negotiate an extension (with want)
// or the others.
func deflateOnly(cs []conformance.Case, want bool) []conformance.Case {
	var out []conformance.Case
	for _, c := range cs {
		if (c.Extensions != "") == want {
			out = append(out, c)
		}
	}
	return out
}

// gorillaDeflateEcho is gorillaEcho with EnableCompression: gorilla
// supports permessage-deflate without context takeover only, and answers
// any permessage-deflate offer with server_no_context_takeover and
// client_no_context_takeover.
func gorillaDeflateEcho(t testing.TB) string {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }, EnableCompression: true}
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	})
}

// coderDeflateEcho is coderEcho with CompressionContextTakeover (coder's
// default is CompressionDisabled).
func coderDeflateEcho(t testing.TB) string {
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true, CompressionMode: coder.CompressionContextTakeover})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(32 << 20)
		ctx := context.Background()
		for {
			typ, msg, err := c.Read(ctx)
			if err != nil {
				return
			}
			if err := c.Write(ctx, typ, msg); err != nil {
				return
			}
		}
	})
}

// deflateVerdicts is the verdict of every deflate case per target.
func deflateVerdicts(target, id string) []conformance.Verdict {
	switch target {
	case "inproc", "gorilla", "coder", "gobwas":
		// Compression is not enabled (gobwas's high-level wsutil has none).
		return is(conformance.Unimplemented)
	case "coder-deflate":
		if strings.HasPrefix(id, "A.13.2.") || strings.HasPrefix(id, "A.13.3.") {
			// coder accepts server_max_window_bits only if it is 15: it
			// cannot limit its window, so it declines these offers.
			return is(conformance.Unimplemented)
		}
	}
	return is(conformance.OK)
}

// TestConformanceDeflateServer runs the cases as a client of echo
// servers: the codec's and serve with compression, and gorilla's and
// coder's with and without it.
func TestConformanceDeflateServer(t *testing.T) {
	if raceEnabled {
		t.Skip("the compression cases run without -race: see run.sh")
	}
	cases := deflateOnly(conformance.ForServers(conformance.All()), true)
	for _, tg := range []serverTarget{
		{"inproc-deflate", func(t *testing.T) string { return inprocEcho(t, deflateAccept(nil)) + "/" }},
		{"serve", func(t *testing.T) string { return "ws://" + startServe(t).addr + "/" }},
		{"inproc", func(t *testing.T) string { return inprocEcho(t, nil) + "/" }},
		{"gorilla", func(t *testing.T) string { return gorillaEcho(t) }},
		{"gorilla-deflate", func(t *testing.T) string { return gorillaDeflateEcho(t) }},
		{"coder", func(t *testing.T) string { return coderEcho(t) }},
		{"coder-deflate", func(t *testing.T) string { return coderDeflateEcho(t) }},
		{"gobwas", func(t *testing.T) string { return gobwasEcho(t) }},
	} {
		t.Run(tg.name, func(t *testing.T) {
			cfg := confConfig()
			cfg.Parallel = 4
			results := conformance.RunServer(context.Background(), tg.url(t), cases, cfg)
			checkDeflateVerdicts(t, tg.name, results)
		})
	}
}

// TestConformanceDeflateClient runs the cases as the server for the
// codec's echo clients that offer permessage-deflate (in process, and
// `wsanatomy dial --echo --compress`).
func TestConformanceDeflateClient(t *testing.T) {
	if raceEnabled {
		t.Skip("the compression cases run without -race: see run.sh")
	}
	cases := deflateOnly(conformance.ForClients(conformance.All()), true)
	for _, tg := range deflateClientTargets() {
		t.Run(tg.name, func(t *testing.T) {
			var codes sync.Map
			results := conformance.RunClient(context.Background(), asStartClient(t, tg, &codes), cases, confConfig())
			checkDeflateVerdicts(t, tg.name, results)
			for _, r := range results {
				if r.Verdict != conformance.Failed && (r.Ending != conformance.EndClean || r.ClientExit != "exit status 0") {
					t.Errorf("case %s ended %q, but the client reports %s", r.ID, r.Ending, r.ClientExit)
				}
			}
		})
	}
}

func checkDeflateVerdicts(t *testing.T, target string, results []conformance.Result) {
	t.Helper()
	if len(results) < 80 {
		t.Fatalf("only %d results", len(results))
	}
	bad := 0
	count := map[conformance.Verdict][]string{}
	for _, r := range results {
		count[r.Verdict] = append(count[r.Verdict], r.ID)
	}
	for v, ids := range count {
		t.Logf("%s: %d %s (%s ... %s)", target, len(ids), v, ids[0], ids[len(ids)-1])
	}
	for _, r := range results {
		want := deflateVerdicts(target, r.ID)
		if !contains(verdictStrings(want), string(r.Verdict)) {
			bad++
			if bad <= 20 {
				t.Errorf("%s: case %s (%s): %s, want %s: %s", target, r.ID, r.Desc, r.Verdict, want, r.Detail)
			}
		}
	}
	if bad > 20 {
		t.Errorf("%s: ... and %d more cases with an unexpected verdict", target, bad-20)
	}
}
