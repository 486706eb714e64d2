package lessonui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// wideLayout is the width from which the demo goes beside the text.
const wideLayout = 110

func (m Model) wide() bool { return m.w >= wideLayout }

func (m Model) lang() string { return m.cfg.Lang }

// renderTheme is tui/render's theme matching ours.
func (m Model) renderTheme() render.Theme {
	if m.theme.color {
		return render.ColorTheme().WithLang(m.lang())
	}
	return render.PlainTheme().WithLang(m.lang())
}

// clip cuts a line to width columns, escape sequences and wide characters
// included.
func clip(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "")
}

// clipLines clips every line of s.
func clipLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = clip(l, width)
	}
	return strings.Join(lines, "\n")
}

// helpView is the footer: the hint line of the state's keys, or with ?
// the help, both drawn from the live bindings by package keymap.
func (m Model) helpView() string {
	st := keymap.Styles{}
	if m.cfg.Color {
		st = keymap.ColorStyles()
	}
	k := m.bindings()
	if !m.showHelp {
		return keymap.Footer(k.ShortHelp(), nil, m.w, st)
	}
	under := m.stateKeys()
	under.Help = k.Close
	return strings.Join(keymap.HelpLines(under.groups(), m.w, st, m.lang()), "\n")
}

// bodyHeight is the number of lines between the header and the footer.
func (m Model) bodyHeight() int {
	foot := 1
	if m.showHelp {
		foot = strings.Count(m.helpView(), "\n") + 1
	}
	return m.bodyHeightWith(foot)
}

// bodyHeightWith is bodyHeight under a footer of foot lines.
func (m Model) bodyHeightWith(foot int) int { return max(3, m.h-4-foot) }

// contentLines is the number of lines the step's body has.
func (m Model) contentLines() int {
	if m.wide() {
		tw, dw := m.columns()
		d, _ := m.demoLines(dw)
		return max(len(m.textLines(tw)), len(d))
	}
	c, _ := m.content()
	return len(c)
}

// View draws the screen.
func (m Model) View() string {
	if m.reading {
		return m.src.View()
	}
	var lines []string
	if m.screen == screenPicker {
		lines = m.pickerView()
	} else {
		lines = m.lessonView()
	}
	for i, l := range lines {
		lines[i] = clip(l, m.w)
	}
	return strings.Join(lines, "\n")
}

// moreRule is the rule under the body, saying how many lines are below.
func (m Model) moreRule(below int) string {
	if below <= 0 {
		return m.rule()
	}
	arrow := "↓"
	if m.theme.ascii {
		arrow = "v"
	}
	// pgdn is named only when it scrolls: with the help open, the lines
	// the help takes from the text are below too, but pgdn does not go
	// there (closing the help shows them), and the help leaves it out.
	more := fmt.Sprintf(" %s %d ", arrow, below)
	if m.stateKeys().PageDown.Enabled() {
		more = fmt.Sprintf(" %s %d (%s) ", arrow, below, names(m.keys.PageDown))
	}
	left := max(1, m.w-ansi.StringWidth(more)-2)
	return m.theme.r(m.theme.dim, strings.Repeat(m.theme.hbar(), left)+more+strings.Repeat(m.theme.hbar(), 2))
}

func (m Model) rule() string {
	return m.theme.r(m.theme.dim, strings.Repeat(m.theme.hbar(), max(1, m.w)))
}

