package echoserver

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadMessage(t *testing.T) {
	var buf []byte
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 70000, 1 << 20, 16} {
		msg := bytes.Repeat([]byte{byte(n), 1, 2}, n/3+1)[:n]
		// OneByteReader makes every size boundary a separate Read.
		got, err := ReadMessage(iotest.OneByteReader(bytes.NewReader(msg)), buf)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: read back differs", n)
		}
		if n > 0 && cap(got) > 2*max(n, 512) && cap(got) > cap(buf) {
			t.Errorf("%d bytes: buffer grew to %d", n, cap(got))
		}
		buf = got
	}
	if cap(buf) != 1<<20 {
		t.Errorf("after a 1 MiB message the buffer holds %d bytes, want exactly 1 MiB (no doubling for the final EOF)", cap(buf))
	}
}

func TestReadMessageTooLong(t *testing.T) {
	_, err := ReadMessage(bytes.NewReader(make([]byte, MaxMessage+1)), nil)
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("ReadMessage of %d bytes: %v, want too long", MaxMessage+1, err)
	}
	if _, err := ReadMessage(bytes.NewReader(make([]byte, MaxMessage)), nil); err != nil {
		t.Fatalf("ReadMessage of exactly MaxMessage: %v", err)
	}
}

func TestReadMessageError(t *testing.T) {
	if _, err := ReadMessage(iotest.TimeoutReader(bytes.NewReader(make([]byte, 600))), nil); err != iotest.ErrTimeout {
		t.Fatalf("ReadMessage: %v, want the reader's error", err)
	}
}
