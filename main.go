// Command wsanatomy teaches the WebSocket protocol (RFC 6455) by running it:
// a from-scratch handshake and frame codec, shown bit by bit as a local
// client and server talk.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wsanatomy/wsanatomy/testvectors"
	"github.com/wsanatomy/wsanatomy/tui/lessonui"
)

const usage = `wsanatomy: see how the WebSocket protocol (RFC 6455) really works.

Usage:
  wsanatomy [--plain]                   the walkthrough: a live client and server, every bit on screen
                                        (--plain, or output that is not a terminal: annotated text)
  wsanatomy lessons [N] [--lang en|zh]  step through the protocol one idea at a time, with live demos
                                        and checks; --list lists them, N --plain prints lesson N
  wsanatomy source [FILE] [--field ID]  read the codec's annotated source; --field opens the code of
                                        a frame field or header; --list and --plain print it as text;
                                        --lang en|zh for the reader's words and RFC summaries
  wsanatomy vectors [FILE|DIR...]       run RFC 6455 test vectors (the built-in ones, or JSON files)
                                        through the codec; --show ID dissects one vector
  wsanatomy serve [--addr ADDR]         an echo server for any WebSocket client (default 127.0.0.1:8080)
  wsanatomy dial [--echo] URL           a client: sends stdin lines as text messages, prints replies;
                                        --echo sends every message back until the server closes
  wsanatomy help                        this text

Commands exit 2 on an unknown command or flag.
`

// errUsage marks a mistake in the command line: usage is printed and the
// exit status is 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(args, stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(stderr, usage)
		return 2
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return int(ee)
	}
	fmt.Fprintf(stderr, "wsanatomy: %v\n", err)
	return 1
}

// exitError is an exit status for a failure already reported.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-') {
		return runWalkthrough(args, stdout, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(rest, stderr)
	case "dial":
		return runDial(rest, stdin, stdout, stderr)
	case "lessons":
		if code := lessonui.Command(context.Background(), rest, stdin, stdout, stderr); code != 0 {
			return exitError(code)
		}
		return nil
	case "source":
		return runSource(rest, stdout, stderr)
	case "vectors":
		if code := testvectors.Command(context.Background(), rest, stdout, stderr); code != 0 {
			return exitError(code)
		}
		return nil
	case "help":
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "wsanatomy: help takes no arguments\n")
			return errUsage
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "wsanatomy: unknown command %q\n", cmd)
	return errUsage
}

// newFlagSet returns a flag set that reports errors through errUsage.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args and turns a flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
