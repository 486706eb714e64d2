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
	s, err := session.Start(ctx, session.Config{ID: 1, Queue: q, SampleNonce: true})
	if err != nil {
		return err
	}
	defer s.Close()
	var entries []capture.Entry
	for i := range session.Actions {
		if i > 0 {
			if err := s.RunAction(i); err != nil {
				return err
			}
		}
		entries = append(entries, q.Drain()...)
	}
	s.Close()
	entries = append(entries, q.Drain()...)
	return writePlainEntries(w, entries)
}

func writePlainEntries(w io.Writer, entries []capture.Entry) error {
	o := views.Options{Theme: render.PlainTheme(), Width: PlainWidth, Cursor: -1}
	var b strings.Builder
	b.WriteString("wsanatomy: the WebSocket protocol (RFC 6455), one real connection, byte by byte\n")
	b.WriteString("A client and a server talk over TCP on 127.0.0.1. Every byte below is what went over the wire.\n")
	steps := session.Steps()
	n := 0
	for ai, a := range session.Actions {
		for _, st := range a.Steps {
			n++
			fmt.Fprintf(&b, "\n\n=== step %d/%d: %s\n%s\n", n, len(steps), st.Title, render.Wrap(st.Text, PlainWidth))
		}
		for _, e := range entries {
			if e.Tag != ai || e.Conn != 1 {
				continue
			}
			fmt.Fprintf(&b, "\n--- %s\n%s\n", views.EntryTitle(e), views.Dissect(e, o))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
