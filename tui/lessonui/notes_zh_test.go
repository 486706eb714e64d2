package lessonui

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/tui/lessonrun"
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
