package main

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/live"
)

// TestServeFeedsTheLiveScreen: the connections serve accepts reach the
// capture store, and the live screen draws them.
func TestServeFeedsTheLiveScreen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newEchoServer(newFrameLog(io.Discard))
	srv.capture = newServeCapture(nil)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.serve(ctx, ln) }()
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	for i, path := range []string{"/one", "/two"} {
		c, err := protocol.Dial(dctx, "ws://"+ln.Addr().String()+path, &protocol.DialOptions{Origin: "http://page.example"})
		if err != nil {
			t.Fatal(err)
		}
		c.WriteMessage(dctx, protocol.TextMessage, []byte("hi"))
		c.ReadMessage(dctx)
		if i == 0 {
			c.Close(3000, "first done")
		}
	}
	st := srv.capture.store
	var conns []capture.Conn
	for i := 0; i < 2000; i++ {
		conns = st.Conns()
		if len(conns) == 2 && conns[0].State == capture.StateClosed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(conns) != 2 || conns[0].Path != "/one" || conns[1].Path != "/two" || conns[0].Origin != "http://page.example" ||
		conns[0].Close[0].Code != 3000 || conns[0].Close[0].Reason != "first done" || conns[1].State != capture.StateOpen {
		t.Fatalf("captured connections: %+v", conns)
	}
	m := live.New(st, live.Options{Title: "serve test"})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	v := mm.View()
	for _, want := range []string{"2 conns · 1 open", "/one", "/two", `3000 "first done"`} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
}
