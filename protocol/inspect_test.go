package protocol

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestFrameReaderJudgesEachFrame feeds a stream of frames, some breaking
// a rule, and checks that each is reported with the rule it broke and
// that reading goes on after it.
func TestFrameReaderJudgesEachFrame(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	frame := func(h Header, payload []byte) []byte {
		if h.Length == 0 {
			h.Length = uint64(len(payload))
		}
		p := append([]byte(nil), payload...)
		if h.Masked {
			Mask(h.MaskKey, 0, p)
		}
		return append(AppendHeader(nil, h), p...)
	}
	cases := []struct {
		wire    []byte
		section string // "" for no violation
		op      Opcode
		text    string
	}{
		{frame(Header{Fin: true, Opcode: OpText, Masked: true, MaskKey: key}, []byte("Hello")), "", OpText, "Hello"},
		{frame(Header{Fin: true, Opcode: OpText}, []byte("bare")), "5.1", OpText, "bare"},
		{frame(Header{Fin: false, Opcode: OpText, Masked: true, MaskKey: key}, []byte{0xe2, 0x82}), "", OpText, "\xe2\x82"},
		{frame(Header{Fin: false, Opcode: OpPing, Masked: true, MaskKey: key}, []byte("p")), "5.5", OpPing, "p"},
		{frame(Header{Fin: true, Opcode: OpContinuation, Masked: true, MaskKey: key}, []byte{0xac}), "", OpContinuation, "\xac"},
		{frame(Header{Fin: true, Opcode: OpText, Masked: true, MaskKey: key}, []byte{'a', 0xff}), "8.1", OpText, "a\xff"},
		{frame(Header{Fin: true, Opcode: OpContinuation, Masked: true, MaskKey: key}, nil), "5.4", OpContinuation, ""},
		{frame(Header{Fin: true, Opcode: Opcode(0x3), Masked: true, MaskKey: key}, []byte("??")), "5.2", Opcode(3), "??"},
		{frame(Header{Fin: true, Opcode: OpClose, Masked: true, MaskKey: key}, []byte{0x03, 0xed}), "7.4.1", OpClose, "\x03\xed"},
		{frame(Header{Fin: true, Opcode: OpBinary, Masked: true, MaskKey: key}, []byte("late")), "5.5.1", OpBinary, "late"},
	}
	var stream []byte
	for _, c := range cases {
		stream = append(stream, c.wire...)
	}
	fr := NewFrameReader(bytes.NewReader(stream), RoleServer)
	for i, c := range cases {
		ev, err := fr.Next()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		got := ""
		if ev.Violation != nil {
			got = ev.Violation.Section
		}
		if got != c.section || ev.Header.Opcode != c.op || string(ev.Unmasked) != c.text {
			t.Errorf("frame %d: %s %q violation %q (%v); want %s %q %q", i, ev.Header.Opcode, ev.Unmasked, got, ev.Violation, c.op, c.text, c.section)
		}
		if w := append(append([]byte(nil), ev.RawHeader...), ev.Payload...); !bytes.Equal(w, c.wire) {
			t.Errorf("frame %d: wire % x, want % x", i, w, c.wire)
		}
	}
	if _, err := fr.Next(); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}
}

// TestFrameReaderBoundsMemory: a header claiming 2^62 bytes costs only the
// bytes that arrive, and Keep bounds what is kept.
func TestFrameReaderBoundsMemory(t *testing.T) {
	h := Header{Fin: true, Opcode: OpBinary, Length: 1 << 62}
	stream := append(AppendHeader(nil, h), make([]byte, 100<<10)...)
	fr := NewFrameReader(bytes.NewReader(stream), RoleClient)
	fr.Keep = 1000
	ev, err := fr.Next()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want unexpected EOF", err)
	}
	if len(ev.Payload) != 1000 || len(ev.Unmasked) != 1000 {
		t.Errorf("kept %d and %d bytes, want 1000", len(ev.Payload), len(ev.Unmasked))
	}
	if cap(fr.buf) > 64<<10 { // two pieces of 32 KiB: the wire bytes and their unmasked copy
		t.Errorf("buffer grew to %d bytes", cap(fr.buf))
	}
}

func FuzzFrameReader(f *testing.F) {
	f.Add([]byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, false)
	f.Add([]byte{0x88, 0x02, 0x03, 0xe8, 0x89, 0x00}, true)
	f.Fuzz(func(t *testing.T, b []byte, client bool) {
		role := RoleServer
		if client {
			role = RoleClient
		}
		fr := NewFrameReader(bytes.NewReader(b), role)
		fr.Keep = 64
		total := 0
		for {
			ev, err := fr.Next()
			if ev != nil {
				total += len(ev.RawHeader)
				if len(ev.Payload) > 64 || len(ev.Payload) != len(ev.Unmasked) {
					t.Fatalf("kept %d/%d payload bytes", len(ev.Payload), len(ev.Unmasked))
				}
			}
			if err != nil {
				break
			}
		}
		if total > len(b) {
			t.Fatalf("read %d header bytes from %d", total, len(b))
		}
	})
}

// TestFrameReaderDeflate: with permessage-deflate agreed, RSV1 marks a
// compressed message whose bytes are not checked as UTF-8, and RSV1 on a
// continuation frame breaks RFC 7692 §6; without it, RSV1 breaks §5.2.
func TestFrameReaderDeflate(t *testing.T) {
	compressed := []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00} // "Hello", deflated
	stream := append(AppendHeader(nil, Header{Fin: false, Rsv1: true, Opcode: OpText, Length: 4}), compressed[:4]...)
	stream = append(stream, AppendHeader(nil, Header{Fin: true, Opcode: OpContinuation, Length: 3})...)
	stream = append(stream, compressed[4:]...)
	stream = append(stream, AppendHeader(nil, Header{Fin: true, Rsv1: true, Opcode: OpText, Length: 0})...)
	stream = append(stream, AppendHeader(nil, Header{Fin: false, Opcode: OpBinary, Length: 0})...)
	stream = append(stream, AppendHeader(nil, Header{Fin: true, Rsv1: true, Opcode: OpContinuation, Length: 0})...)
	for _, deflate := range []bool{true, false} {
		fr := NewFrameReader(bytes.NewReader(stream), RoleClient)
		fr.Deflate = deflate
		var got []string
		for {
			ev, err := fr.Next()
			if err != nil {
				break
			}
			s := "ok"
			if ev.Violation != nil {
				s = ev.Violation.Section
			}
			got = append(got, s)
		}
		want := "ok ok ok ok 6"
		if !deflate {
			want = "5.2 ok 5.2 ok 5.2"
		}
		if strings.Join(got, " ") != want {
			t.Errorf("deflate %v: %v, want %s", deflate, got, want)
		}
	}
}
