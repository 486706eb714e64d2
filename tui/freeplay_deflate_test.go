package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// TestFreePlayCompressionToggle: with the toggle on, free play sends a
// compressed message (RSV1, then the inflated message), and the echo
// comes back compressed; off, the same message goes plain on the same
// connection; on a connection that did not negotiate permessage-deflate,
// asking for compression is refused with the reason.
func TestFreePlayCompressionToggle(t *testing.T) {
	f := newFreePlay()
	f.setFocus(freeCompress)
	f, _ = f.Update(keys("right")[0].(tea.KeyMsg))
	if !f.compress {
		t.Fatal("→ on the compress field did not turn compression on")
	}
	q := capture.NewQueue()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := session.Start(ctx, session.Config{ID: 1, Queue: q, Compression: &protocol.CompressionOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send := func(compress bool) []capture.Entry {
		msg := sendFree(s, freeSendMsg{typ: 0, data: []byte("Hello, Hello, Hello"), compress: compress})()
		if err := msg.(freeDoneMsg).err; err != nil {
			t.Fatal(err)
		}
		var got []capture.Entry
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			got = append(got, q.Drain()...)
			frames, messages := 0, 0
			for _, e := range got {
				switch e.Kind {
				case capture.KindFrame:
					frames++
				case capture.KindMessage:
					messages++
				}
			}
			// The message and its echo; compressed, each is followed by
			// its inflated message.
			if frames >= 2 && (!compress || messages >= 2) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		return got
	}
	q.Drain()
	var rsv1, messages int
	for _, e := range send(true) {
		if e.Kind == capture.KindFrame && e.Header.Rsv1 {
			rsv1++
		}
		if e.Kind == capture.KindMessage && string(e.Message.Inflated) == "Hello, Hello, Hello" {
			messages++
		}
	}
	if rsv1 != 2 || messages != 2 {
		t.Errorf("compressed: %d frames with RSV1 and %d inflated messages, want 2 and 2 (message and echo)", rsv1, messages)
	}
	for _, e := range send(false) {
		if e.Kind == capture.KindMessage || (e.Kind == capture.KindFrame && e.Header.Rsv1) {
			t.Errorf("uncompressed send produced a compressed entry: %+v", e.Header)
		}
	}

	plain, err := session.Start(ctx, session.Config{ID: 2, Queue: capture.NewQueue()})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	msg := sendFree(plain, freeSendMsg{typ: 0, data: []byte("Hello"), compress: true})()
	if err := msg.(freeDoneMsg).err; err == nil || !strings.Contains(err.Error(), "did not negotiate permessage-deflate") {
		t.Errorf("compressing on a plain connection: %v", err)
	}
}
