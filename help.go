package main

// The command line's own words, in English and Chinese: every command's
// help, the one format of a command-line mistake, and the language they
// are said in.
//
// A command's help is printed from its flag set, so that it cannot miss a
// flag; the flag package's usage strings are English, so the Chinese help
// takes each flag's description from flagsZh, and a test fails when a flag
// has none.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// langArg is the value of --lang (or -lang, --lang=V) in args, read before
// the flags are parsed, so that a mistake in them is already reported in
// the language asked for. Arguments after "--" are not flags.
func langArg(args []string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		switch {
		case a == "--lang" || a == "-lang":
			if i+1 < len(args) {
				return args[i+1], true
			}
			return "", true
		case strings.HasPrefix(a, "--lang="), strings.HasPrefix(a, "-lang="):
			_, v, _ := strings.Cut(a, "=")
			return v, true
		}
	}
	return "", false
}

// cliLang is the language of a command line's help and messages: its
// --lang when that names a language we speak, else the locale, by the
// lessons' rule (LC_ALL, then LC_MESSAGES, then LANG).
func cliLang(args []string) string {
	if v, ok := langArg(args); ok && lessons.Supported(v) {
		return v
	}
	return lessons.Language("", os.Getenv)
}

// tr picks the English or the Chinese of a message.
func tr(lang, en, zh string) string {
	if lang == "zh" {
		return zh
	}
	return en
}

// addLangFlag adds --lang to fs. what says what it changes for this
// command, in English; flagsZh holds the Chinese.
func addLangFlag(fs *flag.FlagSet, what string) *string {
	return fs.String("lang", "", "language of "+what+": en or zh (default from LC_ALL, LC_MESSAGES, LANG)")
}

// flagLang checks a parsed --lang and returns the language to use.
func flagLang(fs *flag.FlagSet, args []string) (string, error) {
	lang := cliLang(args)
	if f := fs.Lookup("lang"); f != nil {
		if v := f.Value.String(); v != "" && !lessons.Supported(v) {
			return lang, usagef(fs.Name(), lang, "--lang must be en or zh, not %q", "--lang 只能是 en 或 zh，不能是 %q", v)
		}
	}
	return lang, nil
}

// usageError is a mistake in the command line. run prints it in one
// format for every command,
//
//	wsanatomy serve: flag provided but not defined: --x
//	run 'wsanatomy serve --help' for usage
//
// and exits 2.
type usageError struct {
	cmd  string // the command, or "wsanatomy" for the program itself
	lang string
	msg  string
}

func (e *usageError) Error() string { return e.msg }

// usagef is a usageError whose message is en or zh, by lang, formatted
// with args.
func usagef(cmd, lang, en, zh string, args ...any) error {
	return &usageError{cmd: cmd, lang: lang, msg: fmt.Sprintf(tr(lang, en, zh), args...)}
}

// print writes the mistake and where the usage is.
func (e *usageError) print(w io.Writer) {
	prog := "wsanatomy"
	if e.cmd != "" && e.cmd != "wsanatomy" {
		prog += " " + e.cmd
	}
	help := prog + " --help"
	if prog == "wsanatomy" {
		help = "wsanatomy help"
	}
	if e.lang == "zh" {
		fmt.Fprintf(w, "%s：%s\n运行 %s 查看用法。\n", prog, e.msg, help)
		return
	}
	fmt.Fprintf(w, "%s: %s\nrun '%s' for usage\n", prog, e.msg, help)
}

// newFlagSet returns a flag set that prints nothing itself: its mistakes
// come back from parseFlags as a usageError, and its help from
// writeCommandHelp.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args and turns a flag error into a usageError, and -h
// or --help into a [helpRequested] for the command.
func parseFlags(fs *flag.FlagSet, args []string) error {
	lang := cliLang(args)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequested{fs, lang}
		}
		return &usageError{cmd: fs.Name(), lang: lang, msg: flagError(asTyped(err.Error(), args), lang)}
	}
	return nil
}

