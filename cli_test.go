package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/testvectors"
)

// noLocale clears the locale, so that a test's language comes from what
// it sets and not from the machine it runs on.
func noLocale(t *testing.T) {
	t.Helper()
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(v, "")
	}
}

// everyCommand is the program itself (the walkthrough) and every command.
func everyCommand() []string { return append([]string{"wsanatomy"}, commands...) }

// argv is the command line that runs cmd with args.
func argv(cmd string, args ...string) []string {
	if cmd == "wsanatomy" {
		return args
	}
	return append([]string{cmd}, args...)
}

// flagSetOf returns the flag set of a command, as its --help reports it.
func flagSetOf(t *testing.T, cmd string) *flag.FlagSet {
	t.Helper()
	err := dispatch(argv(cmd, "--help"), strings.NewReader(""), io.Discard, io.Discard)
	var hr helpRequested
	if !errors.As(err, &hr) {
		t.Fatalf("%s --help: %v, want a help request", cmd, err)
	}
	if hr.fs.Name() != cmd {
		t.Fatalf("%s --help: the flag set is named %q", cmd, hr.fs.Name())
	}
	return hr.fs
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// helpLine is how a flag's line in help starts.
func helpLine(f *flag.Flag) string {
	if len(f.Name) == 1 {
		return "  -" + f.Name
	}
	return "  --" + f.Name
}

// TestHelpEveryCommandBothLanguages: every command's --help, -h and
// help CMD print the same help on stdout and exit 0, in English and in
// Chinese; the help lists every flag of the command's flag set, and the
// Chinese help describes each one in Chinese, not with its English words.
func TestHelpEveryCommandBothLanguages(t *testing.T) {
	noLocale(t)
	for _, cmd := range everyCommand() {
		fs := flagSetOf(t, cmd)
		for _, lang := range lessons.Languages {
			code, out, stderr := runCLI(argv(cmd, "--help", "--lang", lang)...)
			if code != 0 || stderr != "" {
				t.Errorf("%s --help --lang %s: exit %d, stderr %q", cmd, lang, code, stderr)
				continue
			}
			head := map[string]string{"en": "Usage: wsanatomy " + cmd, "zh": "用法：wsanatomy " + cmd}[lang]
			if cmd == "wsanatomy" {
				head = map[string]string{"en": "wsanatomy: see how", "zh": "wsanatomy：看清 WebSocket"}[lang]
			}
			if !strings.HasPrefix(out, head) {
				t.Errorf("%s --help --lang %s starts %.60q, want %q", cmd, lang, out, head)
			}
			if cmd != "wsanatomy" {
				if code, out2, _ := runCLI("help", cmd, "--lang", lang); code != 0 || out2 != out {
					t.Errorf("help %s --lang %s: exit %d, differs from %s --help:\n%s", cmd, lang, code, cmd, out2)
				}
			}
			t.Setenv("LANG", map[string]string{"en": "C", "zh": "zh_CN.UTF-8"}[lang])
			if code, out3, _ := runCLI(argv(cmd, "-h")...); code != 0 || out3 != out {
				t.Errorf("%s -h with the %s locale: exit %d, differs from --help --lang %s", cmd, lang, code, lang)
			}
			t.Setenv("LANG", "")
			if lang == "zh" {
				// The text before the flags: Chinese, under a Chinese heading.
				intro, _, _ := strings.Cut(out, "\n选项：")
				intro, _, _ = strings.Cut(intro, "\n导览的选项：")
				if !hasHan(intro) || strings.Contains(out, "Flags") || strings.Contains(out, "(default") {
					t.Errorf("%s --help --lang zh is not Chinese:\n%s", cmd, out)
				}
			}
			fs.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(out, "\n"+helpLine(f)) {
					t.Errorf("%s --help --lang %s does not list %s:\n%s", cmd, lang, helpLine(f), out)
				}
				if lang != "zh" {
					return
				}
				d := flagDescription(cmd, f, "zh")
				if !hasHan(d) {
					t.Errorf("%s --%s has no Chinese description (add it to flagsZh)", cmd, f.Name)
				}
				// The description is there, wrapped: compare without line breaks.
				flat := strings.Join(strings.Fields(out), "")
				if !strings.Contains(flat, strings.Join(strings.Fields(d), "")) {
					t.Errorf("%s --help --lang zh lacks the description of --%s: %q", cmd, f.Name, d)
				}
				if _, en := flag.UnquoteUsage(f); strings.Contains(flat, strings.Join(strings.Fields(en), "")) {
					t.Errorf("%s --help --lang zh shows --%s's English description", cmd, f.Name)
				}
			})
		}
	}
	if code, out, _ := runCLI("help", "--lang", "zh"); code != 0 || out != fitHelp(usageZh, 80) {
		t.Errorf("help --lang zh: exit %d, not the Chinese usage", code)
	}
}

