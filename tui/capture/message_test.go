package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestCompressedMessageEntries: a MessageEvent becomes a KindMessage entry
// in the direction it went; a store keeps a short one whole and cuts a long
// one (with its up-to-32-KiB window) to its limit, saying so.
func TestCompressedMessageEntries(t *testing.T) {
	small := &protocol.MessageEvent{Time: time.Now(), Role: protocol.RoleServer, Dir: protocol.Received, Opcode: protocol.OpText,
		Compressed: []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, Inflated: []byte("Hello"), WireLen: 7, InflatedLen: 5,
		WindowBits: 15, ContextTakeover: true}
	e, ok := FromEvent(protocol.RoleServer, small, time.Now())
	if !ok || e.Kind != KindMessage || e.Dir != ClientToServer || e.Message != small {
		t.Fatalf("FromEvent: %+v, %v", e, ok)
	}
	if e.Header.Opcode != protocol.OpText || e.Header.Length != 5 || e.WireSize != 7 || string(e.Unmasked) != "Hello" || !e.Decodable() {
		t.Errorf("FromEvent: header %+v, wire size %d, unmasked %q, decodable %v; want text, 5, 7, \"Hello\", true",
			e.Header, e.WireSize, e.Unmasked, e.Decodable())
	}
	// An observer that reports headers only gives the sizes and no bytes:
	// the entry says what it can and cannot be taken apart.
	sizes := *small
	sizes.Compressed, sizes.Inflated = nil, nil
	if e, _ := FromEvent(protocol.RoleServer, &sizes, time.Now()); e.Decodable() || e.WireSize != 7 || e.Header.Length != 5 {
		t.Errorf("headers only: decodable %v, wire size %d, length %d; want false, 7, 5", e.Decodable(), e.WireSize, e.Header.Length)
	}
	st := NewStore(Limits{Payload: 16})
	rec := st.Open("peer", "test", protocol.RoleServer)
	rec.Observe(small)
	big := &protocol.MessageEvent{Role: protocol.RoleServer, Dir: protocol.Sent, Opcode: protocol.OpBinary,
		Compressed: bytes.Repeat([]byte{1}, 40), Inflated: bytes.Repeat([]byte{2}, 4000), WireLen: 40, InflatedLen: 4000, Window: bytes.Repeat([]byte{3}, 32768)}
	rec.Observe(big)
	got := st.Window(rec.ID(), 0, 10)
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2", len(got))
	}
	if m := got[0].Message; !got[0].Decodable() || !bytes.Equal(m.Inflated, []byte("Hello")) || len(m.Compressed) != 7 {
		t.Errorf("the short message was changed: %+v", got[0])
	}
	m := got[1].Message
	if got[1].Dir != ServerToClient || len(m.Compressed) != 16 || len(m.Inflated) != 16 || m.Window != nil || got[1].Note == "" || got[1].Decodable() {
		t.Errorf("the long message kept %d, %d and %d bytes (note %q, decodable %v), want 16, 16, 0, a note and not decodable",
			len(m.Compressed), len(m.Inflated), len(m.Window), got[1].Note, got[1].Decodable())
	}
	if len(big.Inflated) != 4000 {
		t.Errorf("the store cut the observer's event itself")
	}
}
