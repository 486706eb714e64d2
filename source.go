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
	fs.String("lang", "", "language of the reader's own words and RFC summaries, en or zh (default from LC_ALL, LC_MESSAGES, LANG); the code's comments stay English")
	args = reorderFlags(args, "--field", "-field", "--width", "-width", "--lang", "-lang")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("source", lang, "source takes at most one FILE", "source 最多接受一个 FILE")
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
			return fmt.Errorf(tr(lang, "source: no field or header %q; known: %s", "source：没有名为 %q 的字段或头部；已知的有：%s"), *field, strings.Join(ids, ", "))
		}
		if book, err := sourcebook.Protocol(); err == nil && file == "" {
			if ms := book.Markers(f.ID); len(ms) > 0 {
				file = ms[0].File
			}
		}
	}
	if *width < 20 {
		return usagef("source", lang, "--width must be at least 20", "--width 至少是 20")
	}
	switch {
	case *list:
		return source.WriteListIn(stdout, lang)
	case *plain || !isTerminal(stdout):
		if file == "" {
			return source.WriteListIn(stdout, lang)
		}
		return source.WritePlainIn(stdout, file, *width, lang)
	}
	return source.RunIn(file, *field, lang)
}
