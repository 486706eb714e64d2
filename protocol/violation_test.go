package protocol

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// clientFrame builds the wire bytes of one client frame by hand: header
// bytes b0, then the length field as given (so tests can break the rules),
// then a fixed key and the masked payload.
func clientFrame(h Header, payload []byte) []byte {
	h.Masked = true
	h.MaskKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}
	if h.Length == 0 {
		h.Length = uint64(len(payload))
	}
	wire := AppendHeader(nil, h)
	body := append([]byte(nil), payload...)
	Mask(h.MaskKey, 0, body)
	return append(wire, body...)
}

func closeBody(code uint16, reason string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

// TestViolationsCloseTheConnection sends each rule-breaking frame from a
// client to our server over real TCP and checks three things: the server's
// read fails with the right section and close code, the server sends a
// close frame with that code, and the server closes TCP.
func TestViolationsCloseTheConnection(t *testing.T) {
	text := func(fin bool, p string) []byte { return clientFrame(Header{Fin: fin, Opcode: OpText}, []byte(p)) }
	cases := []struct {
		name    string
		wire    []byte
		limit   int64
		section string
		code    CloseCode
	}{
		{"RSV1 without extension", clientFrame(Header{Fin: true, Rsv1: true, Opcode: OpText}, []byte("a")), 0, "5.2", 1002},
		{"RSV2 without extension", clientFrame(Header{Fin: true, Rsv2: true, Opcode: OpText}, []byte("a")), 0, "5.2", 1002},
		{"RSV3 without extension", clientFrame(Header{Fin: true, Rsv3: true, Opcode: OpBinary}, nil), 0, "5.2", 1002},
		{"reserved data opcode 0x3", clientFrame(Header{Fin: true, Opcode: 0x3}, nil), 0, "5.2", 1002},
		{"reserved data opcode 0x7", clientFrame(Header{Fin: true, Opcode: 0x7}, nil), 0, "5.2", 1002},
		{"reserved control opcode 0xB", clientFrame(Header{Fin: true, Opcode: 0xB}, nil), 0, "5.2", 1002},
		{"reserved control opcode 0xF", clientFrame(Header{Fin: true, Opcode: 0xF}, nil), 0, "5.2", 1002},
		{"unmasked client frame", []byte{0x81, 0x01, 'a'}, 0, "5.1", 1002},
		{"64-bit length with top bit set", AppendHeader(nil, Header{Fin: true, Opcode: OpBinary, Masked: true, Length: 1 << 63}), 0, "5.2", 1002},
		{"16-bit length for 5 bytes", clientFrame(Header{Fin: true, Opcode: OpText, LengthForm: Length16Bit}, []byte("Hello")), 0, "5.2", 1002},
		{"64-bit length for 200 bytes", clientFrame(Header{Fin: true, Opcode: OpBinary, LengthForm: Length64Bit}, make([]byte, 200)), 0, "5.2", 1002},
		{"fragmented ping", clientFrame(Header{Fin: false, Opcode: OpPing}, []byte("hi")), 0, "5.5", 1002},
		{"126-byte ping", clientFrame(Header{Fin: true, Opcode: OpPing}, make([]byte, 126)), 0, "5.5", 1002},
		{"126-byte close", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1000, strings.Repeat("r", 124))), 0, "5.5", 1002},
		{"continuation with nothing to continue", clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("a")), 0, "5.4", 1002},
		{"text frame inside a fragmented message", append(text(false, "a"), text(true, "b")...), 0, "5.4", 1002},
		{"binary frame inside a fragmented message", append(text(false, "a"), clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("b"))...), 0, "5.4", 1002},
		{"invalid UTF-8 byte", text(true, "ab\xffcd"), 0, "8.1", 1007},
		{"surrogate in text", text(true, "\xed\xa0\x80"), 0, "8.1", 1007},
		{"text ends inside a character", append(text(false, "a\xe2"), clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("\x82"))...), 0, "8.1", 1007},
		{"invalid UTF-8 in a later fragment", append(text(false, "ok "), clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("\xc0\xaf"))...), 0, "8.1", 1007},
		{"message over the limit in one frame", text(true, "01234567890"), 10, "10.4", 1009},
		{"message over the limit across frames", append(text(false, "012345"), clientFrame(Header{Fin: true, Opcode: OpContinuation}, []byte("67890"))...), 10, "10.4", 1009},
		{"close with a 1-byte payload", clientFrame(Header{Fin: true, Opcode: OpClose}, []byte{0x03}), 0, "5.5.1", 1002},
		{"close code 999", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(999, "")), 0, "7.4.2", 1002},
		{"close code 1004", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1004, "")), 0, "7.4.1", 1002},
		{"close code 1005", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1005, "")), 0, "7.4.1", 1002},
		{"close code 1006", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1006, "")), 0, "7.4.1", 1002},
		{"close code 1015", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1015, "")), 0, "7.4.1", 1002},
		{"close code 1016", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1016, "")), 0, "7.4.2", 1002},
		{"close code 2999", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(2999, "")), 0, "7.4.2", 1002},
		{"close code 5000", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(5000, "")), 0, "7.4.2", 1002},
		{"close reason not UTF-8", clientFrame(Header{Fin: true, Opcode: OpClose}, closeBody(1000, "\xff")), 0, "8.1", 1007},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client, server := connPair(t, &Options{CloseTimeout: 2 * time.Second}, &Options{MessageLimit: tc.limit})
			if err := client.WriteRaw(tc.wire); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			// Both ends read at once, as real peers do: the failing server
			// lingers until the client, having read its close frame, closes.
			serverErr := make(chan error, 1)
			go func() { _, _, err := server.ReadMessage(ctx); serverErr <- err }()
			// The client sees the server's close frame with the code...
			_, _, err := client.ReadMessage(ctx)
			if code, ok := CloseStatus(err); !ok || code != tc.code {
				t.Errorf("client read: %v, want close %d", err, tc.code)
			}
			// ...which is the code of the violation the server found.
			var v *Violation
			if err := <-serverErr; !errors.As(err, &v) {
				t.Fatalf("server read: %v, want a *Violation", err)
			}
			if v.Section != tc.section || v.Code != tc.code {
				t.Errorf("violation §%s close %d (%s), want §%s close %d", v.Section, v.Code, v.Msg, tc.section, tc.code)
			}
			// ...and the server has closed TCP.
			select {
			case <-server.Done():
			case <-time.After(3 * time.Second):
				t.Error("server did not close TCP")
			}
		})
	}
}

