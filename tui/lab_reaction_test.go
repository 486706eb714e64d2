package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// TestCompactReactionKeepsTheWayOn: at 80 columns the lab's two-line
// reaction cannot hold everything; what is cut ends with "…", and the
// instruction at its end (n: start a fresh connection) is never cut.
func TestCompactReactionKeepsTheWayOn(t *testing.T) {
	v := &protocol.Violation{Section: "5.1", Code: protocol.CloseProtocolError, Msg: "frame from the client is not masked; a client must mask every frame"}
	closed := func(dir capture.Dir, first bool) capture.Entry {
		return capture.Entry{Conn: 1, Kind: capture.KindClosed, Dir: dir, Closed: &protocol.ClosedEvent{Code: protocol.CloseProtocolError, ClosedTCPFirst: first}}
	}
	entries := []capture.Entry{
		{Conn: 1, Kind: capture.KindRaw, Dir: capture.ClientToServer},
		{Conn: 1, Kind: capture.KindFrame, Dir: capture.ClientToServer, Header: protocol.Header{Fin: true, Opcode: protocol.OpText}, Violation: v},
		{Conn: 1, Kind: capture.KindFrame, Dir: capture.ServerToClient, Header: protocol.Header{Fin: true, Opcode: protocol.OpClose}, Unmasked: []byte{0x03, 0xea}},
		closed(capture.ServerToClient, true),
		closed(capture.ClientToServer, false),
	}
	l := lab{sid: 1}
	for _, width := range []int{80, 60} {
		lines := strings.Split(l.reaction(newStyles(), width, true, entries, "en"), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d columns: %d lines, want 2:\n%s", width, len(lines), strings.Join(lines, "\n"))
		}
		for _, ln := range lines {
			if lipgloss.Width(ln) > width {
				t.Errorf("%d columns: line %q is %d wide", width, ln, lipgloss.Width(ln))
			}
		}
		if first := strings.TrimRight(lines[0], " "); !strings.HasSuffix(first, "…") {
			t.Errorf("%d columns: the cut rule %q does not end with …", width, first)
		}
		if second := strings.TrimRight(lines[1], " "); !strings.HasSuffix(second, "n: start a fresh connection") || !strings.Contains(second, "…") {
			t.Errorf("%d columns: second line %q: want what happened cut with … and the way on whole", width, second)
		}
	}
}
