package conformance

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

func sample(t *testing.T, cs []Case) []Case {
	t.Helper()
	out, err := Select(cs, deflateSample, nil)
	if err != nil || len(out) != len(deflateSample) {
		t.Fatalf("the sample selects %d cases (%v), want %d", len(out), err, len(deflateSample))
	}
	return out
}

func expectAll(t *testing.T, results []Result, want Verdict) {
	t.Helper()
	for _, r := range results {
		if r.Verdict != want {
			t.Errorf("case %s (%s): %s, want %s: %s", r.ID, r.Desc, r.Verdict, want, r.Detail)
		}
	}
}

// The codec's server and client with compression pass the sample of the
// permessage-deflate cases; interop/ runs them all.
func TestCodecDeflateServer(t *testing.T) {
	url := protocolEchoWith(t, &protocol.CompressionOptions{Threshold: -1})
	expectAll(t, RunServer(context.Background(), url, sample(t, ForServers(All())), testConfig()), OK)
}

func TestCodecDeflateClient(t *testing.T) {
	start := protocolClientWith(&protocol.DialOptions{Compression: &protocol.CompressionOptions{Threshold: -1}})
	expectAll(t, RunClient(context.Background(), start, sample(t, ForClients(All())), testConfig()), OK)
}

// A client that does not offer client_max_window_bits cannot be given
// the 13.3.x response (RFC 7692 §7.1.2.2): UNIMPLEMENTED, after a clean
// closing handshake.
func TestDeflateClientWithoutWindowOffer(t *testing.T) {
	c, _ := Find("13.3.1")
	if _, why := answerOffer(c, []string{"permessage-deflate"}); !strings.Contains(why, "client_max_window_bits") {
		t.Errorf("an offer without client_max_window_bits was answered: %q", why)
	}
	if got, why := answerOffer(c, []string{"x-other, permessage-deflate; client_max_window_bits"}); got != c.Response || why != "" {
		t.Errorf("the offer was not answered with %q: %q, %q", c.Response, got, why)
	}
	r := RunClientCase(context.Background(), protocolClient, c, testConfig())
	if r.Verdict != Unimplemented || r.Ending != EndClean || !strings.Contains(r.Detail, "permessage-deflate") {
		t.Errorf("a client offering nothing: %s (ending %q): %s", r.Verdict, r.Ending, r.Detail)
	}
}

// A response that RFC 7692 does not allow ends the case FAILED with the
// rule named.
func TestDeflateBadResponse(t *testing.T) {
	for _, tc := range []struct{ resp, rule string }{
		{"permessage-deflate; client_max_window_bits=7", "§7.1.2"},
		{"permessage-deflate; server_max_window_bits=016", "§7.1.2"},
		{"permessage-deflate; x_unknown", "RFC 7692 §7"},
		{"permessage-deflate; server_no_context_takeover; server_no_context_takeover", "repeats"},
		{"x-webkit-deflate-frame", "§9.1"},
	} {
		if _, err := agreement(tc.resp, true); err == nil || !strings.Contains(err.Error(), tc.rule) {
			t.Errorf("agreement(%q) = %v, want an error naming %s", tc.resp, err, tc.rule)
		}
	}
	for _, tc := range []struct{ offer, resp string }{
		{"permessage-deflate", "permessage-deflate; server_max_window_bits=10"},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=12"},
		{"permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=10"},
	} {
		d, err := agreement(tc.resp, true)
		if err == nil {
			err = d.checkAgainstOffer(tc.offer, tc.resp)
		}
		if err == nil || !strings.Contains(err.Error(), "§7.1.2") {
			t.Errorf("offer %q, response %q: %v, want an error naming §7.1.2", tc.offer, tc.resp, err)
		}
	}
	// An offer binds the client even where the response leaves it out.
	d, _ := agreement("permessage-deflate", true)
	if err := d.checkAgainstOffer("permessage-deflate; client_no_context_takeover; client_max_window_bits=8", "permessage-deflate"); err != nil || d.ourBits != 8 || d.ourTakeover {
		t.Errorf("the offer did not bind the client: %+v, %v", d, err)
	}
	d, err := agreement("permessage-deflate; server_no_context_takeover; client_max_window_bits=9", true)
	if err != nil || d.ourBits != 9 || d.theirBits != 15 || !d.ourTakeover || d.theirTakeover {
		t.Errorf("agreement: %+v, %v", d, err)
	}
}

