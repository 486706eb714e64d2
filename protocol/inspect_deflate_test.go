package protocol

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// watchMessages reads every frame of stream with a FrameReader that
// inflates as w says, and returns the messages it inflated.
func watchMessages(t *testing.T, stream []byte, receiver Role, w WatchInflate, keep int) []*MessageEvent {
	t.Helper()
	fr := NewFrameReader(bytes.NewReader(stream), receiver)
	fr.Deflate, fr.Keep = true, keep
	fr.InflateMessages(w)
	defer fr.Close()
	var out []*MessageEvent
	for i := 0; i < 1000; i++ {
		if _, err := fr.Next(); err != nil {
			return out
		}
		if m := fr.Message(); m != nil {
			out = append(out, m)
		}
	}
	t.Fatal("the stream never ended")
	return nil
}

// TestFrameReaderInflatesRFC7692Examples: the RFC's payloads, with and
// without context takeover, in one frame or across frames with a ping
// between them.
func TestFrameReaderInflatesRFC7692Examples(t *testing.T) {
	var stream []byte
	for _, p := range [][]byte{
		{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, // §7.2.3.1
		{0xf2, 0x00, 0x11, 0x00, 0x00},             // §7.2.3.2, back into the first
		{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, // BFINAL set on the block
		{0x00}, // the empty message
		{},     // the empty message, no bytes at all
	} {
		stream = append(stream, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, p, true)...)
	}
	stream = append(stream, frameBytes(Header{Rsv1: true, Opcode: OpText}, []byte{0xf2, 0x48, 0xcd}, true)...)
	stream = append(stream, frameBytes(Header{Fin: true, Opcode: OpPing}, []byte("between"), true)...)
	stream = append(stream, frameBytes(Header{Fin: true, Opcode: OpContinuation}, []byte{0xc9, 0xc9, 0x07, 0x00}, true)...)
	// An uncompressed message is not reported.
	stream = append(stream, frameBytes(Header{Fin: true, Opcode: OpText}, []byte("plain"), true)...)

	got := watchMessages(t, stream, RoleServer, WatchInflate{WindowBits: 15, ContextTakeover: true}, 0)
	var texts []string
	for _, m := range got {
		if m.Violation != nil {
			t.Errorf("message %q flagged: %v", m.Inflated, m.Violation)
		}
		texts = append(texts, string(m.Inflated))
	}
	if want := "Hello,Hello,Hello,,,Hello"; strings.Join(texts, ",") != want {
		t.Errorf("inflated %q, want %s", texts, want)
	}
	if got[1].WireLen != 5 || got[1].InflatedLen != 5 || string(got[1].Window) != "Hello" || got[5].WireLen != 7 ||
		!bytes.Equal(got[1].Compressed, []byte{0xf2, 0x00, 0x11, 0x00, 0x00}) || len(got[5].Compressed) != 7 {
		t.Errorf("second message: wire %d inflated %d window %q; last wire %d", got[1].WireLen, got[1].InflatedLen, got[1].Window, got[5].WireLen)
	}

	// Without context takeover the second message points at nothing:
	// the inflater must refuse it, not invent bytes.
	got = watchMessages(t, stream, RoleServer, WatchInflate{WindowBits: 15}, 0)
	if len(got) < 2 || got[1].Violation == nil || got[1].Violation.Section != "7.2.2" || got[1].Violation.RFC != "7692" {
		t.Fatalf("no context takeover: second message %+v", got[1])
	}
	// Without context takeover a failure loses nothing: the next message
	// is inflated.
	if len(got) != 6 || string(got[2].Inflated) != "Hello" || got[2].Violation != nil {
		t.Errorf("after the failure: %d messages, third %q %v", len(got), got[2].Inflated, got[2].Violation)
	}
	// With context takeover, a failure loses the window: later messages
	// are not reported rather than wrongly inflated.
	bad := frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, []byte{0xff, 0xff}, true)
	got = watchMessages(t, append(bad, stream...), RoleServer, WatchInflate{WindowBits: 15, ContextTakeover: true}, 0)
	if len(got) != 1 || got[0].Violation == nil {
		t.Errorf("after a failure with context takeover: %d messages", len(got))
	}
}

// TestFrameReaderInflatedTextIsUTF8: §8.1 applies to the inflated text.
func TestFrameReaderInflatedTextIsUTF8(t *testing.T) {
	d := newDeflater(15)
	comp := func(b []byte) []byte {
		d.write(b)
		return append([]byte(nil), d.finish()...)
	}
	var stream []byte
	for _, m := range [][]byte{[]byte("ok €"), {'a', 0xff, 'b'}, []byte("ends in \xe2\x82")} {
		stream = append(stream, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, comp(m), false)...)
	}
	stream = append(stream, frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpBinary}, comp([]byte{0xff}), false)...)
	got := watchMessages(t, stream, RoleClient, WatchInflate{WindowBits: 15, ContextTakeover: true}, 0)
	var s []string
	for _, m := range got {
		v := "ok"
		if m.Violation != nil {
			v = m.Violation.Section + " " + m.Violation.Msg
		}
		s = append(s, v)
	}
	want := []string{"ok", "8.1 text message is not valid UTF-8 at index 1 of the inflated message",
		"8.1 text message ends in the middle of a UTF-8 character", "ok"}
	if strings.Join(s, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", s, want)
	}
	// The bytes are still shown, and the window still follows them.
	if string(got[1].Inflated) != "a\xffb" {
		t.Errorf("bad text kept as %q", got[1].Inflated)
	}
}

