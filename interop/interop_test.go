package interop

// Interoperability with github.com/gorilla/websocket, an independent and
// widely used implementation, in both directions:
//
//   - TestGorillaClientOurServer: protocol.Accept serves, gorilla dials.
//   - TestOurClientGorillaServer: protocol.Dial dials, gorilla serves.
//
// Both run the same matrix: text, binary and empty messages, the length
// boundaries up to 1 MiB, fragmented messages in both directions, pings
// and pongs in both directions, close codes and reasons from either side,
// concurrent writers, and a check that no goroutine outlives the
// connections.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

var interopSizes = []int{0, 1, 125, 126, 127, 65535, 65536, 1 << 20}

// taggedMessage makes a message that says who wrote it and checks itself:
// an 8-byte header (writer, sequence) and a body derived from both, so a
// message spliced from two others cannot pass checkTagged.
func taggedMessage(writer, seq, size int) []byte {
	b := make([]byte, 8+size)
	binary.BigEndian.PutUint32(b, uint32(writer))
	binary.BigEndian.PutUint32(b[4:], uint32(seq))
	for i := 8; i < len(b); i++ {
		b[i] = byte(writer*31 + seq*7 + i)
	}
	return b
}

func checkTagged(b []byte) (writer, seq int, err error) {
	if len(b) < 8 {
		return 0, 0, fmt.Errorf("message of %d bytes has no tag", len(b))
	}
	writer, seq = int(binary.BigEndian.Uint32(b)), int(binary.BigEndian.Uint32(b[4:]))
	if want := taggedMessage(writer, seq, len(b)-8); !bytes.Equal(b, want) {
		return writer, seq, fmt.Errorf("message %d/%d is corrupt: %s", writer, seq, describeDiff(b, want))
	}
	return writer, seq, nil
}

// ourCommandServer is the protocol side of TestGorillaClientOurServer: it
// echoes, except for text messages that start with "cmd:", which make it
// ping, close, or write from several goroutines. It reports how each
// connection ended on ends.
type serverEnd struct {
	peerClose *protocol.CloseError
	err       error
}

func ourCommandServer(t *testing.T, fragment int) (url string, ends chan serverEnd) {
	ends = make(chan serverEnd, 64)
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		opts := &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin}
		opts.FragmentSize = fragment
		c, err := protocol.Accept(w, r, opts)
		if err != nil {
			t.Errorf("Accept: %v", err)
			return
		}
		wg.Add(1)
		defer wg.Done()
		defer c.CloseNow()
		ctx := context.Background()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				ends <- serverEnd{peerClose: c.PeerClose(), err: err}
				return
			}
			cmd, ok := strings.CutPrefix(string(msg), "cmd:")
			if typ != protocol.TextMessage || !ok {
				if err := c.WriteMessage(ctx, typ, msg); err != nil {
					t.Errorf("server write: %v", err)
				}
				continue
			}
			args := strings.Split(cmd, ":")
			switch args[0] {
			case "ping":
				if err := c.Ping(ctx, []byte(args[1])); err != nil {
					t.Errorf("server ping: %v", err)
				}
			case "close":
				code, _ := strconv.Atoi(args[1])
				err := c.Close(protocol.CloseCode(code), args[2])
				ends <- serverEnd{peerClose: c.PeerClose(), err: err}
				return
			case "concurrent":
				writers, _ := strconv.Atoi(args[1])
				each, _ := strconv.Atoi(args[2])
				var wwg sync.WaitGroup
				for w := 0; w < writers; w++ {
					wwg.Add(1)
					go func(w int) {
						defer wwg.Done()
						for i := 0; i < each; i++ {
							msg := taggedMessage(w, i, 200+(w*97+i*13)%3000)
							var err error
							if i%2 == 0 {
								err = c.WriteMessage(ctx, protocol.BinaryMessage, msg)
							} else {
								err = writeStreamed(ctx, c, msg)
							}
							if err != nil {
								t.Errorf("writer %d: %v", w, err)
								return
							}
							if i%10 == 0 {
								c.Ping(ctx, []byte(fmt.Sprintf("w%d-%d", w, i)))
							}
						}
					}(w)
				}
				wwg.Wait()
				c.WriteMessage(ctx, protocol.TextMessage, []byte("concurrent:done"))
			}
		}
	}))
	t.Cleanup(func() {
		srv.Close()
		waitGroupTimeout(t, &wg, 10*time.Second, "protocol server handlers")
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http"), ends
}

// writeStreamed sends msg through NextWriter in uneven pieces.
func writeStreamed(ctx context.Context, c *protocol.Conn, msg []byte) error {
	w, err := c.NextWriter(ctx, protocol.BinaryMessage)
	if err != nil {
		return err
	}
	for len(msg) > 0 {
		n := min(len(msg), 333)
		if _, err := w.Write(msg[:n]); err != nil {
			w.Close()
			return err
		}
		msg = msg[n:]
	}
	return w.Close()
}

func gorillaDial(t *testing.T, url string, writeBuf int) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second, WriteBufferSize: writeBuf, ReadBufferSize: 1024}
	c, resp, err := d.Dial(url, http.Header{"Origin": {"http://example.test"}})
	if err != nil {
		t.Fatalf("gorilla dial: %v", err)
	}
	resp.Body.Close()
	c.SetReadLimit(64 << 20)
	return c
}

