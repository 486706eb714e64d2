package capture

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestStoreRecordsARealConnection runs a real client and server over
// loopback, feeds the server's observer to a store, and checks the
// connection's summary and entries against what the client did.
func TestStoreRecordsARealConnection(t *testing.T) {
	st := NewStore(Limits{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srvDone := make(chan struct{})
	go func() {
		defer close(srvDone)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		rec := st.Open(nc.RemoteAddr().String(), "test", protocol.RoleServer)
		c, err := protocol.AcceptConn(context.Background(), nc, &protocol.AcceptOptions{
			Options:      protocol.Options{Observer: rec.Observe, CloseTimeout: 2 * time.Second},
			Subprotocols: []string{"chat"}, CheckOrigin: protocol.AcceptAnyOrigin,
		})
		if err != nil {
			nc.Close()
			return
		}
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			c.WriteMessage(context.Background(), typ, msg)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl, err := protocol.Dial(ctx, "ws://"+ln.Addr().String()+"/room?x=1", &protocol.DialOptions{
		Subprotocols: []string{"v2", "chat"}, Origin: "http://example.test",
		Header: http.Header{"Sec-Websocket-Extensions": {"x-test"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.WriteMessage(ctx, protocol.TextMessage, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := cl.ReadMessage(ctx); err != nil || string(msg) != "hello" {
		t.Fatalf("echo: %q, %v", msg, err)
	}
	if err := cl.Close(3000, "bye"); err != nil {
		t.Fatalf("close: %v", err)
	}
	<-srvDone
	// The server's observer reports the end of TCP just after its last
	// read returns; wait for it, boundedly.
	var c Conn
	for i := 0; i < 1000; i++ {
		c = st.Conns()[0]
		if c.State == StateClosed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := Conn{Path: c.Path, Origin: c.Origin, OfferedProtocols: c.OfferedProtocols, OfferedExtensions: c.OfferedExtensions,
		Subprotocol: c.Subprotocol, Status: c.Status, State: c.State, Frames: c.Frames, Close: c.Close, TCPFirst: c.TCPFirst}
	want := Conn{Path: "/room?x=1", Origin: "http://example.test", OfferedProtocols: "v2, chat", OfferedExtensions: "x-test",
		Subprotocol: "chat", Status: 101, State: StateClosed, Frames: [2]int{2, 2},
		Close:    [2]CloseFrame{{Seen: true, Code: 3000, Reason: "bye"}, {Seen: true, Code: 3000}},
		TCPFirst: protocol.RoleServer}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Conn{})); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	// "hello" is 6 bytes of header (2 + 4 key) and 5 of payload; the
	// close frame 6 + 5; the server's frames are unmasked: 2+5, and its
	// close echoes the code alone (§5.5.1), 2+2.
	if want := [2]int64{11 + 11, 7 + 4}; c.Bytes != want {
		t.Errorf("bytes each way = %v, want %v", c.Bytes, want)
	}
	es := st.Window(c.ID, 0, 100)
	var kinds []string
	for _, e := range es {
		s := e.Dir.Arrow()
		switch e.Kind {
		case KindHandshake:
			s += "handshake"
		case KindFrame:
			s += e.Header.Opcode.String()
		case KindClosed:
			s += "closed"
		}
		kinds = append(kinds, s)
	}
	wantKinds := []string{"→handshake", "←handshake", "→text", "←text", "→close", "←close", "←closed"}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if n, _ := st.Len(0); n != len(es) {
		t.Errorf("timeline of all has %d entries, the connection %d", n, len(es))
	}
}

// TestStoreBoundsMemory checks that each ring keeps its limit, newest
// last, and that payloads are cut while counts stay whole.
func TestStoreBoundsMemory(t *testing.T) {
	st := NewStore(Limits{PerConn: 10, All: 15, Payload: 8, Conns: 2})
	a := st.Open("a", "test", protocol.RoleServer)
	b := st.Open("b", "test", protocol.RoleServer)
	payload := make([]byte, 100)
	wire := append([]byte{0x82, 100}, payload...)
	for i := 0; i < 25; i++ {
		a.Add(Entry{Kind: KindFrame, Dir: ServerToClient, Header: protocol.Header{Fin: true, Opcode: protocol.OpBinary, Length: 100},
			Wire: wire, Unmasked: payload, Tag: i})
	}
	b.Note("b's only entry")
	if kept, dropped := st.Len(a.ID()); kept != 10 || dropped != 15 {
		t.Errorf("connection a keeps %d, dropped %d; want 10, 15", kept, dropped)
	}
	if kept, dropped := st.Len(0); kept != 15 || dropped != 11 {
		t.Errorf("all keeps %d, dropped %d; want 15, 11", kept, dropped)
	}
	w := st.Window(a.ID(), 0, 100)
	if len(w) != 10 || w[0].Tag != 15 || w[9].Tag != 24 {
		t.Fatalf("window of a: %d entries, tags %d..%d; want 10, 15..24", len(w), w[0].Tag, w[len(w)-1].Tag)
	}
	if len(w[0].Wire) != 2+8 || len(w[0].Unmasked) != 8 {
		t.Errorf("kept %d wire bytes and %d payload bytes; want the 2-byte header and 8, and 8", len(w[0].Wire), len(w[0].Unmasked))
	}
	if c := st.Conns()[0]; c.Frames[1] != 25 || c.Bytes[1] != 25*102 {
		t.Errorf("a's counts: %d frames, %d bytes; want 25, %d", c.Frames[1], c.Bytes[1], 25*102)
	}
	if w := st.Window(0, 14, 5); len(w) != 1 || w[0].Note != "b's only entry" {
		t.Errorf("last of all: %+v", w)
	}
	// A third connection over the limit of 2: none is closed, so none is
	// dropped; once a is closed, it goes first.
	st.Open("c", "test", protocol.RoleServer)
	if n := len(st.Conns()); n != 3 {
		t.Errorf("%d connections kept; live ones are never dropped", n)
	}
	a.Add(Entry{Kind: KindClosed, Dir: ServerToClient, Closed: &protocol.ClosedEvent{Time: time.Now(), ClosedTCPFirst: true}})
	st.Open("d", "test", protocol.RoleServer)
	var peers []string
	for _, c := range st.Conns() {
		peers = append(peers, c.Peer)
	}
	if diff := cmp.Diff([]string{"b", "c", "d"}, peers); diff != "" {
		t.Errorf("connections kept (-want +got):\n%s", diff)
	}
}

// TestStoreBoundsPayloadBytes: past the byte budget the oldest entries
// lose their payload and keep their header, and a cut payload does not
// keep the whole frame in memory.
func TestStoreBoundsPayloadBytes(t *testing.T) {
	st := NewStore(Limits{Payload: 100, Bytes: 1000})
	rec := st.Open("a", "test", protocol.RoleServer)
	big := make([]byte, 1<<20)
	h := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Length: uint64(len(big))}
	for i := 0; i < 50; i++ {
		rec.Add(Entry{Kind: KindFrame, Dir: ServerToClient, Header: h, Wire: append(protocol.AppendHeader(nil, h), big...), Unmasked: big})
	}
	w := st.Window(rec.ID(), 0, 50)
	kept := 0
	for i, e := range w {
		if cap(e.Wire) > 256 || cap(e.Unmasked) > 256 { // a size class above the 100 bytes kept, not the 1 MiB frame
			t.Fatalf("entry %d holds %d and %d bytes of capacity", i, cap(e.Wire), cap(e.Unmasked))
		}
		if len(e.Wire) < 10 || e.WireLen() != 10+1<<20 {
			t.Fatalf("entry %d lost its header: % x", i, e.Wire)
		}
		if len(e.Unmasked) > 0 {
			kept++
			if i < 45 {
				t.Errorf("entry %d of 50 kept its payload; only the newest should", i)
			}
		}
	}
	// 1000 bytes hold 5 entries of 100 + 100 bytes (wire and unmasked).
	if kept != 5 {
		t.Errorf("%d entries kept a payload, want 5", kept)
	}
}

// TestStoreRecordsInflatedMessages: on a connection that agreed to
// permessage-deflate, each compressed message is recorded after its
// frames, inflated.
func TestStoreRecordsInflatedMessages(t *testing.T) {
	st := NewStore(Limits{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		rec := st.Open(nc.RemoteAddr().String(), "test", protocol.RoleServer)
		c, err := protocol.AcceptConn(context.Background(), nc, &protocol.AcceptOptions{
			Options: protocol.Options{Observer: rec.Observe}, Compression: &protocol.CompressionOptions{}})
		if err != nil {
			nc.Close()
			return
		}
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				return
			}
			c.WriteMessage(context.Background(), typ, msg)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl, err := protocol.Dial(ctx, "ws://"+ln.Addr().String()+"/", &protocol.DialOptions{Compression: &protocol.CompressionOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	msg := strings.Repeat("Hello, compression! ", 20)
	cl.WriteMessage(ctx, protocol.TextMessage, []byte(msg))
	cl.ReadMessage(ctx)
	cl.Close(protocol.CloseNormal, "")
	<-done
	var got []string
	for _, e := range st.Window(1, 0, 100) {
		if e.Kind == KindMessage {
			if string(e.Unmasked) != msg || e.Header.Length != uint64(len(msg)) || e.WireSize <= 0 || e.WireSize >= int64(len(msg)) {
				t.Errorf("message %s: %d inflated bytes (%q...), %d on the wire", e.Dir.Arrow(), len(e.Unmasked), e.Unmasked[:min(10, len(e.Unmasked))], e.WireSize)
			}
			got = append(got, e.Dir.Arrow())
		}
	}
	if strings.Join(got, " ") != "→ ←" {
		t.Errorf("inflated messages recorded: %q, want one each way", got)
	}
	if c := st.Conns()[0]; !strings.Contains(c.Extensions, "permessage-deflate") {
		t.Errorf("agreed extensions %q", c.Extensions)
	}
}
