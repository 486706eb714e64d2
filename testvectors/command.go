package testvectors

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// Command is `wsanatomy vectors [--show ID] [FILE|DIR...]`. With no paths it
// uses the embedded vectors. It returns the exit status: 0 when every
// vector passed, 1 when one failed or a file could not be loaded, 2 for a
// usage error.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vectors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	show := fs.String("show", "", "print one vector, the dissection of its bytes and its result")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: wsanatomy vectors [--show ID] [FILE|DIR...]\n\n"+
			"Runs RFC 6455 test vectors through wsanatomy's codec: the built-in\n"+
			"ones, or the JSON files given (a directory means its *.json files).\n"+
			"Exits 1 if any vector fails.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var set *Set
	var err error
	if fs.NArg() == 0 {
		set, err = Default()
	} else {
		set, err = Load(fs.Args()...)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wsanatomy vectors: %v\n", err)
		return 1
	}
	if *show != "" {
		text, err := Show(ctx, set, *show)
		if err != nil {
			fmt.Fprintf(stderr, "wsanatomy vectors: %v\n", err)
			return 1
		}
		fmt.Fprint(stdout, text)
		return 0
	}
	rep := Run(ctx, set)
	rep.Print(stdout)
	if rep.Failed() > 0 {
		return 1
	}
	return 0
}
