//go:build !purego

package protocol

// The vectorised path on amd64, in words; the instructions are in
// mask_amd64.s.
//
// Why 32 bytes at a time. The portable code in mask.go XORs a 64-bit
// word, 8 bytes, per instruction. x86 processors also have vector registers: 16 bytes wide
// with SSE2 (XMM registers) and 32 bytes wide with AVX2 (YMM registers).
// One VPXOR of a YMM register does the work of four 64-bit XORs, and a
// modern core issues loads, XORs and stores of that width every cycle, so
// masking runs about as fast as the memory can feed it: each turn of the
// AVX2 loop masks 128 bytes (four registers), the SSE2 loop 64 bytes.
//
// How the key is laid out. The key is 4 bytes; a register is 16 or 32
// bytes. We fill the register with copies of keyWord, the key repeated
// twice in a word and already turned (rotated) so that its first byte is
// the key byte for the first byte of the payload: for a piece that starts
// at key position 1, the register holds k1 k2 k3 k0 k1 k2 k3 k0 and so
// on. Since 16 and 32 are multiples of 4, every block starts at the same
// key position as the one before, and the register never needs turning
// again.
//
// How an unaligned start is handled. Memory moves between the processor
// and its caches in 64-byte lines, and a 32-byte load or store that
// straddles two lines costs more than one that does not. So the AVX2 code
// first masks the few bytes (0-31) before the next 32-byte boundary in
// memory, and its loop then works on whole aligned blocks. Those first
// bytes shift where the key starts for the rest: after 1 byte, the block
// that follows begins at the next key byte. Turning the word again (a
// rotation by 8 bits per byte, as keyWord does) fixes that, once, before
// the loop. On the machine where this was measured, a 64 KiB payload one
// byte off a boundary took 1.4 times as long without this step. (The
// SSE2 loop, for older machines, skips it.) What is left after the last
// whole block (under 32 or 16 bytes) is done 8, then 4 bytes at a time
// with the same word, then byte by byte, shifting the word right by 8 bits
// per byte so that its lowest byte is always the next key byte.
//
// Why the choice is made at run time. Every amd64 processor has SSE2, but
// AVX2 came later (2013 for Intel, 2015 for AMD) and an operating system
// must also agree to save the YMM registers when it switches threads. A
// program compiled once must run on both old and new machines, so at start
// the package asks the processor (the CPUID instruction) and the operating
// system (XGETBV) and picks AVX2 only if both say yes.
//
// Why short payloads stay in Go. Calling assembly costs a few nanoseconds
// and setting up a vector register a few more; for a 16-byte message that
// is more than the whole job takes in Go. Below maskVectorMin bytes
// (found by benchmarking lengths from 16 to 320 on both paths, with
// BenchmarkMaskPaths) Mask keeps
// to the portable code.
const maskVectorMin = 256

// maskUseAVX2 is decided once, when the package is initialised.
var maskUseAVX2 = hasAVX2()

func maskVector(key [4]byte, pos int, b []byte) int {
	if maskUseAVX2 {
		maskAVX2(b, keyWord(key, pos))
	} else {
		maskSSE2(b, keyWord(key, pos))
	}
	return (pos + len(b)) & 3
}

// maskVectorPaths names each path this machine can run, so the tests can
// force every one of them.
var maskVectorPaths = func() map[string]func(key [4]byte, pos int, b []byte) int {
	paths := map[string]func(key [4]byte, pos int, b []byte) int{
		"sse2": func(key [4]byte, pos int, b []byte) int {
			maskSSE2(b, keyWord(key, pos))
			return (pos + len(b)) & 3
		},
	}
	if hasAVX2() {
		paths["avx2"] = func(key [4]byte, pos int, b []byte) int {
			maskAVX2(b, keyWord(key, pos))
			return (pos + len(b)) & 3
		}
	}
	return paths
}()

// hasAVX2 reports whether the processor has AVX2 and the operating system
// saves the YMM registers: the checks that Intel's Software Developer's
// Manual (volume 1, in its chapter on programming with AVX) prescribes
// before AVX2 is used. Bit numbers are from the CPUID pages of volume 2.
func hasAVX2() bool {
	const (
		osxsave  = 1 << 27     // CPUID leaf 1, ECX: the OS uses XSAVE, so XGETBV works
		avx      = 1 << 28     // CPUID leaf 1, ECX
		avx2     = 1 << 5      // CPUID leaf 7 subleaf 0, EBX
		xmmAndYM = 1<<1 | 1<<2 // XCR0: the OS saves XMM and YMM state
	)
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx, _ := cpuid(1, 0)
	if ecx&osxsave == 0 || ecx&avx == 0 {
		return false
	}
	if xgetbv0()&xmmAndYM != xmmAndYM {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&avx2 != 0
}

// maskAVX2 and maskSSE2 XOR b in place with key, a word as keyWord
// returns, repeated.
//
//go:noescape
func maskAVX2(b []byte, key uint64)

//go:noescape
func maskSSE2(b []byte, key uint64)

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// xgetbv0 returns the low 32 bits of XCR0, the register in which the
// operating system says which register sets it saves.
func xgetbv0() uint32
