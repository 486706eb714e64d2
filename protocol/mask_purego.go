//go:build purego || !(amd64 || arm64)

package protocol

// Built with the purego tag, or for a machine with no vectorised path,
// every payload takes the portable code, maskGo: no length reaches
// maskVectorMin, so maskVector is never called.
const maskVectorMin = int(^uint(0) >> 1)

func maskVector(key [4]byte, pos int, b []byte) int { return maskGo(key, pos, b) }

// maskVectorPaths is empty: maskGo is the only path to test.
var maskVectorPaths = map[string]func(key [4]byte, pos int, b []byte) int{}
