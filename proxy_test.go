package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// echoUpstream is a minimal echo server on loopback, built on the codec.
func echoUpstream(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := protocol.AcceptConn(context.Background(), nc, &protocol.AcceptOptions{Subprotocols: []string{"chat"}})
				if err != nil {
					nc.Close()
					return
				}
				echo(context.Background(), c)
				c.CloseNow()
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}

// TestProxyJSON runs the proxy command's core with --json, sends a message
// and a close through it, and checks the lines.
func TestProxyJSON(t *testing.T) {
	up := echoUpstream(t)
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- proxyMain(ctx, proxyConfig{listen: "127.0.0.1:0", upstream: "ws://" + up + "/", json: true}, &out, &errOut, ready)
	}()
	addr := <-ready
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	c, err := protocol.Dial(dctx, "ws://"+addr+"/room", &protocol.DialOptions{Subprotocols: []string{"chat"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(dctx, protocol.TextMessage, []byte("Hello")); err != nil {
		t.Fatal(err)
	}
	if _, m, err := c.ReadMessage(dctx); err != nil || string(m) != "Hello" {
		t.Fatalf("echo: %q %v", m, err)
	}
	if err := c.Close(3000, "bye"); err != nil {
		t.Fatal(err)
	}
	// Wait, boundedly, for the pair's end to be written.
	for i := 0; i < 2000 && !strings.Contains(out.String(), `"kind":"closed"`); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("proxy: %v", err)
	}
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		var j views.JSONEntry
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("not JSON: %q: %v", sc.Text(), err)
		}
		s := j.Dir + " " + j.Kind
		switch j.Kind {
		case "handshake":
			s += " " + strings.SplitN(j.Head, "\r\n", 2)[0]
		case "frame":
			s += " " + j.Opcode
			if j.Masked {
				s += " masked"
			}
			if j.Text != nil {
				s += " " + *j.Text
			}
			if j.CloseCode != 0 {
				s += " " + j.Reason
			}
		}
		got = append(got, s)
	}
	want := []string{
		"client->server handshake GET /room HTTP/1.1",
		"server->client handshake HTTP/1.1 101 Switching Protocols",
		"client->server frame text masked Hello",
		"server->client frame text Hello",
		"client->server frame close masked bye",
		"server->client frame close ",
		"server->client closed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s\n(raw output:\n%s)", strings.Join(got, "\n"), strings.Join(want, "\n"), out.String())
	}
}

// TestProxyNeedsUpstream: a missing upstream is a usage error.
func TestProxyNeedsUpstream(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"proxy"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2; stderr %q", code, errOut.String())
	}
	if code := run([]string{"proxy", "--upstream", "http://x/"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("http:// upstream: exit %d, want 2", code)
	}
}
