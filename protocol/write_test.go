package protocol

import (
	"context"
	"io"
	"testing"
	"time"
)

// TestTextStreamCutMidCharacter: a text stream whose writer closes in the
// middle of a character. If nothing was sent yet, the message is dropped
// and the connection goes on; if fragments already went out, the message
// can never be finished, so the connection fails (1011) instead of
// refusing every later message.
func TestTextStreamCutMidCharacter(t *testing.T) {
	ctx := context.Background()
	// Nothing sent yet: dropped, and the next message goes through.
	client, server := connPair(t, nil, nil)
	w, _ := client.NextWriter(ctx, TextMessage)
	io.WriteString(w, "ab\xe2")
	if err := w.Close(); err == nil {
		t.Fatal("Close of a text message ending mid-character succeeded")
	}
	if err := client.WriteMessage(ctx, BinaryMessage, []byte("next")); err != nil {
		t.Fatalf("next message: %v", err)
	}
	if _, msg, err := server.ReadMessage(ctx); err != nil || string(msg) != "next" {
		t.Fatalf("server read %q, %v", msg, err)
	}

	// Fragments already sent: the connection fails with 1011.
	client, server = connPair(t, &Options{FragmentSize: 4}, nil)
	w, _ = client.NextWriter(ctx, TextMessage)
	io.WriteString(w, "abcdef\xe2") // "abcd" goes out as a first fragment
	go func() { server.ReadMessage(ctx) }()
	if err := w.Close(); err == nil {
		t.Fatal("Close of a text message ending mid-character succeeded")
	}
	done := make(chan error, 1)
	go func() { done <- client.WriteMessage(ctx, BinaryMessage, []byte("next")) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a message was sent after an unfinishable one")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("WriteMessage hung")
	}
	<-server.Done()
	if pc := server.PeerClose(); pc == nil || pc.Code != CloseInternalError {
		t.Errorf("server saw close %v, want 1011", pc)
	}
}

// TestWriteFrameHoldsTheMessage: a message sent frame by frame with
// WriteFrame keeps other writers out until its last frame, and its text
// must be UTF-8 like any other.
func TestWriteFrameHoldsTheMessage(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx := context.Background()
	if err := client.WriteFrame(ctx, Header{Opcode: OpText}, []byte("Hel")); err != nil {
		t.Fatal(err)
	}
	other := make(chan error, 1)
	go func() { other <- client.WriteMessage(ctx, TextMessage, []byte("other")) }()
	time.Sleep(50 * time.Millisecond)
	if err := client.Ping(ctx, []byte("between")); err != nil {
		t.Fatal(err)
	}
	if err := client.WriteFrame(ctx, Header{Fin: true, Opcode: OpContinuation}, []byte("lo")); err != nil {
		t.Fatal(err)
	}
	if err := <-other; err != nil {
		t.Fatalf("the other writer: %v", err)
	}
	for _, want := range []string{"Hello", "other"} {
		if _, msg, err := server.ReadMessage(ctx); err != nil || string(msg) != want {
			t.Fatalf("server read %q, %v; want %q", msg, err, want)
		}
	}
	if err := client.WriteFrame(ctx, Header{Fin: true, Opcode: OpText}, []byte{0xff}); err == nil {
		t.Error("WriteFrame sent invalid UTF-8 text")
	}
}

// TestPongAfterOurClose: §5.5.2, a ping is answered "unless it already
// received a Close frame": having sent one is no excuse.
func TestPongAfterOurClose(t *testing.T) {
	client, server := connPair(t, nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.StartClose(CloseNormal, ""); err != nil {
		t.Fatal(err)
	}
	go server.ReadMessage(ctx)
	client.WriteRaw(clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("still there?")))
	// The client's side of the wire: the server's close, then its pong.
	for _, want := range []Opcode{OpClose, OpPong} {
		h, err := ReadHeader(client.br)
		if err != nil || h.Opcode != want {
			t.Fatalf("client received %v, %v; want %s", h, err, want)
		}
		body := make([]byte, h.Length)
		io.ReadFull(client.br, body)
		if want == OpPong && string(body) != "still there?" {
			t.Errorf("pong payload %q", body)
		}
	}
}
