package lessonrun

import (
	"bytes"
	"context"
	"testing"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestLessonDeflate runs what lesson 10 runs, by hand, and checks what the
// generic lesson test cannot: the messages were compressed (RSV1, a
// payload that is not the text), the second "Hello" with context takeover
// is shorter than the first, RFC 7692 §7.2.3.2's bytes sent by hand
// inflate to "Hello" on the server, and without context takeover both
// messages cost the same.
func TestLessonDeflate(t *testing.T) {
	r := New()
	defer r.Close()
	hello := lessons.Action{Kind: lessons.ActSend, From: protocol.RoleClient, Opcode: protocol.OpText, Payload: []byte("Hello")}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	rfc := protocol.AppendHeader(nil, protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpText, Masked: true, MaskKey: key, Length: 5})
	payload := []byte{0xf2, 0x00, 0x11, 0x00, 0x00}
	protocol.Mask(key, 0, payload)
	rfc = append(rfc, payload...)

	res := r.Run(context.Background(), []lessons.Action{
		{Kind: lessons.ActHandshake, Handshake: lessons.HandshakeOptions{Extensions: "permessage-deflate"}},
		hello, hello,
		{Kind: lessons.ActRaw, From: protocol.RoleClient, Raw: rfc},
	})
	if errs := res.Errors(); len(errs) > 0 {
		dump(t, res)
		t.Fatal(errs)
	}
	var lens []int
	for _, e := range clientFrames(res) {
		if e.Entry.Header.Opcode == protocol.OpText && e.Entry.Violation == nil {
			if !e.Entry.Header.Rsv1 {
				t.Errorf("a text frame without RSV1 on a compressing connection")
			}
			lens = append(lens, len(e.Entry.Unmasked))
		}
	}
	if len(lens) != 3 || lens[0] != 7 || lens[1] >= lens[0] || lens[2] != 5 {
		dump(t, res)
		t.Fatalf("compressed payload lengths %v, want 7, fewer, then the RFC's 5", lens)
	}
	delivered := 0
	for _, e := range res.Events {
		if e.Kind == KindMessage && e.Role == protocol.RoleServer && bytes.Equal(e.Bytes, []byte("Hello")) {
			delivered++
		}
	}
	if delivered != 3 {
		dump(t, res)
		t.Fatalf("the server was handed \"Hello\" %d times, want 3", delivered)
	}

	res = r.Run(context.Background(), []lessons.Action{
		{Kind: lessons.ActHandshake, Handshake: lessons.HandshakeOptions{Extensions: "permessage-deflate;client_no_context_takeover"}},
		hello, hello,
	})
	var payloads [][]byte
	for _, e := range clientFrames(res) {
		if e.Entry.Header.Opcode == protocol.OpText {
			payloads = append(payloads, e.Entry.Unmasked)
		}
	}
	if len(payloads) != 2 || !bytes.Equal(payloads[0], payloads[1]) || len(payloads[0]) != 7 {
		dump(t, res)
		t.Fatalf("without context takeover: payloads % x, want the same 7 bytes twice", payloads)
	}
}

// clientFrames is every frame the client sent in res.
func clientFrames(res Result) []Event {
	var out []Event
	for _, e := range res.Events {
		if e.Kind == KindFrame && e.Role == protocol.RoleClient {
			out = append(out, e)
		}
	}
	return out
}
