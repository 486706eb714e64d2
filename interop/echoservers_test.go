package interop

// Echo servers built the way each library's documentation shows, for the
// conformance cases: every message goes back with its type.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/gorilla/websocket"
)

// libEcho starts an httptest server with handler h and returns its ws://
// URL. The handlers' goroutines are waited for (bounded) at cleanup.
func libEcho(t testing.TB, h func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		h(w, r)
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		waitGroupTimeout(t, &wg, 10*time.Second, "echo handlers")
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

// gorillaEcho is gorilla/websocket's echo example: ReadMessage, then
// WriteMessage with the same type. gorilla has no message limit by
// default (SetReadLimit is not called).
func gorillaEcho(t testing.TB) string {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	})
}

// gorillaUTF8Echo is gorillaEcho with the check gorilla leaves to the
// application, as gorilla's own Autobahn server (examples/autobahn) does:
// a text message that is not UTF-8 is answered with 1007.
func gorillaUTF8Echo(t testing.TB) string {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if typ == websocket.TextMessage && !utf8.Valid(msg) {
				c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, ""), time.Now().Add(5*time.Second))
				// Wait (bounded) for the client's close, so that closing
				// TCP does not reset the connection under it.
				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				c.ReadMessage()
				return
			}
			if err := c.WriteMessage(typ, msg); err != nil {
				return
			}
		}
	})
}

// coderEcho is coder/websocket's echo: Read, then Write with the same
// type. coder's default read limit is 32 KiB, far below the cases' 16 MiB,
// so it is raised to 32 MiB, as its documentation says to
// (Conn.SetReadLimit).
func coderEcho(t testing.TB) string {
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		c, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.SetReadLimit(32 << 20)
		ctx := context.Background()
		for {
			typ, msg, err := c.Read(ctx)
			if err != nil {
				return
			}
			if err := c.Write(ctx, typ, msg); err != nil {
				return
			}
		}
	})
}

// gobwasEcho is gobwas/ws's high-level echo from its README: wsutil's
// ReadClientData, then WriteServerMessage with the same opcode.
func gobwasEcho(t testing.TB) string {
	return libEcho(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			msg, op, err := wsutil.ReadClientData(conn)
			if err != nil {
				return
			}
			if err := wsutil.WriteServerMessage(conn, op, msg); err != nil {
				return
			}
		}
	})
}
