package lessons

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{
		"Hello": 5, "帧": 2, "掩码密钥": 8, "FIN 位": 6, "，。": 4, "（）": 4, "é": 1, "e\u0301": 1, "│": 1, "": 0,
	} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestWrapRules(t *testing.T) {
	zh := "握手之后，这条连接上就不再说 HTTP 了。从此 TCP 连接上传的是帧，任何一方都可以在任何时候发送帧，不需要对方先问（§1.1、§1.2）。Sec-WebSocket-Accept 的值由服务器计算。"
	for width := 12; width <= 40; width++ {
		out := Wrap(zh, width)
		lines := strings.Split(out, "\n")
		if len(lines) < 2 {
			t.Fatalf("width %d: Chinese text was not wrapped: %q", width, out)
		}
		for _, l := range lines {
			if Width(l) > width {
				t.Errorf("width %d: line %q is %d columns", width, l, Width(l))
			}
			r, _ := utf8.DecodeRuneInString(l)
			if strings.ContainsRune("，。、；：？！）」", r) {
				t.Errorf("width %d: line starts with closing punctuation: %q", width, l)
			}
		}
		// No Latin word is broken: each appears whole on some line.
		if width >= Width("Sec-WebSocket-Accept") {
			for _, w := range []string{"HTTP", "TCP", "Sec-WebSocket-Accept", "§1.1"} {
				if !strings.Contains(out, w) {
					t.Errorf("width %d: word %q was broken:\n%s", width, w, out)
				}
			}
		}
		// Nothing is lost or added except line breaks and spaces.
		if strip(out) != strip(zh) {
			t.Errorf("width %d: text changed:\n%s", width, out)
		}
	}
}

func strip(s string) string {
	return strings.NewReplacer("\n", "", " ", "").Replace(s)
}

func TestWrapKeepsCodeAndIndents(t *testing.T) {
	md := "Some words that will need wrapping at twenty columns.\n\n```\nthis code line is far longer than twenty columns\n```\n\n- a list item that wraps onto a second line\n> a quote that wraps onto a second line"
	out := Wrap(md, 20)
	if !strings.Contains(out, "\nthis code line is far longer than twenty columns\n") {
		t.Errorf("code block was changed:\n%s", out)
	}
	if !strings.Contains(out, "- a list item that\n  wraps") {
		t.Errorf("list item has no hanging indent:\n%s", out)
	}
	if !strings.Contains(out, "> a quote that wraps\n> ") {
		t.Errorf("quote lost its prefix:\n%s", out)
	}
	// Lines of a Chinese paragraph join without a space.
	if got := Wrap("第一行\n第二行", 40); got != "第一行第二行" {
		t.Errorf("Chinese soft break = %q", got)
	}
	if got := Wrap("协议：\nHTTP 中", 40); got != "协议：HTTP 中" {
		t.Errorf("soft break after fullwidth punctuation = %q", got)
	}
	if got := Wrap("first\nsecond", 40); got != "first second" {
		t.Errorf("Latin soft break = %q", got)
	}
}

func TestTables(t *testing.T) {
	md := "| a | b |\n|---|---|\n| 帧 | frame |"
	if got := Wrap(md, 40); got != "| a  | b     |\n|----|-------|\n| 帧 | frame |" {
		t.Errorf("aligned table:\n%s", got)
	}
	wide := "| claim | HTTP | WebSocket |\n|---|---|---|\n| 一个很长很长的说法需要换行才能放下 | 请求与响应 | 帧 |"
	out := Wrap(wide, 20)
	for _, l := range strings.Split(out, "\n") {
		if Width(l) > 20 {
			t.Errorf("stacked table line %q is too wide", l)
		}
	}
	if !strings.Contains(out, "HTTP: 请求与响应") {
		t.Errorf("stacked table lost a column name:\n%s", out)
	}
}

// TestPlainFitsWidths prints every lesson in both languages at 60 and 80
// columns: no line may be wider, code blocks included (lesson authors keep
// code within 56 columns).
func TestPlainFitsWidths(t *testing.T) {
	en, zh := loadBoth(t)
	for _, cat := range [][]Lesson{en, zh} {
		for _, l := range cat {
			for _, width := range []int{60, 80} {
				var buf bytes.Buffer
				if err := WritePlain(&buf, l, width); err != nil {
					t.Fatal(err)
				}
				for i, line := range strings.Split(buf.String(), "\n") {
					if w := Width(line); w > width {
						t.Errorf("%s at %d columns, line %d is %d wide: %q", l.File, width, i+1, w, line)
					}
				}
			}
		}
	}
}
