package render

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// literals returns every string literal of the package's non-test files
// but lang.go and violation.go (whose tables hold the translations
// themselves), and the literals passed to tr.
func literals(t *testing.T) (all, translated map[string]token.Position) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "lang.go" || name == "violation.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	all, translated = map[string]token.Position{}, map[string]token.Position{}
	str := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := str(n); ok {
					all[s] = fset.Position(n.Pos())
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if name == "tr" && len(n.Args) > 0 {
					if s, ok := str(n.Args[len(n.Args)-1]); ok {
						translated[s] = fset.Position(n.Pos())
					}
				}
			}
			return true
		})
	}
	return all, translated
}

// TestEveryStringHasChinese fails when a string the renderers print has
// no entry in zh: every literal passed to tr, and every literal that reads
// as English words (two lower-case words in a row), which a renderer
// prints unless it is listed here as not shown to the user.
func TestEveryStringHasChinese(t *testing.T) {
	all, translated := literals(t)
	for s, pos := range translated {
		if _, ok := zh[s]; !ok {
			t.Errorf("%s: %q has no Chinese in zh", pos, s)
		}
	}
	words := regexp.MustCompile(`[a-z]{2,}\.? [a-z]{2,}`)
	for s, pos := range all {
		if _, ok := zh[s]; !ok && words.MatchString(s) {
			t.Errorf("%s: %q reads as English but has no Chinese in zh", pos, s)
		}
	}
	// And no stale entries: every key is still printed somewhere. The
	// length form names come from protocol.LengthForm.String.
	dynamic := map[string]bool{}
	for _, lf := range []protocol.LengthForm{protocol.Length7Bit, protocol.Length16Bit, protocol.Length64Bit} {
		dynamic[lf.String()] = true
	}
	for en := range zh {
		if _, ok := all[en]; !ok && !dynamic[en] {
			t.Errorf("zh has %q, which no renderer prints any more", en)
		}
	}
	// Every field name in every place it is printed.
	for fl := FieldFIN; fl < numFields; fl++ {
		for _, s := range []string{fl.ShortName(), shortName(fl)} {
			if tr("zh", s) == s && strings.Contains(s, " ") {
				t.Errorf("field %v: %q has no Chinese", fl, s)
			}
		}
	}
}

// TestChineseFormats checks that each Chinese format string takes the
// same arguments as its English key: formatted with distinct arguments,
// it shows every one of them and no %!verb error.
func TestChineseFormats(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)
	all := map[string]string{}
	for _, m := range []map[string]string{zh, zhViolations} {
		for en, cn := range m {
			all[en] = cn
		}
	}
	for en, cn := range all {
		if strings.TrimSpace(cn) == "" {
			t.Errorf("%q: empty Chinese", en)
			continue
		}
		var args []any
		var want []string
		for i, m := range verb.FindAllStringSubmatch(en, -1) {
			switch m[3] {
			case "%":
				continue
			case "d":
				args = append(args, 1001+i)
				want = append(want, fmt.Sprint(1001+i))
			case "X":
				args = append(args, 0xA1+i)
				want = append(want, fmt.Sprintf("%X", 0xA1+i))
			default:
				s := fmt.Sprintf("arg%d", i)
				args = append(args, s)
				want = append(want, s)
			}
		}
		if len(args) == 0 {
			if strings.Contains(cn, "%") && !strings.Contains(en, "%") {
				t.Errorf("%q: Chinese %q has a verb the English has not", en, cn)
			}
			continue
		}
		got := fmt.Sprintf(cn, args...)
		if strings.Contains(got, "%!") {
			t.Errorf("%q: Chinese %q does not take the English arguments: %s", en, cn, got)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%q: Chinese %q drops an argument: %s", en, cn, got)
			}
		}
	}
}

// TestWithLang: the zero theme and any other language speak English.
func TestWithLang(t *testing.T) {
	if PlainTheme().Lang() != "en" || PlainTheme().WithLang("fr").Lang() != "en" || ColorTheme().WithLang("zh").Lang() != "zh" {
		t.Error("WithLang/Lang")
	}
	if PlainTheme().WithLang("zh").WithLang("en").HexLegend() != HexLegend {
		t.Error("back to English")
	}
}
