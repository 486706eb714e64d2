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
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		r, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
			protocol.ComputeAccept(r.Header.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
		time.Sleep(time.Second) // reads nothing, then hangs up
	}()
	c, err := protocol.Dial(context.Background(), "ws://"+ln.Addr().String()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond) // the ctrl+c
	defer cancel()
	line := strings.Repeat("a", 1<<20) + "\n"
	stdin := strings.NewReader(strings.Repeat(line, 64)) // far more than the socket buffers hold
	err = chat(ctx, c, stdin, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "interrupted while sending") {
		t.Errorf("chat: %v, want an error saying it was interrupted while sending", err)
	}
}
