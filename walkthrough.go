package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"

	"github.com/wsanatomy/wsanatomy/tui"
)

// runWalkthrough is the main job: the live walkthrough in the terminal, or
// the same walkthrough as annotated text with --plain or when standard
// output is not a terminal (a pipe, a file, CI).
func runWalkthrough(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("wsanatomy", stderr)
	plain := fs.Bool("plain", false, "print the walkthrough as annotated text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage
	}
	if *plain || !isTerminal(stdout) {
		return tui.WritePlain(stdout)
	}
	return tui.Run(tui.Config{})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
