// Command echo-wsanatomy-http is wsanatomy's echo server the way
// `wsanatomy serve` runs it, minus the frame log: protocol.Accept inside a
// net/http handler, ReadMessage and WriteMessage. Set beside
// echo-wsanatomy and `wsanatomy serve`, it splits what serve costs into
// what net/http and ReadMessage add and what the observer and its log add.
package main

import (
	"context"
	"net/http"
	"os"

	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
	"github.com/wsanatomy/wsanatomy/protocol"
)

func main() {
	ln := echoserver.Listen("echo-wsanatomy-http")
	opts := &protocol.AcceptOptions{
		Options:     protocol.Options{MessageLimit: echoserver.MaxMessage},
		CheckOrigin: protocol.AcceptAnyOrigin,
	}
	echoserver.ServeHTTP(ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, opts)
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := context.Background()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				return
			}
			if err := c.WriteMessage(ctx, typ, msg); err != nil {
				return
			}
		}
	})
	os.Exit(1)
}
