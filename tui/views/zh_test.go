package views

import (
	"regexp"
	"slices"
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
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z]`)
	kinds := func(s string) string {
		var out []string
		for _, v := range verbs.FindAllString(s, -1) {
			out = append(out, v[len(v)-1:])
		}
		slices.Sort(out)
		return strings.Join(out, "")
	}
	found := zhcheck.Literals(t, map[string]int{"say": 1, "sayf": 1}, "zh.go")
	if len(found) < 40 {
		t.Errorf("found only %d strings to check: the test no longer reads the calls", len(found))
	}
	for en, at := range found {
		zhs, ok := zh[en]
		if !ok {
			t.Errorf("%s: no Chinese for %q", at, en)
			continue
		}
		if kinds(en) != kinds(zhs) {
			t.Errorf("%q: the Chinese %q has other format verbs", en, zhs)
		}
		if strings.ContainsFunc(en, unicode.IsLetter) && !strings.ContainsFunc(zhs, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%q: its Chinese %q has no Chinese", en, zhs)
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
