package lessonui

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// A list in a Chinese note is joined with 、, not the runner's ", ".
func TestServerNoteListInChinese(t *testing.T) {
	e := lessonrun.Event{Kind: lessonrun.KindNote, Note: lessonrun.NoteServer, Text: "chat.v1, chat.v2", Text2: "http://example.com, https://example.com"}
	got := noteText("zh", e)
	if strings.Contains(got, ", ") || !strings.Contains(got, "chat.v1、chat.v2") || !strings.Contains(got, "http://example.com、https://example.com") {
		t.Errorf("zh note = %q", got)
	}
	if en := noteText("en", e); !strings.Contains(en, "chat.v1, chat.v2") {
		t.Errorf("en note = %q", en)
	}
}

// A binary message is named 二进制 in Chinese and shown as binary data,
// never as "not UTF-8 text"; a text message is 文本.
func TestMessageLineNamesKind(t *testing.T) {
	bin := lessonrun.Event{Kind: lessonrun.KindMessage, Role: protocol.RoleServer, Opcode: protocol.OpBinary, Bytes: []byte{0xde, 0xad, 0xbe, 0xef}}
	if got := oneLine("zh", bin, render.PlainTheme().WithLang("zh")); !strings.Contains(got, "收到二进制消息，4 字节：（4 字节二进制数据）") {
		t.Errorf("zh binary message line = %q", got)
	}
	if got := oneLine("en", bin, render.PlainTheme()); !strings.Contains(got, "received a binary message of 4 bytes: (4 bytes of binary)") {
		t.Errorf("en binary message line = %q", got)
	}
	text := lessonrun.Event{Kind: lessonrun.KindMessage, Role: protocol.RoleServer, Opcode: protocol.OpText, Bytes: []byte("hi")}
	if got := oneLine("zh", text, render.PlainTheme().WithLang("zh")); !strings.Contains(got, "收到文本消息，2 字节") {
		t.Errorf("zh text message line = %q", got)
	}
}
