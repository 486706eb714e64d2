// Command echo-coder is the coder/websocket echo server of the load test:
// Accept behind net/http, Reader into a reused buffer and Write, with
// context.Background.
package main

import (
	"context"
	"net/http"
	"os"

	"github.com/coder/websocket"
	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
)

func main() {
	ln := echoserver.Listen("echo-coder")
	echoserver.ServeHTTP(ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(echoserver.MaxMessage)
		ctx := context.Background()
		var buf []byte
		for {
			typ, r, err := c.Reader(ctx)
			if err != nil {
				return
			}
			if buf, err = echoserver.ReadMessage(r, buf); err != nil {
				return
			}
			if err := c.Write(ctx, typ, buf); err != nil {
				return
			}
		}
	})
	os.Exit(1)
}
