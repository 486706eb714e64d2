package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// echoUpstream is a minimal echo server on loopback, built on the codec.
func echoUpstream(t *testing.T) string { return echoUpstreamWith(t, nil) }

// echoUpstreamWith is echoUpstream with a compression policy.
func echoUpstreamWith(t *testing.T, comp *protocol.CompressionOptions) string {
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
				c, err := protocol.AcceptConn(context.Background(), nc, &protocol.AcceptOptions{Subprotocols: []string{"chat"}, Compression: comp})
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

// TestProxyJSONInflated: with permessage-deflate agreed, each compressed
// frame is followed by its message inflated, labelled as such, in both
// directions.
func TestProxyJSONInflated(t *testing.T) {
	comp := &protocol.CompressionOptions{Threshold: -1}
	up := echoUpstreamWith(t, comp)
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
	c, err := protocol.Dial(dctx, "ws://"+addr+"/z", &protocol.DialOptions{Compression: comp})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"Hello, Hello, Hello", "Hello again"} {
		if err := c.WriteMessage(dctx, protocol.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
		if _, got, err := c.ReadMessage(dctx); err != nil || string(got) != m {
			t.Fatalf("echo: %q %v", got, err)
		}
	}
	if err := c.Close(1000, ""); err != nil {
		t.Fatal(err)
	}
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
		switch {
		case j.Kind == "frame" && j.Opcode == "text":
			got = append(got, fmt.Sprintf("%s frame rsv1=%v text=%v", j.Dir, j.Rsv1, j.Text != nil))
		case j.Kind == "message" && j.InflatedText != nil && j.Violation == nil:
			got = append(got, j.Dir+" inflated "+*j.InflatedText)
		case j.Kind == "message":
			t.Errorf("message line: %s", sc.Text())
		}
	}
	want := []string{
		"client->server frame rsv1=true text=false", "client->server inflated Hello, Hello, Hello",
		"server->client frame rsv1=true text=false", "server->client inflated Hello, Hello, Hello",
		"client->server frame rsv1=true text=false", "client->server inflated Hello again",
		"server->client frame rsv1=true text=false", "server->client inflated Hello again",
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
	if code := run([]string{"proxy", "--upstream", "ws://127.0.0.1:1/", "--max-message", "-1"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("--max-message -1: exit %d, want 2", code)
	}
}
