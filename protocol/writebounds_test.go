package protocol

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// tlsPair is tcpPair with TLS on top: ours is the server's side. The
// certificate is httptest's self-signed one (the peer skips verifying it).
func tlsPair(t *testing.T) (ours, peer *tls.Conn) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.StartTLS()
	cert := srv.TLS.Certificates[0]
	srv.Close()
	a, b := tcpPair(t)
	ours = tls.Server(a, &tls.Config{Certificates: []tls.Certificate{cert}})
	peer = tls.Client(b, &tls.Config{InsecureSkipVerify: true})
	errc := make(chan error, 1)
	go func() { errc <- peer.Handshake() }()
	if err := ours.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return ours, peer
}

// TestWriteTimeoutSparesASlowTLSReader: crypto/tls makes a write that timed
// out fail every later write, so over TLS (any connection that is not a
// raw socket) the peer cannot be given a new WriteTimeout once it took
// part of a write: each write handed to it must be small enough for a slow
// but steady reader to take within one WriteTimeout. A 1 MiB message to a
// wss peer reading about 800 KB/s (WriteTimeout 500 ms) must arrive; a
// peer that stops reading must still be dropped.
func TestWriteTimeoutSparesASlowTLSReader(t *testing.T) {
	const wt = 500 * time.Millisecond
	const size = 1 << 20
	t.Run("slow-reader", func(t *testing.T) {
		ours, peer := tlsPair(t)
		c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: wt, CloseTimeout: 100 * time.Millisecond})
		defer c.CloseNow()
		got := make(chan int, 1)
		go func() {
			// 16 KiB every 20 ms: 64 KiB every 80 ms, the whole in
			// about 1.3 s, far more than one WriteTimeout.
			buf := make([]byte, 16<<10)
			n := 0
			peer.SetReadDeadline(time.Now().Add(20 * time.Second))
			for n < size+10 {
				m, err := peer.Read(buf)
				n += m
				if err != nil {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			got <- n
		}()
		if err := c.WriteMessage(context.Background(), BinaryMessage, make([]byte, size)); err != nil {
			t.Fatalf("a 1 MiB message to a wss peer reading ~800 KB/s (WriteTimeout %v): %v", wt, err)
		}
		if n := <-got; n != size+10 {
			t.Errorf("the peer got %d bytes, want %d (a 2+8 byte header and 1 MiB)", n, size+10)
		}
	})
	t.Run("non-reader", func(t *testing.T) {
		ours, _ := tlsPair(t)
		checkNonReaderTimesOut(t, ours, wt, "wss")
	})
}

// stickyTimeoutConn behaves as a tls.Conn whose peer reads slowly: its
// first write takes half of what it is given and times out; from then on
// every write fails at once with the same error, taking nothing.
type stickyTimeoutConn struct {
	net.Conn
	err error
}

func (s *stickyTimeoutConn) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.err = &net.OpError{Op: "write", Net: "tcp", Err: os.ErrDeadlineExceeded}
	return len(p) / 2, s.err
}

func (s *stickyTimeoutConn) SetWriteDeadline(time.Time) error { return nil }

// TestWriteTimeoutErrorSaysWhatHappened: when the peer took part of a
// write and the connection then refuses to go on (as crypto/tls does),
// the error must not say that the peer took no data: it did, and the
// refusal came at once, not after a WriteTimeout.
func TestWriteTimeoutErrorSaysWhatHappened(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	c := NewConn(&stickyTimeoutConn{Conn: ours}, RoleServer, nil, &Options{WriteTimeout: time.Hour, CloseTimeout: 100 * time.Millisecond})
	defer c.CloseNow()
	err := c.WriteMessage(context.Background(), BinaryMessage, make([]byte, 1<<20))
	if !errors.Is(err, ErrWriteTimeout) {
		t.Fatalf("write: %v, want an error wrapping ErrWriteTimeout", err)
	}
	if strings.Contains(err.Error(), "took no data") {
		t.Errorf("write: %q: the peer took half of a write, and no WriteTimeout (1h) passed after it", err)
	}
}

// TestCloseBoundNotLostToArmingWriter: a writer whose arm read the close
// bound (none yet) just before Close's boundWrites set it, and puts its
// own later deadline (or none, WriteTimeout < 0) on the socket just after,
// must still be cut at the close bound: Close waits for that writer's
// frame lock, and must return within about CloseTimeout. writeArmHook
// holds the writer at that point to make the window wide.
func TestCloseBoundNotLostToArmingWriter(t *testing.T) {
	for _, wt := range []time.Duration{-1, 5 * time.Second} {
		ours, _ := tcpPair(t)
		c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: wt, CloseTimeout: 200 * time.Millisecond})
		inArm := make(chan struct{})
		release := make(chan struct{})
		armed := 0
		writeArmHook = func() {
			armed++
			if armed == 1 { // the first wait of the big write, before it blocks
				close(inArm)
				<-release
			}
		}
		werr := make(chan error, 1)
		go func() { werr <- c.WriteMessage(context.Background(), BinaryMessage, make([]byte, 16<<20)) }()
		<-inArm
		closed := make(chan error, 1)
		go func() { closed <- c.Close(CloseNormal, "") }()
		// Close sets the bound and then waits for the frame lock; it
		// cannot be seen waiting, so give it ample time to get there.
		time.Sleep(100 * time.Millisecond)
		close(release)
		select {
		case <-closed:
		case <-time.After(3 * time.Second):
			t.Errorf("WriteTimeout %v: Close still blocked 3s after the writer armed (CloseTimeout 200ms)", wt)
			c.CloseNow()
		}
		if err := <-werr; err == nil {
			t.Errorf("WriteTimeout %v: a 16 MiB write to a peer that never reads returned nil", wt)
		}
		writeArmHook = nil
	}
}
