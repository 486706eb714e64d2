// Package zhcheck checks Chinese text a learner reads against the rules
// every Chinese string of wsanatomy follows (the glossary in the design
// folder, and the conventions of Chinese typesetting):
//
//   - punctuation in a Chinese sentence is full-width: no ASCII , . ; : ? !
//     ( ) between Chinese characters ("握手,然后" is "握手，然后");
//   - no English word leaks where the glossary has a Chinese term: a bare
//     "frame" or "key" in a Chinese sentence is 帧 or 掩码密钥 (RFC field and
//     header names, opcode names, ping and pong stay English, as the
//     glossary says);
//   - the masking key is 掩码密钥, never a bare 密钥;
//   - wrapped to any width, no line starts with closing punctuation (，。）…)
//     or ends with opening punctuation (（「…), and no line break falls inside
//     a Latin token (Sec-WebSocket-Accept, 0x81) or a glossary term (掩码密钥).
//
// Code (fenced blocks, `spans`), format verbs (%s), URLs and quoted English
// (an RFC sentence in "…" or “…”) are left alone.
//
// Use it from a test, on every Chinese string a screen shows:
//
//	func TestChineseText(t *testing.T) {
//		for key, s := range myZhLabels {
//			zhcheck.Test(t, "labels "+key, s)
//		}
//	}
//
// Test runs every check, wrapping with lessons.Wrap at widths 16 to 100.
// A screen with its own wrapper calls [Sentences] and [Wrapping] with it.
package zhcheck

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// Problem is one place where a string breaks a rule.
type Problem struct {
	Rule string // "punctuation", "english", "masking key", "line start", "line end", "split"
	At   string // the text around it
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: …%s…", p.Rule, p.Msg, p.At) }

// Leaks are English words that must not stand bare in a Chinese sentence,
// with the glossary's Chinese for each. Only these lower-case words are
// flagged: "Sec-WebSocket-Key", "Masking-key" and "MASK" are names the
// glossary keeps in English.
var Leaks = map[string]string{
	"key": "掩码密钥 (the masking key) or Sec-WebSocket-Key (the handshake's)", "keys": "掩码密钥",
	"frame": "帧", "frames": "帧", "message": "消息", "messages": "消息",
	"payload": "载荷", "payloads": "载荷",
	"mask": "掩码", "masked": "加掩码", "masking": "掩码", "unmasked": "去掩码",
	"handshake": "握手", "handshakes": "握手",
	"fragment": "分片", "fragments": "分片", "fragmented": "分片",
	"extension": "扩展", "extensions": "扩展",
	"subprotocol": "子协议", "subprotocols": "子协议",
	"heartbeat": "心跳", "server": "服务器", "client": "客户端",
	"connection": "连接", "connections": "连接",
	"header": "头部", "headers": "头部", "byte": "字节", "bytes": "字节",
	"reason": "关闭原因", "proxy": "代理", "proxies": "代理",
}

// Sentences checks the sentences of s: punctuation, English words and the
// masking key. s may be Markdown; code is skipped.
func Sentences(s string) []Problem {
	var out []Problem
	for _, line := range prose(s) {
		if !hasHan(line) {
			continue
		}
		out = append(out, punctuation(line)...)
		out = append(out, english(gloss.ReplaceAllString(line, " "))...)
		for i := 0; ; {
			j := strings.Index(line[i:], "密钥")
			if j < 0 {
				break
			}
			j += i
			if !strings.HasSuffix(line[:j], "掩码") {
				out = append(out, Problem{"masking key", around(line, j, j+len("密钥")), "the masking key is 掩码密钥, not a bare 密钥"})
			}
			i = j + len("密钥")
		}
	}
	return out
}

// Wrapping wraps s with wrap at each width and checks every line break:
// no closing punctuation starts a line, no opening punctuation ends one,
// and no break falls inside a Latin token or a glossary term (unless the
// token alone is wider than the line, when nothing else can be done).
func Wrapping(s string, wrap func(string, int) string, widths ...int) []Problem {
	var out []Problem
	seen := map[string]bool{}
	tokens := map[string]bool{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return !tokenRune(r) }) {
		tokens[t] = true
	}
	for _, w := range widths {
		for _, p := range breaks(strings.Split(wrap(s, w), "\n"), w, s, tokens) {
			if !seen[p.Rule+p.At] {
				seen[p.Rule+p.At] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// Wrapped checks text that is already wrapped into lines (a dissection, a
// rendered screen): the sentence rules line by line, and every line break
// for punctuation and split terms. Without the text before wrapping, a
// Latin token cut in two cannot be told from two tokens, so that rule is
// left to [Wrapping].
func Wrapped(text string) []Problem {
	var out []Problem
	// A quotation (a close reason, an RFC sentence) may be wrapped over
	// several lines: blank it whole first, keeping the lines.
	blanked := quoted.ReplaceAllStringFunc(text, func(q string) string {
		return strings.Map(func(r rune) rune {
			if r == '\n' {
				return r
			}
			return ' '
		}, q)
	})
	for _, l := range strings.Split(blanked, "\n") {
		out = append(out, Sentences(l)...)
	}
	return append(out, breaks(strings.Split(text, "\n"), 0, "", nil)...)
}

// breaks checks the line breaks of lines, wrapped at width w (0: unknown)
// from orig ("": unknown) whose Latin tokens are tokens.
func breaks(lines []string, w int, orig string, tokens map[string]bool) []Problem {
	var out []Problem
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		if fence || i == 0 || strings.TrimSpace(l) == "" || strings.TrimSpace(lines[i-1]) == "" {
			continue
		}
		prev := strings.TrimRight(lines[i-1], " ")
		next := strings.TrimLeft(l, " ")
		at := fmt.Sprintf("%s⏎%s", tail(prev, 8), head(next, 8))
		if w > 0 {
			at += fmt.Sprintf(" (width %d)", w)
		}
		if r, _ := utf8.DecodeRuneInString(next); strings.ContainsRune(closing, r) {
			out = append(out, Problem{"line start", at, fmt.Sprintf("a line starts with %q", r)})
		}
		if r, _ := utf8.DecodeLastRuneInString(prev); strings.ContainsRune(opening, r) {
			out = append(out, Problem{"line end", at, fmt.Sprintf("a line ends with %q", r)})
		}
		for _, t := range lessons.ZhTerms {
			for k := len(t) - 1; k > 0; k-- {
				if utf8.RuneStart(t[k]) && strings.HasSuffix(prev, t[:k]) && strings.HasPrefix(next, t[k:]) &&
					(orig == "" || strings.Contains(orig, t)) {
					out = append(out, Problem{"split", at, fmt.Sprintf("the term %s is split across lines", t)})
				}
			}
		}
		if tokens == nil {
			continue
		}
		// A token cut where it alone (with the punctuation and code marks
		// around it, after the line's indent) is wider than the line was
		// cut because nothing else could be done.
		a, b := lastToken(prev), firstToken(next)
		indent := lessons.Width(l) - lessons.Width(next)
		fits := lessons.Width(lastRun(prev)+firstRun(next))+indent <= w
		if a != "" && b != "" && tokens[a+b] && fits {
			out = append(out, Problem{"split", at, fmt.Sprintf("the token %s is split across lines", a+b)})
		}
	}
	return out
}

// Widths are the widths Test wraps at.
var Widths = func() []int {
	var ws []int
	for w := 16; w <= 100; w++ {
		ws = append(ws, w)
	}
	return ws
}()

// Check runs every check on s, wrapping with lessons.Wrap at [Widths].
func Check(s string) []Problem {
	return append(Sentences(s), Wrapping(s, lessons.Wrap, Widths...)...)
}

// Test reports every problem of each string as an error of t, naming where
// the string comes from.
func Test(t testing.TB, where string, ss ...string) {
	t.Helper()
	for _, s := range ss {
		for _, p := range Check(s) {
			t.Errorf("%s: %s", where, p)
		}
	}
}

const (
	closing = "，。、；：？！）」』》】〉”’…"
	opening = "（「『《【〈“‘"
)

var (
	codeSpan = regexp.MustCompile("`[^`]*`")
	verb     = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	url      = regexp.MustCompile(`[a-z]+://\S+`)
	// A quotation with no Chinese in it: an RFC sentence, a payload, a
	// reason, a header value.
	quoted = regexp.MustCompile(`"[^"\p{Han}]*"|“[^”\p{Han}]*”|‘[^’\p{Han}]*’`)
	// An English gloss beside a Chinese term, as the glossary asks on
	// first use: 帧（frame）, 载荷（有效载荷，payload）.
	gloss = regexp.MustCompile(`\p{Han}\**（[^）]*）`)
	token = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_\-]*`)
)

// prose returns the paragraphs of s, each on one line: fenced code is
// dropped, and code spans, format verbs, URLs and English quotations
// (which may run over several lines) are blanked.
func prose(s string) []string {
	var out, para []string
	end := func() {
		if len(para) > 0 {
			l := strings.Join(para, " ")
			for _, re := range []*regexp.Regexp{codeSpan, url, verb, quoted} {
				l = re.ReplaceAllString(l, " ")
			}
			out = append(out, l)
		}
		para = nil
	}
	fence := false
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			end()
			continue
		}
		if fence {
			continue
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "|") {
			end()
		}
		para = append(para, l)
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			end() // a table row is a paragraph of its own
		}
	}
	end()
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// punctuation finds ASCII punctuation inside Chinese sentences.
func punctuation(l string) []Problem {
	var out []Problem
	rs := []rune(l)
	// the nearest rune before i and after i that is not a space
	before := func(i int) rune {
		for j := i - 1; j >= 0; j-- {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	after := func(i int) rune {
		for j := i + 1; j < len(rs); j++ {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	at := func(i int) string {
		return string(rs[max(0, i-6):min(len(rs), i+7)])
	}
	for i, r := range rs {
		bad := false
		switch r {
		case ',', ';', ':', '?', '!':
			a := after(i)
			bad = isHan(before(i)) && (a == 0 || isHan(a))
		case '.':
			bad = i > 0 && isHan(rs[i-1]) && (i+1 == len(rs) || rs[i+1] == ' ' || isHan(rs[i+1]))
		case '(':
			bad = i > 0 && isHan(rs[i-1]) || i+1 < len(rs) && isHan(rs[i+1])
			if !bad {
				if j := strings.IndexRune(string(rs[i:]), ')'); j > 0 {
					bad = hasHan(string(rs[i:])[:j])
				}
			}
		case ')':
			bad = i > 0 && isHan(rs[i-1]) || i+1 < len(rs) && isHan(rs[i+1])
		}
		if bad {
			out = append(out, Problem{"punctuation", at(i), fmt.Sprintf("ASCII %q in a Chinese sentence; use the full-width form", r)})
		}
	}
	return out
}

// english finds the words of Leaks in a Chinese line.
func english(l string) []Problem {
	var out []Problem
	for _, m := range token.FindAllStringIndex(l, -1) {
		w := l[m[0]:m[1]]
		if zh, ok := Leaks[w]; ok {
			out = append(out, Problem{"english", around(l, m[0], m[1]), fmt.Sprintf("English %q in a Chinese sentence; the glossary says %s", w, zh)})
		}
	}
	return out
}

func around(s string, i, j int) string {
	a := []rune(s[:i])
	b := []rune(s[j:])
	return string(a[max(0, len(a)-8):]) + s[i:j] + string(b[:min(len(b), 8)])
}

func tail(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func head(s string, n int) string {
	r := []rune(s)
	return string(r[:min(len(r), n)])
}

// lastToken is the Latin token s ends with ("Sec-WebSocket-"), or "".
func lastToken(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !tokenRune(r) {
			break
		}
		i -= size
	}
	return s[i:]
}

// firstToken is the Latin token s starts with, or "".
func firstToken(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !tokenRune(r) {
			break
		}
		i += size
	}
	return s[:i]
}

// lastRun and firstRun are the narrow, non-space text at the end and the
// start of a line: a token with its code marks and punctuation.
func lastRun(s string) string {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if r == ' ' || lessons.RuneWidth(r) > 1 && !strings.ContainsRune(opening, r) {
			break // opening punctuation stays with the token after it
		}
		i -= size
	}
	return s[i:]
}

func firstRun(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || lessons.RuneWidth(r) > 1 && !strings.ContainsRune(closing, r) {
			break // closing punctuation stays with the token before it
		}
		i += size
	}
	return s[:i]
}

func tokenRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.§/", r))
}