// TestMaskedFrameFromServer: §5.1, "A client MUST close a connection if it
// detects a masked frame."
func TestMaskedFrameFromServer(t *testing.T) {
	client, server := connPair(t, &Options{CloseTimeout: time.Second}, nil)
	server.WriteRaw(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("hi")))
	serverErr := make(chan error, 1)
	go func() { _, _, err := server.ReadMessage(context.Background()); serverErr <- err }()
	_, _, err := client.ReadMessage(context.Background())
	var v *Violation
	if !errors.As(err, &v) || v.Section != "5.1" || v.Code != CloseProtocolError {
		t.Fatalf("client read: %v, want §5.1 violation with 1002", err)
	}
	if code, ok := CloseStatus(<-serverErr); !ok || code != CloseProtocolError {
		t.Errorf("server read: want close 1002 from the client")
	}
}

// TestCheckHeaderTable judges headers directly, without a connection.
func TestCheckHeaderTable(t *testing.T) {
	server := State{Role: RoleServer}
	cases := []struct {
		name string
		h    Header
		st   State
		want string // section, or "" for no violation
	}{
		{"masked text to server", Header{Fin: true, Opcode: OpText, Masked: true, Length: 5}, server, ""},
		{"RSV1 allowed by extension", Header{Fin: true, Rsv1: true, Opcode: OpText, Masked: true}, State{Role: RoleServer, AllowedRSV: 0x40}, ""},
		{"RSV2 not allowed by RSV1 extension", Header{Fin: true, Rsv2: true, Opcode: OpText, Masked: true}, State{Role: RoleServer, AllowedRSV: 0x40}, "5.2"},
		{"125-byte ping", Header{Fin: true, Opcode: OpPing, Masked: true, Length: 125}, server, ""},
		{"ping between fragments", Header{Fin: true, Opcode: OpPing, Masked: true}, State{Role: RoleServer, InMessage: true}, ""},
		{"continuation in message", Header{Fin: true, Opcode: OpContinuation, Masked: true}, State{Role: RoleServer, InMessage: true}, ""},
		{"unmasked to client", Header{Fin: true, Opcode: OpBinary}, State{Role: RoleClient}, ""},
		{"exactly at the limit", Header{Fin: true, Opcode: OpBinary, Length: 6}, State{Role: RoleClient, MessageLimit: 10, MessageSoFar: 4}, ""},
		{"one past the limit", Header{Fin: true, Opcode: OpBinary, Length: 7}, State{Role: RoleClient, MessageLimit: 10, MessageSoFar: 4}, "10.4"},
		{"2^63-1 claim", Header{Fin: true, Opcode: OpBinary, Length: 1<<63 - 1}, State{Role: RoleClient, MessageLimit: DefaultMessageLimit}, "10.4"},
	}
	for _, tc := range cases {
		v := CheckHeader(tc.h, tc.st)
		got := ""
		if v != nil {
			got = v.Section
		}
		if got != tc.want {
			t.Errorf("%s: violation %v, want section %q", tc.name, v, tc.want)
		}
	}
}

