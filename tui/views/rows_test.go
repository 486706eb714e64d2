package views

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// A TCP close row speaks the screen's language: serve --tui --lang zh
// once showed "✕ server closed TCP first" in English.
func TestClosedRowsInChinese(t *testing.T) {
	for _, c := range []struct {
		dir   capture.Dir
		first bool
		en    string
		zh    string
	}{
		{capture.ServerToClient, true, "✕ server closed TCP first", "✕ 服务器先关闭 TCP"},
		{capture.ClientToServer, false, "✕ client TCP closed", "✕ 客户端"},
	} {
		e := capture.Entry{Seq: 6, Kind: capture.KindClosed, Dir: c.dir, Closed: &protocol.ClosedEvent{ClosedTCPFirst: c.first}}
		if got := EntryRowIn(e, false, "en"); !strings.Contains(got, c.en) {
			t.Errorf("en: %q, want %q", got, c.en)
		}
		got := EntryRowIn(e, false, "zh")
		if !strings.Contains(got, c.zh) || strings.Contains(got, "TCP closed") || strings.Contains(got, "closed TCP") {
			t.Errorf("zh: %q, want %q and no English", got, c.zh)
		}
	}
}
