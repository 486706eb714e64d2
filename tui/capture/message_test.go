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
		Compressed: []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, Inflated: []byte("Hello"), WindowBits: 15, ContextTakeover: true}
	e, ok := FromEvent(protocol.RoleServer, small, time.Now())
	if !ok || e.Kind != KindMessage || e.Dir != ClientToServer || e.Message != small {
		t.Fatalf("FromEvent: %+v, %v", e, ok)
	}
	st := NewStore(Limits{Payload: 16})
	rec := st.Open("peer", "test", protocol.RoleServer)
	rec.Observe(small)
	big := &protocol.MessageEvent{Role: protocol.RoleServer, Dir: protocol.Sent, Opcode: protocol.OpBinary,
		Compressed: bytes.Repeat([]byte{1}, 40), Inflated: bytes.Repeat([]byte{2}, 4000), Window: bytes.Repeat([]byte{3}, 32768)}
	rec.Observe(big)
	got := st.Window(rec.ID(), 0, 10)
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2", len(got))
	}
	if m := got[0].Message; got[0].Note != "" || !bytes.Equal(m.Inflated, []byte("Hello")) || len(m.Compressed) != 7 {
		t.Errorf("the short message was changed: %+v", got[0])
	}
	m := got[1].Message
	if got[1].Dir != ServerToClient || len(m.Compressed) != 16 || len(m.Inflated) != 16 || m.Window != nil || got[1].Note == "" {
		t.Errorf("the long message kept %d, %d and %d bytes (note %q), want 16, 16, 0 and a note",
			len(m.Compressed), len(m.Inflated), len(m.Window), got[1].Note)
	}
	if len(big.Inflated) != 4000 {
		t.Errorf("the store cut the observer's event itself")
	}
}
