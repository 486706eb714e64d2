package protocol

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"testing/iotest"
)

// bits turns a string of 0s and 1s into bytes, ignoring spaces and '|', so
// that a test can write a header the way §5.2 draws it.
func bits(s string) []byte {
	s = strings.NewReplacer(" ", "", "|", "").Replace(s)
	out := make([]byte, len(s)/8)
	for i, c := range s {
		if c == '1' {
			out[i/8] |= 0x80 >> (i % 8)
		}
	}
	return out
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rfcExamples are the frames of RFC 6455 §5.7, byte for byte.
var rfcExamples = []struct {
	name    string
	wire    string // hex
	header  Header
	payload string // unmasked
}{
	{"single-frame unmasked text", "81 05 48 65 6c 6c 6f",
		Header{Fin: true, Opcode: OpText, Length: 5, LengthForm: Length7Bit}, "Hello"},
	{"single-frame masked text", "81 85 37 fa 21 3d 7f 9f 4d 51 58",
		Header{Fin: true, Opcode: OpText, Masked: true, Length: 5, LengthForm: Length7Bit, MaskKey: [4]byte{0x37, 0xfa, 0x21, 0x3d}}, "Hello"},
	{"fragmented unmasked text, first", "01 03 48 65 6c",
		Header{Fin: false, Opcode: OpText, Length: 3, LengthForm: Length7Bit}, "Hel"},
	{"fragmented unmasked text, last", "80 02 6c 6f",
		Header{Fin: true, Opcode: OpContinuation, Length: 2, LengthForm: Length7Bit}, "lo"},
	{"unmasked ping", "89 05 48 65 6c 6c 6f",
		Header{Fin: true, Opcode: OpPing, Length: 5, LengthForm: Length7Bit}, "Hello"},
	{"masked pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58",
		Header{Fin: true, Opcode: OpPong, Masked: true, Length: 5, LengthForm: Length7Bit, MaskKey: [4]byte{0x37, 0xfa, 0x21, 0x3d}}, "Hello"},
}

func TestRFCExamples(t *testing.T) {
	for _, ex := range rfcExamples {
		t.Run(ex.name, func(t *testing.T) {
			wire := unhex(t, ex.wire)
			h, n, err := DecodeHeader(wire)
			if err != nil {
				t.Fatal(err)
			}
			if h != ex.header {
				t.Errorf("decoded %+v, want %+v", h, ex.header)
			}
			payload := bytes.Clone(wire[n:])
			if h.Masked {
				Mask(h.MaskKey, 0, payload)
			}
			if string(payload) != ex.payload {
				t.Errorf("payload %q, want %q", payload, ex.payload)
			}
			// Encode back: header from the struct, payload masked with its key.
			enc := AppendHeader(nil, ex.header)
			body := []byte(ex.payload)
			if ex.header.Masked {
				Mask(ex.header.MaskKey, 0, body)
			}
			if got := append(enc, body...); !bytes.Equal(got, wire) {
				t.Errorf("encoded % x, want % x", got, wire)
			}
		})
	}
}

// TestRFCExampleLongLengths covers the last two examples of §5.7: 256 bytes
// with a 16-bit length and 64 KiB with a 64-bit length.
func TestRFCExampleLongLengths(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		wire string
	}{
		{256, "82 7e 01 00"},
		{65536, "82 7f 00 00 00 00 00 01 00 00"},
	} {
		want := unhex(t, tc.wire)
		got := AppendHeader(nil, Header{Fin: true, Opcode: OpBinary, Length: tc.n})
		if !bytes.Equal(got, want) {
			t.Errorf("header for %d bytes: % x, want % x", tc.n, got, want)
		}
		h, n, err := DecodeHeader(want)
		if err != nil || n != len(want) || h.Length != tc.n || h.Opcode != OpBinary || !h.Fin {
			t.Errorf("decode % x: %+v n=%d err=%v", want, h, n, err)
		}
	}
}

// TestHeaderBits writes headers the way the RFC's figure draws them.
func TestHeaderBits(t *testing.T) {
	//              F R R R opcode  M length
	wire := bits("1 0 0 0 0001 | 1 0000101 | 00110111 11111010 00100001 00111101")
	h, n, err := DecodeHeader(wire)
	if err != nil || n != 6 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	want := Header{Fin: true, Opcode: OpText, Masked: true, Length: 5, LengthForm: Length7Bit, MaskKey: [4]byte{0x37, 0xfa, 0x21, 0x3d}}
	if h != want {
		t.Errorf("got %+v, want %+v", h, want)
	}
	//          F R R R opcode  M length
	wire = bits("0 1 1 1 1011 | 0 1111111 | 10000000 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1")
	h, _, err = DecodeHeader(wire)
	if err != nil {
		t.Fatal(err)
	}
	if h.Fin || !h.Rsv1 || !h.Rsv2 || !h.Rsv3 || h.Opcode != 0xB || h.Length != 1<<63|1 || h.LengthForm != Length64Bit {
		t.Errorf("got %+v", h)
	}
}

