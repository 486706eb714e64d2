package protocol

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// echoServer starts an httptest server whose handler echoes every message
// until the peer closes. It returns the ws:// URL.
func echoServer(t *testing.T, opts *AcceptOptions) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, opts)
		if err != nil {
			return
		}
		ctx := context.Background()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				return
			}
			if err := c.WriteMessage(ctx, typ, msg); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// connPair returns a handshaken client and server over real loopback TCP,
// without compression.
func connPair(t testing.TB, copts, sopts *Options) (client, server *Conn) {
	t.Helper()
	return deflatePair(t, nil, nil, copts, sopts)
}

func TestEchoRoundTrip(t *testing.T) {
	url := echoServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"Hello", "", strings.Repeat("x", 126), strings.Repeat("y", 70000)} {
		if err := c.WriteMessage(ctx, TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		typ, got, err := c.ReadMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if typ != TextMessage || string(got) != msg {
			t.Fatalf("echo of %d bytes: got type %v, %d bytes", len(msg), typ, len(got))
		}
	}
	if err := c.Close(CloseNormal, "bye"); err != nil {
		t.Fatal(err)
	}
	pc := c.PeerClose()
	if pc == nil || pc.Code != CloseNormal {
		t.Fatalf("peer close = %v, want 1000 echoed", pc)
	}
}

// TestDialWSS: a wss:// URL goes over TLS, with the server name checked
// against the certificate.
func TestDialWSS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, nil)
		if err != nil {
			return
		}
		typ, msg, err := c.ReadMessage(context.Background())
		if err == nil {
			c.WriteMessage(context.Background(), typ, msg)
			c.ReadMessage(context.Background())
		}
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	url := "wss://" + strings.TrimPrefix(srv.URL, "https://") + "/"
	ctx := context.Background()
	c, err := Dial(ctx, url, &DialOptions{TLSConfig: &tls.Config{RootCAs: pool}})
	if err != nil {
		t.Fatal(err)
	}
	c.WriteMessage(ctx, TextMessage, []byte("secure"))
	if _, msg, err := c.ReadMessage(ctx); err != nil || string(msg) != "secure" {
		t.Fatalf("echo over TLS: %q, %v", msg, err)
	}
	c.Close(CloseNormal, "")
	if _, err := Dial(ctx, url, nil); err == nil || !strings.Contains(err.Error(), "TLS handshake") {
		t.Errorf("an untrusted certificate: err %v, want a TLS handshake failure", err)
	}
}
