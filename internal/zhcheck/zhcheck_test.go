package zhcheck

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// TestEachRuleCanFail feeds each rule a string that breaks it, and a
// string that does not.
func TestEachRuleCanFail(t *testing.T) {
	for _, tc := range []struct {
		rule, bad, good string
	}{
		{"punctuation", "握手完成,然后发送帧。", "握手完成，然后发送帧。"},
		{"punctuation", "客户端发送帧;服务器回应。", "客户端发送帧；服务器回应。"},
		{"punctuation", "这是一个帧.", "这是一个帧。"},
		{"punctuation", "保留位(RSV1)必须是 0。", "保留位（RSV1）必须是 0。"},
		{"punctuation", "opcode (操作码) 是 4 位。", "opcode（操作码）是 4 位。"},
		{"english", "客户端发送一个 frame。", "客户端发送一个帧。"},
		{"english", "服务器校验 key 的值。", "服务器校验 Sec-WebSocket-Key 的值。"},
		{"english", "每个 payload 都要异或。", "每个载荷都要异或。"},
		{"masking key", "客户端为每一帧选一个新的密钥。", "客户端为每一帧选一个新的掩码密钥。"},
	} {
		if !hasRule(Sentences(tc.bad), tc.rule) {
			t.Errorf("%s: %q passes", tc.rule, tc.bad)
		}
		if ps := Sentences(tc.good); len(ps) > 0 {
			t.Errorf("%s: %q is flagged: %v", tc.rule, tc.good, ps)
		}
	}
	// What the checks leave alone: code, quoted English, glosses, verbs,
	// header names.
	for _, s := range []string{
		"`key` 与 `frame` 是代码。",
		"RFC 原文：“A server MUST NOT mask any frames”。",
		"帧（frame）是传输的单位。",
		"共 %d 个字节：%s。",
		"Sec-WebSocket-Key 与 Masking-key 是字段名。",
		"```\nframe, key: 1\n```",
	} {
		if ps := Sentences(s); len(ps) > 0 {
			t.Errorf("%q is flagged: %v", s, ps)
		}
	}
}

func hasRule(ps []Problem, rule string) bool {
	for _, p := range ps {
		if p.Rule == rule {
			return true
		}
	}
	return false
}

// TestWrappingRulesCanFail: a wrapper that breaks anywhere (by columns, as
// a terminal would) splits terms and tokens and starts lines with closing
// punctuation, and Wrapping says so; lessons.Wrap does none of that.
func TestWrappingRulesCanFail(t *testing.T) {
	s := "握手完成之后，客户端发给服务器的每一帧都要用掩码密钥做异或，Sec-WebSocket-Accept 由服务器计算，0x81 表示文本帧。"
	byColumns := func(s string, w int) string {
		var b strings.Builder
		col := 0
		for _, r := range s {
			rw := lessons.RuneWidth(r)
			if col+rw > w {
				b.WriteByte('\n')
				col = 0
			}
			b.WriteRune(r)
			col += rw
		}
		return b.String()
	}
	got := map[string]bool{}
	for _, p := range Wrapping(s, byColumns, Widths...) {
		got[p.Rule] = true
		if strings.Contains(p.Msg, "掩码密钥") || strings.Contains(p.Msg, "Sec-WebSocket-Accept") {
			got[p.Msg] = true
		}
	}
	for _, want := range []string{"line start", "split", "the term 掩码密钥 is split across lines", "the token Sec-WebSocket-Accept is split across lines"} {
		if !got[want] {
			t.Errorf("cutting by columns: no %q problem (got %v)", want, got)
		}
	}
	if ps := Wrapping(s, lessons.Wrap, Widths...); len(ps) > 0 {
		t.Errorf("lessons.Wrap: %v", ps)
	}
	found := 0
	for _, w := range Widths {
		if ps := Wrapped(byColumns(s, w)); hasRule(ps, "split") || hasRule(ps, "line start") {
			found++
		}
	}
	if found == 0 {
		t.Error("Wrapped finds nothing wrong in text cut by columns at any width")
	}
}
