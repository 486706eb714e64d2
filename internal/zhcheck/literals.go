package zhcheck

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Literals reads the Go source of the package in the current directory
// (a test's working directory is its package's) and returns every string
// literal passed to the functions named in args, with where it is. args
// maps a function's name (called as f(...) or x.f(...)) to the index of
// the argument that holds the English, -1 for the last. Files named in
// skip (the translation tables themselves) and test files are not read.
//
// Tests that keep a screen's Chinese complete use it: every literal found
// must have an entry in the screen's table, so a new string without
// Chinese fails the build's tests, not a learner's screen.
func Literals(t testing.TB, args map[string]int, skip ...string) map[string]gotoken.Position {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]gotoken.Position{}
	fset := gotoken.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || slices.Contains(skip, name) {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch f := call.Fun.(type) {
			case *ast.Ident:
				fn = f.Name
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			}
			i, ok := args[fn]
			if !ok || len(call.Args) == 0 {
				return true
			}
			if i < 0 {
				i = len(call.Args) - 1
			}
			if i >= len(call.Args) {
				return true
			}
			if s, ok := constant(call.Args[i]); ok {
				found[s] = fset.Position(call.Args[i].Pos())
			}
			// Anything else is a value chosen from literals found
			// elsewhere.
			return true
		})
	}
	return found
}

// constant returns the string e spells: a literal, or literals joined by +.
func constant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != gotoken.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := constant(e.X)
		b, ok2 := constant(e.Y)
		return a + b, ok1 && ok2 && e.Op == gotoken.ADD
	case *ast.ParenExpr:
		return constant(e.X)
	}
	return "", false
}
