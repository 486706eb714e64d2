package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"

	"github.com/wsanatomy/wsanatomy/tui"
)

// runWalkthrough is the main job: the live walkthrough in the terminal, or
// the same walkthrough as annotated text with --plain, when standard
// output is not a terminal (a pipe, a file, CI), or when the terminal is
// TERM=dumb. --lang picks its language; without it the locale does, as
// for the lessons (LC_ALL, then LC_MESSAGES, then LANG).
func runWalkthrough(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("wsanatomy", stderr)
	plain := fs.Bool("plain", false, "print the walkthrough as annotated text")
	addLangFlag(fs, "the walkthrough and its messages")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("wsanatomy", lang, "the walkthrough takes no arguments, got %q", "分步讲解不接受参数，这里有 %q", fs.Args())
	}
	if *plain || !tui.UseScreen(isTerminal(stdout), os.Getenv) {
		width := tui.PlainWidth
		if f, ok := stdout.(*os.File); ok && isTerminal(stdout) {
			width = tui.PlainWidthOf(f)
		}
		return tui.WritePlain(stdout, lang, width)
	}
	return tui.Run(tui.Config{Lang: lang})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