func (m Model) pickerView() []string {
	lang := m.lang()
	out := []string{m.theme.r(m.theme.heading, " "+tr(lang, "picker.title")), m.rule()}
	body := m.bodyHeight()
	var list []string
	for i, l := range m.cfg.Catalog {
		mark := "  "
		if i == m.cursor {
			mark = m.theme.pointer() + " "
		}
		checks := 0
		for _, s := range l.Steps {
			if s.Check != nil {
				checks++
			}
		}
		status := ""
		if p := m.cfg.Progress; p != nil {
			if p.Complete(l) {
				status = m.theme.r(m.theme.good, m.theme.check()+" "+tr(lang, "picker.done")) + "  "
			}
			if checks > 0 {
				status += fmt.Sprintf(tr(lang, "picker.checks"), p.ChecksPassed(l.Number), checks)
			}
		}
		left := fmt.Sprintf("%s%2d  %s", mark, l.Number, l.Title)
		gap := m.w - ansi.StringWidth(left) - ansi.StringWidth(status) - 1
		if gap < 2 {
			// Too narrow for both: cut the title, keep the marks.
			left = ansi.Truncate(left, max(8, m.w-ansi.StringWidth(status)-3), "…")
			gap = max(1, m.w-ansi.StringWidth(left)-ansi.StringWidth(status)-1)
		}
		line := left + strings.Repeat(" ", gap) + status
		if i == m.cursor {
			line = m.theme.r(m.theme.heading, line)
		}
		list = append(list, line)
	}
	var sum []string
	if m.cursor < len(m.cfg.Catalog) {
		sum = append(sum, "")
		for _, l := range strings.Split(lessons.Wrap(m.cfg.Catalog[m.cursor].Summary, max(10, m.w-4)), "\n") {
			sum = append(sum, "  "+m.theme.r(m.theme.dim, l))
		}
	}
	// Keep the cursor visible when the list is taller than the screen.
	room := max(1, body-len(sum))
	start := 0
	if m.cursor >= room {
		start = m.cursor - room + 1
	}
	list = list[start:min(len(list), start+room)]
	all := append(list, sum...)
	if len(all) > body {
		all = all[:body]
	}
	for len(all) < body {
		all = append(all, "")
	}
	out = append(out, all...)
	out = append(out, m.rule())
	switch {
	case m.confirmReset:
		out = append(out, m.theme.r(m.theme.bad, tr(lang, "reset.confirm")))
	case m.status != "":
		out = append(out, m.status)
	default:
		out = append(out, "")
	}
	out = append(out, strings.Split(m.helpView(), "\n")...)
	return out
}