// TestREADMEListsEveryFlag: README's section for each command names every
// flag of the command's flag set.
func TestREADMEListsEveryFlag(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, cmd := range everyCommand() {
		title := "### `wsanatomy " + cmd + "`\n"
		if cmd == "wsanatomy" {
			title = "### `wsanatomy`\n"
		}
		_, sec, ok := strings.Cut(readme, title)
		if !ok {
			t.Errorf("README has no section %q", strings.TrimSpace(title))
			continue
		}
		if i := strings.Index(sec, "\n#"); i >= 0 {
			sec = sec[:i]
		}
		flagSetOf(t, cmd).VisitAll(func(f *flag.Flag) {
			name := strings.TrimSpace(helpLine(f))
			if !regexp.MustCompile("`" + regexp.QuoteMeta(name) + "[ `]").MatchString(sec) {
				t.Errorf("README's section on %s does not list %s", cmd, name)
			}
		})
	}
}

// TestBadFlagOneFormat: an undefined flag, a flag without its value and a
// bad value get the same two lines from every command, in each language.
func TestBadFlagOneFormat(t *testing.T) {
	noLocale(t)
	for _, cmd := range everyCommand() {
		prog, help := "wsanatomy "+cmd, "wsanatomy "+cmd+" --help"
		if cmd == "wsanatomy" {
			prog, help = "wsanatomy", "wsanatomy help"
		}
		cases := []struct{ args, en, zh []string }{{
			[]string{"--no-such-flag"},
			[]string{prog + ": flag provided but not defined: --no-such-flag", "run '" + help + "' for usage"},
			[]string{prog + "：未知选项：--no-such-flag", "运行 " + help + " 查看用法。"},
		}, {
			// The flag is named as it was typed: one dash stays one.
			[]string{"-no-such-flag"},
			[]string{prog + ": flag provided but not defined: -no-such-flag", "run '" + help + "' for usage"},
			[]string{prog + "：未知选项：-no-such-flag", "运行 " + help + " 查看用法。"},
		}}
		// A flag that takes a value, given none; and a bad number or
		// duration, when the command has one.
		flagSetOf(t, cmd).VisitAll(func(f *flag.Flag) {
			if kind, _ := flag.UnquoteUsage(f); kind != "" && f.Name != "lang" && len(cases) == 2 {
				cases = append(cases, struct{ args, en, zh []string }{
					[]string{"--" + f.Name},
					[]string{prog + ": flag needs an argument: --" + f.Name, "run '" + help + "' for usage"},
					[]string{prog + "：选项 --" + f.Name + " 需要一个值", "运行 " + help + " 查看用法。"},
				})
			}
			if g, ok := f.Value.(flag.Getter); ok && len(cases) < 4 {
				switch g.Get().(type) {
				case int, int64, float64, interface{ Hours() float64 }:
					cases = append(cases, struct{ args, en, zh []string }{
						[]string{"--" + f.Name + "=x"},
						[]string{prog + `: invalid value "x" for flag --` + f.Name + ": parse error", "run '" + help + "' for usage"},
						[]string{prog + `：选项 --` + f.Name + ` 的值 "x" 无效：格式不对`, "运行 " + help + " 查看用法。"},
					})
				}
			}
		})
		for _, c := range cases {
			for _, lang := range lessons.Languages {
				want := map[string][]string{"en": c.en, "zh": c.zh}[lang]
				args := argv(cmd, append([]string{"--lang=" + lang}, c.args...)...)
				if cmd == "wsanatomy" {
					// The walkthrough's own --lang is another branch's:
					// its language here comes from the locale.
					args = c.args
					t.Setenv("LC_ALL", map[string]string{"en": "C", "zh": "zh_CN.UTF-8"}[lang])
				}
				code, out, stderr := runCLI(args...)
				t.Setenv("LC_ALL", "")
				if got := strings.Join(want, "\n") + "\n"; code != 2 || out != "" || stderr != got {
					t.Errorf("%q: exit %d, stdout %q\nstderr %q\nwant   %q", args, code, out, stderr, got)
				}
			}
		}
	}
}

