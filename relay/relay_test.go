package relay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// tapConn records every byte read from and written to a connection.
type tapConn struct {
	net.Conn
	mu          sync.Mutex
	read, wrote bytes.Buffer
}

func (t *tapConn) Read(b []byte) (int, error) {
	n, err := t.Conn.Read(b)
	t.mu.Lock()
	t.read.Write(b[:n])
	t.mu.Unlock()
	return n, err
}

func (t *tapConn) Write(b []byte) (int, error) {
	n, err := t.Conn.Write(b)
	t.mu.Lock()
	t.wrote.Write(b[:n])
	t.mu.Unlock()
	return n, err
}

func (t *tapConn) bytes() (read, wrote []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.read.Bytes()), bytes.Clone(t.wrote.Bytes())
}

// upstream is a server on loopback: /stall completes the handshake and
// then never reads; anything else echoes. Every server connection is
// tapped.
type upstream struct {
	ln      net.Listener
	release chan struct{} // closed at cleanup: a stalled handler returns
	mu      sync.Mutex
	conns   []*tapConn
	wg      sync.WaitGroup
}

func startUpstream(t *testing.T) *upstream {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &upstream{ln: ln, release: make(chan struct{})}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			tc := &tapConn{Conn: nc}
			u.mu.Lock()
			u.conns = append(u.conns, tc)
			u.mu.Unlock()
			u.wg.Add(1)
			go func() {
				defer u.wg.Done()
				var path string
				c, err := protocol.AcceptConn(context.Background(), tc, &protocol.AcceptOptions{
					Options:     protocol.Options{CloseTimeout: time.Second},
					CheckOrigin: protocol.AcceptAnyOrigin,
				})
				if err != nil {
					tc.Close()
					return
				}
				_ = path
				defer c.CloseNow()
				for {
					typ, msg, err := c.ReadMessage(context.Background())
					if err != nil {
						return
					}
					if string(msg) == "stall" {
						<-u.release // stop reading: the relay's writes back up
						return
					}
					if err := c.WriteMessage(context.Background(), typ, msg); err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); close(u.release); u.wg.Wait() })
	return u
}

