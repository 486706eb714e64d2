package tui

import (
	"fmt"
	"strings"

	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// walk is the guided walkthrough: which step is on screen and which
// session ran each action.
type walk struct {
	steps   []session.FlatStep
	step    int
	ran     map[int]int // action -> session that ran it
	running map[int]bool
	err     string
}

func newWalk() walk {
	return walk{steps: session.Steps(), ran: map[int]int{}, running: map[int]bool{}}
}

// target returns the timeline index the current step shows, if its
// entries have arrived.
func (w walk) target(tl *timeline) (int, bool) {
	st := w.steps[w.step]
	sid, ok := w.ran[st.Action]
	if !ok {
		return 0, false
	}
	idx := tl.byTag[[2]int{sid, st.Action}]
	if st.Pick >= len(idx) {
		return 0, false
	}
	return idx[st.Pick], true
}

// View draws the step's title and text in width columns.
func (w walk) View(st styles, width, maxLines int) string {
	s := w.steps[w.step]
	head := st.title.Render(fmt.Sprintf("step %d/%d · %s", w.step+1, len(w.steps), s.Title))
	body := render.Wrap(s.Text, width)
	if maxLines <= 1 {
		body = ""
	}
	if w.running[s.Action] {
		body += "\n" + st.dim.Render("(running this exchange over the connection...)")
	}
	if w.err != "" {
		body += "\n" + st.bad.Render("✗ "+w.err)
	}
	return clampLines(strings.TrimRight(head+"\n"+body, "\n"), max(maxLines, 2))
}
