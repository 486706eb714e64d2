package protocol

import (
	"go/build"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the codec honest: every byte on the wire is
// produced by code in this package or the Go standard library.
func TestStandardLibraryOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imports := range [][]string{pkg.Imports, pkg.TestImports} {
		for _, path := range imports {
			first := strings.Split(path, "/")[0]
			if strings.Contains(first, ".") {
				t.Errorf("protocol imports %q: only the standard library is allowed", path)
			}
		}
	}
}
