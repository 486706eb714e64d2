package main

import (
	"fmt"
	"io"

	"github.com/wsanatomy/wsanatomy/tui/source"
)

// runSource is `wsanatomy source`: the annotated source reader over the
// protocol package, embedded in the binary.
func runSource(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("source", stderr)
	list := fs.Bool("list", false, "print the chapters and files")
	plain := fs.Bool("plain", false, "print the annotated file as text")
	field := fs.String("field", "", "open at the code of a frame field or handshake header (FIN, opcode, Sec-WebSocket-Key, ...)")
	width := fs.Int("width", 100, "line width of --plain output")
	if err := parseFlags(fs, reorderFlags(args, "--field", "-field", "--width", "-width")); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "wsanatomy: source takes at most one FILE")
		return errUsage
	}
	file := fs.Arg(0)
	switch {
	case *list:
		return source.WriteList(stdout)
	case *plain || !isTerminal(stdout):
		if file == "" && *field == "" {
			return source.WriteList(stdout)
		}
		return source.WritePlain(stdout, file, *width)
	}
	return source.Run(file, *field)
}
