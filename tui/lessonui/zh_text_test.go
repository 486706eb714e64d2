package lessonui

import (
	"fmt"
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/lessons"
)

// TestChineseText holds the lesson screens' Chinese words to the rules of
// package zhcheck.
func TestChineseText(t *testing.T) {
	for k, s := range labels["zh"] {
		zhcheck.Test(t, "label "+k, s)
	}
}

// TestChineseDemoLines holds what the Chinese demos print, line by line
// and dissection by dissection, to the same rules: these are the words
// the renderers put together at run time.
func TestChineseDemoLines(t *testing.T) {
	seen := map[string]bool{}
	for _, run := range allDemos(t) {
		if run.lang != "zh" {
			continue
		}
		for si, res := range run.results {
			if res == nil {
				continue
			}
			for _, r := range renderEvents("zh", res) {
				for _, s := range []string{r.line, r.detail} {
					if s == "" || seen[s] {
						continue
					}
					seen[s] = true
					where := fmt.Sprintf("%s step %d", run.lesson.File, si+1)
					for _, p := range zhcheck.Wrapped(s) {
						t.Errorf("%s: %s\n%s", where, p, s)
					}
					if s == r.line {
						for _, p := range zhcheck.Wrapping(s, lessons.Wrap, zhcheck.Widths...) {
							t.Errorf("%s: %s", where, p)
						}
					}
				}
			}
		}
	}
}
