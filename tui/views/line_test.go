package views

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

func frameEntry(h protocol.Header, payload []byte, v *protocol.Violation) capture.Entry {
	h.Length = uint64(len(payload))
	wire := append([]byte(nil), payload...)
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, wire)
	}
	ev := &protocol.FrameEvent{Role: protocol.RoleServer, Dir: protocol.Received, Header: h,
		RawHeader: protocol.AppendHeader(nil, h), Payload: wire, Unmasked: payload, Violation: v}
	e, _ := capture.FromEvent(protocol.RoleServer, ev, time.Time{})
	e.Conn = 7
	e.At = 1500 * time.Millisecond
	return e
}

func TestLine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	v := &protocol.Violation{Section: "8.1", Code: protocol.CloseInvalidPayload, Msg: "text message is not valid UTF-8 at index 1 of the message"}
	close3000, _ := protocol.AppendClosePayload(nil, 3000, "bye")
	for _, tc := range []struct {
		e    capture.Entry
		want string
	}{
		{frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key}, []byte("Hello"), nil),
			`03:04:06.500 #7 → text FIN len=5 (7-bit) masked key=37fa213d "Hello"`},
		{frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpBinary}, []byte{0xde, 0xad}, nil),
			`03:04:06.500 #7 ← binary FIN len=2 (7-bit) dead`},
		{frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key}, []byte{'a', 0xff}, v),
			`03:04:06.500 #7 → text FIN len=2 (7-bit) masked key=37fa213d 61ff  ✗ §8.1: text message is not valid UTF-8 at index 1 of the message (close 1007)`},
		{frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpClose, Masked: true, MaskKey: key}, close3000, nil),
			`03:04:06.500 #7 → close FIN len=5 (7-bit) masked key=37fa213d 3000 "bye"`},
	} {
		if tc.e.Header.Opcode == protocol.OpBinary {
			tc.e.Dir = capture.ServerToClient
		}
		if got := Line(tc.e, start); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	hs := capture.Entry{Kind: capture.KindHandshake, Dir: capture.ClientToServer, Conn: 1, Handshake: &protocol.HandshakeEvent{Request: true,
		Raw: []byte("GET /chat HTTP/1.1\r\nHost: x\r\nOrigin: http://a.test\r\nSec-WebSocket-Protocol: v2, chat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")}}
	if got, want := Line(hs, start), "03:04:05.000 #1 → GET /chat HTTP/1.1 · Origin http://a.test · subprotocols offered: v2, chat · extensions offered: permessage-deflate"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestJSON(t *testing.T) {
	key := [4]byte{1, 2, 3, 4}
	e := frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key}, []byte("héllo"), nil)
	var got map[string]any
	if err := json.Unmarshal(MarshalLine(e, time.Unix(0, 0)), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"time": "1970-01-01T00:00:01.5Z", "conn": 7.0, "dir": "client->server", "kind": "frame", "fin": true,
		"opcode": "text", "masked": true, "mask_key": "01020304", "length": 6.0, "text": "héllo"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// Binary goes as hex; a payload cut to bound memory says so.
	b := frameEntry(protocol.Header{Fin: true, Opcode: protocol.OpBinary}, []byte{0, 1, 2, 3}, nil)
	b.Unmasked = b.Unmasked[:2]
	line := string(MarshalLine(b, time.Unix(0, 0)))
	if !strings.Contains(line, `"hex":"0001"`) || !strings.Contains(line, `"truncated":true`) || !strings.Contains(line, `"length":4`) {
		t.Errorf("binary line: %s", line)
	}
}

// TestDissectRSV1: a frame whose RSV1 the codec accepted is explained as
// permessage-deflate's bit; one it refused, as the broken rule.
func TestDissectRSV1(t *testing.T) {
	h := protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpText, Masked: true, MaskKey: [4]byte{1, 2, 3, 4}}
	ok := frameEntry(h, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, nil)
	v := &protocol.Violation{Section: "5.2", Code: protocol.CloseProtocolError, Msg: "RSV1 is set but no extension was negotiated that defines it"}
	bad := frameEntry(h, []byte{0xf2, 0x48}, v)
	o := Options{Width: 100, Cursor: -1}
	if d := Dissect(ok, o); !strings.Contains(d, "permessage-deflate was agreed") {
		t.Errorf("accepted RSV1:\n%s", d)
	}
	if d := Dissect(bad, o); !strings.Contains(d, "no extension gives it a meaning") || strings.Contains(d, "permessage-deflate was agreed") {
		t.Errorf("refused RSV1:\n%s", d)
	}
}

// TestInflatedMessageLineAndJSON: an inflated message (the proxy's, from
// the codec's MessageEvent) shows its bytes labelled as inflated, and the
// rule it broke when the watcher flagged it.
func TestInflatedMessageLineAndJSON(t *testing.T) {
	start := time.Unix(0, 0)
	ok, _ := capture.FromEvent(protocol.RoleServer, &protocol.MessageEvent{Dir: protocol.Received, Opcode: protocol.OpText,
		Inflated: []byte("Hello"), InflatedLen: 5, WireLen: 7}, start)
	if got, want := Line(ok, start), `00:00:00.000 #0 → compressed text message: 7 bytes on the wire, 5 inflated "Hello"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var j map[string]any
	if err := json.Unmarshal(MarshalLine(ok, start), &j); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"time": "1970-01-01T00:00:00Z", "conn": 0.0, "dir": "client->server", "kind": "message",
		"opcode": "text", "length": 5.0, "wire_length": 7.0, "inflated_text": "Hello"}
	if diff := cmp.Diff(want, j); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	v := &protocol.Violation{RFC: "7692", Section: "7.2.2", Code: protocol.CloseInvalidPayload, Msg: "compressed data does not inflate: x"}
	bad, _ := capture.FromEvent(protocol.RoleClient, &protocol.MessageEvent{Dir: protocol.Received, Opcode: protocol.OpBinary,
		Inflated: []byte{0xde, 0xad}, InflatedLen: 2, WireLen: 6, Violation: v}, start)
	if got, want := Line(bad, start), `00:00:00.000 #0 ← compressed binary message: 6 bytes on the wire, 2 inflated dead  ✗ RFC 7692 §7.2.2: compressed data does not inflate: x (close 1007)`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	line := string(MarshalLine(bad, start))
	if !strings.Contains(line, `"inflated_hex":"dead"`) || !strings.Contains(line, `"violation":{"section":"7.2.2","code":1007`) || strings.Contains(line, `"hex"`) {
		t.Errorf("flagged message line: %s", line)
	}
	if s := Dissect(bad, Options{Width: 80}); !strings.Contains(s, "REFUSED · RFC 7692 §7.2.2") {
		t.Errorf("dissection does not show the rule:\n%s", s)
	}
	if s := EntryTitleIn(bad, "en"); !strings.HasSuffix(s, "REFUSED") {
		t.Errorf("title %q", s)
	}
}
