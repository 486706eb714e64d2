package testvectors

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/lessons"
)

// TestEverySayHasChinese: every English sentence this package passes to
// say has a Chinese entry with the same formatting verbs, so --lang zh
// never falls back to English for the package's own words; and no entry
// is left that nothing says.
func TestEverySayHasChinese(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	said := map[string]bool{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 2 {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "say" {
					return true
				}
				if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					said[s] = true
				}
				return true
			})
		}
	}
	if len(said) < 20 {
		t.Fatalf("found only %d sentences passed to say: the search is broken", len(said))
	}
	verbs := regexp.MustCompile(`%(\[\d\])?[-+# 0-9]*[a-zA-Z]`)
	sorted := func(s string) string {
		v := verbs.FindAllString(regexp.MustCompile(`\[\d\]`).ReplaceAllString(s, ""), -1)
		sort.Strings(v)
		return strings.Join(v, " ")
	}
	for en := range said {
		zh, ok := zhWords[en]
		if !ok {
			t.Errorf("say(lang, %q) has no Chinese in zhWords", en)
			continue
		}
		if sorted(en) != sorted(zh) {
			t.Errorf("%q and its Chinese %q format different verbs", en, zh)
		}
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) && zh != en {
			t.Errorf("the Chinese of %q is %q", en, zh)
		}
	}
	for en := range zhWords {
		if !said[en] {
			t.Errorf("zhWords holds %q, which nothing says", en)
		}
	}
}

// TestListAndReportInChinese: the list's and the report's own words
// follow lang; the report's last line is the same in both.
func TestListAndReportInChinese(t *testing.T) {
	set, err := Load("testdata/good.json")
	if err != nil {
		t.Fatal(err)
	}
	var en, zh bytes.Buffer
	set.List(&en, "en", 80)
	set.List(&zh, "zh", 80)
	if !strings.Contains(en.String(), "2 vectors in 1 files") || !strings.Contains(zh.String(), "共 1 个文件、2 个测试向量") {
		t.Errorf("list:\n%s\n%s", en.String(), zh.String())
	}
	rep := Run(t.Context(), set)
	en.Reset()
	zh.Reset()
	rep.PrintIn(&en, "en")
	rep.PrintIn(&zh, "zh")
	if !strings.HasSuffix(en.String(), "\n2 passed, 0 failed\n") || !strings.HasSuffix(zh.String(), "\n2 passed, 0 failed\n") ||
		!strings.Contains(zh.String(), "  通过    good-hello") {
		t.Errorf("report:\n%s\n%s", en.String(), zh.String())
	}
}

// TestFitLines: every line fits, no word is lost or reordered, and a long
// line continues under its value.
func TestFitLines(t *testing.T) {
	text := strings.Join([]string{
		"  payload     " + strings.Repeat("6d 69 ", 40) + "… (93 more bytes)",
		`  close code  1000, reason "` + strings.Repeat("abcdefghij", 15) + `"`,
		"frame 1, at byte 0: binary, 10-byte header, payload 9223372036854775808 bytes (only 0 present)",
		"close 载荷：状态码字节 03 e8 = 1000，关闭原因字节 " + strings.Repeat("61 62 63 ", 20),
		"short line",
	}, "\n")
	for width := 20; width <= 100; width += 7 {
		got := fitLines(text, width)
		for _, l := range strings.Split(got, "\n") {
			if lessons.Width(l) > width {
				t.Errorf("width %d: line of %d columns: %q", width, lessons.Width(l), l)
			}
		}
		if strings.Join(strings.Fields(got), "") != strings.Join(strings.Fields(text), "") {
			t.Errorf("width %d: the text changed:\n%s", width, got)
		}
	}
	got := strings.Split(fitLines(text, 60), "\n")
	if !strings.HasPrefix(got[0], "  payload     6d 69") || !regexp.MustCompile(`^ {14}[0-9a-f]{2} `).MatchString(got[1]) {
		t.Errorf("the hex does not continue under its value:\n%s\n%s", got[0], got[1])
	}
}

// TestChineseText holds every Chinese string of the command to the rules
// of package zhcheck.
func TestChineseText(t *testing.T) {
	for en, s := range zhWords {
		zhcheck.Test(t, "vectors "+strconv.Quote(en), s)
	}
}

// TestListWrapsOnATerminal: at a terminal's width the list fits, cuts
// nothing (a description wraps under its column), keeps its columns
// aligned under a header, and shows the level wsanatomy as a word with a
// legend.
func TestListWrapsOnATerminal(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		for _, width := range []int{80, 60} {
			var b bytes.Buffer
			set.List(&b, lang, width)
			out := b.String()
			for _, l := range strings.Split(out, "\n") {
				if lessons.Width(l) > width {
					t.Errorf("%s %d: a line of %d columns: %q", lang, width, lessons.Width(l), l)
				}
			}
			if strings.Contains(out, "…") {
				t.Errorf("%s %d: something is cut with …", lang, width)
			}
			// A word wider than the room left may be cut across lines:
			// compare without spaces.
			flat := strings.Join(strings.Fields(out), "")
			for _, f := range set.Files {
				for _, v := range f.Vectors {
					if !strings.Contains(flat, strings.Join(strings.Fields(v.Description), "")) {
						t.Errorf("%s %d: %s's description is not whole", lang, width, v.ID)
					}
				}
			}
			if !strings.Contains(out, "\n  "+say(lang, "level")+" ") || !strings.Contains(out, "\n"+LevelWord(lang, LevelWsanatomy)+" = ") {
				t.Errorf("%s %d: no header or no legend:\n%s", lang, width, out[:min(len(out), 600)])
			}
		}
	}
}

// TestShowLevelsPerField: --show says the level of each expected field, so
// that a vector quoting an RFC MUST NOT (on the sender) does not read as
// if its close code were bound by it; a close payload of a code alone
// says it has no reason bytes; and an unknown id gets the closest ids.
func TestShowLevelsPerField(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][]string{
		"en": {"  the kind of result (error)  choice\n", "  error.close_code            SHOULD\n", "  error.section               informative",
			"\nchoice = wsanatomy's own choice", "status code bytes 03 ed = 1005, no reason bytes\n"},
		"zh": {"  结果的类别（error）  自选\n", "  error.close_code     SHOULD\n", "\n自选 = ", "没有关闭原因字节\n"},
	} {
		text, err := ShowIn(t.Context(), set, "close-code-1005", lang, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: --show close-code-1005 lacks %q:\n%s", lang, w, text)
			}
		}
		if strings.Contains(text, "level wsanatomy") || strings.Contains(text, "reason bytes \n") {
			t.Errorf("%s: --show close-code-1005:\n%s", lang, text)
		}
	}
	_, err = set.Find("close-code-105")
	if err == nil || !strings.Contains(err.Error(), "the closest ids: close-code-1005,") {
		t.Errorf("Find(close-code-105): %v", err)
	}
}
