package source

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// Every string the reader passes to tr, and every key's help, has its
// Chinese; zh holds nothing the reader no longer says.
func TestEveryReaderStringHasChinese(t *testing.T) {
	used := zhcheck.Literals(t, map[string]int{"tr": -1}, "lang.go")
	if len(used) < 25 {
		t.Fatalf("found only %d translated strings: the search is broken", len(used))
	}
	for s, pos := range used {
		if _, ok := zh[s]; !ok {
			t.Errorf("%s: %q has no Chinese", pos, s)
		}
	}
	for s := range zh {
		if _, ok := used[s]; !ok {
			t.Errorf("zh has %q, which the reader no longer says", s)
		}
	}
	// The key help really comes from KeyMapIn.
	for _, b := range KeyMapIn("zh").FullHelp() {
		for _, k := range b {
			if regexp.MustCompile(`[a-z]{3}`).MatchString(k.Help().Desc) {
				t.Errorf("key %s: help %q is not Chinese", k.Help().Key, k.Help().Desc)
			}
		}
	}
}

// In Chinese the reader's own words are Chinese, it says that the code's
// comments stay English, and the RFC summaries are Chinese; the code is
// unchanged.
func TestReaderInChinese(t *testing.T) {
	b := protocolBook(t)
	m := sized(t, b, Options{Lang: "zh"}, 100, 30)
	v := m.View()
	if !strings.HasPrefix(v, " wsanatomy 注解源码 · 1. 概览 · doc.go") || !strings.Contains(v, "第 1/") {
		t.Errorf("title bar not in Chinese:\n%s", v)
	}
	if !strings.Contains(v, "Package protocol") {
		t.Errorf("the code's own comment is gone:\n%s", v)
	}
	help := press(m, "?").View()
	if !strings.Contains(help, "代码注释是源码的一部分，保持英文原样") || !strings.Contains(help, "下一个文件") {
		t.Errorf("help not in Chinese:\n%s", help)
	}
	contents := press(m, "t").View()
	var toc strings.Builder
	for _, e := range m.toc {
		toc.WriteString(e.text + "\n")
	}
	if !strings.Contains(contents, "目录  ↑/↓：选择 · enter：打开 · esc：返回") || !strings.Contains(toc.String(), "帧字段与握手头部") {
		t.Errorf("contents not in Chinese:\n%s", contents)
	}
	// The sections a file cites end it, summarised in Chinese.
	f, _ := b.File("frame.go")
	d := layoutFile(f, 100, nil, "zh")
	var all strings.Builder
	for _, r := range d.rows {
		all.WriteString(r.plain() + "\n")
	}
	s52, _ := sourcebook.LookupSection("5.2")
	if !strings.Contains(all.String(), "frame.go 引用的 RFC 6455 章节") || !strings.Contains(all.String(), s52.Label()) {
		t.Errorf("no Chinese list of cited sections:\n%s", all.String())
	}
	if !strings.Contains(strings.ReplaceAll(all.String(), "\n", ""), strings.ReplaceAll(s52.SummaryIn("zh")[:30], "\n", "")) {
		t.Errorf("§5.2's summary is not in Chinese")
	}
	// Plain output too.
	var buf bytes.Buffer
	if err := WritePlainIn(&buf, "frame.go", 100, "zh"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "第 3 章 帧头：protocol/frame.go") || !strings.Contains(buf.String(), "保持英文原样") {
		t.Errorf("plain output not in Chinese:\n%.600s", buf.String())
	}
	buf.Reset()
	if err := WriteListIn(&buf, "zh"); err != nil || !strings.Contains(buf.String(), "按阅读顺序排列") {
		t.Errorf("list not in Chinese (%v):\n%s", err, buf.String())
	}
}
