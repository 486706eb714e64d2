//go:build purego || !(amd64 || arm64)

package protocol

// Built with the purego tag, or for a machine with no vectorised path,
// every payload takes the portable code: no length reaches maskVectorMin,
// so maskVector is never called.
const maskVectorMin = maskPortable

func maskVector(key [4]byte, pos int, b []byte) int { return mask(key, pos, b, maskPortable) }

// maskVectorPaths is empty: the portable code is the only path to test.
var maskVectorPaths = map[string]func(key [4]byte, pos int, b []byte) int{}
