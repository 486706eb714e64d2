package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// startPolicyServer runs serve's echo server in process with a policy and
// a log level, and returns its address, its log and a stop function.
func startPolicyServer(t *testing.T, policy *servePolicy, level logLevel) (string, *syncBuffer, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &syncBuffer{}
	log := newFrameLog(logBuf)
	srv := newEchoServer(log)
	srv.policy, srv.clog = policy, newConnLogger(level, policy, log)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.serve(ctx, ln) }()
	return ln.Addr().String(), logBuf, func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

func TestServePolicy(t *testing.T) {
	p := &servePolicy{maxMessage: 100}
	p.subprotocols.Set("v2,chat")
	p.origins.Set("http://good.example")
	addr, log, stop := startPolicyServer(t, p, logFrame)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws://" + addr + "/room"

	// An origin not on the list: 403, and the log says why.
	_, err := protocol.Dial(ctx, url, &protocol.DialOptions{Origin: "http://evil.example"})
	var he *protocol.HandshakeError
	if !errors.As(err, &he) || he.Status != http.StatusForbidden {
		t.Errorf("evil origin: %v, want 403", err)
	}
	// The server's preference picks chat over the client's first choice
	// only if it prefers it: v2 is first here.
	c, err := protocol.Dial(ctx, url, &protocol.DialOptions{Origin: "http://GOOD.example", Subprotocols: []string{"chat", "v2"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Subprotocol() != "v2" {
		t.Errorf("agreed %q, want the server's preference v2", c.Subprotocol())
	}
	// A message over the limit fails the connection with 1009.
	c.WriteMessage(ctx, protocol.BinaryMessage, make([]byte, 101))
	_, _, err = c.ReadMessage(ctx)
	if code, ok := protocol.CloseStatus(err); !ok || code != protocol.CloseMessageTooBig {
		t.Errorf("101-byte message: %v, want close 1009", err)
	}
	c.CloseNow()
	// Offered subprotocols the server does not speak: accepted without
	// one (§4.2.2), and the log explains what a browser will do.
	c, err = protocol.Dial(ctx, url, &protocol.DialOptions{Subprotocols: []string{"mqtt"}})
	if err != nil {
		t.Fatal(err)
	}
	c.Close(protocol.CloseNormal, "")
	stop()
	for _, want := range []string{
		`origin "http://evil.example" is not allowed`,
		"<- GET /room HTTP/1.1 · Origin http://GOOD.example · subprotocols offered: chat, v2",
		"-> HTTP/1.1 101 Switching Protocols · subprotocols agreed: v2",
		"-> close FIN len=", "code 1009 (message too big)",
		"no subprotocol agreed: the client offered mqtt, this server speaks v2, chat; a browser fails such a connection",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestServeLogLevels(t *testing.T) {
	for _, tc := range []struct {
		level       logLevel
		want, never []string
	}{
		{logMessage, []string{"<- text message, 12 bytes in 3 frames", "-> text message, 12 bytes in 1 frame", "<- ping FIN", "<- close FIN len=5 (7-bit) masked key=", "code 3000 (", `"bye"`},
			[]string{"continuation"}},
		{logOff, nil, []string{"GET", "text", "close"}},
	} {
		t.Run(tc.level.String(), func(t *testing.T) {
			addr, log, stop := startPolicyServer(t, &servePolicy{}, tc.level)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := protocol.Dial(ctx, "ws://"+addr+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.WriteFragmented(ctx, protocol.TextMessage, []byte("hello, world"), 5); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.ReadMessage(ctx); err != nil {
				t.Fatal(err)
			}
			c.Ping(ctx, []byte("p"))
			c.Close(3000, "bye")
			stop()
			for _, w := range tc.want {
				if !strings.Contains(log.String(), w) {
					t.Errorf("log lacks %q:\n%s", w, log.String())
				}
			}
			for _, n := range tc.never {
				if strings.Contains(log.String(), n) {
					t.Errorf("log has %q:\n%s", n, log.String())
				}
			}
		})
	}
}

func TestServePolicyFlags(t *testing.T) {
	for _, args := range [][]string{{"--origin", "localhost:3000"}, {"--max-message", "-1"}, {"--log", "loud"}} {
		var out, errOut strings.Builder
		if code := run(append([]string{"serve"}, args...), strings.NewReader(""), &out, &errOut); code != 2 {
			t.Errorf("serve %q: exit %d, want 2; %s", args, code, errOut.String())
		}
	}
}
