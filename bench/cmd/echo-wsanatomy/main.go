// Command echo-wsanatomy is the library-only wsanatomy echo server of the
// load test: protocol.AcceptConn on each raw connection, then NextReader
// into a reused buffer and WriteMessage, the codec's allocation-free loop.
// No observer, no net/http. It sets Options.BatchReplies, as its
// documentation invites a loop that reads and writes the replies in one
// goroutine to do: replies to requests that arrived together go out in
// one write.
package main

import (
	"context"
	"net"
	"os"

	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
	"github.com/wsanatomy/wsanatomy/protocol"
)

func main() {
	ln := echoserver.Listen("echo-wsanatomy")
	opts := &protocol.AcceptOptions{
		Options:     protocol.Options{MessageLimit: echoserver.MaxMessage, BatchReplies: true},
		CheckOrigin: protocol.AcceptAnyOrigin,
	}
	echoserver.ServeRaw(ln, func(nc net.Conn) {
		ctx := context.Background()
		c, err := protocol.AcceptConn(ctx, nc, opts)
		if err != nil {
			return
		}
		defer c.CloseNow()
		var buf []byte
		for {
			typ, r, err := c.NextReader(ctx)
			if err != nil {
				return
			}
			if buf, err = echoserver.ReadMessage(r, buf); err != nil {
				return
			}
			if err := c.WriteMessage(ctx, typ, buf); err != nil {
				return
			}
		}
	})
	os.Exit(1)
}
