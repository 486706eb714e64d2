package main

import (
	"context"
	"io"
	"strconv"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/tui/lessonui"
)

// runLessons is `wsanatomy lessons [N]`: its command line is read here,
// like every command's, and the lessons run in package lessonui.
func runLessons(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("lessons", stderr)
	var o lessonui.Options
	fs.BoolVar(&o.List, "list", false, "list the lessons, without the TUI")
	fs.BoolVar(&o.Plain, "plain", false, "print lesson N as text, with its demos run and dissected")
	fs.BoolVar(&o.Reset, "reset", false, "forget progress (lessons done, checks passed)")
	fs.BoolVar(&o.ASCII, "ascii", false, "ASCII lines and marks, for terminals that draw box-drawing characters double width")
	addLangFlag(fs, "the lessons, this help and the messages")
	args = reorderFlags(args, "--lang", "-lang")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	o.Lang = lang
	switch fs.NArg() {
	case 0:
	case 1:
		cat, err := lessons.Catalog(lang)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(fs.Arg(0))
		if err != nil || n <= 0 {
			return usagef("lessons", lang, "%q is not a lesson number", "%q 不是课程编号", fs.Arg(0))
		}
		if _, ok := lessons.Find(cat, n); !ok {
			return usagef("lessons", lang, "there is no lesson %d (lessons are 1 to %d)", "没有第 %d 课（课程编号为 1 到 %d）", n, len(cat))
		}
		o.N = n
	default:
		return usagef("lessons", lang, "one lesson at a time: got %q", "一次只能打开一课，却给了 %q", fs.Args())
	}
	if code := lessonui.Run(context.Background(), o, stdin, stdout, stderr); code != 0 {
		return exitError(code)
	}
	return nil
}