// reFlagName finds the flag a flag package message names: it always writes
// one dash ("-bogus"), however the flag was typed.
var reFlagName = regexp.MustCompile(`(: |for flag |for |boolean flag )-([^\s=:]+)`)

// asTyped rewrites the flag named in msg, a flag package message, the way
// the user typed it in args: "--bogus" stays "--bogus", not the package's
// "-bogus", so the message names what is on the command line (and what
// the help shows).
func asTyped(msg string, args []string) string {
	m := reFlagName.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	name := msg[m[4]:m[5]]
	for _, a := range args {
		if a == "--" {
			break
		}
		if n, _, _ := strings.Cut(a, "="); n == "--"+name {
			return msg[:m[4]-1] + "--" + msg[m[4]:]
		} else if n == "-"+name {
			return msg
		}
	}
	return msg
}

// helpRequested is a command's -h or --help: its help goes to stdout and
// the exit status is 0, as for any output that was asked for.
type helpRequested struct {
	fs   *flag.FlagSet
	lang string
}

func (h helpRequested) Error() string        { return h.fs.Name() + ": help requested" }
func (h helpRequested) Is(target error) bool { return target == flag.ErrHelp }

// The flag package's own messages (Go's flag.go), which flagError says in
// Chinese. The inner reason of a bad value is a value's own error: the
// flag package's "parse error" and "value out of range" are translated,
// others (a duration's, a header's) are quoted as they are.
var (
	reNotDefined = regexp.MustCompile(`^flag provided but not defined: (.*)$`)
	reNeedsArg   = regexp.MustCompile(`^flag needs an argument: (.*)$`)
	reBadSyntax  = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	reBadValue   = regexp.MustCompile(`^invalid value (".*") for flag (\S+): (.*)$`)
	reBadBool    = regexp.MustCompile(`^invalid boolean value (".*") for (\S+): (.*)$`)
	reBoolArg    = regexp.MustCompile(`^invalid boolean flag (\S+): (.*)$`)
	reWantHeader = regexp.MustCompile(`^want "Name: value", got (".*")$`)
)

// flagError is a flag package error message s in lang.
func flagError(s, lang string) string {
	if lang != "zh" {
		return s
	}
	reason := func(r string) string {
		switch r {
		case "parse error":
			return "格式不对"
		case "value out of range":
			return "超出范围"
		case "want frame, message or off": // logLevel.Set
			return "只能是 frame、message 或 off"
		}
		if reWantHeader.MatchString(r) { // headerFlag.Set
			return `应写成 "Name: value"`
		}
		return r
	}
	if m := reNotDefined.FindStringSubmatch(s); m != nil {
		return "未知选项：" + m[1]
	}
	if m := reNeedsArg.FindStringSubmatch(s); m != nil {
		return "选项 " + m[1] + " 需要一个值"
	}
	if m := reBadSyntax.FindStringSubmatch(s); m != nil {
		return "选项写法不对：" + m[1]
	}
	if m := reBadValue.FindStringSubmatch(s); m != nil {
		return "选项 " + m[2] + " 的值 " + m[1] + " 无效：" + reason(m[3])
	}
	if m := reBadBool.FindStringSubmatch(s); m != nil {
		return "选项 " + m[2] + " 只接受 true 或 false，不能是 " + m[1]
	}
	if m := reBoolArg.FindStringSubmatch(s); m != nil {
		return "选项 " + m[1] + " 只接受 true 或 false：" + reason(m[2])
	}
	return s
}

