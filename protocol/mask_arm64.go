//go:build !purego

package protocol

// The vectorised path on arm64, in words; the instructions are in
// mask_arm64.s. It is the amd64 path (mask_amd64.go) with NEON, the
// vector unit every 64-bit ARM processor has: 16-byte registers, four of
// them loaded, XORed with the key and stored per turn of the loop, 64
// bytes a turn. The key word is laid out and rotated exactly as there.
// Since NEON is part of the architecture, there is no choice to make at
// run time.
//
// Short payloads stay in Go, as on amd64, below maskVectorMin bytes.
const maskVectorMin = 256

func maskVector(key [4]byte, pos int, b []byte) int {
	maskNEON(b, keyWord(key, pos))
	return (pos + len(b)) & 3
}

// maskVectorPaths names each path this machine can run, so the tests can
// force every one of them.
var maskVectorPaths = map[string]func(key [4]byte, pos int, b []byte) int{
	"neon": func(key [4]byte, pos int, b []byte) int {
		maskNEON(b, keyWord(key, pos))
		return (pos + len(b)) & 3
	},
}

// maskNEON XORs b in place with key, a word as keyWord returns, repeated.
//
//go:noescape
func maskNEON(b []byte, key uint64)
