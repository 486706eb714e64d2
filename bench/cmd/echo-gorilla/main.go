// Command echo-gorilla is the gorilla/websocket echo server of the load
// test: Upgrader behind net/http with its default 4 KiB buffers,
// NextReader into a reused buffer and WriteMessage.
package main

import (
	"net/http"
	"os"

	"github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
)

func main() {
	ln := echoserver.Listen("echo-gorilla")
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	echoserver.ServeHTTP(ln, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetReadLimit(echoserver.MaxMessage)
		var buf []byte
		for {
			typ, r, err := c.NextReader()
			if err != nil {
				return
			}
			if buf, err = echoserver.ReadMessage(r, buf); err != nil {
				return
			}
			if err := c.WriteMessage(typ, buf); err != nil {
				return
			}
		}
	})
	os.Exit(1)
}
