package render

import (
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
)

// TestChineseText holds every Chinese string of the renderers and every
// violation sentence to the rules of package zhcheck, wrapped by the
// wrapper the renderers use.
func TestChineseText(t *testing.T) {
	wrap := func(s string, w int) string { return wrapIn("zh", s, w) }
	check := func(where, s string) {
		t.Helper()
		for _, p := range append(zhcheck.Sentences(s), zhcheck.Wrapping(s, wrap, zhcheck.Widths...)...) {
			t.Errorf("%s %q: %s", where, s, p)
		}
	}
	for en, s := range zh {
		check("render "+en, s)
	}
	for en, s := range zhViolations {
		check("violation "+en, s)
	}
}
