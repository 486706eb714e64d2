package bench

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unsafe"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	gorilla "github.com/gorilla/websocket"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// gorilla's maskBytes, coder's mask and wsanatomy's mask (the code under
// Mask, with the length at which its vectorised path starts) are
// unexported. Test-only links reach them as they are compiled in each
// package, with no copy of their code; the blank uses of the packages keep
// the link honest (the functions come from the versions in go.mod).
var (
	_ = gorilla.TextMessage
	_ = coder.MessageText
)

//go:linkname gorillaMaskBytes github.com/gorilla/websocket.maskBytes
func gorillaMaskBytes(key [4]byte, pos int, b []byte) int

//go:linkname coderMask github.com/coder/websocket.mask
func coderMask(b []byte, key uint32) uint32

//go:linkname oursMask github.com/wsanatomy/wsanatomy/protocol.mask
func oursMask(key [4]byte, pos int, b []byte, vectorMin int) int

// oursPortable is the code protocol.Mask runs when built with -tags
// purego (and everywhere for payloads shorter than its vector threshold).
func oursPortable(key [4]byte, pos int, b []byte) int {
	return oursMask(key, pos, b, int(^uint(0)>>1))
}

const (
	libOursPortable = "wsanatomy-purego"
	libCopy         = "copy"
)

// Payload sizes of the masking benchmarks: a small message, the largest
// control frame (§5.5), and three data sizes.
var maskSizes = []int{16, 125, 1 << 10, 64 << 10, 1 << 20}

// maskers are the functions compared, each adapted to "XOR b in place
// starting at key byte pos". coder takes the key as a little-endian word
// already turned to the start position, as its own callers pass it.
var maskers = []struct {
	lib string
	fn  func(key [4]byte, pos int, b []byte)
}{
	{libOurs, func(key [4]byte, pos int, b []byte) { protocol.Mask(key, pos, b) }},
	{libOursPortable, func(key [4]byte, pos int, b []byte) { oursPortable(key, pos, b) }},
	{libGobwas, func(key [4]byte, pos int, b []byte) { ws.Cipher(b, key, pos) }},
	{libGorilla, func(key [4]byte, pos int, b []byte) { gorillaMaskBytes(key, pos, b) }},
	{libCoder, func(key [4]byte, pos int, b []byte) {
		k := binary.LittleEndian.Uint32(key[:])
		s := uint(pos&3) * 8
		coderMask(b, k>>s|k<<(32-s))
	}},
}

// alignedSlice returns n bytes starting align bytes past a 32-byte
// boundary in memory, so that "aligned" means the same for every library.
func alignedSlice(n, align int) []byte {
	raw := make([]byte, n+64)
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	start := int((32-addr%32)%32) + align
	return raw[start : start+n : start+n]
}

// BenchmarkMask XORs a buffer in place with a 4-byte key (RFC 6455 §5.3),
// starting at key position 1, with the buffer on a 32-byte boundary
// (align=0) or one byte past it (align=1). copy is copy() of a buffer of
// the same size into another, the speed of memory for comparison.
func BenchmarkMask(b *testing.B) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, size := range maskSizes {
		for _, align := range []int{0, 1} {
			buf := alignedSlice(size, align)
			name := "/size=" + sizeName(size) + "/align=" + string(rune('0'+align))
			for _, m := range maskers {
				b.Run("lib="+m.lib+name, func(b *testing.B) {
					b.SetBytes(int64(size))
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						m.fn(key, 1, buf)
					}
				})
			}
			src := alignedSlice(size, align)
			b.Run("lib="+libCopy+name, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					copy(buf, src)
				}
			})
		}
	}
}

// TestMaskAgrees checks that every masking function computes §5.3's bytes
// and the same next position, so that the benchmark compares like with
// like and the links above reach what they claim to.
func TestMaskAgrees(t *testing.T) {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	for _, size := range []int{0, 1, 7, 15, 16, 17, 33, 125, 300, 1000, 70000} {
		for pos := 0; pos < 4; pos++ {
			want := make([]byte, size)
			for i := range want {
				want[i] = byte(i * 7)
			}
			data := bytes.Clone(want)
			for i := range want {
				want[i] ^= key[(pos+i)%4]
			}
			for _, m := range maskers {
				got := alignedSlice(size, 1)
				copy(got, data)
				m.fn(key, pos, got)
				if !bytes.Equal(got, want) {
					t.Errorf("%s: size %d pos %d: masked bytes differ from §5.3's", m.lib, size, pos)
				}
			}
			if next := gorillaMaskBytes(key, pos, bytes.Clone(data)); next != (pos+size)%4 {
				t.Errorf("gorilla: size %d pos %d: next position %d", size, pos, next)
			}
			if next := oursPortable(key, pos, bytes.Clone(data)); next != (pos+size)%4 {
				t.Errorf("%s: size %d pos %d: next position %d", libOursPortable, size, pos, next)
			}
		}
	}
}