// textLines are the step's title, text and check, wrapped to width.
func (m Model) textLines(width int) []string {
	lang := m.lang()
	s := m.lesson.Steps[m.step]
	out := []string{m.theme.r(m.theme.heading, s.Title), ""}
	inCode, inSpan := false, false
	for _, l := range strings.Split(lessons.Wrap(lessons.PlainEmphasis(s.Text), width), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			out = append(out, m.theme.r(m.theme.code, l))
			continue
		}
		if strings.TrimSpace(l) == "" {
			inSpan = false // a code span never crosses a paragraph
		}
		out = append(out, m.inline(l, &inSpan))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if c := s.Check; c != nil {
		out = append(out, "", m.theme.r(m.theme.heading, tr(lang, "check")))
		for _, l := range strings.Split(lessons.Wrap(c.Question, width), "\n") {
			out = append(out, m.inline(l, new(bool)))
		}
		a, answered := m.answered[m.step]
		if c.IsChoice() {
			for j, ch := range c.Choices {
				// The option chosen is marked; after a right answer,
				// that option (the right one) stays marked.
				chosen := j == m.choice && !a.correct || a.correct && j == c.Correct
				mark := "  "
				if chosen {
					mark = m.theme.pointer() + " "
				}
				// Numbered as the keys that answer them.
				opt := strings.Split(lessons.Wrap(fmt.Sprintf("%d) %s", j+1, ch), width-2), "\n")
				for k, ol := range opt {
					if k > 0 {
						ol = "   " + ol
					}
					if chosen {
						ol = m.theme.r(m.theme.heading, ol)
					}
					if k == 0 {
						out = append(out, mark+ol)
					} else {
						out = append(out, "  "+ol)
					}
				}
			}
			if !a.correct {
				k := m.keys
				pick := fmt.Sprintf("1-%d", len(c.Choices))
				out = append(out, m.theme.r(m.theme.dim, lessons.Wrap(hint(lang, "check.choice", []string{names(k.chooseKeys()), names(k.Submit), pick}), width)))
			}
		} else {
			k := m.keys
			switch {
			case m.focus:
				out = append(out, m.input.View(), m.theme.r(m.theme.dim, lessons.Wrap(hint(lang, "check.typed", []string{names(k.Submit), names(k.Back)}), width)))
			case answered && a.correct:
				out = append(out, "> "+a.given)
			default:
				out = append(out, m.theme.r(m.theme.dim, hint(lang, "check.unfocused", []string{names(k.Submit, k.Answer)})))
			}
		}
		if m.note != "" {
			out = append(out, strings.Split(lessons.Wrap(m.note, width), "\n")...)
		}
		if answered {
			// The feedback itself says right or wrong; the mark says it
			// at a glance.
			verdict := m.theme.r(m.theme.good, m.theme.check())
			if !a.correct {
				verdict = m.theme.r(m.theme.bad, "✗")
				if m.theme.ascii {
					verdict = m.theme.r(m.theme.bad, "x")
				}
			}
			out = append(out, "")
			span := false
			for _, l := range strings.Split(lessons.Wrap(verdict+" "+a.feedback, width), "\n") {
				out = append(out, m.inline(l, &span))
			}
		}
	}
	if m.done && m.step == len(m.lesson.Steps)-1 {
		next := []string{names(m.keys.Next)}
		if p := m.cfg.Progress; p == nil || p.Complete(m.lesson) {
			out = append(out, "", m.theme.r(m.theme.good, lessons.Wrap(hint(lang, "lesson.done", next, m.lesson.Number), width)))
		} else {
			out = append(out, "", lessons.Wrap(hint(lang, "lesson.unfinished", next, m.lesson.Number, p.ChecksPassed(m.lesson.Number), m.checks()), width))
		}
	}
	return out
}