// TestLangFlagAndLocale: --lang wins over the locale; without it LC_ALL,
// then LC_MESSAGES, then LANG decide; a language we do not speak is a
// usage error that says which ones we do.
func TestLangFlagAndLocale(t *testing.T) {
	for _, tc := range []struct {
		lcAll, lcMessages, lang string
		args                    []string
		want                    string
	}{
		{"", "", "", []string{"--bogus"}, "en"},
		{"", "", "zh_CN.UTF-8", []string{"--bogus"}, "zh"},
		{"", "zh_TW", "en_US.UTF-8", []string{"--bogus"}, "zh"},
		{"C", "zh_TW", "zh_CN.UTF-8", []string{"--bogus"}, "en"},
		{"zh_CN.UTF-8", "", "C", []string{"--bogus"}, "zh"},
		{"zh_CN.UTF-8", "", "", []string{"--lang", "en", "--bogus"}, "en"},
		{"", "", "C", []string{"--lang=zh", "--bogus"}, "zh"},
		{"", "", "C", []string{"--bogus", "-lang", "zh"}, "zh"},
	} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", tc.lcMessages)
		t.Setenv("LANG", tc.lang)
		for _, cmd := range commands {
			_, _, stderr := runCLI(argv(cmd, tc.args...)...)
			if got := map[bool]string{true: "zh", false: "en"}[strings.Contains(stderr, "未知选项")]; got != tc.want {
				t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q %s %q: said in %s, want %s: %q", tc.lcAll, tc.lcMessages, tc.lang, cmd, tc.args, got, tc.want, stderr)
			}
		}
	}
	noLocale(t)
	for _, cmd := range commands {
		code, _, stderr := runCLI(argv(cmd, "--lang", "fr")...)
		if code != 2 || !strings.Contains(stderr, `--lang must be en or zh, not "fr"`) {
			t.Errorf("%s --lang fr: exit %d, %q", cmd, code, stderr)
		}
	}
	if code, _, stderr := runCLI("help", "serve", "--lang", "fr"); code != 2 || !strings.Contains(stderr, "en or zh") {
		t.Errorf("help serve --lang fr: exit %d, %q", code, stderr)
	}
}

// TestUsageMistakesInChinese: a command's own checks of its command line
// (not the flag package's) speak Chinese with --lang zh, in the one format.
func TestUsageMistakesInChinese(t *testing.T) {
	noLocale(t)
	for _, args := range [][]string{
		{"bogus"},
		{"serve", "extra"},
		{"serve", "--addr", ""},
		{"serve", "--origin", "localhost"},
		{"dial"},
		{"dial", "--heartbeat", "-1s", "ws://a/"},
		{"proxy"},
		{"check"},
		{"check", "--client", "dial --echo"},
		{"source", "a", "b"},
		{"vectors", "--list", "--show", "x"},
		{"lessons", "99"},
		{"lessons", "x"},
		{"lessons", "1", "2"},
		{"help", "serve", "dial"},
		{"serve", "--log", "x"},
		{"dial", "-H", "x", "ws://a/"},
		{"check", "ws://a/", "--cases", "1.*", "--exclude", "1.*"},
		{"serve", "--bogus"},
	} {
		for _, lang := range lessons.Languages {
			code, _, stderr := runCLI(append(args, "--lang", lang)...)
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			hint := map[string]string{"en": "run 'wsanatomy", "zh": "运行 wsanatomy"}[lang]
			if code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], "wsanatomy") || !strings.HasPrefix(lines[1], hint) {
				t.Errorf("%q --lang %s: exit %d, stderr %q", args, lang, code, stderr)
				continue
			}
			if zh := hasHan(lines[0]); zh != (lang == "zh") || lang == "zh" && regexp.MustCompile(`\b(want|must|needs|got)\b`).MatchString(lines[0]) {
				t.Errorf("%q --lang %s: %q is in the wrong language", args, lang, lines[0])
			}
			if lang == "zh" {
				for _, p := range zhcheck.Sentences(asCode(lines[0])) {
					t.Errorf("%q --lang zh: %s", args, p)
				}
			}
		}
	}
}