// writeCommandHelp prints the help of the command whose flag set fs is:
// the usage line and what the command does, then every flag of fs with
// its description and default.
func writeCommandHelp(out io.Writer, fs *flag.FlagSet, lang string) {
	// The help is laid out to the terminal's width once written.
	var w strings.Builder
	defer func() { fmt.Fprint(out, fitHelp(w.String(), helpWidth(out))) }()
	name := fs.Name()
	var text string
	if name == "wsanatomy" {
		text = tr(lang, usage, usageZh) // the walkthrough is the program itself
	} else {
		h, ok := commandHelp[name]
		if !ok {
			h = [2]string{"wsanatomy " + name + " [flags]", "wsanatomy " + name + " [选项]"}
		}
		text = tr(lang, "Usage: ", "用法：") + tr(lang, h[0], h[1]) + "\n"
	}
	fmt.Fprint(&w, text)
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) == 0 {
		return
	}
	if name == "wsanatomy" {
		fmt.Fprint(&w, tr(lang, "\nFlags of the walkthrough:\n", "\n分步讲解的选项：\n"))
	} else {
		fmt.Fprint(&w, tr(lang, "\nFlags:\n", "\n选项：\n"))
	}
	durations := false
	for _, f := range flags {
		if g, ok := f.Value.(flag.Getter); ok {
			if _, ok := g.Get().(time.Duration); ok {
				durations = true
			}
		}
		fmt.Fprintf(&w, "  %s\n", flagSyntax(name, f))
		desc := flagDescription(name, f, lang)
		if def := shownDefault(f); def != "" {
			desc += tr(lang, " (default "+def+")", "（默认 "+def+"）")
		}
		for _, line := range strings.Split(lessons.Wrap(desc, 80-6), "\n") {
			fmt.Fprintf(&w, "      %s\n", line)
		}
	}
	if durations {
		fmt.Fprint(&w, tr(lang, "\nA DURATION is written like 500ms, 30s, 5m or 1h30m.\n", "\nDURATION 写作 500ms、30s、5m 或 1h30m 这样的形式。\n"))
	}
}

// flagSyntax is how a flag of command cmd is written: --name, or -H for a
// one-letter flag, then what value it takes (none for a switch).
func flagSyntax(cmd string, f *flag.Flag) string {
	dash := "--"
	if len(f.Name) == 1 {
		dash = "-"
	}
	kind, _ := flag.UnquoteUsage(f)
	if kind == "" {
		return dash + f.Name
	}
	if v, ok := flagValues[cmd+" "+f.Name]; ok {
		return dash + f.Name + " " + v
	}
	if v, ok := flagValues[f.Name]; ok {
		return dash + f.Name + " " + v
	}
	return dash + f.Name + " " + strings.ToUpper(kind)
}

// flagValues names the value of a flag in help, by "command flag" or by
// flag name alone; the others are named by their type, as the flag
// package does (DURATION, INT, STRING).
var flagValues = map[string]string{
	"lang":         "en|zh",
	"addr":         "ADDR",
	"listen":       "ADDR",
	"upstream":     "URL",
	"serve origin": "LIST",
	"dial origin":  "URL",
	"subprotocol":  "LIST",
	"log":          "frame|message|off",
	"max-message":  "BYTES",
	"H":            `"Name: value"`,
	"vectors show": "ID",
	"check show":   "CASE",
	"field":        "ID",
	"client":       "'COMMAND {url}'",
	"cases":        "GLOBS",
	"exclude":      "GLOBS",
	"check json":   "FILE",
	"width":        "N",
	"parallel":     "N",
}

// shownDefault is a flag's default as help shows it, "" when the default
// is nothing (no value, zero, off) or the description says it.
func shownDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "0s", "false":
		return ""
	}
	return f.DefValue
}

// flagDescription is the description of command cmd's flag f in lang.
func flagDescription(cmd string, f *flag.Flag, lang string) string {
	if lang == "zh" {
		if d, ok := flagsZh[cmd][f.Name]; ok {
			return d
		}
		if d, ok := flagsZh["*"][f.Name]; ok {
			return d
		}
	}
	_, usage := flag.UnquoteUsage(f)
	return usage
}
