package views

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
)

// TestDissectSpeaksChinese: every string this package passes to say or
// sayf has its Chinese in zh, with the English's format verbs (by count
// and kind; zh may reorder them with %[n]). It reads the package's
// source, so a new string without Chinese fails here.
func TestDissectSpeaksChinese(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z]`)
	kinds := func(s string) string {
		var out []string
		for _, v := range verbs.FindAllString(s, -1) {
			out = append(out, v[len(v)-1:])
		}
		slicesSort(out)
		return strings.Join(out, "")
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "zh.go" {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			id, ok := call.Fun.(*ast.Ident)
			if !ok || (id.Name != "say" && id.Name != "sayf") || len(call.Args) < 2 {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok {
				return true // a name chosen above from literals that are checked
			}
			en, _ := strconv.Unquote(lit.Value)
			seen++
			zhs, ok := zh[en]
			if !ok {
				t.Errorf("%s: no Chinese for %q", fset.Position(call.Pos()), en)
				return true
			}
			if kinds(en) != kinds(zhs) {
				t.Errorf("%q: the Chinese %q has other format verbs", en, zhs)
			}
			if strings.ContainsFunc(en, unicode.IsLetter) && !strings.ContainsFunc(zhs, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%q: its Chinese %q has no Chinese", en, zhs)
			}
			return true
		})
	}
	if seen < 40 {
		t.Errorf("found only %d strings to check: the test no longer reads the calls", seen)
	}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestDissectChineseRules holds the dissection's Chinese to the rules of
// all Chinese text (package zhcheck).
func TestDissectChineseRules(t *testing.T) {
	for en, s := range zh {
		zhcheck.Test(t, "views "+strconv.Quote(en), s)
	}
}
