package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestDialChatSaysWhatWasInterrupted: ctrl+c while a message is stuck on
// its way to a server that does not read must say so, not just "context
// canceled".
func TestDialChatSaysWhatWasInterrupted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sending := make(chan struct{}) // the client's first bytes arrived
	hangup := make(chan struct{})
	defer close(hangup)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		br := bufio.NewReader(nc)
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
			protocol.ComputeAccept(r.Header.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
		if _, err := io.ReadFull(br, make([]byte, 64<<10)); err == nil {
			close(sending)
		}
		<-hangup // then reads nothing more until the test ends
	}()
	c, err := protocol.Dial(context.Background(), "ws://"+ln.Addr().String()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// The ctrl+c, once the client is sending and has had time to fill
		// the socket buffers (64 MiB are far more than they hold).
		select {
		case <-sending:
			time.Sleep(time.Second)
		case <-time.After(10 * time.Second):
		}
		cancel()
	}()
	line := strings.Repeat("a", 1<<20) + "\n"
	stdin := strings.NewReader(strings.Repeat(line, 64)) // far more than the socket buffers hold
	err = chat(ctx, c, stdin, io.Discard, io.Discard, "en")
	if err == nil || !strings.Contains(err.Error(), "interrupted while sending") {
		t.Errorf("chat: %v, want an error saying it was interrupted while sending", err)
	}
}