func startRelay(t *testing.T, up string, st *capture.Store) string {
	u, _ := url.Parse(up)
	r, err := New(Config{Upstream: u, Store: st, WriteTimeout: 300 * time.Millisecond, LingerTimeout: 2 * time.Second, Keep: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// dialTapped dials through the relay with the client's bytes tapped.
func dialTapped(t *testing.T, addr, path string) (*protocol.Conn, *tapConn) {
	var tc *tapConn
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := protocol.Dial(ctx, "ws://"+addr+path, &protocol.DialOptions{
		Options:      protocol.Options{CloseTimeout: 2 * time.Second},
		Subprotocols: []string{"chat"},
		NetDial: func(ctx context.Context, network, a string) (net.Conn, error) {
			nc, err := (&net.Dialer{}).DialContext(ctx, network, a)
			if err != nil {
				return nil, err
			}
			tc = &tapConn{Conn: nc}
			return tc, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, tc
}

// waitClosed waits, boundedly, until the store's connection id is closed.
func waitClosed(t *testing.T, st *capture.Store, id int) capture.Conn {
	for i := 0; i < 3000; i++ {
		for _, c := range st.Conns() {
			if c.ID == id && (c.State == capture.StateClosed || c.Err != "") {
				return c
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("connection %d never closed", id)
	return capture.Conn{}
}

// TestRelayForwardsEveryByte: what the client sent is what the server
// read and the other way round, and the captured frames are those frames.
func TestRelayForwardsEveryByte(t *testing.T) {
	up := startUpstream(t)
	st := capture.NewStore(capture.Limits{Payload: 1 << 20})
	addr := startRelay(t, "ws://"+up.ln.Addr().String()+"/", st)
	c, ctap := dialTapped(t, addr, "/echo?x=1")
	ctx := context.Background()
	msgs := [][]byte{[]byte("Hello"), bytes.Repeat([]byte{0xab}, 70000), []byte("€uro")}
	for i, m := range msgs {
		typ := protocol.TextMessage
		if i == 1 {
			typ = protocol.BinaryMessage
		}
		if err := c.WriteMessage(ctx, typ, m); err != nil {
			t.Fatal(err)
		}
		if _, got, err := c.ReadMessage(ctx); err != nil || !bytes.Equal(got, m) {
			t.Fatalf("echo %d: %d bytes, %v", i, len(got), err)
		}
	}
	if err := c.Ping(ctx, []byte("p")); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(3000, "bye"); err != nil {
		t.Fatalf("close: %v", err)
	}
	conn := waitClosed(t, st, 1)
	up.mu.Lock()
	stap := up.conns[0]
	up.mu.Unlock()
	cr, cw := ctap.bytes()
	sr, sw := stap.bytes()
	if !bytes.Equal(cw, sr) {
		t.Errorf("client wrote %d bytes, server read %d, not the same", len(cw), len(sr))
	}
	if !bytes.Equal(sw, cr) {
		t.Errorf("server wrote %d bytes, client read %d, not the same", len(sw), len(cr))
	}
	if conn.Path != "/echo?x=1" || conn.Frames != [2]int{5, 5} || conn.Close[0].Code != 3000 || conn.Close[0].Reason != "bye" ||
		conn.TCPFirst != protocol.RoleServer || conn.Violation != nil {
		t.Errorf("summary: path %q frames %v close %+v TCP first %v violation %v", conn.Path, conn.Frames, conn.Close, conn.TCPFirst, conn.Violation)
	}
	// Every captured frame's wire bytes, in order, are the bytes each way
	// after the handshake heads.
	var wire [2][]byte
	var heads [2]int
	for _, e := range st.Window(1, 0, 100) {
		switch e.Kind {
		case capture.KindHandshake:
			heads[e.Dir.Index()] = len(e.Handshake.Raw)
		case capture.KindFrame:
			if int64(len(e.Wire)) != e.WireLen() {
				t.Fatalf("frame of %d bytes kept only %d", e.WireLen(), len(e.Wire))
			}
			wire[e.Dir.Index()] = append(wire[e.Dir.Index()], e.Wire...)
		}
	}
	if !bytes.Equal(wire[0], cw[heads[0]:]) || !bytes.Equal(wire[1], sw[heads[1]:]) {
		t.Errorf("captured frames differ from the bytes on the wire")
	}
}

// TestRelayFlagsAndForwardsABrokenFrame: an unmasked client frame is
// flagged with §5.1 and still reaches the server, which fails the
// connection with 1002 as it must.
func TestRelayFlagsAndForwardsABrokenFrame(t *testing.T) {
	up := startUpstream(t)
	st := capture.NewStore(capture.Limits{})
	addr := startRelay(t, "ws://"+up.ln.Addr().String()+"/", st)
	c, _ := dialTapped(t, addr, "/")
	if err := c.WriteRaw([]byte{0x81, 0x02, 'h', 'i'}); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.ReadMessage(context.Background())
	var ce *protocol.CloseError
	if !errors.As(err, &ce) || ce.Code != protocol.CloseProtocolError {
		t.Errorf("client read %v, want the server's close 1002", err)
	}
	conn := waitClosed(t, st, 1)
	if conn.Violation == nil || conn.Violation.Section != "5.1" {
		t.Errorf("violation %v, want §5.1", conn.Violation)
	}
	// The server fails the connection at the header, so it may never
	// read the payload: the header is what must have reached it.
	up.mu.Lock()
	sr, _ := up.conns[0].bytes()
	up.mu.Unlock()
	if i := bytes.Index(sr, []byte("\r\n\r\n")); i < 0 || !bytes.HasPrefix(sr[i+4:], []byte{0x81, 0x02}) {
		t.Errorf("the broken frame did not reach the server: % x", sr)
	}
	if conn.Close[1].Code != protocol.CloseProtocolError {
		t.Errorf("server's close %+v, want 1002", conn.Close[1])
	}
}

// TestRelayStalledPeerEndsOnlyItsPair: a server that stops reading ends
// its own pair after the write timeout, while another pair keeps working.
func TestRelayStalledPeerEndsOnlyItsPair(t *testing.T) {
	up := startUpstream(t)
	st := capture.NewStore(capture.Limits{})
	addr := startRelay(t, "ws://"+up.ln.Addr().String()+"/", st)
	ctx := context.Background()
	stalled, _ := dialTapped(t, addr, "/a")
	if err := stalled.WriteMessage(ctx, protocol.TextMessage, []byte("stall")); err != nil {
		t.Fatal(err)
	}
	// Fill the socket buffers towards the stalled server until the relay
	// gives up on it; each write is bounded, so this loop ends.
	big := make([]byte, 1<<20)
	go func() {
		for i := 0; i < 64; i++ {
			wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err := stalled.WriteMessage(wctx, protocol.BinaryMessage, big)
			cancel()
			if err != nil {
				return
			}
		}
	}()
	good, _ := dialTapped(t, addr, "/b")
	for i := 0; i < 20; i++ {
		if err := good.WriteMessage(ctx, protocol.TextMessage, []byte("still here")); err != nil {
			t.Fatal(err)
		}
		if _, m, err := good.ReadMessage(ctx); err != nil || string(m) != "still here" {
			t.Fatalf("other pair: %q, %v", m, err)
		}
	}
	conn := waitClosed(t, st, 1)
	if conn.Err == "" && conn.State != capture.StateClosed {
		t.Errorf("stalled pair: state %v", conn.State)
	}
	notes := ""
	for _, e := range st.Window(1, 0, 1000) {
		if e.Kind == capture.KindNote {
			notes += e.Note
		}
	}
	if !bytes.Contains([]byte(notes), []byte("stalled")) {
		t.Errorf("stalled pair ended without saying why: %q", notes)
	}
	good.Close(1000, "")
	stalled.CloseNow()
}

// TestRelayWSSUpstream: a wss:// upstream is reached over TLS, trusting
// the certificate given in Config.TLSConfig.
func TestRelayWSSUpstream(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, &protocol.AcceptOptions{CheckOrigin: protocol.AcceptAnyOrigin})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			c.WriteMessage(context.Background(), typ, msg)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse("wss://" + srv.Listener.Addr().String() + "/")
	st := capture.NewStore(capture.Limits{})
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	r, err := New(Config{Upstream: u, Store: st, TLSConfig: &tls.Config{RootCAs: pool}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Serve(ctx, ln); close(done) }()
	defer func() { cancel(); <-done }()
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	c, err := protocol.Dial(dctx, "ws://"+ln.Addr().String()+"/secure", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(dctx, protocol.TextMessage, []byte("over TLS")); err != nil {
		t.Fatal(err)
	}
	if _, m, err := c.ReadMessage(dctx); err != nil || string(m) != "over TLS" {
		t.Fatalf("echo over wss: %q %v", m, err)
	}
	c.Close(protocol.CloseNormal, "")
	conn := waitClosed(t, st, 1)
	if conn.Frames != [2]int{2, 2} || conn.Path != "/secure" {
		t.Errorf("captured: frames %v path %q", conn.Frames, conn.Path)
	}
}
