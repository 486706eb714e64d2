// Package lessonui is `wsanatomy lessons`: a lesson picker and lesson
// screens that run each step's actions on a live loopback connection
// (package lessonrun) and dissect the frames with tui/render, and the same
// lessons as plain text, demos included, when output is not a terminal.
package lessonui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mattn/go-isatty"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// Options are the command line of `wsanatomy lessons`, parsed by the
// program (which also prints the help and reports mistakes in it).
type Options struct {
	N     int    // the lesson to open or print; 0: none named
	List  bool   // print the list, without the TUI
	Plain bool   // print lesson N as text, with its demos run and dissected
	Reset bool   // forget progress (lessons done, checks passed)
	ASCII bool   // ASCII lines and marks, for terminals that draw box-drawing characters double width
	Lang  string // "en" or "zh"; "" follows LC_ALL, LC_MESSAGES, LANG
}

// options are Options and what a test replaces: the environment, the
// terminal, the width and the progress file.
type options struct {
	n      int // 0: no lesson named
	list   bool
	plain  bool
	reset  bool
	ascii  bool
	lang   string
	width  int // plain output width; 0: 80
	isTTY  bool
	getenv func(string) string
	path   string // progress file; "" means the default
}

// Run runs `wsanatomy lessons` and returns the exit status: 0, or 1 on a
// failure. Without a terminal, the list or lesson N is printed as text.
func Run(ctx context.Context, o Options, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(ctx, options{n: o.N, list: o.List, plain: o.Plain, reset: o.Reset, ascii: o.ASCII, lang: o.Lang,
		getenv: os.Getenv, isTTY: isTerminal(stdout)}, stdin, stdout, stderr)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func run(ctx context.Context, o options, stdin io.Reader, stdout, stderr io.Writer) int {
	lang := lessons.Language(o.lang, o.getenv)
	cat, err := lessons.Catalog(lang)
	if err != nil {
		fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
		return 1
	}
	if o.n != 0 {
		if _, ok := lessons.Find(cat, o.n); !ok {
			// The program checks the number first; this guards other callers.
			fmt.Fprintf(stderr, "wsanatomy lessons: there is no lesson %d (lessons are 1 to %d)\n", o.n, len(cat))
			return 2
		}
	}
	path := o.path
	if path == "" {
		if path, err = lessons.DefaultProgressPath(); err != nil {
			fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
			return 1
		}
	}
	prog, err := lessons.LoadProgress(path)
	if err != nil && !o.reset {
		// An unreadable progress file must not lock the learner out: warn,
		// and keep this run's progress in memory only.
		fmt.Fprintf(stderr, "wsanatomy lessons: warning: %v; progress is not saved this time\n", err)
		prog, err = lessons.InMemoryProgress(), nil
	}
	if o.reset {
		if prog != nil {
			err = prog.Reset()
		} else if err = os.Remove(path); errors.Is(err, fs.ErrNotExist) {
			err = nil // a corrupt file that vanished meanwhile: nothing to reset
		}
		if err != nil {
			fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
			return 1
		}
		if prog, err = lessons.LoadProgress(path); err != nil {
			fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, tr(lang, "reset.done"))
		if o.n == 0 && !o.list && !o.plain {
			return 0
		}
	}
	width := o.width
	if width <= 0 {
		width = 80
	}
	switch {
	case o.list:
		if err := lessons.WriteList(stdout, lang); err != nil {
			fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
			return 1
		}
		return 0
	case o.plain || !o.isTTY:
		if o.n == 0 {
			if err := lessons.WriteList(stdout, lang); err != nil {
				fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
				return 1
			}
			return 0
		}
		l, _ := lessons.Find(cat, o.n)
		if err := WritePlain(ctx, stdout, l, width); err != nil {
			fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
			return 1
		}
		return 0
	}
	m := New(Config{Lang: lang, Catalog: cat, Progress: prog, Open: o.n, ASCII: o.ascii,
		Color: o.getenv("NO_COLOR") == ""})
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(stdin), tea.WithOutput(stdout), tea.WithContext(ctx))
	_, err = p.Run()
	m.Shutdown()
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
		return 1
	}
	return 0
}

// WritePlain prints a whole lesson as text wrapped to width columns, runs
// each step's actions on a live loopback connection and prints what they
// put on the wire, dissected: the real bytes, not a description of them.
func WritePlain(ctx context.Context, w io.Writer, l lessons.Lesson, width int) error {
	lang := strings.Split(l.File, "/")[0]
	t := render.PlainTheme().WithLang(lang)
	r := lessonrun.New()
	defer r.Close()
	var b strings.Builder
	para := func(s string) {
		b.WriteString(lessons.Wrap(s, width))
		b.WriteString("\n")
	}
	title := fmt.Sprintf(lessons.Label(lang, "lesson"), l.Number, l.Title)
	para(title)
	b.WriteString(strings.Repeat("=", min(lessons.Width(title), width)) + "\n")
	para(l.Summary)
	for i, s := range l.Steps {
		b.WriteString("\n")
		head := fmt.Sprintf(lessons.Label(lang, "step"), i+1, len(l.Steps), s.Title)
		para(head)
		b.WriteString(strings.Repeat("-", min(lessons.Width(head), width)) + "\n")
		para(lessons.PlainEmphasis(s.Text))
		if len(s.Actions) > 0 {
			b.WriteString("\n")
			para(tr(lang, "plain.demo"))
			for _, a := range s.Actions {
				para("  > " + a.Source)
			}
			res := r.Run(ctx, s.Actions)
			b.WriteString("\n" + tr(lang, "plain.frames") + "\n")
			n := 0
			for _, e := range res.Events {
				line := oneLine(lang, e, t)
				if selectable(e) {
					n++
					line = fmt.Sprintf("#%d %s", n, line)
				} else {
					line = "   " + line
				}
				b.WriteString(clipLines(lessons.Wrap(line, width), width) + "\n")
				if selectable(e) && e.Kind != lessonrun.KindClosed {
					b.WriteString(indent(clipLines(detail(lang, e, t, width-4), width-4), "    ") + "\n")
				}
			}
		}
		if c := s.Check; c != nil {
			b.WriteString("\n")
			label := lessons.Label(lang, "check")
			if !strings.HasSuffix(label, "：") {
				label += " "
			}
			para(label + c.Question)
			for j, ch := range c.Choices {
				para(fmt.Sprintf("  %c) %s", 'a'+j, ch))
			}
			para(fmt.Sprintf(lessons.Label(lang, "answer"), c.Expected()))
			para(c.Right)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s, pre string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pre + l
		}
	}
	return strings.Join(lines, "\n")
}
