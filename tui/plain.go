package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// PlainWidth is the width the plain walkthrough is wrapped to when its
// output is not a terminal (a pipe, a file, CI).
const PlainWidth = 80

// minPlainWidth is the narrowest the plain walkthrough is wrapped to,
// whatever the terminal says: below it, no line of prose fits a sentence.
const minPlainWidth = 40

// PlainWidthOf is the width to wrap the plain walkthrough to when it is
// written to f: the terminal's width when f is one, else PlainWidth.
func PlainWidthOf(f *os.File) int {
	if f == nil || !term.IsTerminal(f.Fd()) {
		return PlainWidth
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil || w <= 0 {
		return PlainWidth
	}
	return max(w, minPlainWidth)
}

// WritePlain runs the whole walkthrough over a real loopback connection
// and writes it to w as annotated text in lang ("zh" for Simplified
// Chinese, anything else for English), wrapped to width columns: each
// step's explanation, then the entries it shows, dissected in full. This
// is what `wsanatomy --plain` prints, and what runs without a terminal.
// It names no keys: there are none to press.
func WritePlain(w io.Writer, lang string, width int) error {
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
	return writePlainEntries(w, q.Drain(), lang, width)
}

// plainStep is one step of the plain walkthrough and the entries printed
// under it.
type plainStep struct {
	session.FlatStep
	entries []capture.Entry
}

// plainSteps puts every entry of the walkthrough under the step that
// shows it: a step owns the entry it picks and those after it, up to the
// one the next step of its action picks, so that an echo nobody picks
// stays with the step before it and a step's text is followed by its own
// frames. The first step of an action also owns the entries before its
// pick (the first "Hello" of the two that the last part sends).
func plainSteps(entries []capture.Entry) []plainStep {
	// Each action's entries are those of the connection it ran on: the
	// first to carry its tag.
	ran := map[int]int{}
	byAction := map[int][]capture.Entry{}
	for _, e := range entries {
		if e.Tag < 0 {
			continue // the closing handshakes that end the sessions
		}
		if _, ok := ran[e.Tag]; !ok {
			ran[e.Tag] = e.Conn
		}
		if e.Conn == ran[e.Tag] {
			byAction[e.Tag] = append(byAction[e.Tag], e)
		}
	}
	var out []plainStep
	for ai, a := range session.Actions {
		es := byAction[ai]
		for si, st := range a.Steps {
			from, to := min(st.Pick, len(es)), len(es)
			if si == 0 {
				from = 0
			}
			if si+1 < len(a.Steps) {
				to = min(a.Steps[si+1].Pick, len(es))
			}
			ps := plainStep{FlatStep: session.FlatStep{Action: ai, Step: st}}
			if from < to {
				ps.entries = es[from:to]
			}
			out = append(out, ps)
		}
	}
	return out
}

func writePlainEntries(w io.Writer, entries []capture.Entry, lang string, width int) error {
	width = max(width, minPlainWidth)
	t := render.PlainTheme().WithLang(lang)
	o := views.Options{Theme: t, Width: width, Cursor: -1}
	var b strings.Builder
	b.WriteString(t.Wrap(say(lang, "wsanatomy: the WebSocket protocol (RFC 6455), real connections, byte by byte"), width) + "\n")
	b.WriteString(t.Wrap(say(lang, "A client and a server talk over TCP on 127.0.0.1. Every byte below is what went over the wire."), width) + "\n")
	steps := plainSteps(entries)
	for i, st := range steps {
		title, text := st.In(lang)
		head := sayf(lang, "=== step %d/%d: %s", i+1, len(steps), title)
		fmt.Fprintf(&b, "\n\n%s\n%s\n", t.Wrap(head, width), t.Wrap(text, width))
		for _, e := range st.entries {
			fmt.Fprintf(&b, "\n--- %s\n%s\n", t.Wrap(views.EntryTitleIn(e, lang), width-4), views.Dissect(e, o))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
