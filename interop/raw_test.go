package interop

// The raw wire peer of package conformance, for the tests here that build
// frames by hand: a failure of the peer fails the test.

import (
	"bufio"
	"net"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/conformance"
)

const (
	opCont   = conformance.OpCont
	opText   = conformance.OpText
	opBinary = conformance.OpBinary
	opClose  = conformance.OpClose
	opPing   = conformance.OpPing
	opPong   = conformance.OpPong
)

var (
	buildFrame       = conformance.BuildFrame
	closePayload     = conformance.ClosePayload
	acceptKey        = conformance.AcceptKey
	pattern          = conformance.Pattern
	textPattern      = conformance.TextPattern
	errTimeout       = conformance.ErrTimeout
	errPeerClosedTCP = conformance.ErrPeerClosedTCP
)

// dialRaw connects to a ws:// URL with a hand-written handshake.
func dialRaw(t testing.TB, url string) *conformance.Peer {
	t.Helper()
	p, err := conformance.Dial(url, conformance.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Fatalf = t.Fatalf
	t.Cleanup(func() { p.Close() })
	return p
}

// acceptRaw performs the server side of the opening handshake on nc.
func acceptRaw(t testing.TB, nc net.Conn) *conformance.Peer {
	t.Helper()
	p, err := conformance.Accept(nc, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	p.Fatalf = t.Fatalf
	t.Cleanup(func() { p.Close() })
	return p
}

// rawPeer wraps a connection whose handshake the test did itself.
func rawPeer(t testing.TB, nc net.Conn, br *bufio.Reader, client bool) *conformance.Peer {
	p := conformance.NewPeer(nc, br, client, 5*time.Second)
	p.Fatalf = t.Fatalf
	t.Cleanup(func() { p.Close() })
	return p
}
