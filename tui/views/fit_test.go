package views

import "testing"

// TestFitMarksCut: a line cut to fit ends with "…" so that a reader sees
// there was more; padding and rules cut off are not text and get none,
// and a Chinese character is never cut in half.
func TestFitMarksCut(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		want string
	}{
		{"abcdef", 4, "abc…"},
		{"abc", 5, "abc  "},
		{"ab      ", 4, "ab  "},
		{"── title ──────────", 10, "── title ─"},
		{"服务器先关闭", 7, "服务器…"},
		{"服务器先关闭", 6, "服务… "},
	}
	for _, c := range cases {
		if got := Fit(c.in, c.w); got != c.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
