package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// TestDeflatePresetsReaction sends each permessage-deflate preset of the
// raw frame lab over a live connection that negotiated the extension, and
// checks that the server fails the connection for the documented rule,
// with the documented close code, and that the lab's reaction says so.
func TestDeflatePresetsReaction(t *testing.T) {
	cases := []struct {
		preset  string
		rfc     string // "" for RFC 6455
		section string
		code    protocol.CloseCode
	}{
		{"RSV1 on a continuation frame", "7692", "6", protocol.CloseProtocolError},
		{"RSV1 on a ping", "7692", "6", protocol.CloseProtocolError},
		{"corrupt deflate data", "7692", "7.2.2", protocol.CloseInvalidPayload},
		{"compression bomb", "", "10.4", protocol.CloseMessageTooBig},
	}
	for _, c := range cases {
		t.Run(c.preset, func(t *testing.T) {
			l := newLab()
			found := false
			for i, p := range labPresets {
				if p.name == c.preset {
					l.load(i)
					found = true
				}
			}
			if !found {
				t.Fatalf("no preset %q", c.preset)
			}
			b, err := l.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if c.preset == "compression bomb" && len(b) > 4096 {
				t.Errorf("the bomb is %d bytes; it should stay small", len(b))
			}
			q := capture.NewQueue()
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			s, err := session.Start(ctx, session.Config{ID: 1, Queue: q, Compression: &protocol.CompressionOptions{}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Client.Deflate() == nil {
				t.Fatal("the session did not negotiate permessage-deflate")
			}
			if err := s.Client.WriteRaw(b); err != nil {
				t.Fatal(err)
			}
			if !s.WaitClosed(5 * time.Second) {
				t.Fatal("the server did not close the connection")
			}
			entries := q.Drain()
			var v *protocol.Violation
			var serverSent protocol.CloseCode
			for _, e := range entries {
				if e.Kind == capture.KindFrame && e.Violation != nil && v == nil {
					v = e.Violation
				}
				if e.Kind == capture.KindClosed && e.Dir == capture.ServerToClient {
					serverSent = e.Closed.SentCode
					if v == nil {
						v = asViolation(e.Closed.Err)
					}
				}
			}
			if v == nil {
				t.Fatalf("no violation reported; entries: %d", len(entries))
			}
			if v.RFC != c.rfc || v.Section != c.section || v.Code != c.code {
				t.Errorf("violation RFC %q §%s code %d (%s), want RFC %q §%s code %d", v.RFC, v.Section, v.Code, v.Msg, c.rfc, c.section, c.code)
			}
			if serverSent != c.code {
				t.Errorf("the server sent close %d, want %d", serverSent, c.code)
			}
			// The lab's reaction names the rule, as the screen shows it.
			for i := range entries {
				entries[i].Seq = i
			}
			l.from, l.sid = 0, 1
			view := strings.Join(strings.Fields(l.View(newStyles(), 200, false, entries, "en", connState{deflate: true})), " ")
			want := "§" + c.section
			if c.rfc != "" {
				want = "RFC " + c.rfc + " " + want
			}
			if !strings.Contains(view, "✗ "+want) {
				t.Errorf("the lab's reaction does not name %q:\n%s", want, view)
			}
		})
	}
}
