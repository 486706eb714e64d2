package checkui

import (
	"bytes"
	"testing"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// chopped is an exchange of the bytes each way, in chunks of chop bytes,
// alternating.
func chopped(sent, received []byte, chop int) *conformance.Exchange {
	ex := &conformance.Exchange{Client: true}
	for i := 0; i < max(len(sent), len(received)); i += chop {
		if i < len(sent) {
			ex.Chunks = append(ex.Chunks, conformance.Chunk{Sent: true, Data: sent[i:min(i+chop, len(sent))]})
		}
		if i < len(received) {
			ex.Chunks = append(ex.Chunks, conformance.Chunk{Data: received[i:min(i+chop, len(received))]})
		}
	}
	return ex
}

// Entries cuts any bytes into frames without losing or inventing one: in
// each direction, every entry starts where the one before it ended, and
// together they cover the bytes exactly.
func FuzzEntries(f *testing.F) {
	f.Add([]byte{0x81, 0x05, 'h', 'e', 'l', 'l', 'o', 0x89, 0x00}, []byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 5}, 3)
	f.Add([]byte{0x81}, []byte{0x88, 0x02, 0x03, 0xe8}, 1)
	f.Add(append([]byte{0x82, 0x7e, 0x20, 0x00}, make([]byte, 8192)...), []byte{0x8a, 0x80, 1, 2, 3, 4}, 700)
	f.Fuzz(func(t *testing.T, sent, received []byte, chop int) {
		chop = max(1, chop%64) // a negative chop is 1
		ex := chopped(sent, received, chop)
		rest := map[capture.Dir][]byte{capture.ClientToServer: sent, capture.ServerToClient: received}
		for _, e := range Entries(ex) {
			if e.Kind == capture.KindMessage {
				continue // an inflated message, after its frames
			}
			left := rest[e.Dir]
			if len(e.Wire) == 0 {
				t.Fatalf("entry #%d has no bytes: %+v", e.Seq, e)
			}
			if !bytes.HasPrefix(left, e.Wire) {
				t.Fatalf("entry #%d's bytes % x are not the next bytes % x", e.Seq, e.Wire, left[:min(len(left), 32)])
			}
			n := len(e.Wire)
			if e.Kind == capture.KindFrame {
				// A whole frame takes its header and payload; a frame the
				// recording cut off takes the rest (its claimed length can
				// be anything up to 2^64-1).
				h := uint64(protocol.HeaderSizeFrom(e.Wire[0], e.Wire[1]))
				whole := e.Header.Length <= uint64(len(left)) && h+e.Header.Length <= uint64(len(left))
				if (e.Note == PartialNote) == whole {
					t.Fatalf("entry #%d: note %q, but %d+%d bytes claimed and %d left", e.Seq, e.Note, h, e.Header.Length, len(left))
				}
				n = len(left)
				if whole {
					n = int(h + e.Header.Length)
				}
			}
			rest[e.Dir] = left[n:]
		}
		for d, left := range rest {
			if len(left) > 0 {
				t.Fatalf("%s: %d bytes left out: % x", d.Arrow(), len(left), left[:min(len(left), 32)])
			}
		}
	})
}

// The frames of each direction are judged in context, as their receiver
// judges them: a continuation frame with no message in progress breaks
// §5.4 although its header alone is fine, and a server's masked frame
// breaks §5.1.
func TestEntriesJudgeInContext(t *testing.T) {
	sent := []byte{0x80, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2}     // continuation, FIN, masked
	received := []byte{0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2} // text, masked by the server
	ex := chopped(sent, received, 64)
	ex.Request = []byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	ex.Reply = []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
	es := Entries(ex)
	if len(es) != 4 {
		t.Fatalf("%d entries, want 4: %+v", len(es), es)
	}
	if es[0].Kind != capture.KindHandshake || !es[0].Handshake.Request || es[1].Handshake.Accept == nil {
		t.Errorf("the handshake entries are wrong: %+v %+v", es[0], es[1])
	}
	for i, want := range []string{"5.4", "5.1"} {
		e := es[2+i]
		if e.Kind != capture.KindFrame || e.Violation == nil || e.Violation.Section != want {
			t.Errorf("entry %d: %+v, want a frame breaking §%s", 2+i, e, want)
		}
	}
	if got := string(es[2].Unmasked); got != "hi" {
		t.Errorf("unmasked %q, want hi", got)
	}
	if es[3].Dir != capture.ServerToClient || es[3].Header.Opcode != protocol.OpText {
		t.Errorf("entry 3: %+v", es[3])
	}
}
