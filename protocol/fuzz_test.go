package protocol

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeHeader: decoding never panics, and what decodes re-encodes to
// the same bytes (the header keeps the length form it was sent in).
func FuzzDecodeHeader(f *testing.F) {
	for _, ex := range rfcExamples {
		f.Add(unhex(f, ex.wire))
	}
	f.Add([]byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x01, 0xfe, 0x00, 0x05, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := DecodeHeader(b)
		if err != nil {
			if !errors.Is(err, ErrShortHeader) || n <= len(b) {
				t.Fatalf("err %v with need %d for %d bytes", err, n, len(b))
			}
			return
		}
		if n != h.Size() {
			t.Fatalf("size %d, Size() %d", n, h.Size())
		}
		if re := AppendHeader(nil, h); !bytes.Equal(re, b[:n]) {
			t.Fatalf("re-encoded % x, want % x", re, b[:n])
		}
		CheckHeader(h, State{Role: RoleServer, MessageLimit: 1 << 20})
	})
}

// FuzzUTF8Validator: the incremental validator agrees with unicode/utf8
// whatever the split.
func FuzzUTF8Validator(f *testing.F) {
	for _, tc := range utf8Cases {
		f.Add([]byte(tc.text), uint8(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, split uint8) {
		s := int(split) % (len(b) + 1)
		var v UTF8Validator
		ok := v.Write(b[:s]) < 0 && v.Write(b[s:]) < 0 && v.Complete()
		if ok != utf8.Valid(b) {
			t.Fatalf("% x split %d: validator %v", b, s, ok)
		}
	})
}

// FuzzServerRead feeds arbitrary bytes to a server connection as if a
// client had sent them. Whatever arrives, reading must end with a message,
// a close, a violation or an I/O error: never a panic or a hang.
func FuzzServerRead(f *testing.F) {
	f.Add(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("Hello")))
	f.Add(append(clientFrame(Header{Opcode: OpText}, []byte("He")), clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("x"))...))
	f.Add(clientFrame(Header{Fin: true, Opcode: OpClose}, []byte{0x03, 0xe8, 'o', 'k'}))
	f.Add([]byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, wire []byte) {
		cconn, sconn := net.Pipe()
		server := NewConn(sconn, RoleServer, nil, &Options{MessageLimit: 1 << 16, CloseTimeout: 50 * time.Millisecond})
		go func() {
			cconn.Write(wire)
			cconn.Close()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for i := 0; i < 100; i++ {
			if _, _, err := server.ReadMessage(ctx); err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					t.Fatal("read hung")
				}
				break
			}
		}
		server.CloseNow()
	})
}
