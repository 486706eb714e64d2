package views

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// joined is the bytes of the pieces, one after another.
func joined(ps []Piece) []byte {
	var b []byte
	for _, p := range ps {
		if len(p.Bytes) != p.Length {
			panic(fmt.Sprintf("piece %+v: %d bytes, length %d", p, len(p.Bytes), p.Length))
		}
		b = append(b, p.Bytes...)
	}
	return b
}

// compressedMessages sends msgs compressed over a live session with the
// given options and returns the messages the server received, as the
// codec reported them: Inflated comes from compress/flate.
func compressedMessages(t *testing.T, opts *protocol.CompressionOptions, msgs [][]byte) []*protocol.MessageEvent {
	t.Helper()
	q := capture.NewQueue()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s, err := session.Start(ctx, session.Config{ID: 1, Queue: q, Compression: opts})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, m := range msgs {
		if err := session.Send(ctx, s.Client, protocol.BinaryMessage, m, 0, true); err != nil {
			t.Fatal(err)
		}
	}
	var got []*protocol.MessageEvent
	deadline := time.Now().Add(15 * time.Second)
	for len(got) < len(msgs) && time.Now().Before(deadline) {
		select {
		case <-q.Ready():
		case <-time.After(100 * time.Millisecond):
		}
		for _, e := range q.Drain() {
			if e.Kind == capture.KindMessage && e.Dir == capture.ClientToServer {
				got = append(got, e.Message)
			}
		}
	}
	if len(got) != len(msgs) {
		t.Fatalf("the server reported %d compressed messages, want %d", len(got), len(msgs))
	}
	return got
}

// TestPiecesReassemble: the literals and back-references the frame view
// lists, put back together, are exactly the message compress/flate
// inflated, for every message the codec compresses, with and without
// context takeover.
func TestPiecesReassemble(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 3000)
	for i := range random {
		random[i] = byte(r.IntN(256))
	}
	words := []byte(strings.Repeat("the quick brown fox jumps over the lazy dog; ", 200))
	msgs := [][]byte{
		[]byte("Hello"), []byte("Hello"), {}, []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		words, words[:777], random, random[100:2000], []byte("Hello, Hello, Hello"),
		bytes.Repeat([]byte{0}, 70000),
	}
	for _, opts := range []*protocol.CompressionOptions{
		{},
		{ClientNoContextTakeover: true, ServerNoContextTakeover: true},
		{ClientMaxWindowBits: 9},
	} {
		for i, m := range compressedMessages(t, opts, msgs) {
			dec, err := protocol.DecodeDeflate(m.Window, m.Compressed, 0)
			if err != nil {
				t.Fatalf("%+v, message %d: %v", opts, i, err)
			}
			ps := Pieces(m.Window, dec)
			if got := joined(ps); !bytes.Equal(got, m.Inflated) {
				t.Errorf("%+v, message %d: the pieces give %d bytes, compress/flate %d; first difference at %d",
					opts, i, len(got), len(m.Inflated), firstDiff(got, m.Inflated))
			}
			if !bytes.Equal(m.Inflated, msgs[i]) {
				t.Errorf("%+v, message %d: inflated to other bytes than were sent", opts, i)
			}
			for _, p := range ps {
				if p.FromWindow > 0 && !m.ContextTakeover && len(m.Window) > 0 {
					t.Errorf("%+v, message %d: a copy from the window without context takeover", opts, i)
				}
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPiecesRFC7692Example: the RFC's second "Hello" (§7.2.3.2), sent by
// zlib as f2 00 11 00 00, is a literal "H" and a copy of "ello" from 5
// bytes back, in the first "Hello"; ours is one copy of 5 bytes from 5
// back. Both are shown as copies from earlier messages.
func TestPiecesRFC7692Example(t *testing.T) {
	for _, c := range []struct {
		payload []byte
		want    string
	}{
		{[]byte{0xf2, 0x00, 0x11, 0x00, 0x00}, `literal "H" | copy "ello" 4 5 window 4`},
		{[]byte{0x02, 0x13, 0x00, 0x00}, `copy "Hello" 5 5 window 5`},
	} {
		dec, err := protocol.DecodeDeflate([]byte("Hello"), c.payload, 0)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, p := range Pieces([]byte("Hello"), dec) {
			if p.Kind == protocol.TokenMatch {
				parts = append(parts, fmt.Sprintf("copy %q %d %d window %d", p.Bytes, p.Length, p.Distance, p.FromWindow))
			} else {
				parts = append(parts, fmt.Sprintf("%s %q", p.Kind, p.Bytes))
			}
		}
		if got := strings.Join(parts, " | "); got != c.want {
			t.Errorf("% x: %s, want %s", c.payload, got, c.want)
		}
	}
}

// TestMessageViewSaysWhy: the view of a message names its pieces and, with
// context takeover, how many bytes came from earlier messages.
func TestMessageViewSaysWhy(t *testing.T) {
	m := &protocol.MessageEvent{Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
		Compressed: []byte{0xf2, 0x00, 0x11, 0x00, 0x00}, Inflated: []byte("Hello"), Window: []byte("Hello"),
		WindowBits: 15, ContextTakeover: true}
	v := MessageView(m, render.PlainTheme(), 80)
	for _, want := range []string{"f2 00 11 00 00", `literals "H"`, `copy "ello" (length 4, distance 5: from earlier messages`,
		"4 of the 5 bytes were copied from earlier messages", "§7.1.1"} {
		if !strings.Contains(strings.ReplaceAll(v, "\n", " "), want) {
			t.Errorf("message view lacks %q:\n%s", want, v)
		}
	}
}

// TestMessageViewInChinese: lesson 10's dissection of a compressed message
// is in Chinese on a Chinese screen (no English sentence left), and its
// headings fit the width, a Chinese character taking two columns.
func TestMessageViewInChinese(t *testing.T) {
	m := &protocol.MessageEvent{Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
		Compressed: []byte{0xf2, 0x00, 0x11, 0x00, 0x00}, Inflated: []byte("Hello"), Window: []byte("Hello"),
		WindowBits: 15, ContextTakeover: true}
	fresh := &protocol.MessageEvent{Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
		Compressed: []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, Inflated: []byte("Hello"),
		WindowBits: 15, ContextTakeover: false}
	for _, c := range []struct {
		m    *protocol.MessageEvent
		want []string
	}{
		{m, []string{"客户端发来的压缩文本消息", "线路上的字节（已去掩码，各帧拼接）", "同步刷新", "块 1，起始位偏移 0：固定 Huffman 编码",
			"字面量", `"H"`, "复制", "（长度 4，距离 5：来自之前的消息（窗口））", "5 字节中有 4 字节复制自之前的消息", "上下文接管：客户端"}},
		{fresh, []string{"不做上下文接管", "每个字节都作为字面量发送", "5 字节为字面量"}},
	} {
		v := MessageView(c.m, render.PlainTheme().WithLang("zh"), 80)
		flat := strings.ReplaceAll(v, "\n", "")
		for _, want := range c.want {
			if !strings.Contains(flat, want) {
				t.Errorf("Chinese message view lacks %q:\n%s", want, v)
			}
		}
		for _, en := range []string{"literals", "copy ", "message from", "on the wire", "bytes", "Context takeover", "Nothing repeated", "block 1", "why", "inflated"} {
			if strings.Contains(v, en) {
				t.Errorf("Chinese message view still says %q:\n%s", en, v)
			}
		}
		for _, line := range strings.Split(v, "\n") {
			if w := lessons.Width(line); w > 80 {
				t.Errorf("line of %d columns in an 80-column view: %q", w, line)
			}
		}
	}
}
