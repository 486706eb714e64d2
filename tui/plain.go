package tui

import (
	"context"
	"fmt"
	"github.com/wsanatomy/wsanatomy/tui/views"
	"io"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// PlainWidth is the width the plain walkthrough is wrapped to.
const PlainWidth = 100

// WritePlain runs the whole walkthrough over a real loopback connection
// and writes it to w as annotated text: every step's explanation, then
// every handshake half and frame it produced, dissected in full. This is
// what `wsanatomy --plain` prints, and what runs without a terminal.
func WritePlain(w io.Writer) error {
	q := capture.NewQueue()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all, err := session.RunWalk(ctx, session.Config{ID: 1, Queue: q, SampleNonce: true})
	for _, s := range all {
		s.Close()
	}
	if err != nil {
		return err
	}
	return writePlainEntries(w, q.Drain())
}

func writePlainEntries(w io.Writer, entries []capture.Entry) error {
	o := views.Options{Theme: render.PlainTheme(), Width: PlainWidth, Cursor: -1}
	var b strings.Builder
	b.WriteString("wsanatomy: the WebSocket protocol (RFC 6455), one real connection, byte by byte\n")
	b.WriteString("A client and a server talk over TCP on 127.0.0.1. Every byte below is what went over the wire.\n")
	steps := session.Steps()
	// Each action's entries are those of the connection it ran on: the
	// first to carry its tag.
	ran := map[int]int{}
	for _, e := range entries {
		if _, ok := ran[e.Tag]; !ok && e.Tag >= 0 {
			ran[e.Tag] = e.Conn
		}
	}
	n := 0
	for ai, a := range session.Actions {
		for _, st := range a.Steps {
			n++
			fmt.Fprintf(&b, "\n\n=== step %d/%d: %s\n%s\n", n, len(steps), st.Title, render.Wrap(st.Text, PlainWidth))
		}
		for _, e := range entries {
			if e.Tag != ai || e.Conn != ran[ai] {
				continue
			}
			fmt.Fprintf(&b, "\n--- %s\n%s\n", views.EntryTitle(e), views.Dissect(e, o))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
