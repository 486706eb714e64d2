package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/live"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// serveCapture records served connections in a capture store, for the
// live screen (--tui) and for JSON lines (--json): the same record the
// walkthrough and the proxy make, so the same views draw it.
type serveCapture struct {
	store *capture.Store
}

// newServeCapture returns a capture whose entries, with jsonOut set, are
// also written to it as one JSON object per line.
func newServeCapture(jsonOut io.Writer) *serveCapture {
	lim := capture.Limits{}
	if jsonOut != nil {
		// The lines are the output; the store keeps little beyond the
		// summaries.
		lim.PerConn, lim.All, lim.Payload = 16, 16, 64<<10
	}
	sc := &serveCapture{store: capture.NewStore(lim)}
	if jsonOut != nil {
		start := sc.store.Start()
		sc.store.SetTap(func(e capture.Entry) { jsonOut.Write(views.MarshalLine(e, start)) })
	}
	return sc
}

// observer registers a new connection from peer and returns the observer
// that records it from the server's side.
func (sc *serveCapture) observer(peer string) protocol.Observer {
	if sc == nil {
		return nil
	}
	return sc.store.Open(peer, "serve", protocol.RoleServer).Observe
}

// runServeTUI runs the server in the background and the live screen, in
// lang, in the foreground; quitting the screen stops the server, which closes every
// client with 1001 first.
func runServeTUI(ctx context.Context, s *echoServer, ln net.Listener, lang string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		errc <- s.serve(ctx, ln)
		cancel()
	}()
	title := fmt.Sprintf("serve ws://%s/", ln.Addr())
	uiErr := live.Run(ctx, s.capture.store, live.Options{Title: title, Lang: lang})
	cancel()
	if err := <-errc; err != nil {
		return err
	}
	return uiErr
}
