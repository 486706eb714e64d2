package protocol

import (
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// TestCloseCutsAStuckWriteAfterSetWriteDeadline: Close must end within
// CloseTimeout even when a write is stuck on a peer that does not read
// and the application moved the write deadline after that write armed
// its own. Close arms its bound on the socket unless an earlier deadline
// is armed there; it took the marker SetWriteDeadline leaves ("not armed
// by the connection") for a deadline long past, armed nothing, and
// waited for the stuck write as long as the application's deadline (an
// hour here).
func TestCloseCutsAStuckWriteAfterSetWriteDeadline(t *testing.T) {
	peer, ours := net.Pipe() // a write waits until the peer reads it
	t.Cleanup(func() { peer.Close(); ours.Close() })
	c := NewConn(ours, RoleServer, nil, &Options{WriteTimeout: -1, CloseTimeout: 100 * time.Millisecond})
	wrote := make(chan error, 1)
	go func() { wrote <- c.WriteMessage(context.Background(), BinaryMessage, make([]byte, 1024)) }()
	if _, err := io.ReadFull(peer, make([]byte, 1)); err != nil { // the write is now stuck, holding the frame lock
		t.Fatal(err)
	}
	c.SetWriteDeadline(time.Now().Add(time.Hour))
	done := make(chan struct{})
	go func() { c.Close(CloseGoingAway, "shutting down"); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close was held 10 s by a stuck write (CloseTimeout 100 ms, the write deadline an hour away)")
	}
	if err := <-wrote; err == nil {
		t.Error("the write stuck on a peer that does not read returned nil")
	}
}
