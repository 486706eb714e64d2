// Package demo is the page `wsanatomy serve` gives a browser that asks for
// / without asking to upgrade: a small WebSocket client in one HTML file,
// embedded in the binary, with no build step and nothing fetched from the
// network, so it works offline. The learner opens a connection back to the
// server, sends text, binary and a large message, closes with a code and a
// reason, and compares what the page's API reports with what the server
// saw, frame by frame.
package demo

import (
	_ "embed"
	"net/http"
	"strings"
)

//go:embed page.html
var page []byte

// Page returns the page's HTML.
func Page() []byte { return page }

// IsUpgrade reports whether r asks to switch to WebSocket (RFC 6455
// §4.2.1 items 3 and 4: an Upgrade header with "websocket" and a
// Connection header with "Upgrade"). Anything else is a plain HTTP request.
func IsUpgrade(r *http.Request) bool {
	return tokenIn(r.Header.Values("Upgrade"), "websocket") && tokenIn(r.Header.Values("Connection"), "upgrade")
}

func tokenIn(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// ServeHTTP answers a plain GET or HEAD of / with the page, and anything
// else with 404 (another path) or 405 (another method), so a mistyped URL
// says so instead of returning the page.
func ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.Error(w, "not found: the demo page is at /, and every path accepts a WebSocket upgrade", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The page runs only its own inline script and connects only back to
	// this server (ws: and wss: are listed for browsers that do not yet
	// count them as 'self').
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:")
	w.Write(page)
}
