package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// wsURL is srv's address as a ws:// URL.
func wsURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

// A server that answers every opening handshake with something other
// than 101 (a 404, a 403, a plain web page) is reported once, with the
// status line it answered and the rule, exit 3 and no report, in text,
// --json and --tui, in either language: not as a FAILED per case.
func TestCheckRefusedEveryHandshake(t *testing.T) {
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
		line    string
	}{
		{"404", http.NotFound, "HTTP/1.1 404 Not Found"},
		{"403", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "origin not allowed", http.StatusForbidden)
		}, "HTTP/1.1 403 Forbidden"},
		{"plain HTTP server", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>hello</html>") }, "HTTP/1.1 200 OK"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			url := wsURL(srv)
			jsonPath := filepath.Join(t.TempDir(), "report.json")
			code, stdout, stderr := runCLI("check", url, "--cases", "1.1.*,2.1", "--json", jsonPath)
			msg := url + ` refused every opening handshake: it answered "` + c.line +
				`", and a WebSocket client expects 101 Switching Protocols (RFC 6455 §4.1); no case got past the handshake`
			if code != exitUnreachable || stdout != "" || stderr != "wsanatomy: check: "+msg+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, no report, stderr %q", code, stdout, stderr, exitUnreachable, msg)
			}
			rep := loadReport(t, jsonPath)
			if rep.Error != msg || len(rep.Results) != 0 || rep.Target != url {
				t.Errorf("--json report: %+v", rep)
			}

			code, stdout, stderr = runCLI("check", url, "--cases", "1.1.*", "--lang", "zh")
			zh := "wsanatomy：check：" + url + ` 拒绝了每一次握手：它的回复是 "` + c.line +
				`"，而 WebSocket 客户端要求的是 101 Switching Protocols（RFC 6455 §4.1）；没有一个用例通过握手` + "\n"
			if code != exitUnreachable || stdout != "" || stderr != zh {
				t.Errorf("--lang zh: exit %d, stdout %q, stderr %q; want stderr %q", code, stdout, stderr, zh)
			}
		})
	}
}

// With --tui the screen never opens: the error is the same as in text.
func TestCheckTUIRefusedEveryHandshake(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(http.NotFound))
	defer srv.Close()
	s, done := runTUI(t, wsURL(srv), "--cases", "1.1.*")
	code, stdout := waitDone(t, done)
	s.mu.Lock()
	drawn := s.out.String()
	s.mu.Unlock()
	if code != "3" || stdout != "" || drawn != "" {
		t.Errorf("exit %s, stdout %q, screen %q; want exit 3 and nothing drawn", code, stdout, drawn)
	}
}

// A server that refuses some handshakes and accepts others is tested:
// each case gets its verdict, the refused ones FAILED with the status
// line, the accepted ones their own.
func TestCheckRefusedSomeHandshakes(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{})
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				return
			}
			if c.WriteMessage(ctx, typ, msg) != nil {
				return
			}
		}
	}))
	defer srv.Close()
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI("check", wsURL(srv), "--cases", "1.1.*", "--parallel", "1", "--json", jsonPath)
	if code != 1 || strings.Contains(stderr, "refused every") || !strings.Contains(stdout, "results by case id:") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	rep := loadReport(t, jsonPath)
	verdicts := map[conformance.Verdict]int{}
	for _, r := range rep.Results {
		verdicts[r.Verdict]++
		if r.Verdict == conformance.Failed && !strings.Contains(r.Detail, "503 Service Unavailable") {
			t.Errorf("%s FAILED for another reason than the refusal: %s", r.ID, r.Detail)
		}
	}
	if rep.Error != "" || len(rep.Results) != 8 || verdicts[conformance.Failed] != 4 || verdicts[conformance.OK] != 4 {
		t.Errorf("error %q, %d results, verdicts %v; want 4 FAILED (refused) and 4 OK", rep.Error, len(rep.Results), verdicts)
	}
	// The progress lines of the refused cases held back before the first
	// accepted one are printed too, one per case.
	if got := strings.Count(stdout, "] FAILED"); got != 4 {
		t.Errorf("%d progress lines say FAILED, want 4:\n%s", got, stdout)
	}
}
