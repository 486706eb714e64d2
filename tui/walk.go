package tui

import (
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
	err     phrase
}

func newWalk() walk {
	return walk{steps: session.Steps(), ran: map[int]int{}, running: map[int]bool{}}
}

// last reports whether the step on screen is the walkthrough's last.
func (w walk) last() bool { return w.step == len(w.steps)-1 }

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

// restart forgets every action from the first action of group on, so
// that their steps run again on the fresh connection sid, whose opening
// handshake is the group's first action, and puts the first step of that
// action on screen.
func (w *walk) restart(group, sid int) {
	for act := range w.ran {
		if act >= group {
			delete(w.ran, act)
		}
	}
	for act := range w.running {
		if act >= group {
			delete(w.running, act)
		}
	}
	w.ran[group] = sid
	w.running[group] = true
	w.err = phrase{}
	for i, st := range w.steps {
		if st.Action == group {
			w.step = i
			break
		}
	}
}

// View draws the step's title and text in width columns, in lang, with
// hint (what the screen suggests trying, with its keys) under the text.
func (w walk) View(st styles, lang, hint string, width, maxLines int) string {
	s := w.steps[w.step]
	title, text := s.In(lang)
	head := st.title.Render(sayf(lang, "step %d/%d · %s", w.step+1, len(w.steps), title))
	body := render.PlainTheme().WithLang(lang).Wrap(text, width)
	if hint != "" {
		body += "\n" + st.dim.Render(render.PlainTheme().WithLang(lang).Wrap(hint, width))
	}
	if maxLines <= 1 {
		body = ""
	}
	if w.running[s.Action] {
		body += "\n" + st.dim.Render(say(lang, "(running this exchange over the connection...)"))
	}
	if !w.err.empty() {
		body += "\n" + st.bad.Render("✗ "+w.err.in(lang))
	}
	return clampLines(strings.TrimRight(head+"\n"+body, "\n"), max(maxLines, 2))
}

// walkHint is what the screen suggests on the step on screen, with the
// keys of the live key map, in the screen's language: the plain
// walkthrough names no keys, so these lines live here and not in the
// step's text.
// On a narrow screen the fields hint is left out: the dissection's own
// "» tab: pick a field" line says it, and the room is the bit grid's.
func (m Model) walkHint() string {
	lang := m.theme.Lang()
	k := m.keys
	var hints []string
	switch m.walk.steps[m.walk.step].Hint {
	case session.HintFields:
		if !m.wide() {
			break
		}
		hints = append(hints, sayf(lang, "%s: walk through the fields · %s %s: walk through the bytes",
			k.Field.Help().Key, k.BytePrev.Help().Key, k.ByteNext.Help().Key))
	case session.HintTry:
		hints = append(hints, sayf(lang, "%s: free play · %s: raw frame lab · %s: a fresh connection",
			k.Free.Help().Key, k.Lab.Help().Key, k.NewSession.Help().Key))
	}
	if m.walk.last() {
		hints = append(hints, sayf(lang, "The end of the walkthrough. %s: run it again from the start on a fresh connection.", k.Next.Help().Key))
	}
	return strings.Join(hints, "\n")
}
