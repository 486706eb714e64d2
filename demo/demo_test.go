package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestServeHTTP(t *testing.T) {
	cases := []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 200}, {"HEAD", "/", 200}, {"POST", "/", 405}, {"GET", "/x", 404},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, rec.Code, c.status)
		}
	}
	rec := httptest.NewRecorder()
	ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body := rec.Body.String()
	for _, want := range []string{"new WebSocket(", "bufferedAmount", "wasClean", "cannot do"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Offline: nothing is loaded from anywhere else.
	for _, bad := range []string{"src=\"http", "href=\"http", "@import", "<link"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page fetches something from the network: %q", bad)
		}
	}
}

func TestIsUpgrade(t *testing.T) {
	cases := []struct {
		upgrade, connection string
		want                bool
	}{
		{"websocket", "Upgrade", true},
		{"WebSocket", "keep-alive, Upgrade", true},
		{"", "", false},
		{"h2c", "Upgrade", false},
		{"websocket", "keep-alive", false},
	}
	for _, c := range cases {
		r, _ := http.NewRequest("GET", "/", nil)
		if c.upgrade != "" {
			r.Header.Set("Upgrade", c.upgrade)
		}
		if c.connection != "" {
			r.Header.Set("Connection", c.connection)
		}
		if got := IsUpgrade(r); got != c.want {
			t.Errorf("Upgrade %q, Connection %q: %v, want %v", c.upgrade, c.connection, got, c.want)
		}
	}
}
