package protocol

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// inflateStd inflates one permessage-deflate payload with compress/flate,
// given the window of earlier messages: the reference the tests compare
// with. It appends the 00 00 ff ff that RFC 7692 §7.2.2 restores and a
// final empty block so that the reader ends.
func inflateStd(t testing.TB, window, payload []byte) []byte {
	t.Helper()
	in := append(append(append([]byte(nil), payload...), 0, 0, 0xff, 0xff), 1, 0, 0, 0xff, 0xff)
	if len(payload) == 0 {
		return []byte{}
	}
	out, err := io.ReadAll(flate.NewReaderDict(bytes.NewReader(in), window))
	if err != nil {
		t.Fatalf("compress/flate cannot inflate % x: %v", payload, err)
	}
	return out
}

// TestDeflateRFC7692Examples: RFC 7692 §7.2.3.1 gives "Hello" compressed
// as f2 48 cd c9 c9 07 00, and §7.2.3.2 the same message sent again on a
// connection with context takeover as f2 00 11 00 00. Our compressor
// writes the first exactly. For the second, the RFC's bytes (from zlib)
// are the literal "H" and a back-reference (4, 5) to "ello"; ours are one
// back-reference (5, 5) to the whole first "Hello", 02 13 00 00, one byte
// shorter. Both are valid DEFLATE for the same text, and both inflate
// (see the connection tests, which receive the RFC's bytes).
func TestDeflateRFC7692Examples(t *testing.T) {
	d := newDeflater(15)
	d.write([]byte("Hello"))
	if got := d.finish(); !bytes.Equal(got, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}) {
		t.Fatalf("first Hello: % x", got)
	}
	d.write([]byte("Hello"))
	second := append([]byte(nil), d.finish()...)
	if !bytes.Equal(second, []byte{0x02, 0x13, 0x00, 0x00}) {
		t.Fatalf("second Hello: % x", second)
	}
	for _, payload := range [][]byte{second, {0xf2, 0x00, 0x11, 0x00, 0x00}} {
		dec, err := DecodeDeflate([]byte("Hello"), payload, 0)
		if err != nil {
			t.Fatal(err)
		}
		if string(dec.Inflated) != "Hello" || string(inflateStd(t, []byte("Hello"), payload)) != "Hello" {
			t.Fatalf("% x inflates to %q", payload, dec.Inflated)
		}
		last := dec.Tokens[len(dec.Tokens)-1]
		if last.Kind != TokenMatch || last.Distance != 5 || last.Offset+last.Length != 5 {
			t.Fatalf("% x: tokens %+v; expected to end with a back-reference 5 bytes back", payload, dec.Tokens)
		}
	}
	// Without context takeover the second message is compressed alone.
	d.reset()
	d.write([]byte("Hello"))
	if got := d.finish(); !bytes.Equal(got, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}) {
		t.Fatalf("Hello after reset: % x", got)
	}
	// The empty message is the empty stored block alone: 00.
	d.write(nil)
	if got := d.finish(); !bytes.Equal(got, []byte{0x00}) {
		t.Fatalf("empty message: % x", got)
	}
}

// testMessages are messages of many shapes: empty, tiny, text that
// repeats within and across messages, runs, random bytes, and sizes
// around the block and window boundaries.
func testMessages() [][]byte {
	rng := rand.New(rand.NewSource(7))
	random := func(n int) []byte { b := make([]byte, n); rng.Read(b); return b }
	text := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 40))
	var msgs [][]byte
	msgs = append(msgs, nil, []byte("a"), []byte("ab"), []byte("abc"), []byte("Hello"), []byte("Hello"))
	msgs = append(msgs, text[:300], text, bytes.Repeat([]byte{'x'}, 1000), random(100), random(70000))
	msgs = append(msgs, bytes.Repeat([]byte("0123456789"), 7000))
	// Text made of words drawn at random: matches at every distance.
	words := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu")
	var b strings.Builder
	for b.Len() < 100000 {
		b.WriteString(words[rng.Intn(len(words))])
		b.WriteByte(' ')
		if rng.Intn(50) == 0 {
			b.Write(random(3))
		}
	}
	msgs = append(msgs, []byte(b.String()), []byte(b.String()[:40000]))
	for _, n := range []int{255, 256, 257, 1023, 1024, 1025, 32767, 32768, 32769} {
		msgs = append(msgs, []byte(b.String()[1000:1000+n]))
	}
	return msgs
}