// TestFrameReaderInflateBomb: a message that inflates to 64 MiB with a
// limit of 64 KiB is flagged with §10.4 having allocated a small multiple
// of the limit, not of the message; the frame is still read to its end
// and the next frame is judged.
func TestFrameReaderInflateBomb(t *testing.T) {
	const limit = 64 << 10
	d := newDeflater(15)
	big := make([]byte, 64<<20)
	d.write(big)
	bomb := append([]byte(nil), d.finish()...)
	big = nil
	stream := frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpBinary}, bomb, true)
	stream = append(stream, frameBytes(Header{Fin: true, Opcode: OpText}, []byte("after"), true)...)
	fr := NewFrameReader(bytes.NewReader(stream), RoleServer)
	fr.Deflate, fr.Keep = true, 1<<20
	fr.InflateMessages(WatchInflate{WindowBits: 15, ContextTakeover: true, Limit: limit})
	defer fr.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ev, err := fr.Next()
	m := fr.Message()
	runtime.ReadMemStats(&after)
	if err != nil || ev.Header.Length != uint64(len(bomb)) {
		t.Fatalf("frame %v, %v", ev, err)
	}
	// The count includes the frame's kept payload, masked and unmasked
	// (the whole bomb: Keep is larger), the reader's buffers and
	// compress/flate's window and tables: well under a megabyte in all
	// (about 0.8 MB measured), against 64 MiB inflated.
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 2<<20 {
		t.Errorf("a %d-byte bomb (64 MiB inflated) allocated %d bytes with a limit of %d", len(bomb), alloc, limit)
	}
	if m == nil || m.Violation == nil || m.Violation.Section != "10.4" || m.Violation.Code != CloseMessageTooBig {
		t.Fatalf("message %+v", m)
	}
	if m.InflatedLen > limit || len(m.Inflated) > limit || m.WireLen != int64(len(bomb)) {
		t.Errorf("inflated %d (kept %d), wire %d of %d", m.InflatedLen, len(m.Inflated), m.WireLen, len(bomb))
	}
	if ev, err := fr.Next(); err != nil || string(ev.Unmasked) != "after" || ev.Violation != nil {
		t.Errorf("next frame: %v %v", ev, err)
	}
	t.Logf("bomb of %d bytes flagged after %d bytes allocated", len(bomb), alloc)
}

// TestWatchNegotiation: the agreement a watcher reads from both halves of
// a handshake is what the client and server agree on.
func TestWatchNegotiation(t *testing.T) {
	for _, tc := range []struct {
		req, resp string
		want      *DeflateAgreement
		err       bool
	}{
		{"permessage-deflate; client_max_window_bits", "permessage-deflate",
			&DeflateAgreement{ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, false},
		// The client's own promises bind it though the response omits them.
		{"permessage-deflate; client_no_context_takeover; client_max_window_bits=10", "permessage-deflate; server_no_context_takeover",
			&DeflateAgreement{ServerNoContextTakeover: true, ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 10}, false},
		// The server picks the second offer.
		{"permessage-deflate; server_max_window_bits=9, permessage-deflate", "permessage-deflate; client_no_context_takeover",
			&DeflateAgreement{ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, false},
		{"permessage-deflate", "", nil, false},
		// Not offered: flagged, and read as the response says.
		{"", "permessage-deflate; server_max_window_bits=12", &DeflateAgreement{ServerMaxWindowBits: 12, ClientMaxWindowBits: 15}, true},
	} {
		var reqV, respV []string
		if tc.req != "" {
			reqV = []string{tc.req}
		}
		if tc.resp != "" {
			respV = []string{tc.resp}
		}
		n, err := WatchNegotiation(reqV, respV)
		if (err != nil) != tc.err {
			t.Errorf("%q / %q: error %v", tc.req, tc.resp, err)
		}
		switch {
		case tc.want == nil && n != nil:
			t.Errorf("%q / %q: agreed %+v, want none", tc.req, tc.resp, n.Agreed)
		case tc.want != nil && (n == nil || n.Agreed != *tc.want):
			t.Errorf("%q / %q: %+v, want %+v", tc.req, tc.resp, n, *tc.want)
		}
	}
}

// FuzzFrameReaderInflate: any stream, read with inflating on, never
// panics or hangs, keeps at most Keep inflated bytes of a message and
// counts at most the limit plus one.
func FuzzFrameReaderInflate(f *testing.F) {
	f.Add(frameBytes(Header{Fin: true, Rsv1: true, Opcode: OpText}, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, false), true, 15)
	f.Add(append(frameBytes(Header{Rsv1: true, Opcode: OpBinary}, []byte{0xf2, 0x48}, true),
		frameBytes(Header{Fin: true, Opcode: OpContinuation}, []byte{0xcd, 0xc9, 0xc9, 0x07, 0x00}, true)...), false, 9)
	f.Fuzz(func(t *testing.T, b []byte, takeover bool, bits int) {
		const limit, keep = 4096, 64
		fr := NewFrameReader(bytes.NewReader(b), RoleServer)
		fr.Deflate, fr.Keep = true, keep
		fr.InflateMessages(WatchInflate{WindowBits: bits, ContextTakeover: takeover, Limit: limit})
		defer fr.Close()
		for {
			_, err := fr.Next()
			if m := fr.Message(); m != nil && (len(m.Inflated) > keep || m.InflatedLen > limit || m.WireLen > int64(len(b))) {
				t.Fatalf("message kept %d, counted %d, wire %d", len(m.Inflated), m.InflatedLen, m.WireLen)
			}
			if err != nil {
				break
			}
		}
	})
}