// TestLessonsArguments: flags go before or after the lesson number, and
// a bad number is a usage error.
func TestLessonsArguments(t *testing.T) {
	noLocale(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"3", "--plain", "--lang", "en"}, {"--lang=en", "--plain", "3"}, {"--plain", "3", "--lang", "en"}} {
		code, out, stderr := runCLI(argv("lessons", args...)...)
		if code != 0 || !strings.HasPrefix(out, "Lesson 3:") {
			t.Errorf("lessons %q: exit %d, %.80q %q", args, code, out, stderr)
		}
	}
	code, out, _ := runCLI("lessons", "--list", "--lang", "zh")
	if cat, _ := lessons.Catalog("zh"); code != 0 || !strings.Contains(out, cat[0].Title) {
		t.Errorf("lessons --list --lang zh: exit %d\n%s", code, out)
	}
}

// TestVectorsList: --list names every vector once, under its file, with
// its level, one line each within 80 columns, in both languages.
func TestVectorsList(t *testing.T) {
	noLocale(t)
	set, err := testvectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range lessons.Languages {
		code, out, stderr := runCLI("vectors", "--list", "--lang", lang)
		if code != 0 || stderr != "" {
			t.Fatalf("vectors --list --lang %s: exit %d, %q", lang, code, stderr)
		}
		// Into a pipe, nothing is cut: every description is whole, on
		// its vector's line.
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if strings.Contains(out, "…") {
			t.Errorf("%s: a piped list cuts something with …", lang)
		}
		at := 0 // the line after the last one matched
		n := 0
		for _, f := range set.Files {
			for ; at < len(lines) && !strings.HasPrefix(lines[at], f.Name+" ") && !strings.HasPrefix(lines[at], f.Name+"（"); at++ {
			}
			if at == len(lines) {
				t.Fatalf("%s: no heading for %s, or not in order", lang, f.Name)
			}
			for _, v := range f.Vectors {
				n++
				for at++; at < len(lines) && strings.TrimSpace(lines[at]) != "" && !strings.Contains(lines[at], " "+v.ID+" ") && !strings.HasSuffix(lines[at], " "+v.ID); at++ {
				}
				if at == len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[at]), testvectors.LevelWord(lang, v.Level)+" ") ||
					!strings.HasSuffix(lines[at], "  "+v.Description) {
					t.Fatalf("%s: %s (%s) is missing under %s, or out of order", lang, v.ID, v.Level, f.Name)
				}
			}
		}
		choice := testvectors.LevelWord(lang, testvectors.LevelWsanatomy)
		if strings.Contains(out, "\n  wsanatomy ") || !strings.Contains(out, "\n"+choice+" = ") {
			t.Errorf("%s: the level wsanatomy is not shown as %q with its legend", lang, choice)
		}
		if got := strings.Count(out, "\n  MUST ") + strings.Count(out, "\n  SHOULD ") + strings.Count(out, "\n  "+choice+" "); got != n {
			t.Errorf("%s: %d vector lines, want %d", lang, got, n)
		}
		last := lines[len(lines)-2] // before the legend
		if lang == "zh" && !strings.HasPrefix(last, "共 ") || lang == "en" && !strings.HasSuffix(last, "--show ID dissects one") {
			t.Errorf("%s: last line %q", lang, last)
		}
	}
}