// TestDeflateWindowAndRoundTrip compresses every test message with every
// window size, with and without context takeover, and checks that:
// compress/flate inflates it back; the token decoder agrees with
// compress/flate byte for byte; and no back-reference reaches further than
// the window (the token decoder reports every distance, computed from
// the real bits).
func TestDeflateWindowAndRoundTrip(t *testing.T) {
	msgs := testMessages()
	for bits := MinWindowBits; bits <= MaxWindowBits; bits++ {
		for _, takeover := range []bool{true, false} {
			t.Run(fmt.Sprintf("bits=%d/takeover=%v", bits, takeover), func(t *testing.T) {
				d := newDeflater(bits)
				var window []byte // what the receiver keeps
				for i, m := range msgs {
					if !takeover {
						d.reset()
						window = nil
					}
					d.write(m)
					payload := append([]byte(nil), d.finish()...)
					got := inflateStd(t, window, payload)
					if !bytes.Equal(got, m) {
						t.Fatalf("message %d (%d bytes) inflates to %d different bytes", i, len(m), len(got))
					}
					dec, err := DecodeDeflate(window, payload, 0)
					if err != nil {
						t.Fatalf("message %d: token decoder: %v", i, err)
					}
					if !bytes.Equal(dec.Inflated, got) {
						t.Fatalf("message %d: token decoder and compress/flate disagree", i)
					}
					if dec.MaxDistance > 1<<bits {
						t.Fatalf("message %d: back-reference %d bytes back, window is %d", i, dec.MaxDistance, 1<<bits)
					}
					window = append(window, m...)
					if len(window) > 1<<bits {
						window = window[len(window)-1<<bits:]
					}
				}
			})
		}
	}
}

// TestDeflateStreamingParts: a message written in parts inflates to the
// same bytes as one written whole.
func TestDeflateStreamingParts(t *testing.T) {
	msg := testMessages()[13]
	d := newDeflater(12)
	var payload []byte
	for rest := msg; len(rest) > 0; {
		n := min(len(rest), 1+len(rest)%7777)
		d.write(rest[:n])
		payload = append(payload, d.take()...)
		rest = rest[n:]
	}
	payload = append(payload, d.finish()...)
	if got := inflateStd(t, nil, payload); !bytes.Equal(got, msg) {
		t.Fatal("a message written in parts does not inflate to itself")
	}
	dec, err := DecodeDeflate(nil, payload, 0)
	if err != nil || dec.MaxDistance > 1<<12 {
		t.Fatalf("%v, max distance %d", err, dec.MaxDistance)
	}
}

// TestDeflateWindowDecoderCatchesViolations makes sure the window check
// above can fail: a payload from compress/flate, whose window is 32 KiB,
// has back-references further than 1 KiB.
func TestDeflateWindowDecoderCatchesViolations(t *testing.T) {
	msg := testMessages()[13]
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(msg)
	fw.Flush()
	payload := bytes.TrimSuffix(buf.Bytes(), []byte{0, 0, 0xff, 0xff})
	dec, err := DecodeDeflate(nil, payload, 0)
	if err != nil {
		t.Fatal(err)
	}
	if dec.MaxDistance <= 1<<10 {
		t.Fatalf("max distance %d: the check would not notice a window of 1 KiB being exceeded", dec.MaxDistance)
	}
}

