package session

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
)

var (
	section = regexp.MustCompile(`§\d+(\.\d+)*`)
	// Half-width punctuation touching a Chinese character: Chinese
	// sentences take full-width punctuation (，。：；！？).
	halfWidth = regexp.MustCompile(`\p{Han}[,.:;!?]|[,:;!?]\p{Han}`)
	// 密钥 alone reads as a cryptographic key: the masking key is 掩码密钥.
	bareKey = regexp.MustCompile(`(^|[^码])密钥`)
)

// TestEveryStepHasChinese fails when a step of the walkthrough has no
// Chinese title or text, when its Chinese is not Chinese, uses half-width
// punctuation or a bare 密钥, or cites other RFC sections than its English.
func TestEveryStepHasChinese(t *testing.T) {
	steps := Steps()
	if len(steps) == 0 {
		t.Fatal("no steps")
	}
	for i, st := range steps {
		name := Actions[st.Action].Name + ": " + st.Title
		if st.TitleZh == "" || st.TextZh == "" {
			t.Errorf("step %d (%s) has no Chinese", i+1, name)
			continue
		}
		title, text := st.In("zh")
		if title != st.TitleZh || text != st.TextZh {
			t.Errorf("step %d (%s): In(\"zh\") does not give its Chinese", i+1, name)
		}
		if title, text := st.In("en"); title != st.Title || text != st.Text {
			t.Errorf("step %d (%s): In(\"en\") does not give its English", i+1, name)
		}
		if !hasHan(st.TextZh) {
			t.Errorf("step %d (%s): its Chinese text has no Chinese: %q", i+1, name, st.TextZh)
		}
		for _, s := range []string{st.TitleZh, st.TextZh} {
			if m := halfWidth.FindString(s); m != "" {
				t.Errorf("step %d (%s): half-width punctuation in Chinese, %q", i+1, name, m)
			}
			if bareKey.MatchString(s) {
				t.Errorf("step %d (%s): 密钥 without 掩码: %q", i+1, name, s)
			}
		}
		en, zh := sections(st.Text), sections(st.TextZh)
		if !slices.Equal(en, zh) {
			t.Errorf("step %d (%s): the English cites %v, the Chinese %v", i+1, name, en, zh)
		}
	}
}

// TestStepsNameNoKeys: the steps' text is printed as it is by the plain
// walkthrough, where no key does anything; the screen adds its key hints
// from the key map (Step.Hint).
func TestStepsNameNoKeys(t *testing.T) {
	keyWords := regexp.MustCompile(`(?i)\bpress\b|\btab\b|\[ and \]|\bkey [a-z]\b|按 ?[a-z\[\]]`)
	for i, st := range Steps() {
		for _, s := range []string{st.Text, st.TextZh} {
			if m := keyWords.FindString(s); m != "" {
				t.Errorf("step %d (%s) names a key: %q", i+1, st.Title, m)
			}
		}
	}
}

// TestPart: every action runs on the connection of its part.
func TestPart(t *testing.T) {
	want := map[string]string{"handshake": "handshake", "hello": "handshake", "close": "handshake",
		"deflate": "deflate", "deflate-hello-again": "deflate", "no-context": "no-context", "no-context-hello": "no-context"}
	for i, a := range Actions {
		if w, ok := want[a.Name]; ok && Actions[Part(i)].Name != w {
			t.Errorf("Part(%s) = %s, want %s", a.Name, Actions[Part(i)].Name, w)
		}
	}
}

func sections(s string) []string {
	out := section.FindAllString(s, -1)
	slices.Sort(out)
	return slices.Compact(out)
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// TestStepsChineseRules holds every step's Chinese to the rules of all
// Chinese text (package zhcheck): full-width punctuation, the glossary's
// terms, 掩码密钥, and wrapping that never splits a term.
func TestStepsChineseRules(t *testing.T) {
	for i, st := range Steps() {
		zhcheck.Test(t, fmt.Sprintf("step %d (%s)", i+1, st.Title), st.TitleZh, st.TextZh)
	}
}
