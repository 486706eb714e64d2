package lessonui

import (
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/source"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// The link from a lesson's demo to the code: tab and shift+tab pick a field of the
// selected frame (or a header of the selected handshake), s opens the
// annotated source reader (package tui/source) at the code that encodes
// and decodes it, the first field when none is picked. The reader takes
// the whole screen; esc comes back to the lesson as it was (q quits).

// codeLink is one field or header of an event that the reader has code
// for.
type codeLink struct {
	id    string       // the sourcebook ID
	field render.Field // for a frame field; FieldNone for a header
	text  string       // for a header: its line as sent
}

// frameLinks are the fields frame wire has, in wire order.
func frameLinks(wire []byte) []codeLink {
	f := render.ParseFrame(wire)
	var out []codeLink
	for _, fl := range f.Fields() {
		out = append(out, codeLink{id: f.SourceID(fl), field: fl})
	}
	return out
}

// headerLinks are the header lines of a handshake head that have a
// sourcebook ID, in the order they were sent.
func headerLinks(raw []byte) []codeLink {
	var out []codeLink
	for _, h := range render.HeaderSources(raw) {
		out = append(out, codeLink{id: h.ID, text: h.Line})
	}
	return out
}

// eventLinks are the fields or headers of an event that the reader has
// code for: none for notes, races, HTTP and closes.
func eventLinks(e lessonrun.Event) []codeLink {
	switch e.Kind {
	case lessonrun.KindFrame:
		return frameLinks(e.Entry.Wire)
	case lessonrun.KindRaw:
		return frameLinks(e.Entry.Wire)
	case lessonrun.KindHandshake:
		return headerLinks(e.Entry.Handshake.Raw)
	}
	return nil
}

// selected returns the selected demo event, if the step's demo has run.
func (m Model) selected() (lessonrun.Event, bool) {
	ev := m.selectables()
	if m.running[m.step] || m.sel < 0 || m.sel >= len(ev) {
		return lessonrun.Event{}, false
	}
	return ev[m.sel], true
}

// linkIndex is the index of the picked field in links, or -1.
func (m Model) linkIndex(links []codeLink) int {
	for i, l := range links {
		if l.id == m.link {
			return i
		}
	}
	return -1
}

// moveLink picks the next (d=1) or previous field of the selected event.
func (m *Model) moveLink(d int) {
	e, ok := m.selected()
	if !ok {
		return
	}
	links := eventLinks(e)
	if len(links) == 0 {
		return
	}
	i := m.linkIndex(links)
	i = views.Step(i, d, len(links))
	m.link = links[i].id
	m.showPick()
}

// showPick scrolls the line of the demo's » hint, which names the picked
// field or header, into view, so that a pick is never made out of sight.
func (m *Model) showPick() {
	var lines []string
	if m.wide() {
		_, dw := m.columns()
		lines, _ = m.demoLines(dw)
	} else {
		lines, _ = m.content()
	}
	body := m.bodyHeight()
	for i, l := range lines {
		if strings.Contains(ansi.Strip(l), "» ") {
			if i < m.scroll || i >= m.scroll+body {
				m.scroll = max(0, i-body/2)
			}
			break
		}
	}
	m.clampScroll()
}

// openCode opens the reader at the picked field of the selected event, or
// its first one; it does nothing for an event without any.
func (m *Model) openCode() {
	e, ok := m.selected()
	if !ok {
		return
	}
	links := eventLinks(e)
	if len(links) == 0 {
		return
	}
	id := links[max(0, m.linkIndex(links))].id
	st := source.PlainStyles()
	switch {
	case m.cfg.Color:
		st = source.DefaultStyles()
	case os.Getenv("NO_COLOR") != "":
		st = source.NoColorStyles()
	}
	rd, err := source.Embed(m.src, m.srcReady, m.cfg.Lang, &st, m.w, m.h, id)
	if err != nil {
		m.status = err.Error()
		return
	}
	m.src, m.srcReady, m.reading = rd, true, true
}

// codeHint is the line under a dissection's heading saying what s opens.
// The keys it names are the lesson screen's own bindings.
func codeHint(lang string, links []codeLink, picked string, header bool) string {
	k := newKeys(lang)
	for _, l := range links {
		if l.id == picked {
			return "» " + hint(lang, "code.see", []string{names(k.Code)}, linkName(l))
		}
	}
	label := "code.pick"
	if header {
		label = "code.pickheader"
	}
	return "» " + hint(lang, label, []string{names(k.Field, k.FieldBack), names(k.Code)}, linkName(links[0]))
}

// linkName is how the hint names a field: as the frame figure does.
func linkName(l codeLink) string {
	if l.field != render.FieldNone {
		return l.field.Name()
	}
	return l.id
}

// markHeader marks the picked header of a rendered handshake head and puts
// the hint under it (under its note, when the note wraps below it). With
// no header picked, the hint goes first.
func markHeader(head string, links []codeLink, picked, hint string, t render.Theme) string {
	lines := strings.Split(head, "\n")
	for _, l := range links {
		if l.id != picked {
			continue
		}
		for i, ln := range lines {
			if !strings.HasPrefix(ln, l.text) {
				continue
			}
			lines[i] = t.Field(render.FieldNone, l.text, true) + ln[len(l.text):]
			j := i + 1
			for j < len(lines) && strings.HasPrefix(lines[j], "    ") {
				j++
			}
			lines = append(lines[:j], append([]string{"  " + hint}, lines[j:]...)...)
			return strings.Join(lines, "\n")
		}
	}
	return hint + "\n" + head
}
