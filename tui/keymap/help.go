package keymap

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// Group is one titled part of a help screen: the keys of one mode or
// area, its title already in the screen's language.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// Styles draw the help screen and the hint line; the zero value draws
// plain text (NO_COLOR, golden files).
type Styles struct {
	Title, Key, Desc, Dim lipgloss.Style
}

// ColorStyles are the help's usual colours.
func ColorStyles() Styles {
	return Styles{
		Title: lipgloss.NewStyle().Bold(true),
		Key:   lipgloss.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#909090", Dark: "#626262"}),
		Desc:  lipgloss.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B2B2B2", Dark: "#4A4A4A"}),
		Dim:   lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
	}
}

// Shown returns the groups as a help screen shows them: disabled bindings
// left out, and groups left with none dropped.
func Shown(groups []Group) []Group {
	var out []Group
	for _, g := range groups {
		bs := Enabled(g.Bindings...)
		if len(bs) > 0 {
			out = append(out, Group{g.Title, bs})
		}
	}
	return out
}

// block draws one group: its title, then a line per binding with the keys
// in a column as wide as the group's widest.
func (st Styles) block(g Group) string {
	kw := 0
	for _, b := range g.Bindings {
		kw = max(kw, lipgloss.Width(b.Help().Key))
	}
	lines := []string{st.Title.Render(g.Title)}
	for _, b := range g.Bindings {
		k := b.Help().Key
		lines = append(lines, st.Key.Render(k+strings.Repeat(" ", kw-lipgloss.Width(k)))+"  "+st.Desc.Render(b.Help().Desc))
	}
	return strings.Join(lines, "\n")
}

// HelpLines is the keys part of a help screen in lang, width columns wide
// at most where the descriptions allow: a line saying that only the keys
// that act now are listed, then each group's enabled bindings under its
// title, groups side by side while they fit, then stacked.
//
// Only those keys, because the screens give one key different work in
// different states (↓ is the next frame, or a line of text, or the next
// option): listing the idle bindings too would list ↓ three times. The
// first line says so, so that a learner who misses a key knows it is
// hidden because it does nothing here now.
func HelpLines(groups []Group, width int, st Styles, lang string) []string {
	var rows []string
	var row []string
	rowW := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
		}
		row, rowW = nil, 0
	}
	for _, g := range Shown(groups) {
		b := st.block(g)
		w := lipgloss.Width(b)
		if len(row) > 0 && rowW+3+w > width {
			flush()
		}
		if len(row) > 0 {
			row = append(row, "   ")
			rowW += 3
		}
		row = append(row, b)
		rowW += w
	}
	flush()
	var out []string
	for _, l := range strings.Split(lessons.Wrap(T(Lang(lang), nowNote), max(10, width)), "\n") {
		out = append(out, st.Dim.Render(l))
	}
	for i, r := range rows {
		if i > 0 {
			out = append(out, "")
		}
		for _, l := range strings.Split(r, "\n") {
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return out
}

// Footer is a hint line of width columns: " key desc • key desc …". The
// tail (the way to the help, out of a form, or out) is never cut; the body
// loses whole items from its end, marked with "…", when the line is too
// narrow. Disabled bindings are left out.
func Footer(body, tail []key.Binding, width int, st Styles) string {
	sep := st.Dim.Render(" • ")
	item := func(b key.Binding) string {
		return st.Key.Render(b.Help().Key) + " " + st.Desc.Render(b.Help().Desc)
	}
	var ts []string
	for _, b := range Enabled(tail...) {
		ts = append(ts, item(b))
	}
	t := strings.Join(ts, sep)
	// Each body item takes its width and the separator after it; the
	// line starts with a space.
	room := width - 1 - lipgloss.Width(t)
	var parts []string
	used := 0
	for i, b := range Enabled(body...) {
		it := item(b)
		w := lipgloss.Width(it) + lipgloss.Width(sep)
		if used+w > room {
			if i > 0 && used+1+lipgloss.Width(sep) <= room {
				parts = append(parts, st.Dim.Render("…"))
			}
			break
		}
		parts = append(parts, it)
		used += w
	}
	if t != "" {
		parts = append(parts, t)
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(" " + strings.Join(parts, sep))
}

// FooterRanked is Footer for a body whose items are not equally useful:
// rank[i] is body[i]'s (0 the most useful). When the line is too narrow,
// the items of the highest rank go first (of equal rank, the later), and
// those that stay keep their order; a line that lost items shows more in
// place of the tail's binding with the same key (the help, saying that it
// lists the rest), so that the line ends with "? more", never with a key
// cut in half.
func FooterRanked(body []key.Binding, rank []int, tail []key.Binding, more key.Binding, width int, st Styles) string {
	var items []key.Binding
	var ranks []int
	for i, b := range body {
		if b.Enabled() {
			items = append(items, b)
			ranks = append(ranks, rank[i])
		}
	}
	dropped := false
	for {
		ts := tail
		if dropped {
			ts = make([]key.Binding, len(tail))
			for i, b := range tail {
				if b.Help().Key == more.Help().Key {
					b = more
				}
				ts[i] = b
			}
		}
		line := " " + footerItems(append(append([]key.Binding(nil), items...), Enabled(ts...)...), st)
		if lipgloss.Width(line) <= width || len(items) == 0 {
			return lipgloss.NewStyle().MaxWidth(width).Render(line)
		}
		worst := 0
		for i := range items {
			if ranks[i] >= ranks[worst] {
				worst = i
			}
		}
		items = append(items[:worst:worst], items[worst+1:]...)
		ranks = append(ranks[:worst:worst], ranks[worst+1:]...)
		dropped = true
	}
}

// footerItems is bs as a hint line's items, "key desc • key desc".
func footerItems(bs []key.Binding, st Styles) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = st.Key.Render(b.Help().Key) + " " + st.Desc.Render(b.Help().Desc)
	}
	return strings.Join(parts, st.Dim.Render(" • "))
}

