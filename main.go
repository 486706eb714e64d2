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
	"runtime/debug"

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
  wsanatomy serve [--addr ADDR]         an echo server for any WebSocket client (default 127.0.0.1:8080);
                                        http://ADDR/ is a demo page for a browser. --tui: a live screen
                                        of every connection and frame; --json: JSON lines on stdout;
                                        --log frame|message|off; --subprotocol LIST (preference order),
                                        --origin LIST (allowed origins), --max-message BYTES;
                                        --idle-timeout, --write-timeout, --close-timeout,
                                        --handshake-timeout and --heartbeat bound its clients
  wsanatomy dial [--echo] URL           a client: sends stdin lines as text messages, prints replies
                                        and the server's close code and reason (exit 1 unless 1000 or
                                        1001); --echo sends every message back; -H "Name: value",
                                        --subprotocol LIST, --origin URL, -v (every frame on stderr),
                                        --insecure (accept a self-signed wss:// certificate);
                                        --heartbeat pings the server and gives up if it stops answering
  wsanatomy proxy --upstream URL        an inspecting relay: clients connect to --listen ADDR (default
                                        127.0.0.1:8081), every byte goes to URL (ws:// or wss://)
                                        unchanged, and both directions are decoded and checked: on a
                                        live screen, or --plain lines, or --json lines; --insecure;
                                        compressed messages are shown inflated, up to --max-message BYTES
  wsanatomy check URL | --client CMD    conformance cases (Autobahn 1-7, 9, 10 and more) against an echo
                                        server, or a client command run once per case with {url} replaced;
                                        --show CASE dissects one case's exchange; --tui shows the report
                                        on a screen (--lang en|zh)
  wsanatomy help [CMD]                  this text, or CMD's help (as does wsanatomy CMD --help)
  wsanatomy --version                   the version

Examples:
  wsanatomy serve --tui                                  then open http://127.0.0.1:8080/ in a browser
  wsanatomy dial -v ws://127.0.0.1:8080/                 type lines; ctrl+d closes with 1000
  wsanatomy proxy --upstream ws://127.0.0.1:9000/        then point your app at ws://127.0.0.1:8081/

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
	}
	var hr helpRequested
	if errors.As(err, &hr) {
		writeCommandHelp(stdout, hr.fs)
		return 0
	}
	switch {
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
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-version") {
		fmt.Fprintln(stdout, version())
		return nil
	}
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-') {
		return runWalkthrough(args, stdout, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(rest, stdout, stderr)
	case "dial":
		return runDial(rest, stdin, stdout, stderr)
	case "proxy":
		return runProxy(rest, stdout, stderr)
	case "lessons":
		if code := lessonui.Command(context.Background(), rest, stdin, stdout, stderr); code != 0 {
			return exitError(code)
		}
		return nil
	case "source":
		return runSource(rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "vectors":
		if code := testvectors.Command(context.Background(), rest, stdout, stderr); code != 0 {
			return exitError(code)
		}
		return nil
	case "help":
		switch {
		case len(rest) == 1 && rest[0] != "help" && rest[0] != "" && rest[0][0] != '-':
			// help CMD is CMD --help: the command prints its own help.
			return dispatch([]string{rest[0], "--help"}, stdin, stdout, stderr)
		case len(rest) > 0:
			fmt.Fprintf(stderr, "wsanatomy: help takes at most one command\n")
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

// parseFlags parses args and turns a flag error into errUsage, and -h or
// --help into a [helpRequested] for the command.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequested{fs}
		}
		return errUsage
	}
	return nil
}

// helpRequested is a command's -h or --help: its help goes to stdout and
// the exit status is 0, as for any output that was asked for.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string        { return h.fs.Name() + ": help requested" }
func (h helpRequested) Is(target error) bool { return target == flag.ErrHelp }

// commandUsage is the first line of each command's help; the flags follow,
// from the command's own flag set, so the help cannot miss one.
var commandUsage = map[string]string{
	"serve": "wsanatomy serve [--addr ADDR] [--tui|--json] [--log frame|message|off] [--subprotocol LIST] [--origin LIST] [--max-message N]\n\n" +
		"An echo server for any WebSocket client; a plain GET of / gets a demo page for a browser.",
	"dial": "wsanatomy dial [--echo] [-v] [-H \"Name: value\"] [--subprotocol LIST] [--insecure] URL\n\n" +
		"A client: sends stdin lines as text messages and prints the replies, then the server's close code and reason; " +
		"exits 1 unless the close was 1000 or 1001. URL is ws://host:port/path or wss://...",
	"proxy": "wsanatomy proxy --upstream URL [--listen ADDR] [--plain|--json] [--insecure] [--max-message N]\n\n" +
		"An inspecting relay: clients connect to --listen, every byte goes to URL unchanged, and both directions are decoded and checked. With permessage-deflate agreed, each compressed message is also shown inflated, with each direction's own context.",
	"source": "wsanatomy source [FILE] [--field ID] [--list] [--plain] [--lang en|zh]\n\nRead the codec's annotated source: each comment beside the code it explains, and the RFC 6455 sections each file cites.",
}

// writeCommandHelp prints the help of the command whose flag set fs is.
func writeCommandHelp(w io.Writer, fs *flag.FlagSet) {
	name := fs.Name()
	if name == "wsanatomy" {
		fmt.Fprint(w, usage) // the walkthrough is the program itself
		return
	}
	line, ok := commandUsage[name]
	if !ok {
		line = "wsanatomy " + name + " [flags]"
	}
	fmt.Fprintf(w, "Usage: %s\n", line)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		out := fs.Output()
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(out)
	}
}

// version names this build: the module version, or (devel) for a build
// from a checkout, with the commit when the build recorded it.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return "wsanatomy " + v
}
