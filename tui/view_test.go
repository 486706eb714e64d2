package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// TestViewGolden renders the screen at 80x24 and 120x40 in each part of
// the program and compares it with testdata.
func TestViewGolden(t *testing.T) {
	cases := []struct {
		name string
		keys []string
	}{
		{"handshake", nil},
		{"accept", []string{"space"}},
		{"hello", []string{"space", "space"}},
		{"hello_fields", []string{"space", "space", "tab", "tab", "tab", "tab", "tab", "]", "]", "]"}},
		{"len16", []string{"space", "space", "space", "space", "space", "space", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab"}},
		{"len64", []string{"space", "space", "space", "space", "space", "space", "space"}},
		{"close", strings.Fields(strings.Repeat("space ", 15))},
		{"free", []string{"f"}},
		{"lab", []string{"r", "right", "right", "right"}},
		{"help", []string{"?"}},
		{"lab_bomb", []string{"r", "left"}},
		// permessage-deflate, on the walkthrough's second and third
		// connections.
		{"deflate_offer", strings.Fields(strings.Repeat("space ", 19))},
		{"deflate_answer", strings.Fields(strings.Repeat("space ", 20))},
		{"deflate_hello", strings.Fields(strings.Repeat("space ", 21))},
		{"deflate_tokens", strings.Fields(strings.Repeat("space ", 22))},
		{"deflate_again", strings.Fields(strings.Repeat("space ", 24))},
		{"deflate_shorter", strings.Fields(strings.Repeat("space ", 25))},
		{"nocontext_answer", strings.Fields(strings.Repeat("space ", 27))},
		{"nocontext_tokens", strings.Fields(strings.Repeat("space ", 29))},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, c := range cases {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := recordedModel(t, size[0], size[1])
				m = send(m, keys(c.keys...)...)
				v := m.View()
				if h := lipgloss.Height(v); h != size[1] {
					t.Errorf("view is %d lines, want %d", h, size[1])
				}
				if w := lipgloss.Width(v); w > size[0] {
					t.Errorf("view is %d columns wide, more than %d", w, size[0])
				}
				golden(t, name, v)
			})
		}
	}
}

// TestCompressedFrameShowsItsMessage: the dissection of every compressed
// first frame of the walkthrough comes with the message it starts, whose
// wire bytes are the frame's payload, unmasked.
func TestCompressedFrameShowsItsMessage(t *testing.T) {
	m := recordedModel(t, 120, 40)
	n := 0
	for _, e := range m.tl.entries {
		if e.Kind != capture.KindFrame || !e.Header.Rsv1 {
			if _, ok := m.messageOf(e); ok {
				t.Errorf("#%d is not a compressed frame, yet has a message", e.Seq)
			}
			continue
		}
		msg, ok := m.messageOf(e)
		if !ok {
			t.Errorf("#%d: compressed frame without its message", e.Seq)
			continue
		}
		if msg.Dir != e.Dir || !bytes.Equal(msg.Message.Compressed, e.Unmasked) || string(msg.Message.Inflated) != "Hello" {
			t.Errorf("#%d: message #%d has % x (inflated %q), frame payload % x", e.Seq, msg.Seq, msg.Message.Compressed, msg.Message.Inflated, e.Unmasked)
		}
		n++
	}
	if n != 8 {
		t.Errorf("%d compressed frames in the walkthrough, want 8", n)
	}
}