func TestGorillaClientOurServer(t *testing.T) {
	base := runtime.NumGoroutine()
	// Registered first, so it runs after every other cleanup (the servers').
	t.Cleanup(func() { settleGoroutines(t, base) })
	for _, fragment := range []int{0, 100} {
		t.Run(fmt.Sprintf("fragment=%d", fragment), func(t *testing.T) {
			url, ends := ourCommandServer(t, fragment)

			t.Run("messages", func(t *testing.T) {
				// WriteBufferSize 512 makes gorilla fragment every message
				// longer than that: we read fragmented messages.
				c := gorillaDial(t, url, 512)
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(30 * time.Second))
				for _, size := range interopSizes {
					for _, typ := range []int{websocket.TextMessage, websocket.BinaryMessage} {
						msg := textPattern(size)
						if typ == websocket.BinaryMessage {
							msg = pattern(size, byte(size))
						}
						if err := c.WriteMessage(typ, msg); err != nil {
							t.Fatalf("write %d bytes: %v", size, err)
						}
						gotTyp, got, err := c.ReadMessage()
						if err != nil {
							t.Fatalf("read echo of %d bytes: %v", size, err)
						}
						if gotTyp != typ || !bytes.Equal(got, msg) {
							t.Fatalf("echo of %d bytes (type %d): type %d, %s", size, typ, gotTyp, describeDiff(got, msg))
						}
					}
				}
				// Non-ASCII text split across gorilla's frames.
				msg := []byte(strings.Repeat("κόσμε \U0001F600 中文 ", 500))
				if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
					t.Fatal(err)
				}
				if _, got, err := c.ReadMessage(); err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("UTF-8 echo: %v, %s", err, describeDiff(got, msg))
				}
				closeGorilla(t, c, websocket.CloseNormalClosure, "")
				expectServerEnd(t, ends, protocol.CloseNormal, "")
			})

			t.Run("ping-pong", func(t *testing.T) {
				c := gorillaDial(t, url, 4096)
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				var pongs, pings []string
				c.SetPongHandler(func(s string) error { pongs = append(pongs, s); return nil })
				c.SetPingHandler(func(s string) error {
					pings = append(pings, s)
					return c.WriteControl(websocket.PongMessage, []byte(s), time.Now().Add(time.Second))
				})
				for _, payload := range []string{"", "hello", strings.Repeat("p", 125)} {
					if err := c.WriteControl(websocket.PingMessage, []byte(payload), time.Now().Add(time.Second)); err != nil {
						t.Fatal(err)
					}
				}
				// An unsolicited pong must be ignored.
				c.WriteControl(websocket.PongMessage, []byte("unsolicited"), time.Now().Add(time.Second))
				c.WriteMessage(websocket.TextMessage, []byte("cmd:ping:from-server"))
				c.WriteMessage(websocket.TextMessage, []byte("after"))
				if _, got, err := c.ReadMessage(); err != nil || string(got) != "after" {
					t.Fatalf("read: %q, %v", got, err)
				}
				if want := []string{"", "hello", strings.Repeat("p", 125)}; fmt.Sprint(pongs) != fmt.Sprint(want) {
					t.Errorf("pongs %q, want %q", pongs, want)
				}
				if fmt.Sprint(pings) != "[from-server]" {
					t.Errorf("server pings %q, want [from-server]", pings)
				}
				closeGorilla(t, c, websocket.CloseNormalClosure, "")
				expectServerEnd(t, ends, protocol.CloseNormal, "")
			})

			t.Run("client-closes", func(t *testing.T) {
				for _, cc := range []struct {
					code   int
					reason string
				}{{1000, ""}, {1001, "going"}, {1003, "no binary"}, {1011, "oops"}, {3000, "registered"}, {4999, strings.Repeat("r", 123)}} {
					c := gorillaDial(t, url, 4096)
					c.SetReadDeadline(time.Now().Add(10 * time.Second))
					closeGorilla(t, c, cc.code, cc.reason)
					c.Close()
					expectServerEnd(t, ends, protocol.CloseCode(cc.code), cc.reason)
				}
				// An empty close is answered with an empty close (1005).
				c := gorillaDial(t, url, 4096)
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				c.WriteControl(websocket.CloseMessage, nil, time.Now().Add(time.Second))
				_, _, err := c.ReadMessage()
				var ce *websocket.CloseError
				if !errors.As(err, &ce) || ce.Code != websocket.CloseNoStatusReceived {
					t.Errorf("empty close answered with %v, want an empty close (1005)", err)
				}
				c.Close()
				expectServerEnd(t, ends, protocol.CloseNoStatusReceived, "")
			})

			t.Run("server-closes", func(t *testing.T) {
				for _, cc := range []struct {
					code   int
					reason string
				}{{1000, "bye"}, {1001, "server shutting down"}, {4001, ""}} {
					c := gorillaDial(t, url, 4096)
					c.SetReadDeadline(time.Now().Add(10 * time.Second))
					c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf("cmd:close:%d:%s", cc.code, cc.reason)))
					_, _, err := c.ReadMessage()
					var ce *websocket.CloseError
					if !errors.As(err, &ce) || ce.Code != cc.code || ce.Text != cc.reason {
						t.Errorf("gorilla got %v, want close %d %q", err, cc.code, cc.reason)
					}
					// gorilla echoed the close; the server closes TCP first.
					if _, _, err := c.NextReader(); err == nil {
						t.Errorf("read after close succeeded")
					}
					c.Close()
					end := <-ends
					if end.err != nil {
						t.Errorf("server Close: %v", end.err)
					}
					if end.peerClose == nil || int(end.peerClose.Code) != cc.code {
						t.Errorf("server saw the echo %v, want code %d", end.peerClose, cc.code)
					}
				}
			})

			t.Run("concurrent-writers", func(t *testing.T) {
				c := gorillaDial(t, url, 4096)
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(60 * time.Second))
				const writers, each = 8, 40
				c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf("cmd:concurrent:%d:%d", writers, each)))
				next := make([]int, writers)
				for {
					typ, msg, err := c.ReadMessage()
					if err != nil {
						t.Fatalf("after %v messages: %v", next, err)
					}
					if typ == websocket.TextMessage {
						if string(msg) != "concurrent:done" {
							t.Fatalf("unexpected %q", msg)
						}
						break
					}
					w, seq, err := checkTagged(msg)
					if err != nil {
						t.Fatal(err)
					}
					if w >= writers || seq != next[w] {
						t.Fatalf("writer %d message %d out of order (want %d)", w, seq, next[w])
					}
					next[w]++
				}
				for w, n := range next {
					if n != each {
						t.Errorf("writer %d: %d messages, want %d", w, n, each)
					}
				}
				closeGorilla(t, c, websocket.CloseNormalClosure, "")
				expectServerEnd(t, ends, protocol.CloseNormal, "")
			})
		})
	}
}

