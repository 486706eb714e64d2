package protocol_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// An echo server as a net/http handler, and a client that talks to it.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, nil)
		if err != nil {
			return // Accept already answered 400, 403 or 426
		}
		ctx := r.Context()
		for {
			typ, msg, err := c.ReadMessage(ctx)
			if err != nil {
				return // the client closed, or broke a rule and got a close frame
			}
			c.WriteMessage(ctx, typ, msg)
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	c, err := protocol.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/", nil)
	if err != nil {
		log.Fatal(err)
	}
	c.WriteMessage(ctx, protocol.TextMessage, []byte("Hello"))
	typ, msg, _ := c.ReadMessage(ctx)
	fmt.Println(typ, string(msg))
	c.Close(protocol.CloseNormal, "bye")
	fmt.Println(c.PeerClose())
	// Output:
	// text Hello
	// websocket: closed with 1000 (normal closure)
}

// Watching every frame with an observer, with the masking key of the RFC's
// example (§5.7) injected so that the bytes are reproducible.
func ExampleObserver() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := protocol.Accept(w, r, nil)
		if err == nil {
			c.ReadMessage(r.Context())
		}
	}))
	defer srv.Close()

	fixedKey := strings.NewReader(strings.Repeat("\x37\xfa\x21\x3d", 8))
	opts := &protocol.DialOptions{Options: protocol.Options{
		Rand: fixedKey,
		Observer: func(e protocol.Event) {
			if f, ok := e.(*protocol.FrameEvent); ok && f.Dir == protocol.Sent {
				fmt.Printf("% x | % x\n", f.RawHeader, f.Payload)
			}
		},
	}}
	c, err := protocol.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/", opts)
	if err != nil {
		log.Fatal(err)
	}
	c.WriteMessage(context.Background(), protocol.TextMessage, []byte("Hello"))
	c.CloseNow()
	// Output:
	// 81 85 37 fa 21 3d | 7f 9f 4d 51 58
}
