package tui

import (
	"github.com/wsanatomy/wsanatomy/tui/views"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// TestClosedText: the end of a connection says who closed TCP first, what
// close frame each side received and what it sent, so a learner sees the
// server's 1002 beside the 1006 it reports.
func TestClosedText(t *testing.T) {
	cases := []struct {
		dir    capture.Dir
		closed protocol.ClosedEvent
		want   string
	}{
		{capture.ServerToClient, protocol.ClosedEvent{Code: protocol.CloseAbnormalClosure, SentCode: protocol.CloseProtocolError, ClosedTCPFirst: true},
			"server closed TCP first; received no close frame (1006, abnormal closure); sent close 1002 (protocol error)"},
		{capture.ClientToServer, protocol.ClosedEvent{Code: protocol.CloseNormal, Reason: "bye", SentCode: protocol.CloseNormal},
			`client closed TCP after the peer closed it; received close 1000 (normal closure) "bye"; sent close 1000 (normal closure)`},
		{capture.ClientToServer, protocol.ClosedEvent{Code: protocol.CloseNoStatusReceived, SentCode: protocol.CloseNoStatusReceived},
			"client closed TCP after the peer closed it; received close 1005 (no status received); sent a close frame with no code"},
		{capture.ClientToServer, protocol.ClosedEvent{Code: protocol.CloseAbnormalClosure},
			"client closed TCP after the peer closed it; received no close frame (1006, abnormal closure); sent no close frame"},
	}
	for _, tc := range cases {
		c := tc.closed
		if got := views.ClosedText(capture.Entry{Dir: tc.dir, Closed: &c}); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
