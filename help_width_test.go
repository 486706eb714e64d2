package main

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// No line of any help, in either language, is wider than 80 columns (a
// Chinese character counts two): on an 80-column terminal, help does not
// fold mid-word. Nor does laying it out lose a word.
func TestHelpFits80Columns(t *testing.T) {
	noLocale(t)
	for _, cmd := range append([]string{""}, commands...) {
		for _, lang := range []string{"en", "zh"} {
			args := []string{"help", "--lang", lang}
			if cmd != "" {
				args = []string{"help", cmd, "--lang", lang}
			}
			code, out, stderr := runCLI(args...)
			if code != 0 {
				t.Errorf("%q: exit %d, %s", args, code, stderr)
				continue
			}
			for _, line := range strings.Split(out, "\n") {
				if w := lessons.Width(line); w > 80 {
					t.Errorf("%q: a line of %d columns: %q", args, w, line)
				}
			}
			if cmd == "" {
				want := strings.Join(strings.Fields(strings.ReplaceAll(tr(lang, usage, usageZh), "\n", "")), "")
				got := strings.Join(strings.Fields(strings.ReplaceAll(out, "\n", "")), "")
				if got != want {
					t.Errorf("%q: laying out the usage changed its words:\n%s", args, out)
				}
			}
		}
	}
}

// dial's usage line names every flag dial has.
func TestDialUsageLineListsEveryFlag(t *testing.T) {
	line, _, _ := strings.Cut(commandHelp["dial"][0], "\n")
	_, out, _ := runCLI("help", "dial", "--lang", "en")
	_, flags, _ := strings.Cut(out, "\nFlags:\n")
	for _, l := range strings.Split(flags, "\n") {
		if !strings.HasPrefix(l, "  -") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimSpace(l), " ")
		if !strings.Contains(line, "["+name) {
			t.Errorf("dial's usage line %q lacks %s", line, name)
		}
	}
}

// On a narrower terminal every help still fits, but for a word wider than
// the line (a long flag or URL) and an example command to type, which the
// layout never splits.
func TestFitHelpNarrow(t *testing.T) {
	for _, width := range []int{60, 40} {
		for _, text := range []string{usage, usageZh, "Usage: " + commandHelp["dial"][0], "用法：" + commandHelp["check"][1]} {
			for _, line := range strings.Split(fitHelp(text, width), "\n") {
				if lessons.Width(line) <= width || strings.HasPrefix(line, "  wsanatomy ") && !strings.Contains(line, "   ") {
					continue
				}
				if f := strings.Fields(line); len(f) == 1 || lessons.Width(strings.TrimLeft(line, " ")) <= width && len(f) <= 2 {
					continue // one word alone: nothing to break at
				}
				t.Errorf("width %d: a line of %d columns: %q", width, lessons.Width(line), line)
			}
		}
	}
}
