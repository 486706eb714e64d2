package lessons

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// parseLesson parses one lesson file. name is its path in the embedded file
// system ("en/03-frames.md"); every error starts with name:line so a teacher
// can find the mistake.
//
// The format (README.md has the full description):
//
//	# Title
//	One-line summary.
//
//	## Step title
//	Markdown text with {{template expressions}}.
//	```action
//	client text "Hello"
//	```
//	```check
//	question: ...
//	+ right option
//	- wrong option
//	right: ...
//	wrong: ...
//	```
func parseLesson(name, src string) (*Lesson, error) {
	l := &Lesson{File: name}
	num, slug, err := splitFileName(path.Base(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l.Number, l.Slug = num, slug
	lang := "en"
	if path.Base(path.Dir(name)) == "zh" {
		lang = "zh" // names computed by expressions are said in Chinese
	}

	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	var (
		step      *Step
		text      []string // the current step's text lines
		block     string   // "action", "check", "code" or "" outside a fence
		blockLine int
		checkP    *checkParser
		summary   []string
	)
	endStep := func() {
		if step != nil {
			step.Text = squeezeBlank(strings.Trim(strings.Join(text, "\n"), "\n"))
			l.Steps = append(l.Steps, *step)
		}
		text = nil
	}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i, raw := range lines {
		n := i + 1
		line, err := expandIn(lang, raw)
		if err != nil {
			return nil, fail(n, "%v", err)
		}
		trimmed := strings.TrimSpace(line)
		fence := strings.HasPrefix(trimmed, "```")

		// Inside a fenced block.
		switch block {
		case "action":
			if fence {
				block = ""
				continue
			}
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue // blank lines and comments
			}
			a, err := parseAction(trimmed)
			if err != nil {
				return nil, fail(n, "action %q: %v", trimmed, err)
			}
			a.Line = n
			step.Actions = append(step.Actions, a)
			continue
		case "check":
			if fence {
				c, err := checkP.done()
				if err != nil {
					return nil, fail(blockLine, "%v", err)
				}
				c.Line = blockLine
				step.Check = c
				block = ""
				continue
			}
			if err := checkP.line(raw, line); err != nil {
				return nil, fail(n, "%v", err)
			}
			continue
		case "code":
			text = append(text, line)
			if fence {
				block = ""
			}
			continue
		}

		switch {
		case fence:
			info := strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))
			if step == nil {
				return nil, fail(n, "fenced block before the first step (## heading)")
			}
			blockLine = n
			switch info {
			case "action":
				block = "action"
			case "check":
				if step.Check != nil {
					return nil, fail(n, "a step has at most one check")
				}
				block, checkP = "check", &checkParser{}
			default:
				block = "code"
				text = append(text, line)
			}
		case strings.HasPrefix(line, "# "):
			if l.Title != "" {
				return nil, fail(n, "second title; steps start with ## ")
			}
			l.Title = strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "## "):
			if l.Title == "" {
				return nil, fail(n, "step before the # title")
			}
			endStep()
			step = &Step{Title: strings.TrimSpace(line[3:]), Line: n}
		case step == nil:
			if trimmed == "" {
				continue
			}
			if l.Title == "" {
				return nil, fail(n, "a lesson starts with a # title")
			}
			summary = append(summary, trimmed)
		default:
			text = append(text, line)
		}
	}
	if block != "" {
		return nil, fail(blockLine, "```%s block is not closed", block)
	}
	endStep()
	switch {
	case l.Title == "":
		return nil, fail(1, "no # title")
	case len(summary) != 1:
		return nil, fail(1, "want a one-line summary after the title, got %d lines", len(summary))
	case len(l.Steps) == 0:
		return nil, fail(1, "no steps (## headings)")
	}
	l.Summary = summary[0]
	for _, s := range l.Steps {
		if s.Title == "" {
			return nil, fail(s.Line, "step without a title")
		}
	}
	return l, nil
}

// splitFileName reads "03-frames.md" as 3 and "frames".
func splitFileName(base string) (int, string, error) {
	stem, ok := strings.CutSuffix(base, ".md")
	numStr, slug, ok2 := strings.Cut(stem, "-")
	n, err := strconv.Atoi(numStr)
	if !ok || !ok2 || err != nil || n <= 0 || slug == "" {
		return 0, "", fmt.Errorf("lesson file name %q: want NN-slug.md", base)
	}
	return n, slug, nil
}

// squeezeBlank turns runs of blank lines into one, outside fenced code:
// removing an action block from between two paragraphs leaves two blanks.
func squeezeBlank(s string) string {
	var out []string
	inCode, blank := false, false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
		}
		isBlank := strings.TrimSpace(line) == ""
		if isBlank && blank && !inCode {
			continue
		}
		blank = isBlank
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