// closeGorilla sends a close frame from the gorilla client and checks the
// server's answer echoes the code.
func closeGorilla(t *testing.T, c *websocket.Conn, code int, reason string) {
	t.Helper()
	if err := c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second)); err != nil {
		t.Fatalf("write close: %v", err)
	}
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != code {
			t.Errorf("close %d answered with %v, want the code echoed", code, err)
		}
		return
	}
}

func expectServerEnd(t *testing.T, ends chan serverEnd, code protocol.CloseCode, reason string) {
	t.Helper()
	select {
	case end := <-ends:
		if end.peerClose == nil || end.peerClose.Code != code || end.peerClose.Reason != reason {
			t.Errorf("server saw close %v (err %v), want %d %q", end.peerClose, end.err, code, reason)
		}
		if !isCloseCode(end.err, code) {
			t.Errorf("server's read ended with %v, want a CloseError %d", end.err, code)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("server connection did not end")
	}
}

// gorillaCommandServer is the gorilla side of TestOurClientGorillaServer:
// it echoes (through NextWriter with a small buffer, so that long messages
// go out fragmented), and obeys "cmd:" text messages. Close frames it
// receives are reported on closes.
func gorillaCommandServer(t *testing.T) (url string, closes chan *websocket.CloseError) {
	closes = make(chan *websocket.CloseError, 64)
	var wg sync.WaitGroup
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 512}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		wg.Add(1)
		defer wg.Done()
		defer c.Close()
		c.SetReadLimit(64 << 20)
		c.SetReadDeadline(time.Now().Add(60 * time.Second))
		var wmu sync.Mutex
		c.SetPongHandler(func(s string) error {
			wmu.Lock()
			defer wmu.Unlock()
			return c.WriteMessage(websocket.TextMessage, []byte("pong:"+s))
		})
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					closes <- ce
				} else {
					closes <- &websocket.CloseError{Code: -1, Text: err.Error()}
				}
				return
			}
			if cmd, ok := strings.CutPrefix(string(msg), "cmd:"); ok && typ == websocket.TextMessage {
				args := strings.Split(cmd, ":")
				switch args[0] {
				case "ping":
					c.WriteControl(websocket.PingMessage, []byte(args[1]), time.Now().Add(time.Second))
				case "close":
					code, _ := strconv.Atoi(args[1])
					c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, args[2]), time.Now().Add(time.Second))
				}
				continue
			}
			wmu.Lock()
			wr, err := c.NextWriter(typ)
			if err == nil {
				wr.Write(msg)
				err = wr.Close()
			}
			wmu.Unlock()
			if err != nil {
				t.Errorf("gorilla write: %v", err)
				return
			}
		}
	}))
	t.Cleanup(func() {
		srv.Close()
		waitGroupTimeout(t, &wg, 10*time.Second, "gorilla handlers")
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http"), closes
}

// ourClient dials with protocol and runs a reader that delivers messages
// and the final error on channels.
type ourClient struct {
	c     *protocol.Conn
	msgs  chan clientMsg
	done  chan error
	mu    sync.Mutex
	pongs []string
}

type clientMsg struct {
	typ protocol.MessageType
	b   []byte
}

func dialOurs(t *testing.T, url string, fragment int) *ourClient {
	t.Helper()
	oc := &ourClient{msgs: make(chan clientMsg, 1024), done: make(chan error, 1)}
	opts := &protocol.DialOptions{}
	opts.FragmentSize = fragment
	opts.OnPong = func(p []byte) { oc.mu.Lock(); oc.pongs = append(oc.pongs, string(p)); oc.mu.Unlock() }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := protocol.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("protocol.Dial: %v", err)
	}
	oc.c = c
	go func() {
		for {
			typ, b, err := c.ReadMessage(context.Background())
			if err != nil {
				oc.done <- err
				close(oc.msgs)
				return
			}
			oc.msgs <- clientMsg{typ, b}
		}
	}()
	t.Cleanup(func() { c.CloseNow() })
	return oc
}

