package interop

// permessage-deflate (RFC 7692) against independent implementations:
// gorilla/websocket with EnableCompression (it asks for no context
// takeover in both directions), the Node.js ws package (context takeover,
// in node_test.go) and headless Chromium (its default offer, in
// node_test.go), in both roles where the peer has both.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// deflateAccept is an in-process echo server's options with
// permessage-deflate accepted, compressing every message.
func deflateAccept(c *protocol.CompressionOptions) *protocol.AcceptOptions {
	if c == nil {
		c = &protocol.CompressionOptions{Threshold: -1}
	}
	return &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin, Compression: c}
}

// deflateClientTargets are the echo clients with permessage-deflate
// offered: the in-process client and `wsanatomy dial --echo --compress`.
func deflateClientTargets() []clientTarget {
	return []clientTarget{
		{"inproc-deflate", func(t *testing.T, url string) <-chan clientResult {
			return startInprocClientWith(t, url, &protocol.DialOptions{Compression: &protocol.CompressionOptions{Threshold: -1}})
		}},
		{"dial-deflate", func(t *testing.T, url string) <-chan clientResult {
			return startDialEchoWith(t, url, "--compress")
		}},
	}
}

// startInprocClientWith is startInprocClient with dial options.
func startInprocClientWith(t *testing.T, url string, opts *protocol.DialOptions) <-chan clientResult {
	ch := make(chan clientResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		c, err := protocol.Dial(ctx, url, opts)
		if err != nil {
			ch <- clientResult{detail: err.Error()}
			return
		}
		if c.Deflate() == nil {
			c.CloseNow()
			ch <- clientResult{detail: "permessage-deflate was not agreed"}
			return
		}
		err = echoLoop(ctx, c)
		c.CloseNow()
		res := clientResult{detail: fmt.Sprint(err)}
		var ce *protocol.CloseError
		var v *protocol.Violation
		switch {
		case errors.As(err, &v):
			res.code = int(v.Code)
		case errors.As(err, &ce):
			res.clean = ce.Code != protocol.CloseAbnormalClosure
		}
		ch <- res
	}()
	return ch
}

// startDialEchoWith is startDialEcho with extra flags.
func startDialEchoWith(t *testing.T, url string, flags ...string) <-chan clientResult {
	bin := wsanatomyBinary(t)
	ch := make(chan clientResult, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	cmd := exec.CommandContext(ctx, bin, append(append([]string{"dial", "--echo"}, flags...), url)...)
	out := &boundedBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		defer cancel()
		err := cmd.Wait()
		ch <- clientResult{clean: err == nil, detail: fmt.Sprintf("%v; output: %s", err, out.String())}
	}()
	return ch
}

// deflateMessages are the messages exchanged with compression on: 0 B to
// 1 MiB, text and binary, compressible and not, each kind several times so
// that context takeover (where agreed) reaches back into earlier ones.
func deflateMessages() (msgs [][]byte, text []bool) {
	for round := 0; round < 2; round++ {
		for _, n := range []int{0, 1, 5, 125, 126, 1000, 65535, 65536, 1 << 20} {
			msgs, text = append(msgs, textPattern(n)), append(text, true)
			msgs, text = append(msgs, pattern(n, byte(n))), append(text, false)
		}
	}
	for i := 0; i < 300; i++ {
		msgs, text = append(msgs, []byte(fmt.Sprintf("message %d of many: %s", i, strings.Repeat("abc", i%50)))), append(text, true)
	}
	return msgs, text
}

// TestGorillaCompressionClientOurServer: gorilla dials with
// EnableCompression and compresses every message; our server echoes,
// compressed, in one frame and fragmented.
func TestGorillaCompressionClientOurServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"inproc", func(t *testing.T) string { return inprocEcho(t, deflateAccept(nil)) }},
		{"inproc-fragmented", func(t *testing.T) string {
			o := deflateAccept(nil)
			o.FragmentSize = 1000
			return inprocEcho(t, o)
		}},
		{"serve", func(t *testing.T) string { return "ws://" + startServe(t).addr }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := websocket.Dialer{EnableCompression: true, HandshakeTimeout: 10 * time.Second}
			c, resp, err := d.Dial(tc.url(t)+"/gorilla", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if ext := resp.Header.Get("Sec-WebSocket-Extensions"); !strings.HasPrefix(ext, "permessage-deflate") {
				t.Fatalf("permessage-deflate not agreed: %q", ext)
			}
			c.SetReadLimit(4 << 20)
			msgs, text := deflateMessages()
			for i, m := range msgs {
				typ := websocket.BinaryMessage
				if text[i] {
					typ = websocket.TextMessage
				}
				c.SetWriteDeadline(time.Now().Add(30 * time.Second))
				if i%3 == 1 {
					// gorilla's NextWriter sends frames as its buffer
					// fills: a fragmented compressed message.
					w, err := c.NextWriter(typ)
					if err != nil {
						t.Fatal(err)
					}
					for rest := m; len(rest) > 0; rest = rest[min(len(rest), 5000):] {
						w.Write(rest[:min(len(rest), 5000)])
					}
					if err := w.Close(); err != nil {
						t.Fatal(err)
					}
				} else if err := c.WriteMessage(typ, m); err != nil {
					t.Fatal(err)
				}
				c.SetReadDeadline(time.Now().Add(30 * time.Second))
				gotTyp, got, err := c.ReadMessage()
				if err != nil {
					t.Fatalf("message %d (%d bytes): %v", i, len(m), err)
				}
				if gotTyp != typ || !bytes.Equal(got, m) {
					t.Fatalf("message %d: echo differs: %s", i, describeDiff(got, m))
				}
			}
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(5*time.Second))
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
				t.Fatalf("closing: %v", err)
			}
		})
	}
}

