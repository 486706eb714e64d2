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
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Counted before Accept hijacks the connection: srv.Close waits
		// for a handler only until then, so wg.Wait must already see it.
		wg.Add(1)
		defer wg.Done()
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
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
	ch := make(chan ClientExit, 1)
	go func() {
		c, err := protocol.Dial(ctx, url, nil)
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