func (oc *ourClient) next(t *testing.T) clientMsg {
	t.Helper()
	select {
	case m, ok := <-oc.msgs:
		if !ok {
			t.Fatalf("connection ended: %v", <-oc.done)
		}
		return m
	case <-time.After(30 * time.Second):
		t.Fatalf("no message within 30s")
	}
	return clientMsg{}
}

func (oc *ourClient) write(t *testing.T, typ protocol.MessageType, b []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := oc.c.WriteMessage(ctx, typ, b); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// closeOurs closes from our client and checks the server saw the code and
// reason and echoed the code.
func closeOurs(t *testing.T, oc *ourClient, closes chan *websocket.CloseError, code protocol.CloseCode, reason string) {
	t.Helper()
	if err := oc.c.Close(code, reason); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case err := <-oc.done:
		if !isCloseCode(err, code) {
			t.Errorf("reader ended with %v, want the server's echo of %d", err, code)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("reader did not end after Close")
	}
	if pc := oc.c.PeerClose(); pc == nil || pc.Code != code {
		t.Errorf("server's close %v, want the code %d echoed", pc, code)
	}
	select {
	case ce := <-closes:
		if ce.Code != int(code) || ce.Text != reason {
			t.Errorf("gorilla server saw close %d %q, want %d %q", ce.Code, ce.Text, code, reason)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("gorilla server did not see the close")
	}
	select {
	case <-oc.c.Done():
	case <-time.After(10 * time.Second):
		t.Errorf("TCP connection not closed after Close")
	}
}

func TestOurClientGorillaServer(t *testing.T) {
	base := runtime.NumGoroutine()
	// Registered first, so it runs after every other cleanup (the servers').
	t.Cleanup(func() { settleGoroutines(t, base) })
	url, closes := gorillaCommandServer(t)
	for _, fragment := range []int{0, 100} {
		t.Run(fmt.Sprintf("fragment=%d", fragment), func(t *testing.T) {
			t.Run("messages", func(t *testing.T) {
				oc := dialOurs(t, url, fragment)
				for _, size := range interopSizes {
					for _, typ := range []protocol.MessageType{protocol.TextMessage, protocol.BinaryMessage} {
						msg := textPattern(size)
						if typ == protocol.BinaryMessage {
							msg = pattern(size, byte(size))
						}
						oc.write(t, typ, msg)
						m := oc.next(t)
						if m.typ != typ || !bytes.Equal(m.b, msg) {
							t.Fatalf("echo of %d bytes (%v): %v, %s", size, typ, m.typ, describeDiff(m.b, msg))
						}
					}
				}
				msg := []byte(strings.Repeat("κόσμε \U0001F600 中文 ", 500))
				oc.write(t, protocol.TextMessage, msg)
				if m := oc.next(t); !bytes.Equal(m.b, msg) {
					t.Fatalf("UTF-8 echo: %s", describeDiff(m.b, msg))
				}
				// A message streamed through NextWriter in uneven pieces.
				big := pattern(300000, 9)
				if err := writeStreamed(context.Background(), oc.c, big); err != nil {
					t.Fatal(err)
				}
				if m := oc.next(t); !bytes.Equal(m.b, big) {
					t.Fatalf("streamed echo: %s", describeDiff(m.b, big))
				}
				closeOurs(t, oc, closes, protocol.CloseNormal, "")
			})

			t.Run("ping-pong", func(t *testing.T) {
				oc := dialOurs(t, url, fragment)
				ctx := context.Background()
				for _, p := range []string{"", "hello", strings.Repeat("p", 125)} {
					if err := oc.c.Ping(ctx, []byte(p)); err != nil {
						t.Fatal(err)
					}
				}
				if err := oc.c.Ping(ctx, bytes.Repeat([]byte("p"), 126)); err == nil {
					t.Errorf("Ping with 126 bytes succeeded; §5.5 allows at most 125")
				}
				// An unsolicited pong: gorilla's pong handler reports it.
				if err := oc.c.Pong(ctx, []byte("unsolicited")); err != nil {
					t.Fatal(err)
				}
				if m := oc.next(t); string(m.b) != "pong:unsolicited" {
					t.Fatalf("gorilla did not get our unsolicited pong: %q", m.b)
				}
				oc.write(t, protocol.TextMessage, []byte("cmd:ping:from-server"))
				if m := oc.next(t); string(m.b) != "pong:from-server" {
					t.Fatalf("gorilla did not get our pong: %q", m.b)
				}
				oc.write(t, protocol.TextMessage, []byte("after"))
				if m := oc.next(t); string(m.b) != "after" {
					t.Fatalf("got %q", m.b)
				}
				oc.mu.Lock()
				got := fmt.Sprintf("%q", oc.pongs)
				oc.mu.Unlock()
				if want := fmt.Sprintf("%q", []string{"", "hello", strings.Repeat("p", 125)}); got != want {
					t.Errorf("pongs %s, want %s", got, want)
				}
				closeOurs(t, oc, closes, protocol.CloseNormal, "")
			})

			t.Run("client-closes", func(t *testing.T) {
				for _, cc := range []struct {
					code   protocol.CloseCode
					reason string
				}{{1000, ""}, {1001, "going"}, {1008, "policy"}, {3999, "x"}, {4000, strings.Repeat("r", 123)}} {
					oc := dialOurs(t, url, fragment)
					closeOurs(t, oc, closes, cc.code, cc.reason)
					// Closing again is harmless.
					if err := oc.c.Close(cc.code, cc.reason); err != nil {
						t.Errorf("second Close: %v", err)
					}
				}
			})

			t.Run("server-closes", func(t *testing.T) {
				for _, cc := range []struct {
					code   protocol.CloseCode
					reason string
				}{{1000, "bye"}, {1001, "going away"}, {4002, ""}} {
					oc := dialOurs(t, url, fragment)
					oc.write(t, protocol.TextMessage, []byte(fmt.Sprintf("cmd:close:%d:%s", cc.code, cc.reason)))
					select {
					case err := <-oc.done:
						var ce *protocol.CloseError
						if !errors.As(err, &ce) || ce.Code != cc.code || ce.Reason != cc.reason {
							t.Errorf("reader ended with %v, want close %d %q", err, cc.code, cc.reason)
						}
					case <-time.After(15 * time.Second):
						t.Fatal("no close from the server")
					}
					select {
					case ce := <-closes:
						if ce.Code != int(cc.code) {
							t.Errorf("gorilla got %d back, want the code %d echoed", ce.Code, cc.code)
						}
					case <-time.After(10 * time.Second):
						t.Errorf("gorilla did not get our echo")
					}
					select {
					case <-oc.c.Done():
					case <-time.After(10 * time.Second):
						t.Errorf("TCP connection not closed")
					}
					if err := oc.c.WriteMessage(context.Background(), protocol.TextMessage, []byte("late")); err == nil {
						t.Errorf("write after the closing handshake succeeded")
					}
				}
			})

			t.Run("concurrent-close", func(t *testing.T) {
				oc := dialOurs(t, url, fragment)
				var wg sync.WaitGroup
				for i := 0; i < 6; i++ {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						if i%3 == 2 {
							oc.c.WriteMessage(context.Background(), protocol.TextMessage, []byte("racing"))
							return
						}
						if err := oc.c.Close(protocol.CloseNormal, "together"); err != nil {
							t.Errorf("Close from goroutine %d: %v", i, err)
						}
					}(i)
				}
				wg.Wait()
				select {
				case <-oc.c.Done():
				case <-time.After(10 * time.Second):
					t.Errorf("TCP connection not closed")
				}
				select {
				case ce := <-closes:
					if ce.Code != 1000 || ce.Text != "together" {
						t.Errorf("gorilla saw %d %q", ce.Code, ce.Text)
					}
				case <-time.After(10 * time.Second):
					t.Errorf("gorilla did not see the close")
				}
			})

			t.Run("concurrent-writers", func(t *testing.T) {
				oc := dialOurs(t, url, fragment)
				const writers, each = 8, 40
				var wg sync.WaitGroup
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				for w := 0; w < writers; w++ {
					wg.Add(1)
					go func(w int) {
						defer wg.Done()
						for i := 0; i < each; i++ {
							msg := taggedMessage(w, i, 200+(w*97+i*13)%3000)
							var err error
							if i%2 == 0 {
								err = oc.c.WriteMessage(ctx, protocol.BinaryMessage, msg)
							} else {
								err = writeStreamed(ctx, oc.c, msg)
							}
							if err != nil {
								t.Errorf("writer %d: %v", w, err)
								return
							}
							if i%10 == 0 {
								oc.c.Ping(ctx, []byte(fmt.Sprintf("w%d-%d", w, i)))
							}
						}
					}(w)
				}
				next := make([]int, writers)
				for n := 0; n < writers*each; n++ {
					m := oc.next(t)
					w, seq, err := checkTagged(m.b)
					if err != nil {
						t.Fatal(err)
					}
					if w >= writers || seq != next[w] {
						t.Fatalf("writer %d message %d out of order (want %d)", w, seq, next[w])
					}
					next[w]++
				}
				wg.Wait()
				closeOurs(t, oc, closes, protocol.CloseNormal, "")
			})
		})
	}
}