// TestOurCompressionClientGorillaServer: our client offers
// permessage-deflate to a gorilla server with EnableCompression, which
// answers with no context takeover both ways; the server echoes
// compressed.
func TestOurCompressionClientGorillaServer(t *testing.T) {
	up := websocket.Upgrader{EnableCompression: true, CheckOrigin: func(*http.Request) bool { return true }}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(4 << 20)
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	for _, frag := range []int{0, 1000} {
		t.Run(fmt.Sprintf("fragment=%d", frag), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			c, err := protocol.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), &protocol.DialOptions{
				Options:     protocol.Options{FragmentSize: frag},
				Compression: &protocol.CompressionOptions{Threshold: -1}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseNow()
			a := c.Deflate()
			if a == nil || !a.ServerNoContextTakeover || !a.ClientNoContextTakeover {
				t.Fatalf("agreement %+v; gorilla answers with no context takeover both ways", a)
			}
			msgs, text := deflateMessages()
			for i, m := range msgs {
				typ := protocol.BinaryMessage
				if text[i] {
					typ = protocol.TextMessage
				}
				if i%3 == 1 {
					w, err := c.NextWriter(ctx, typ)
					if err != nil {
						t.Fatal(err)
					}
					for rest := m; len(rest) > 0; rest = rest[min(len(rest), 3000):] {
						w.Write(rest[:min(len(rest), 3000)])
					}
					if err := w.Close(); err != nil {
						t.Fatal(err)
					}
				} else if err := c.WriteMessage(ctx, typ, m); err != nil {
					t.Fatal(err)
				}
				gotTyp, got, err := c.ReadMessage(ctx)
				if err != nil {
					t.Fatalf("message %d (%d bytes): %v", i, len(m), err)
				}
				if gotTyp != typ || !bytes.Equal(got, m) {
					t.Fatalf("message %d: echo differs: %s", i, describeDiff(got, m))
				}
			}
			if err := c.Close(protocol.CloseNormal, "bye"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCoderCompression: coder/websocket with CompressionContextTakeover,
// as a client of our server and as a server for our client. Context
// takeover in both directions across hundreds of messages.
func TestCoderCompression(t *testing.T) {
	msgs, text := deflateMessages()
	t.Run("coder client, our server", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		url := inprocEcho(t, deflateAccept(&protocol.CompressionOptions{}))
		c, resp, err := coder.Dial(ctx, url+"/coder", &coder.DialOptions{CompressionMode: coder.CompressionContextTakeover})
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		if ext := resp.Header.Get("Sec-WebSocket-Extensions"); !strings.HasPrefix(ext, "permessage-deflate") || strings.Contains(ext, "no_context_takeover") {
			t.Fatalf("agreed %q, want permessage-deflate with context takeover", ext)
		}
		c.SetReadLimit(4 << 20)
		for i, m := range msgs {
			typ := coder.MessageBinary
			if text[i] {
				typ = coder.MessageText
			}
			if i%3 == 1 {
				w, err := c.Writer(ctx, typ)
				if err != nil {
					t.Fatal(err)
				}
				for rest := m; len(rest) > 0; rest = rest[min(len(rest), 4000):] {
					w.Write(rest[:min(len(rest), 4000)])
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
			} else if err := c.Write(ctx, typ, m); err != nil {
				t.Fatal(err)
			}
			gotTyp, got, err := c.Read(ctx)
			if err != nil {
				t.Fatalf("message %d (%d bytes): %v", i, len(m), err)
			}
			if gotTyp != typ || !bytes.Equal(got, m) {
				t.Fatalf("message %d: echo differs: %s", i, describeDiff(got, m))
			}
		}
		if err := c.Close(coder.StatusNormalClosure, "bye"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("our client, coder server", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := coder.Accept(w, r, &coder.AcceptOptions{CompressionMode: coder.CompressionContextTakeover})
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(4 << 20)
			ctx := r.Context()
			for {
				typ, msg, err := c.Read(ctx)
				if err != nil {
					return
				}
				if err := c.Write(ctx, typ, msg); err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c, err := protocol.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), &protocol.DialOptions{
			Options:     protocol.Options{FragmentSize: 2000},
			Compression: &protocol.CompressionOptions{Threshold: -1}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		if a := c.Deflate(); a == nil || a.ServerNoContextTakeover || a.ClientNoContextTakeover {
			t.Fatalf("agreement %+v, want context takeover both ways", a)
		}
		for i, m := range msgs {
			typ := protocol.BinaryMessage
			if text[i] {
				typ = protocol.TextMessage
			}
			if err := c.WriteMessage(ctx, typ, m); err != nil {
				t.Fatal(err)
			}
			gotTyp, got, err := c.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("message %d (%d bytes): %v", i, len(m), err)
			}
			if gotTyp != typ || !bytes.Equal(got, m) {
				t.Fatalf("message %d: echo differs: %s", i, describeDiff(got, m))
			}
		}
		if err := c.Close(protocol.CloseNormal, "bye"); err != nil {
			t.Fatal(err)
		}
	})
}
