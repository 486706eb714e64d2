package conformance

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// protocolEcho starts an echo server built on the codec and returns its
// ws:// URL.
func protocolEcho(t *testing.T) string {
	return protocolEchoWith(t, nil)
}

// protocolEchoWith is protocolEcho with compression options (nil: none).
func protocolEchoWith(t *testing.T, comp *protocol.CompressionOptions) string {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Counted before Accept hijacks the connection: srv.Close waits
		// for a handler only until then, so wg.Wait must already see it.
		wg.Add(1)
		defer wg.Done()
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin, Compression: comp})
		if err != nil {
			return
		}
		defer c.CloseNow()
		echoLoop(context.Background(), c)
	}))
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

func echoLoop(ctx context.Context, c *protocol.Conn) error {
	for {
		typ, msg, err := c.ReadMessage(ctx)
		if err != nil {
			return err
		}
		if err := c.WriteMessage(ctx, typ, msg); err != nil {
			return err
		}
	}
}

// protocolClient is a StartClient for an echo client built on the codec.
func protocolClient(ctx context.Context, url string) <-chan ClientExit {
	return protocolClientWith(nil)(ctx, url)
}

// protocolClientWith is protocolClient with dial options.
func protocolClientWith(opts *protocol.DialOptions) StartClient {
	return func(ctx context.Context, url string) <-chan ClientExit {
		return startProtocolClient(ctx, url, opts)
	}
}

func startProtocolClient(ctx context.Context, url string, opts *protocol.DialOptions) <-chan ClientExit {
	ch := make(chan ClientExit, 1)
	go func() {
		c, err := protocol.Dial(ctx, url, opts)
		if err != nil {
			ch <- ClientExit{Err: err}
			return
		}
		err = echoLoop(ctx, c)
		c.CloseNow()
		var ce *protocol.CloseError
		if errors.As(err, &ce) && ce.Code != protocol.CloseAbnormalClosure {
			err = nil
		}
		ch <- ClientExit{Err: err}
	}()
	return ch
}

// testConfig is a configuration for a loaded CI machine: generous bounds,
// several cases at once.
func testConfig() Config {
	return Config{Timeout: 10 * time.Second, FailFastWait: 5 * time.Second, Parallel: 8}
}

// deflateSample is a sample of the permessage-deflate cases, small enough
// for the race detector: every kind of payload, every parameter, and the
// fragmented messages. interop/ runs them all, without -race.
var deflateSample = []string{"12.1.3", "12.2.4", "12.3.1", "12.4.4", "12.5.2", "13.1.2", "13.2.2", "13.3.2",
	"13.4.1", "13.5.2", "13.6.1", "13.7.2", "A.13.1.1", "A.13.2.1", "A.13.3.1", "A.13.4.1"}

// plain is want for a peer without compression: the cases that need an
// extension are UNIMPLEMENTED.
func plain(want func(id string) Verdict) func(id string) Verdict {
	ext := map[string]bool{}
	for _, c := range All() {
		ext[c.ID] = c.Extensions != ""
	}
	return func(id string) Verdict {
		if ext[id] {
			return Unimplemented
		}
		return want(id)
	}
}

func notBig(cs []Case) []Case {
	var out []Case
	for _, c := range cs {
		if !c.Big {
			out = append(out, c)
		}
	}
	return out
}

// informational lists the cases where the codec makes a choice the RFC
// leaves open, with the verdict that choice earns.
var informational = map[string]bool{
	"7.1.6": true,  // it echoes the message that came before the close
	"B.8":   false, // set per run: a 1009 (OK) from the codec's 32 MiB limit
}

// checkVerdicts fails the test for every result whose verdict is not want(id).
func checkVerdicts(t *testing.T, results []Result, want func(id string) Verdict) {
	t.Helper()
	if len(results) < 100 {
		t.Fatalf("only %d results", len(results))
	}
	bad := 0
	for _, r := range results {
		if w := want(r.ID); r.Verdict != w {
			bad++
			if bad <= 20 {
				t.Errorf("case %s (%s): %s, want %s: %s", r.ID, r.Desc, r.Verdict, w, r.Detail)
			}
		}
	}
	if bad > 20 {
		t.Errorf("... and %d more cases with an unexpected verdict", bad-20)
	}
}