// TestLengthBoundaries round-trips the lengths where the encoding changes.
func TestLengthBoundaries(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		form LengthForm
		size int
	}{
		{0, Length7Bit, 2}, {1, Length7Bit, 2}, {124, Length7Bit, 2}, {125, Length7Bit, 2},
		{126, Length16Bit, 4}, {127, Length16Bit, 4}, {65534, Length16Bit, 4}, {65535, Length16Bit, 4},
		{65536, Length64Bit, 10}, {65537, Length64Bit, 10}, {1<<63 - 1, Length64Bit, 10},
	} {
		for _, masked := range []bool{false, true} {
			h := Header{Fin: true, Opcode: OpBinary, Length: tc.n, Masked: masked}
			if masked {
				h.MaskKey = [4]byte{1, 2, 3, 4}
			}
			wire := AppendHeader(nil, h)
			want := tc.size
			if masked {
				want += 4
			}
			if len(wire) != want || h.Size() != want {
				t.Errorf("length %d masked=%v: %d bytes (Size %d), want %d", tc.n, masked, len(wire), h.Size(), want)
			}
			got, n, err := DecodeHeader(wire)
			h.LengthForm = tc.form
			if err != nil || n != want || got != h {
				t.Errorf("length %d masked=%v: decoded %+v n=%d err=%v", tc.n, masked, got, n, err)
			}
			if v := CheckHeader(got, State{Role: RoleClient, MessageLimit: -1}); masked == false && v != nil {
				t.Errorf("length %d: minimal encoding refused: %v", tc.n, v)
			}
		}
	}
}

func TestDecodeHeaderShort(t *testing.T) {
	full := unhex(t, "82 ff 00 00 00 00 00 01 00 00 01 02 03 04")
	for i := 0; i < len(full); i++ {
		_, need, err := DecodeHeader(full[:i])
		if !errors.Is(err, ErrShortHeader) {
			t.Fatalf("%d bytes: err %v, want ErrShortHeader", i, err)
		}
		wantNeed := 2
		if i >= 2 {
			wantNeed = 14
		}
		if need != wantNeed {
			t.Errorf("%d bytes: need %d, want %d", i, need, wantNeed)
		}
	}
}

// TestReadHeaderOneByteAtATime: TCP may deliver a header a byte at a time.
func TestReadHeaderOneByteAtATime(t *testing.T) {
	wire := unhex(t, "81 fe 01 00 37 fa 21 3d")
	h, err := ReadHeader(iotest.OneByteReader(bytes.NewReader(wire)))
	if err != nil || h.Length != 256 || !h.Masked || h.MaskKey != [4]byte{0x37, 0xfa, 0x21, 0x3d} {
		t.Fatalf("got %+v, %v", h, err)
	}
	if _, err := ReadHeader(bytes.NewReader(wire[:5])); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated header: err %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := ReadHeader(bytes.NewReader(nil)); err != io.EOF {
		t.Errorf("empty stream: err %v, want io.EOF", err)
	}
}

// TestHeaderRoundTripRandom encodes and decodes many random headers.
func TestHeaderRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		h := Header{
			Fin: r.IntN(2) == 1, Rsv1: r.IntN(2) == 1, Rsv2: r.IntN(2) == 1, Rsv3: r.IntN(2) == 1,
			Opcode: Opcode(r.IntN(16)), Masked: r.IntN(2) == 1,
		}
		switch r.IntN(3) {
		case 0:
			h.Length = uint64(r.IntN(126))
		case 1:
			h.Length = uint64(126 + r.IntN(65536-126))
		default:
			h.Length = r.Uint64() >> 1
		}
		if h.Masked {
			h.MaskKey = [4]byte{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())}
		}
		wire := AppendHeader(nil, h)
		got, n, err := DecodeHeader(wire)
		h.LengthForm = MinimalLengthForm(h.Length)
		if err != nil || n != len(wire) || got != h {
			t.Fatalf("round trip of %+v: got %+v n=%d err=%v", h, got, n, err)
		}
	}
}

func TestOpcodeClasses(t *testing.T) {
	for op := Opcode(0); op < 16; op++ {
		reserved := !(op <= 2 || (op >= 8 && op <= 10))
		if op.IsReserved() != reserved {
			t.Errorf("%#x IsReserved = %v", uint8(op), op.IsReserved())
		}
		if op.IsControl() != (op >= 8) || op.IsData() == op.IsControl() {
			t.Errorf("%#x IsControl = %v IsData = %v", uint8(op), op.IsControl(), op.IsData())
		}
	}
}

// TestReadHeaderBuffered: from a bufio.Reader, ReadHeader gives the same
// results and the same errors, without allocating.
func TestReadHeaderBuffered(t *testing.T) {
	wire := unhex(t, "81 fe 01 00 37 fa 21 3d")
	h, err := ReadHeader(bufio.NewReader(iotest.OneByteReader(bytes.NewReader(wire))))
	if err != nil || h.Length != 256 || h.MaskKey != [4]byte{0x37, 0xfa, 0x21, 0x3d} {
		t.Fatalf("got %+v, %v", h, err)
	}
	if _, err := ReadHeader(bufio.NewReader(bytes.NewReader(wire[:5]))); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated header: %v", err)
	}
	if _, err := ReadHeader(bufio.NewReader(bytes.NewReader(wire[:1]))); err != io.ErrUnexpectedEOF {
		t.Errorf("one byte: %v", err)
	}
	if _, err := ReadHeader(bufio.NewReader(bytes.NewReader(nil))); err != io.EOF {
		t.Errorf("empty: %v", err)
	}
	br := bufio.NewReader(&loopReader{data: wire})
	if n := testing.AllocsPerRun(100, func() { ReadHeader(br) }); n != 0 {
		t.Errorf("ReadHeader from a bufio.Reader allocates %v times", n)
	}
}
