package views

import "testing"

// TestStep: tab and shift+tab go round a ring, and from no pick forward
// picks the first, back the last.
func TestStep(t *testing.T) {
	for _, c := range []struct{ i, d, n, want int }{
		{-1, 1, 3, 0}, {-1, -1, 3, 2}, {0, 1, 3, 1}, {2, 1, 3, 0}, {0, -1, 3, 2}, {1, -1, 3, 0}, {0, 1, 1, 0}, {0, -1, 1, 0},
	} {
		if got := Step(c.i, c.d, c.n); got != c.want {
			t.Errorf("Step(%d, %d, %d) = %d, want %d", c.i, c.d, c.n, got, c.want)
		}
	}
}