// inline renders the inline Markdown of one wrapped line: a `code` span
// loses its backticks and, in colour, takes the code style. *open says
// whether a span is open from the line before, since wrapping may cut a
// span in two; it is updated for the next line.
func (m Model) inline(l string, open *bool) string {
	if !strings.Contains(l, "`") && !*open {
		return l
	}
	var b strings.Builder
	for i, part := range strings.Split(l, "`") {
		if i > 0 {
			*open = !*open
		}
		if *open {
			b.WriteString(m.theme.r(m.theme.code, part))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

// demoLines are the step's live demo: its events, one a line, then the
// dissection of the selected one. selAt is the line of the selected event.
func (m Model) demoLines(width int) (out []string, selAt int) {
	lang := m.lang()
	s := m.lesson.Steps[m.step]
	selAt = -1
	if len(s.Actions) == 0 {
		return nil, -1
	}
	out = append(out, m.theme.r(m.theme.heading, tr(lang, "demo")))
	for _, a := range s.Actions {
		out = append(out, m.theme.r(m.theme.dim, "  > "+a.Source))
	}
	res, ok := m.results[m.step]
	if !ok || m.running[m.step] {
		return append(out, tr(lang, "demo.running")), -1
	}
	out = append(out, m.theme.r(m.theme.dim, tr(lang, "demo.legend")))
	t := m.renderTheme()
	n := 0
	var picked int = -1
	for i, e := range res.Events {
		line := oneLine(lang, e, t)
		if selectable(e) {
			mark := "  "
			if n == m.sel {
				mark = m.theme.pointer() + " "
				picked = i
				selAt = len(out)
			}
			line = fmt.Sprintf("%s#%d %s", mark, n+1, line)
			n++
		} else {
			line = "     " + line
		}
		for k, l := range strings.Split(lessons.Wrap(line, width), "\n") {
			if k > 0 {
				l = "     " + l
			}
			out = append(out, l)
		}
	}
	if picked >= 0 {
		out = append(out, m.theme.r(m.theme.dim, strings.Repeat(m.theme.hbar(), width)))
		out = append(out, strings.Split(clipLines(detailFor(lang, res.Events[picked], t, width, m.link, true), width), "\n")...)
		out = append(out, m.theme.r(m.theme.dim, m.demoKeys()))
	}
	return out, selAt
}

// columns returns the text and demo widths.
func (m Model) columns() (text, demo int) {
	if !m.wide() {
		return max(10, m.w-2), max(10, m.w-2)
	}
	text = min(72, m.w/2)
	return text, m.w - text - 5
}

// content is the scrollable body in the narrow layout: text, then demo.
func (m Model) content() (lines []string, selAt int) {
	tw, dw := m.columns()
	lines = m.textLines(tw)
	demo, sel := m.demoLines(dw)
	if len(demo) > 0 {
		lines = append(lines, "", m.theme.r(m.theme.dim, strings.Repeat(m.theme.hbar(), tw)))
		if sel >= 0 {
			sel += len(lines)
		}
		lines = append(lines, demo...)
	}
	return lines, sel
}

func (m Model) selLine() int {
	_, sel := m.content()
	return sel
}

// checkLine is the line of the step's check in the text column.
func (m Model) checkLine() int {
	tw, _ := m.columns()
	lines := m.textLines(tw)
	return max(0, len(lines)-6)
}

func (m *Model) clampScroll() {
	if m.screen != screenLesson {
		return
	}
	m.scroll = max(0, min(m.scroll, m.contentLines()-m.bodyHeight()))
}

func (m Model) lessonView() []string {
	lang := m.lang()
	body := m.bodyHeight()
	head := fmt.Sprintf(" %s · %s", fmt.Sprintf(tr(lang, "lesson"), m.lesson.Number, len(m.cfg.Catalog)), m.lesson.Title)
	stepInfo := fmt.Sprintf(tr(lang, "step"), m.step+1, len(m.lesson.Steps))
	if m.answered != nil && m.lesson.Steps[m.step].Check != nil && m.cfg.Progress != nil && m.cfg.Progress.Passed(m.lesson.Number, m.step) {
		stepInfo = m.theme.check() + " " + stepInfo
	}
	gap := m.w - ansi.StringWidth(head) - ansi.StringWidth(stepInfo) - 1
	if gap < 1 {
		head = ansi.Truncate(head, max(5, m.w-ansi.StringWidth(stepInfo)-3), "…")
		gap = max(1, m.w-ansi.StringWidth(head)-ansi.StringWidth(stepInfo)-1)
	}
	out := []string{m.theme.r(m.theme.heading, head) + strings.Repeat(" ", gap) + stepInfo, m.rule()}
	var rows []string
	total := 0
	if m.wide() {
		tw, dw := m.columns()
		text := m.textLines(tw)
		demo, _ := m.demoLines(dw)
		total = max(len(text), len(demo))
		for i := m.scroll; i < m.scroll+body; i++ {
			l, r := "", ""
			if i < len(text) {
				l = clip(text[i], tw)
			}
			if i < len(demo) {
				r = clip(demo[i], dw)
			}
			pad := tw - ansi.StringWidth(l)
			rows = append(rows, " "+l+strings.Repeat(" ", max(0, pad))+" "+m.theme.r(m.theme.dim, m.theme.vbar())+" "+r)
		}
	} else {
		c, _ := m.content()
		total = len(c)
		for i := m.scroll; i < m.scroll+body && i < len(c); i++ {
			rows = append(rows, " "+c[i])
		}
	}
	for len(rows) < body {
		rows = append(rows, "")
	}
	out = append(out, rows...)
	out = append(out, m.moreRule(total-m.scroll-body))
	if m.status != "" {
		out = append(out, m.status)
	} else {
		out = append(out, "")
	}
	out = append(out, strings.Split(m.helpView(), "\n")...)
	return out
}
