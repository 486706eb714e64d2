package main

import (
	"fmt"
	"io"
)

func runWalkthrough(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("wsanatomy", stderr)
	plain := fs.Bool("plain", false, "print the walkthrough as annotated text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errUsage
	}
	_ = plain
	fmt.Fprintln(stdout, "wsanatomy: the walkthrough is being built; try `wsanatomy serve` and `wsanatomy dial`.")
	return nil
}
