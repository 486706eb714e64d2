package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsanatomy/wsanatomy/sourcebook"

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
	if *field != "" {
		// The field must exist; without the TUI, its code is shown by
		// printing the file that holds its first marker.
		f, ok := sourcebook.LookupField(*field)
		if !ok {
			var ids []string
			for _, f := range sourcebook.Fields() {
				ids = append(ids, f.ID)
			}
			return fmt.Errorf("source: no field or header %q; known: %s", *field, strings.Join(ids, ", "))
		}
		if book, err := sourcebook.Protocol(); err == nil && file == "" {
			if ms := book.Markers(f.ID); len(ms) > 0 {
				file = ms[0].File
			}
		}
	}
	if *width < 20 {
		fmt.Fprintln(stderr, "wsanatomy: source --width must be at least 20")
		return errUsage
	}
	switch {
	case *list:
		return source.WriteList(stdout)
	case *plain || !isTerminal(stdout):
		if file == "" {
			return source.WriteList(stdout)
		}
		return source.WritePlain(stdout, file, *width)
	}
	return source.Run(file, *field)
}