// TestVectorsShowWrapsAndSpeaksChinese: --show fits 80 columns when output
// is not a terminal (but for the vector's JSON, which is data), and its own
// words follow --lang.
func TestVectorsShowWrapsAndSpeaksChinese(t *testing.T) {
	noLocale(t)
	for _, id := range []string{"rfc-5.7-masked-text", "close-empty", "utf8-bad-last-byte-bytewise"} {
		for _, lang := range lessons.Languages {
			code, out, stderr := runCLI("vectors", "--show", id, "--lang", lang)
			if code != 0 {
				t.Fatalf("vectors --show %s --lang %s: exit %d, %q", id, lang, code, stderr)
			}
			inJSON := false
			for i, l := range strings.Split(out, "\n") {
				switch {
				case l == "{":
					inJSON = true
				case l == "}":
					inJSON = false
				case !inJSON && lessons.Width(l) > 80:
					t.Errorf("%s %s: line %d is %d columns: %q", id, lang, i+1, lessons.Width(l), l)
				}
			}
			want := map[string][]string{"en": {"  the kind of result (frame)  MUST\n", "expected: ", "PASS"}, "zh": {"  结果的类别（frame）  MUST\n", "预期：", "通过"}}[lang]
			if id != "rfc-5.7-masked-text" {
				want = want[1:]
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s lacks %q:\n%s", id, lang, w, out)
				}
			}
			if lang == "zh" && (strings.Contains(out, "expected:") || strings.Contains(out, "\nPASS")) {
				t.Errorf("%s zh has English labels:\n%s", id, out)
			}
		}
	}
}

// TestVectorsExitStatus: vectors exits 1 on a failing vector and 0 when
// all pass; the last line is "N passed, M failed" in both languages.
func TestVectorsExitStatus(t *testing.T) {
	noLocale(t)
	if code, _, stderr := runCLI("vectors", "testvectors/testdata/wrong.json"); code != 1 {
		t.Errorf("failing vectors: exit %d, want 1; stderr %s", code, stderr)
	}
	for _, lang := range lessons.Languages {
		code, out, _ := runCLI("vectors", "testvectors/testdata/good.json", "--lang", lang)
		if code != 0 || !strings.HasSuffix(out, "\n2 passed, 0 failed\n") {
			t.Errorf("passing vectors --lang %s: exit %d, want 0 and the summary line:\n%s", lang, code, out)
		}
		if lang == "zh" && !strings.Contains(out, "通过 2 个，失败 0 个") {
			t.Errorf("zh report has no Chinese summary:\n%s", out)
		}
	}
	code, out, _ := runCLI("vectors", "--show", "good-hello", "testvectors/testdata/good.json")
	if code != 0 {
		t.Errorf("--show: exit %d, want 0", code)
	}
	for _, s := range []string{"good-hello", `"bytes": "810548656c6c6f"`, "byte 0", "81 = 10000001", "opcode  0x1  text", "payload     48 65 6c 6c 6f", "PASS"} {
		if !strings.Contains(out, s) {
			t.Errorf("--show output lacks %q:\n%s", s, out)
		}
	}
	if code, _, stderr := runCLI("vectors", "--show", "nope", "testvectors/testdata/good.json"); code != 1 || !strings.Contains(stderr, `no vector has id "nope"`) {
		t.Errorf("--show unknown id: exit %d, stderr %q", code, stderr)
	}
}

// TestDialCloseLineInChinese: dial's report of the server's close frame
// follows --lang, with the close code's Chinese name.
func TestDialCloseLineInChinese(t *testing.T) {
	var b strings.Builder
	err := reportClose(&b, &protocol.CloseError{Code: protocol.ClosePolicyViolation, Reason: "no"}, "zh")
	want := "wsanatomy：连接已关闭；服务器在关闭帧里给出的关闭码是 " + lessons.CloseCodeName("zh", protocol.ClosePolicyViolation) + "，关闭原因 \"no\"\n"
	if !errors.Is(err, exitError(1)) || b.String() != want || !hasHan(lessons.CloseCodeName("zh", protocol.ClosePolicyViolation)) {
		t.Errorf("got %v, %q; want exit 1, %q", err, b.String(), want)
	}
	b.Reset()
	if err := reportClose(&b, &protocol.CloseError{Code: protocol.CloseNormal}, "en"); err != nil || b.String() != "wsanatomy: closed; the server's close frame said 1000 (normal closure)\n" {
		t.Errorf("en: %v, %q", err, b.String())
	}
}

// The tests run without the machine's locale: the program's words follow
// LC_ALL, LC_MESSAGES and LANG, and a test that expects English must not
// fail on a Chinese desktop. Tests of the locale set it themselves.
func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		os.Unsetenv(v)
	}
}
