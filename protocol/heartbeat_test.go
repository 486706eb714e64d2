package protocol

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestHeartbeatKeepsALivePeer: a peer that answers pings (as every
// correct endpoint does, §5.5.2) is never failed, and Heartbeat returns nil
// when its context ends.
func TestHeartbeatKeepsALivePeer(t *testing.T) {
	client, server := connPair(t, nil, nil)
	go client.ReadMessage(context.Background()) // answers pings
	go server.ReadMessage(context.Background()) // sees pongs
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	if err := server.Heartbeat(ctx, 50*time.Millisecond, time.Second); err != nil {
		t.Fatalf("heartbeat with a live peer: %v", err)
	}
	select {
	case <-server.Done():
		t.Fatal("the heartbeat closed a live connection")
	default:
	}
}

// TestHeartbeatFailsASilentPeer: a peer that reads but never answers is
// failed within interval + timeout, with 1001, and the reader learns why.
func TestHeartbeatFailsASilentPeer(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	c := NewConn(ours, RoleClient, nil, &Options{CloseTimeout: 200 * time.Millisecond})
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(peer); got <- b }() // reads everything, answers nothing
	readErr := make(chan error, 1)
	go func() { _, _, err := c.ReadMessage(context.Background()); readErr <- err }()
	start := time.Now()
	err := c.Heartbeat(context.Background(), 50*time.Millisecond, 200*time.Millisecond)
	if !errors.Is(err, ErrHeartbeatTimeout) {
		t.Fatalf("heartbeat: %v, want ErrHeartbeatTimeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the silent peer was failed after %v", d)
	}
	select {
	case err := <-readErr:
		if !errors.Is(err, ErrHeartbeatTimeout) {
			t.Errorf("the reader got %v, want the heartbeat's error", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the reader did not return")
	}
	peer.Close()
	wire := <-got
	// The last frame the peer saw is our close frame with 1001 (masked:
	// we are the client).
	h, n, err := DecodeHeader(wire[len(wire)-2-4-len("no pong within 200ms")-2:])
	if err != nil || h.Opcode != OpClose {
		t.Fatalf("last frame: %v %v", h, err)
	}
	body := append([]byte(nil), wire[len(wire)-int(h.Length):]...)
	Mask(h.MaskKey, 0, body)
	if code, _, _ := ParseClosePayload(body); code != CloseGoingAway || n == 0 {
		t.Errorf("close code %v, want 1001", code)
	}
}
