package testvectors

import (
	"context"
	"errors"
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
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: wsanatomy vectors [--show ID] [FILE|DIR...]\n\n"+
			"Runs RFC 6455 test vectors through wsanatomy's codec: the built-in\n"+
			"ones, or the JSON files given (a directory means its *.json files).\n"+
			"Exits 1 if any vector fails.\n\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	fs.Usage = func() {} // printed below: to stdout when asked for with -h
	if err := fs.Parse(flagsFirst(args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		usage(stderr)
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
		if v, _ := set.Find(*show); v != nil && !RunVector(ctx, v).Pass {
			return 1 // the vector fails, as its last line says
		}
		return 0
	}
	rep := Run(ctx, set)
	rep.Print(stdout)
	if rep.Failed() > 0 {
		return 1
	}
	return 0
}

// flagsFirst moves flags (and --show's value) before the paths, so that
// "vectors DIR --show ID" works like "vectors --show ID DIR".
func flagsFirst(args []string) []string {
	var flags, paths []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(append(flags, "--"), append(paths, args[i+1:]...)...)
		case a == "--show" || a == "-show":
			flags = append(flags, a)
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
		default:
			paths = append(paths, a)
		}
	}
	return append(flags, paths...)
}
