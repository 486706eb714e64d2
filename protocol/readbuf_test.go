package protocol

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"
)

// loopConn is a connection whose reads replay data without end and whose
// writes vanish.
type loopConn struct {
	nopConn
	r *loopReader
}

func (c loopConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestIdleConnHoldsNoReadBuffer: once a message is read and nothing more is
// buffered, the connection gives its read buffer back (readbuf.go), and
// taking it again for the next message allocates nothing.
func TestIdleConnHoldsNoReadBuffer(t *testing.T) {
	msg := bytes.Repeat([]byte("a"), 1024) // more than the small first read
	c := NewConn(loopConn{r: &loopReader{data: clientFrame(Header{Fin: true, Opcode: OpText}, msg)}}, RoleServer, nil, nil)
	buf := make([]byte, len(msg))
	ctx := context.Background()
	read := func() {
		_, r, err := c.NextReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r, buf); err != nil || !bytes.Equal(buf, msg) {
			t.Fatalf("read %q, %v", buf, err)
		}
		if c.br != nil {
			t.Fatalf("the connection holds a read buffer with %d bytes buffered after the message", c.br.Buffered())
		}
	}
	read()
	if n := testing.AllocsPerRun(200, read); n != 0 && !raceEnabled {
		t.Errorf("reading a message with a pooled buffer allocates %v times", n)
	}
}

// TestBytesPastHandshakeAreKept: frames that arrive in the same packet as
// the handshake request sit in the handshake's buffer, and are read from
// it, not lost when the connection drops its buffers between messages.
func TestBytesPastHandshakeAreKept(t *testing.T) {
	ours, peer := net.Pipe()
	defer peer.Close()
	req := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	wire := []byte(req)
	for _, m := range []string{"first", "second", "third"} {
		wire = append(wire, clientFrame(Header{Fin: true, Opcode: OpText}, []byte(m))...)
	}
	go func() {
		peer.Write(wire)
		br := bufio.NewReader(peer)
		for { // read the response and whatever follows, until the end
			if _, err := br.ReadByte(); err != nil {
				return
			}
		}
	}()
	ctx := context.Background()
	c, err := AcceptConn(ctx, ours, &AcceptOptions{CheckOrigin: AcceptAnyOrigin})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	var got []string
	for range 3 {
		_, msg, err := c.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got = append(got, string(msg))
	}
	if s := strings.Join(got, " "); s != "first second third" {
		t.Fatalf("read %q", s)
	}
}
