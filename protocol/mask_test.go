package protocol

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"testing"
	"unsafe"
)

// maskByteByByte is the definition of §5.3, one byte at a time: what
// every masking path must agree with.
func maskByteByByte(key [4]byte, pos int, b []byte) {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
}

// maskPathsUnderTest is every way of masking this build has: Mask as
// callers see it, the portable code alone, and each vectorised path the
// machine can run (none with the purego tag).
func maskPathsUnderTest() map[string]func(key [4]byte, pos int, b []byte) int {
	paths := map[string]func(key [4]byte, pos int, b []byte) int{
		"Mask": Mask,
		"portable": func(key [4]byte, pos int, b []byte) int {
			return mask(key, pos, b, maskPortable)
		},
	}
	for name, fn := range maskVectorPaths {
		paths[name] = fn
	}
	return paths
}

func TestMaskRFCExample(t *testing.T) {
	// §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58.
	b := []byte("Hello")
	if pos := Mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, b); pos != 1 {
		t.Errorf("next key position %d, want 1", pos)
	}
	if want := []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}; !bytes.Equal(b, want) {
		t.Errorf("masked % x, want % x", b, want)
	}
}

// TestMaskVectorPathsPresent makes sure the tests below really exercise
// the assembly where the build has it, instead of silently testing only
// the portable code.
func TestMaskVectorPathsPresent(t *testing.T) {
	if maskVectorMin == maskPortable {
		if len(maskVectorPaths) != 0 {
			t.Errorf("no vectorised path is used, yet %d are listed", len(maskVectorPaths))
		}
		return
	}
	// The paths each architecture has; the first is always available.
	known := map[string][]string{"amd64": {"sse2", "avx2"}, "arm64": {"neon"}}[runtime.GOARCH]
	if len(known) == 0 || maskVectorPaths[known[0]] == nil {
		t.Fatalf("%s: the vectorised path %v is missing from maskVectorPaths", runtime.GOARCH, known)
	}
	for name := range maskVectorPaths {
		if !slices.Contains(known, name) {
			t.Errorf("%s: unexpected path %s", runtime.GOARCH, name)
		}
	}
}

// alignedAt returns the index in buf of the first byte whose address is
// align bytes past a multiple of 32.
func alignedAt(buf []byte, align int) int {
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	return int((32-addr%32)%32) + align
}

// checkMaskPath masks data (a copy of it) with fn at every alignment in
// aligns and compares the result with the definition of §5.3. Guard bytes
// on both sides catch a path that writes past either end of the payload.
func checkMaskPath(t *testing.T, name string, fn func([4]byte, int, []byte) int, key [4]byte, pos int, data []byte, aligns []int) {
	t.Helper()
	const guard = 64
	n := len(data)
	want := bytes.Clone(data)
	maskByteByByte(key, pos, want)
	buf := make([]byte, 32+guard+n+guard)
	for _, align := range aligns {
		for i := range buf {
			buf[i] = byte(i*7 + 1)
		}
		before := bytes.Clone(buf)
		start := alignedAt(buf, align) + guard
		window := buf[start : start+n : start+n]
		copy(window, data)
		if next := fn(key, pos, window); next != (pos+n)%4 {
			t.Fatalf("%s n=%d pos=%d align=%d: next position %d, want %d", name, n, pos, align, next, (pos+n)%4)
		}
		if !bytes.Equal(window, want) {
			t.Fatalf("%s n=%d pos=%d align=%d: masked bytes differ from §5.3's", name, n, pos, align)
		}
		if !bytes.Equal(buf[:start], before[:start]) || !bytes.Equal(buf[start+n:], before[start+n:]) {
			t.Fatalf("%s n=%d pos=%d align=%d: bytes outside the payload changed", name, n, pos, align)
		}
	}
}

// TestMaskPathsMatchDefinition compares every path with the definition of
// §5.3 for every length 0-300, every start position 0-3 and every address
// alignment 0-31 (so that the vector loops start on and off every
// boundary), then for a few long payloads.
func TestMaskPathsMatchDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	key := [4]byte{0xde, 0xad, 0xbe, 0xef}
	var every []int
	for a := 0; a < 32; a++ {
		every = append(every, a)
	}
	paths := maskPathsUnderTest()
	var names []string
	for name := range paths {
		names = append(names, name)
	}
	sort.Strings(names)
	t.Logf("%s/%s: testing %v", runtime.GOOS, runtime.GOARCH, names)
	for name, fn := range paths {
		for n := 0; n <= 300; n++ {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			for pos := 0; pos < 4; pos++ {
				checkMaskPath(t, name, fn, key, pos, data, every)
			}
		}
		for _, n := range []int{1000, 4096 + 13, 64<<10 + 7, 1<<20 + 3} {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			for pos := 0; pos < 4; pos++ {
				checkMaskPath(t, name, fn, key, pos, data, []int{0, 1, 8, 31})
			}
		}
	}
}

// TestMaskInPieces checks that masking in pieces, passing each call's
// returned position to the next, equals masking at once, whatever path
// each piece takes.
func TestMaskInPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	paths := maskPathsUnderTest()
	for _, n := range []int{0, 1, 7, 33, 200, 300, 1000, 5000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		for pos := 0; pos < 4; pos++ {
			want := bytes.Clone(data)
			maskByteByByte(key, pos, want)
			for name, fn := range paths {
				for range 20 {
					got := bytes.Clone(data)
					p, rest := pos, got
					for len(rest) > 0 {
						k := r.IntN(len(rest) + 1)
						p = fn(key, p, rest[:k])
						rest = rest[k:]
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%s n=%d pos=%d: pieces differ from masking at once", name, n, pos)
					}
				}
			}
		}
	}
}

// FuzzMask compares every path with the definition of §5.3 on arbitrary
// payloads, keys and start positions, with the payload at any offset.
func FuzzMask(f *testing.F) {
	f.Add([]byte("Hello"), uint32(0x3d21fa37), uint8(0), uint8(0))
	f.Add(bytes.Repeat([]byte{0xff}, 300), uint32(0xefbeadde), uint8(3), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, key32 uint32, pos, align uint8) {
		key := [4]byte{byte(key32), byte(key32 >> 8), byte(key32 >> 16), byte(key32 >> 24)}
		for name, fn := range maskPathsUnderTest() {
			checkMaskPath(t, name, fn, key, int(pos), data, []int{int(align % 32)})
		}
	})
}