// The peer's own compression round-trips through compress/flate under
// every agreement, and its inflater refuses a reference into a context
// the agreement said was not kept.
func TestDeflateStateRoundTrip(t *testing.T) {
	for _, takeover := range []bool{true, false} {
		for _, bits := range []int{8, 15} {
			send := newDeflateState(bits, bits, takeover, takeover)
			recv := newDeflateState(bits, bits, takeover, takeover)
			for i := 0; i < 5; i++ {
				_, msg := deflatePayload(4, 3000, int64(i))
				got, err := recv.inflate(send.compress(msg), len(msg))
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("bits %d, takeover %v, message %d: %v", bits, takeover, i, err)
				}
			}
		}
	}
	// A sender that keeps its context, to a receiver told it does not.
	send := newDeflateState(15, 15, true, true)
	recv := newDeflateState(15, 15, false, false)
	msg := []byte(strings.Repeat("the same words again and again; ", 20))
	if _, err := recv.inflate(send.compress(msg), len(msg)); err != nil {
		t.Fatal(err)
	}
	if _, err := recv.inflate(send.compress(msg), len(msg)); err == nil {
		t.Error("a reference into the previous message inflated without context takeover")
	}
}

// A server that says server_no_context_takeover but keeps its context
// anyway gets FAILED for the cases whose messages refer back, with the
// rule named.
func TestBrokenDeflateServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				serveTakeoverLiar(nc)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	// Text cases of 256 bytes or more: their messages share words, so
	// the later ones refer back to the earlier. (compress/flate writes a
	// 16-byte message as literals.)
	cases, _ := Select(ForServers(All()), []string{"12.1.3", "12.4.4", "13.1.2", "13.4.2", "13.7.2", "A.13.1.1"}, nil)
	for _, r := range RunServer(context.Background(), "ws://"+ln.Addr().String()+"/", cases, testConfig()) {
		if r.Verdict != Failed || !strings.Contains(r.Detail, "does not inflate") || !strings.Contains(r.Rule, "RFC 7692") {
			t.Errorf("case %s: %s: %s (rule %s)", r.ID, r.Verdict, r.Detail, r.Rule)
		}
	}
}

// serveTakeoverLiar agrees on server_no_context_takeover and
// client_no_context_takeover, inflates each client message on its own,
// and echoes it compressed with a context kept across messages.
func serveTakeoverLiar(nc net.Conn) {
	nc.SetDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReader(nc)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
		protocol.ComputeAccept(req.Header.Get("Sec-WebSocket-Key"))+
		"\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n\r\n")
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestSpeed)
	var msg []byte
	var op protocol.Opcode
	for {
		h, err := protocol.ReadHeader(br)
		if err != nil || h.Length > 1<<20 {
			return
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(br, p); err != nil {
			return
		}
		protocol.Mask(h.MaskKey, 0, p)
		switch {
		case h.Opcode == protocol.OpClose:
			nc.Write(append(protocol.AppendHeader(nil, protocol.Header{Fin: true, Opcode: protocol.OpClose, Length: uint64(len(p))}), p...))
			return
		case h.Opcode.IsControl():
			continue
		case h.Opcode != protocol.OpContinuation:
			msg, op = msg[:0], h.Opcode
		}
		msg = append(msg, p...)
		if !h.Fin {
			continue
		}
		plain, err := io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(msg), bytes.NewReader([]byte{0, 0, 0xff, 0xff, 1, 0, 0, 0xff, 0xff}))))
		if err != nil {
			return
		}
		out.Reset()
		fw.Write(plain)
		fw.Flush()
		z := out.Bytes()[:out.Len()-4]
		nc.Write(append(protocol.AppendHeader(nil, protocol.Header{Fin: true, Rsv1: true, Opcode: op, Length: uint64(len(z))}), z...))
	}
}
