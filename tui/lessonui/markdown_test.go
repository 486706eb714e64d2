package lessonui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// Markdown a terminal reader should never see raw: emphasis marks around
// words, and table rows whose pipes do not line up.
var rawEmphasis = regexp.MustCompile(`\*\*\S|\S\*\*|(^|[^\w*])\*[^*\s]([^*]*[^*\s])?\*($|[^\w*])|__\S`)

// TestLessonScreensRenderMarkdown renders the text of every step of every
// lesson, in both languages and at three widths, as the lesson screen
// draws it, and checks that no emphasis mark and no unaligned table row
// reaches the screen outside code. Inline code is TestInlineMarkdown's.
func TestLessonScreensRenderMarkdown(t *testing.T) {
	for _, lang := range lessons.Languages {
		m, _ := newTestModel(t, lang, 120, 40, true)
		tables := 0
		for _, l := range m.cfg.Catalog {
			for si, s := range l.Steps {
				code := codeLines(s.Text)
				for _, w := range []int{40, 80, 120} {
					m.lesson, m.step = l, si
					lines := m.textLines(w)
					tables += markdownProblems(t, l.File, si, w, lines, code)
				}
			}
		}
		if tables == 0 {
			t.Errorf("%s: no table found in any lesson; the table check checks nothing", lang)
		}
		m.Shutdown()
	}
}

// codeLines are the lines of a step's fenced blocks, which stay as written.
func codeLines(md string) map[string]bool {
	out := map[string]bool{}
	fence := false
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		if fence {
			out[strings.TrimRight(l, " ")] = true
		}
	}
	return out
}

// markdownProblems reports raw Markdown in the rendered lines and returns
// how many tables it checked.
func markdownProblems(t *testing.T, file string, step, width int, lines []string, code map[string]bool) int {
	t.Helper()
	tables := 0
	var block []string // consecutive lines that start with a pipe
	endBlock := func() {
		if len(block) > 1 {
			tables++
			cols := pipeColumns(block[0])
			for _, b := range block[1:] {
				if pc := pipeColumns(b); !equalInts(pc, cols) {
					t.Errorf("%s step %d at %d columns: a table's pipes do not line up:\n%s", file, step+1, width, strings.Join(block, "\n"))
					break
				}
			}
		}
		block = nil
	}
	for _, l := range lines {
		if code[strings.TrimRight(l, " ")] {
			endBlock()
			continue
		}
		// Code spans are shown without their backticks; a line with a
		// span is checked outside it by TestInlineMarkdown.
		if rawEmphasis.MatchString(l) {
			t.Errorf("%s step %d at %d columns: raw emphasis: %q", file, step+1, width, l)
		}
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			block = append(block, strings.TrimSpace(l))
			continue
		}
		endBlock()
	}
	endBlock()
	return tables
}

// pipeColumns are the display columns of the pipes of a table row.
func pipeColumns(row string) []int {
	var out []int
	col := 0
	for _, r := range row {
		if r == '|' {
			out = append(out, col)
		}
		col += lessons.RuneWidth(r)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
