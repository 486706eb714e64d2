package load

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// echoServer is an in-process echo server on 127.0.0.1 whose misbehave
// hook may change what it sends back: it gets the message's number on
// its connection and returns the messages to send for it (none, one, or
// several, e.g. to swap two).
func echoServer(t *testing.T, misbehave func(n int, typ int, msg []byte) [][2]any) string {
	t.Helper()
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for n := 0; ; n++ {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			out := [][2]any{{typ, msg}}
			if misbehave != nil {
				out = misbehave(n, typ, msg)
			}
			for _, m := range out {
				if err := c.WriteMessage(m[0].(int), m[1].([]byte)); err != nil {
					return
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

func quick(url string, w Workload) Config {
	return Config{URL: url, Workload: w, Warmup: 10 * time.Millisecond, Duration: 50 * time.Millisecond, ServerPID: os.Getpid(), StopTimeout: 2 * time.Second}
}

func TestRunEveryWorkload(t *testing.T) {
	url := echoServer(t, nil)
	for _, w := range Workloads {
		t.Run(w.Name, func(t *testing.T) {
			r, err := Run(quick(url, w))
			if err != nil {
				t.Fatal(err)
			}
			if r.Msgs <= 0 || r.MsgsPerSec <= 0 || r.Seconds <= 0 {
				t.Errorf("no messages counted: %+v", r)
			}
			if r.P50 <= 0 || r.P99 < r.P50 {
				t.Errorf("latencies p50 %v, p99 %v: want 0 < p50 <= p99", r.P50, r.P99)
			}
			if r.ServerCPU < 0 || r.ServerCPUPerMsg < 0 {
				t.Errorf("negative CPU time: %+v", r)
			}
		})
	}
}

// TestRunCatchesBadEchoes: every way an echo can be wrong fails the run.
func TestRunCatchesBadEchoes(t *testing.T) {
	pingPong, _ := WorkloadByName("16B")
	pipelined, _ := WorkloadByName("1KiBx16x8")
	var held [2]any
	cases := []struct {
		name      string
		w         Workload
		misbehave func(n, typ int, msg []byte) [][2]any
		want      string
	}{
		{"changed byte", pingPong, func(n, typ int, msg []byte) [][2]any {
			if n == 3 {
				msg[len(msg)-1] ^= 1
			}
			return [][2]any{{typ, msg}}
		}, "differs"},
		{"truncated", pingPong, func(n, typ int, msg []byte) [][2]any {
			if n == 3 {
				msg = msg[:len(msg)-1]
			}
			return [][2]any{{typ, msg}}
		}, "want 16"},
		{"longer", pingPong, func(n, typ int, msg []byte) [][2]any {
			if n == 3 {
				msg = append(msg, 0)
			}
			return [][2]any{{typ, msg}}
		}, "read limit"},
		{"text", pingPong, func(n, typ int, msg []byte) [][2]any {
			if n == 3 {
				typ = websocket.TextMessage
			}
			return [][2]any{{typ, msg}}
		}, "message type"},
		{"swapped", pipelined, func(n, typ int, msg []byte) [][2]any {
			switch n {
			case 3:
				held = [2]any{typ, msg}
				return nil
			case 4:
				return [][2]any{{typ, msg}, held}
			}
			return [][2]any{{typ, msg}}
		}, "differs"},
		{"lost", pipelined, func(n, typ int, msg []byte) [][2]any {
			if n == 3 {
				return nil
			}
			return [][2]any{{typ, msg}}
		}, "differs"},
		{"never echoes", pingPong, func(n, typ int, msg []byte) [][2]any { return nil }, "read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.w
			w.Conns = 1 // one connection, so that held is not shared
			start := time.Now()
			_, err := Run(quick(echoServer(t, c.misbehave), w))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run: %v, want an error containing %q", err, c.want)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("Run took %v to fail", d)
			}
		})
	}
}

// TestRunStopsAllOnOneFailure: when one connection fails, the others stop
// too and the run reports the failure.
func TestRunStopsAllOnOneFailure(t *testing.T) {
	var conns atomic.Int32
	url := echoServer(t, func(n, typ int, msg []byte) [][2]any {
		if n == 0 && conns.Add(1) == 2 {
			msg[10] ^= 0xff
		}
		return [][2]any{{typ, msg}}
	})
	w, _ := WorkloadByName("64KiBx4")
	if _, err := Run(quick(url, w)); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Fatalf("Run: %v, want a differing echo", err)
	}
}
