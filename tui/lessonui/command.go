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
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mattn/go-isatty"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

const usage = "usage: wsanatomy lessons [N] [--list] [--plain] [--lang en|zh] [--ascii] [--reset]"

// options are the parsed command line.
type options struct {
	n      int // 0: no lesson named
	list   bool
	plain  bool
	reset  bool
	ascii  bool
	lang   string
	help   bool
	width  int // plain output width; 0: 80
	isTTY  bool
	getenv func(string) string
	path   string // progress file; "" means the default
}

// parseArgs reads flags and one lesson number, in any order.
func parseArgs(args []string) (options, error) {
	var o options
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			n, err := strconv.Atoi(a)
			if err != nil || n <= 0 {
				return o, fmt.Errorf("%q is not a lesson number", a)
			}
			if o.n != 0 {
				return o, fmt.Errorf("one lesson at a time: got %d and %d", o.n, n)
			}
			o.n = n
			continue
		}
		flagBool := func(p *bool) error {
			if hasVal {
				return fmt.Errorf("--%s takes no value", name)
			}
			*p = true
			return nil
		}
		var err error
		switch name {
		case "list":
			err = flagBool(&o.list)
		case "plain":
			err = flagBool(&o.plain)
		case "reset":
			err = flagBool(&o.reset)
		case "ascii":
			err = flagBool(&o.ascii)
		case "h", "help":
			err = flagBool(&o.help)
		case "lang":
			if !hasVal {
				if i+1 >= len(args) {
					return o, fmt.Errorf("--lang needs en or zh")
				}
				i++
				val = args[i]
			}
			if !lessons.Supported(val) {
				return o, fmt.Errorf("unknown language %q: want en or zh", val)
			}
			o.lang = val
		default:
			return o, fmt.Errorf("unknown flag %s", a)
		}
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// Command runs `wsanatomy lessons` with the arguments after "lessons" and
// returns the exit status: 0, 1 on a failure, 2 on a bad command line.
//
//	wsanatomy lessons               the lesson picker (text list without a terminal)
//	wsanatomy lessons N             lesson N (as text, demos run, without a terminal)
//	wsanatomy lessons --list        the list, without the TUI
//	wsanatomy lessons N --plain     lesson N as text, with its demos run and dissected
//	--lang en|zh                    language; default from LC_ALL, LC_MESSAGES, LANG
//	--ascii                         ASCII lines and marks, for terminals that draw
//	                                box-drawing characters double width
//	--reset                         forget progress (lessons done, checks passed)
func Command(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "wsanatomy lessons: %v\n%s\n", err, usage)
		return 2
	}
	o.getenv = os.Getenv
	o.isTTY = isTerminal(stdout)
	return run(ctx, o, stdin, stdout, stderr)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func run(ctx context.Context, o options, stdin io.Reader, stdout, stderr io.Writer) int {
	if o.help {
		fmt.Fprintln(stdout, usage)
		return 0
	}
	lang := lessons.Language(o.lang, o.getenv)
	cat, err := lessons.Catalog(lang)
	if err != nil {
		fmt.Fprintf(stderr, "wsanatomy lessons: %v\n", err)
		return 1
	}
	if o.n != 0 {
		if _, ok := lessons.Find(cat, o.n); !ok {
			fmt.Fprintf(stderr, "wsanatomy lessons: there is no lesson %d (lessons are 1 to %d)\n%s\n", o.n, len(cat), usage)
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
