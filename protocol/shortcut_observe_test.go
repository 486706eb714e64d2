package protocol

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"testing"
	"time"
)

// FuzzBufferedShortcutObserved: an observer that asked for headers only
// (ObserveHeadersOnly), which no longer turns NextReader's shortest way
// off, is told of every frame exactly what the general path tells an
// observer of payloads (which takes the general path), payloads aside:
// the same frames in the same order, with the same headers, raw header
// bytes and violations. Messages, the final error and the bytes sent back
// agree as well.
func FuzzBufferedShortcutObserved(f *testing.F) {
	f.Add(bytes.Repeat(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("Hello")), 3), uint16(1000))
	f.Add(clientFrame(Header{Fin: true, Opcode: OpText}, []byte("\xed\xa0\x80")), uint16(1000))
	f.Add(append(clientFrame(Header{Fin: true, Opcode: OpBinary}, []byte("b")), clientFrame(Header{Fin: true, Opcode: OpPing}, []byte("p"))...), uint16(1000))
	f.Add(append(clientFrame(Header{Fin: true, Opcode: OpBinary}, nil), clientFrame(Header{Opcode: OpText}, []byte("frag"))...), uint16(40))
	f.Fuzz(func(t *testing.T, wire []byte, limit uint16) {
		type result struct {
			msgs   []string
			err    string
			sent   []byte
			frames []string
		}
		var res [2]result
		for i, headersOnly := range []bool{true, false} {
			sc := &scriptConn{in: bytes.NewReader(wire)}
			i := i
			opts := &Options{MessageLimit: int64(limit) + 1, CloseTimeout: time.Millisecond, ObserveHeadersOnly: headersOnly,
				Observer: func(e Event) {
					if fe, ok := e.(*FrameEvent); ok && fe.Dir == Received {
						res[i].frames = append(res[i].frames, fmt.Sprintf("%+v %x %v", fe.Header, fe.RawHeader, fe.Violation))
					}
				}}
			c := NewConn(sc, RoleServer, nil, opts)
			for range 50 {
				typ, r, err := c.NextReader(context.Background())
				if err != nil {
					res[i].err = err.Error()
					break
				}
				msg, err := io.ReadAll(r)
				res[i].msgs = append(res[i].msgs, fmt.Sprintf("%v %x %v", typ, msg, err))
				if err != nil {
					break
				}
			}
			c.CloseNow()
			res[i].sent = bytes.Join(sc.writes, nil)
		}
		if !reflect.DeepEqual(res[0], res[1]) {
			t.Fatalf("headers only (the shortcut): %+v\npayloads too (the general path): %+v", res[0], res[1])
		}
	})
}
