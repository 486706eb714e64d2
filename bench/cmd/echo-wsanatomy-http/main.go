// Command echo-wsanatomy-http is wsanatomy's echo server the way
// `wsanatomy serve` runs it, minus the frame log: protocol.Accept inside a
// net/http handler, serve's options (BatchReplies, a 5-minute IdleTimeout),
// NextReader into a buffer and WriteMessage. Set beside echo-wsanatomy and
// `wsanatomy serve`, it splits what serve costs into what net/http and the
// idle timeout add and what the observer and its log add.
package main

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
	"github.com/wsanatomy/wsanatomy/protocol"
)

func main() {
	ln := echoserver.Listen("echo-wsanatomy-http")
	opts := &protocol.AcceptOptions{
		Options: protocol.Options{MessageLimit: echoserver.MaxMessage, BatchReplies: true,
			IdleTimeout: 5 * time.Minute}, // serve's default
		CheckOrigin: protocol.AcceptAnyOrigin,
	}
	echoserver.ServeHTTP(ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, opts)
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := context.Background()
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