// Screen is a whole help screen: a title line naming the way back, the
// groups of keys, the rule of esc, then the screen's own notes.
type Screen struct {
	Lang   string
	Groups []Group
	// Notes are lines already wrapped by the screen, shown under the keys.
	Notes  []string
	Styles Styles
	// EscLeaves says whether esc, on the screen itself (no help, form or
	// sub-view open), leaves it; the help's sentence about esc says
	// which, so that it is true of the screen.
	EscLeaves bool
}

// Lines is the whole help screen at width, line by line. Its title line
// names the enabled keys of back (the way out of the help) and scroll.
func (s Screen) Lines(width int, back, scroll []key.Binding) []string {
	lang := Lang(s.Lang)
	way := ""
	if b := Enabled(back...); len(b) > 0 {
		way = sprintf(T(lang, "%s: back"), Names(b...))
	}
	if sc := Enabled(scroll...); len(sc) > 0 {
		way += T(lang, " · ") + sprintf(T(lang, "%s: scroll"), Names(sc...))
	}
	lines := []string{s.Styles.Title.Render(T(lang, "keys")) + "  " + s.Styles.Dim.Render(way)}
	lines = append(lines, HelpLines(s.Groups, width, s.Styles, lang)...)
	lines = append(lines, "")
	rule := escStays
	if s.EscLeaves {
		rule = escRule
	}
	for _, l := range strings.Split(lessons.Wrap(T(lang, rule), max(10, width-1)), "\n") {
		lines = append(lines, s.Styles.Dim.Render(l))
	}
	if len(s.Notes) > 0 {
		lines = append(lines, "")
		lines = append(lines, s.Notes...)
	}
	return lines
}

// nowNote heads the keys of every help screen.
const nowNote = "Only the keys that act here now are listed; the others appear where they work."

// escRule and escStays are what a help screen says about esc and q: on a
// screen esc leaves, and on one it does not (a running server's list, the
// walkthrough, where esc would lose the place or stop the server).
const (
	escRule  = "esc closes this help first, then leaves a form or a sub-view, then the screen; q quits wsanatomy from every screen."
	escStays = "esc closes this help first, then leaves a form or a sub-view; on this screen itself it does nothing. q quits wsanatomy from every screen."
)

// Window shows height lines of lines from top (clamped), the last one
// saying how many lines are left below when some are; it returns the lines
// and the top used.
func Window(lines []string, height, top int, lang string, st Styles) ([]string, int) {
	height = max(1, height)
	top = max(0, min(top, len(lines)-height))
	lines = lines[top:]
	if more := len(lines) - height; more > 0 {
		lines = append(lines[:height-1:height-1], st.Dim.Render(sprintf(T(Lang(lang), "↓ %d more lines"), more+1)))
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines[:height], top
}
