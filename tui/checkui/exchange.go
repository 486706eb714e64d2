package checkui

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// KeepPayload is how many payload bytes of each frame an exchange's
// entries keep: more than any view shows (the hex dump stops at
// render.HexLimit, `check --show` at 256 bytes).
const KeepPayload = 4 << 10

// PartialNote marks a frame whose recording ended inside it: a case of
// 16 MiB keeps only the first 256 KiB each way, and a case can end while
// a frame is still arriving.
const PartialNote = "only its start was recorded"

// Entries turns the exchange of one case into the capture entries every
// view draws: the two halves of the opening handshake, then each frame
// (and, with permessage-deflate agreed, each compressed message inflated)
// in the order its first byte went over the wire.
//
// The bytes of each direction are read by the codec's own watcher,
// protocol.FrameReader, which judges every frame as its receiver would:
// in context (a continuation with no message, text that stops being
// UTF-8, a data frame after a close), with the rule it breaks. This is
// the one place that cuts an exchange into frames; `check --show` and the
// report's screen both draw from it.
//
// A frame cut off by the end of the recording carries [PartialNote] in
// Note. Bytes too few to hold a frame header become a [capture.KindNote]
// entry whose Wire holds them.
func Entries(ex *conformance.Exchange) []capture.Entry {
	if ex == nil {
		return nil
	}
	type placed struct {
		e     capture.Entry
		chunk int // index of the chunk holding the entry's first byte
	}
	var out []placed
	we, they := capture.ClientToServer, capture.ServerToClient
	if !ex.Client {
		we, they = they, we
	}
	req := capture.Entry{Kind: capture.KindHandshake, Dir: capture.ClientToServer, Tag: -1,
		Handshake: &protocol.HandshakeEvent{Request: true, Raw: ex.Request}}
	resp := capture.Entry{Kind: capture.KindHandshake, Dir: capture.ServerToClient, Tag: -1,
		Handshake: &protocol.HandshakeEvent{Raw: ex.Reply}}
	agreed := readHandshake(ex, resp.Handshake)
	if len(ex.Request) > 0 {
		out = append(out, placed{req, -1})
	}
	if len(ex.Reply) > 0 {
		out = append(out, placed{resp, -1})
	}
	for _, dir := range []capture.Dir{we, they} {
		sent := dir == we
		var stream []byte
		var starts []int // offset in stream where each chunk starts
		var chunks []int // index of each such chunk in ex.Chunks
		for i, c := range ex.Chunks {
			if c.Sent == sent {
				starts, chunks = append(starts, len(stream)), append(chunks, i)
				stream = append(stream, c.Data...)
			}
		}
		// where returns the chunk that holds byte off of the stream.
		where := func(off int) int {
			j := sort.Search(len(starts), func(j int) bool { return starts[j] > off }) - 1
			return chunks[max(0, j)]
		}
		receiver := protocol.RoleServer
		if dir == capture.ServerToClient {
			receiver = protocol.RoleClient
		}
		fr := protocol.NewFrameReader(bytes.NewReader(stream), receiver)
		fr.Keep = KeepPayload
		if agreed != nil {
			// Each direction inflates with its own parameters (RFC 7692
			// §7.1.1, §7.1.2), as the proxy does.
			fr.Deflate = true
			wi := protocol.WatchInflate{WindowBits: agreed.ServerMaxWindowBits, ContextTakeover: !agreed.ServerNoContextTakeover, Limit: 16 << 20}
			if receiver == protocol.RoleServer {
				wi.WindowBits, wi.ContextTakeover = agreed.ClientMaxWindowBits, !agreed.ClientNoContextTakeover
			}
			fr.InflateMessages(wi)
		}
		off := 0
		for off < len(stream) {
			ev, err := fr.Next()
			if ev == nil {
				// Not even a whole header: show the bytes as they are.
				rest := stream[off:]
				out = append(out, placed{capture.Entry{Kind: capture.KindNote, Dir: dir, Tag: -1, Wire: rest,
					Note: fmt.Sprintf("%d bytes, too few for a frame header (%v)", len(rest), err)}, where(off)})
				break
			}
			e, _ := capture.FromEvent(receiver, ev, time.Time{})
			e.At = ex.Chunks[where(off)].At
			at := where(off)
			if err != nil {
				e.Note = PartialNote
			}
			out = append(out, placed{e, at})
			if m := fr.Message(); m != nil {
				me, _ := capture.FromEvent(receiver, m, time.Time{})
				me.At = e.At
				out = append(out, placed{me, at})
			}
			if err != nil {
				break
			}
			off += int(e.WireLen())
		}
		if agreed != nil {
			fr.Close()
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].chunk < out[j].chunk })
	entries := make([]capture.Entry, len(out))
	for i, p := range out {
		p.e.Seq = i + 1
		p.e.Conn = 1
		entries[i] = p.e
	}
	return entries
}

// readHandshake completes the response's event as the views want it (the
// accept computation, the refusal, the permessage-deflate negotiation)
// and returns what was agreed, nil without compression.
func readHandshake(ex *conformance.Exchange, resp *protocol.HandshakeEvent) *protocol.DeflateAgreement {
	key := ""
	var offers []string
	if hr, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(ex.Request))); err == nil {
		key = hr.Header.Get("Sec-WebSocket-Key")
		offers = hr.Header.Values("Sec-WebSocket-Extensions")
	}
	hr, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(ex.Reply)), nil)
	if err != nil {
		if len(ex.Reply) > 0 {
			resp.Err = fmt.Errorf("the response does not parse as HTTP: %v", err)
		}
		return nil
	}
	hr.Body.Close()
	if hr.StatusCode != http.StatusSwitchingProtocols {
		resp.Err = &protocol.HandshakeError{Status: hr.StatusCode, Msg: "the handshake was refused"}
		return nil
	}
	if key != "" {
		steps := protocol.ComputeAcceptSteps(key)
		resp.Accept = &steps
	}
	neg, _ := protocol.WatchNegotiation(offers, hr.Header.Values("Sec-WebSocket-Extensions"))
	if neg == nil {
		return nil
	}
	resp.Negotiation = neg
	return &neg.Agreed
}
