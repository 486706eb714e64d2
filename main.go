// Command wsanatomy teaches the WebSocket protocol (RFC 6455) by running it:
// a from-scratch handshake and frame codec, shown bit by bit as a local
// client and server talk.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// errUsage marks a mistake in the command line already explained: only
// where the usage is gets printed, and the exit status is 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(args, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		ue.print(stderr)
		return 2
	}
	if errors.Is(err, errUsage) {
		lang := cliLang(args)
		fmt.Fprint(stderr, tr(lang, "run 'wsanatomy help' for usage\n", "运行 wsanatomy help 查看用法。\n"))
		return 2
	}
	var hr helpRequested
	if errors.As(err, &hr) {
		writeCommandHelp(stdout, hr.fs, hr.lang)
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return int(ee)
	}
	fmt.Fprintf(stderr, "%s%v\n", tr(cliLang(args), "wsanatomy: ", "wsanatomy："), err)
	return 1
}

// exitError is an exit status for a failure already reported.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// commands are the commands, in the order of the usage.
var commands = []string{"lessons", "source", "vectors", "serve", "dial", "proxy", "check"}

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
		return runLessons(rest, stdin, stdout, stderr)
	case "source":
		return runSource(rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "vectors":
		return runVectors(rest, stdout, stderr)
	case "help":
		return runHelp(rest, stdin, stdout, stderr)
	}
	lang := cliLang(rest)
	return usagef("", lang, "unknown command %q", "未知命令：%s", cmd)
}

// runHelp is `wsanatomy help [CMD] [--lang en|zh]`: the usage, or CMD's
// help, which CMD prints itself as for CMD --help.
func runHelp(rest []string, stdin io.Reader, stdout, stderr io.Writer) error {
	lang := cliLang(rest)
	var cmd []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--lang" || a == "-lang":
			i++
			if i == len(rest) {
				return usagef("help", lang, "flag needs an argument: %s", "选项 %s 需要一个值", a)
			}
			a = rest[i]
			fallthrough
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			if _, v, _ := strings.Cut(a, "="); strings.Contains(a, "=") {
				a = v
			}
			if !lessons.Supported(a) {
				return usagef("help", lang, "--lang must be en or zh, not %q", "--lang 只能是 en 或 zh，不能是 %q", a)
			}
		case strings.HasPrefix(a, "-") || a == "help" || a == "":
			return usagef("help", lang, "help takes one command and --lang, got %q", "help 只接受一个命令和 --lang，不接受 %q", a)
		default:
			cmd = append(cmd, a)
		}
	}
	switch len(cmd) {
	case 0:
		fmt.Fprint(stdout, fitHelp(tr(lang, usage, usageZh), helpWidth(stdout)))
		return nil
	case 1:
		// help CMD is CMD --help: the command prints its own help.
		return dispatch([]string{cmd[0], "--help", "--lang", lang}, stdin, stdout, stderr)
	}
	return usagef("help", lang, "help takes at most one command, got %d", "help 最多接受一个命令，却给了 %d 个", len(cmd))
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