// recordingConn notes the order in which a connection is shut down.
type recordingConn struct {
	*net.TCPConn
	mu    sync.Mutex
	calls []string
}

func (r *recordingConn) note(s string)     { r.mu.Lock(); r.calls = append(r.calls, s); r.mu.Unlock() }
func (r *recordingConn) CloseWrite() error { r.note("CloseWrite"); return r.TCPConn.CloseWrite() }
func (r *recordingConn) Close() error      { r.note("Close"); return r.TCPConn.Close() }

// TestFailingServerHalfClosesFirst: a server that fails a connection sends
// its close frame, then half-closes and drains before closing. Closing at
// once while the client's bytes sit unread would answer them with a TCP
// reset, which on a real network can destroy the close frame in flight
// (on loopback it arrives too fast to be lost, hence this check of the
// mechanism rather than of a lost frame).
func TestFailingServerHalfClosesFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingConn{TCPConn: sc.(*net.TCPConn)}
	server := NewConn(rec, RoleServer, nil, &Options{CloseTimeout: 2 * time.Second})
	client := NewConn(cc, RoleClient, nil, &Options{CloseTimeout: 2 * time.Second})
	defer client.CloseNow()
	// The bad frame, then more frames the server will never read.
	client.WriteRaw(clientFrame(Header{Fin: true, Opcode: 0x3}, nil))
	client.WriteRaw(clientFrame(Header{Fin: true, Opcode: OpBinary}, make([]byte, 64<<10)))
	serverErr := make(chan error, 1)
	go func() { _, _, err := server.ReadMessage(context.Background()); serverErr <- err }()
	_, _, err = client.ReadMessage(context.Background())
	if code, ok := CloseStatus(err); !ok || code != CloseProtocolError {
		t.Fatalf("client read %v, want close 1002", err)
	}
	<-serverErr
	<-server.Done()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.calls) < 2 || rec.calls[0] != "CloseWrite" || rec.calls[len(rec.calls)-1] != "Close" {
		t.Errorf("shutdown sequence %v, want CloseWrite then Close", rec.calls)
	}
}

// TestClosedEventSaysWhatWasSent: after failing a connection, the
// server's ClosedEvent carries the code it sent, beside the 1006 it saw.
func TestClosedEventSaysWhatWasSent(t *testing.T) {
	events := make(chan *ClosedEvent, 1)
	obs := func(e Event) {
		if ce, ok := e.(*ClosedEvent); ok {
			events <- ce
		}
	}
	client, server := connPair(t, nil, &Options{Observer: obs})
	client.WriteRaw(clientFrame(Header{Fin: true, Opcode: OpText}, []byte{0xff}))
	go client.ReadMessage(context.Background())
	server.ReadMessage(context.Background())
	ce := <-events
	if ce.SentCode != CloseInvalidPayload || ce.Code != CloseAbnormalClosure || !ce.ClosedTCPFirst {
		t.Errorf("closed event %+v, want sent 1007, received none (1006), server first", ce)
	}
}