// TestDecodeDeflateMatchesFlate runs the token decoder on what
// compress/flate writes at every level (dynamic Huffman blocks, stored
// blocks, Huffman-only), with and without a dictionary.
func TestDecodeDeflateMatchesFlate(t *testing.T) {
	msgs := testMessages()
	for level := flate.HuffmanOnly; level <= flate.BestCompression; level++ {
		var window []byte
		for i, m := range msgs {
			var buf bytes.Buffer
			fw, _ := flate.NewWriterDict(&buf, level, window)
			fw.Write(m)
			fw.Flush()
			payload := bytes.TrimSuffix(buf.Bytes(), []byte{0, 0, 0xff, 0xff})
			want := inflateStd(t, window, payload)
			dec, err := DecodeDeflate(window, payload, 0)
			if err != nil {
				t.Fatalf("level %d message %d: %v", level, i, err)
			}
			if !bytes.Equal(dec.Inflated, want) || !bytes.Equal(want, m) {
				t.Fatalf("level %d message %d: decoders disagree", level, i)
			}
			// The tokens tile the message exactly.
			off := 0
			for _, tok := range dec.Tokens {
				if tok.Offset != off {
					t.Fatalf("level %d message %d: token at %d, expected %d", level, i, tok.Offset, off)
				}
				off += tok.Length
			}
			if off != len(m) {
				t.Fatalf("level %d message %d: tokens cover %d of %d bytes", level, i, off, len(m))
			}
			window = append(window, m...)
			if len(window) > 32768 {
				window = window[len(window)-32768:]
			}
		}
	}
}

func TestDecodeDeflateRefusesCorruptAndBombs(t *testing.T) {
	bomb := newDeflater(15)
	bomb.write(make([]byte, 1<<20))
	payload := append([]byte(nil), bomb.finish()...)
	if _, err := DecodeDeflate(nil, payload, 1000); err != ErrDeflateTooLong {
		t.Fatalf("a %d-byte bomb with a limit of 1000: %v", len(payload), err)
	}
	for _, bad := range [][]byte{
		{0x07},                   // BTYPE 11, reserved
		{0x01, 0x05, 0x00, 0x00}, // stored block whose NLEN is wrong
		{0xf2, 0x48},             // cut off in the middle of a block
		{0x02, 0x08, 0x20},       // a back-reference before the start
	} {
		if _, err := DecodeDeflate(nil, bad, 0); err == nil {
			t.Errorf("% x decoded without error", bad)
		}
	}
}

func FuzzDecodeDeflate(f *testing.F) {
	f.Add([]byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00})
	f.Add([]byte{0xf2, 0x00, 0x11, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, payload []byte) {
		dec, err := DecodeDeflate([]byte("Hello"), payload, 1<<16)
		in := append(append(append([]byte(nil), payload...), 0, 0, 0xff, 0xff), 1, 0, 0, 0xff, 0xff)
		want, ferr := io.ReadAll(io.LimitReader(flate.NewReaderDict(bytes.NewReader(in), []byte("Hello")), 1<<16+1))
		if err == nil && len(payload) > 0 && (ferr != nil || !bytes.Equal(dec.Inflated, want)) {
			// compress/flate may stop at the final block we append where
			// we stop at the end of the data; both are valid only if they
			// agree on the bytes.
			t.Fatalf("token decoder gave %d bytes, compress/flate %d bytes and %v", len(dec.Inflated), len(want), ferr)
		}
	})
}

func TestExportedDeflater(t *testing.T) {
	if _, err := NewDeflater(7); err == nil {
		t.Error("a 7-bit window was accepted")
	}
	z, err := NewDeflater(15)
	if err != nil {
		t.Fatal(err)
	}
	if got := z.Compress([]byte("Hello")); !bytes.Equal(got, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}) {
		t.Fatalf("% x", got)
	}
	if w := z.Window(); string(w) != "Hello" {
		t.Fatalf("window %q", w)
	}
	second := z.Compress([]byte("Hello"))
	dec, err := DecodeDeflate([]byte("Hello"), second, 0)
	if err != nil || string(dec.Inflated) != "Hello" || len(second) >= 7 {
		t.Fatalf("% x: %v", second, err)
	}
	z.Reset()
	if len(z.Window()) != 0 {
		t.Fatal("Reset kept the window")
	}
}
