package protocol

import "encoding/binary"

// Mask XORs b in place with the 4-byte masking key, starting at byte pos of
// the key (0-3), and returns the key position for the byte after b. Masking
// and unmasking are the same operation, since x ^ k ^ k == x.
//
// Why clients mask at all: §10.3 describes proxies that cache or route by
// what they think is HTTP inside the stream. A script in a browser chooses
// its message bytes; unmasked, it could make them look like an HTTP request
// and poison such a proxy's cache. With a fresh unpredictable key per frame
// the script no longer controls the bytes on the wire. That is the whole
// purpose: masking hides nothing from anyone who reads the frame, since the
// key travels in it.
//
// RFC 6455 §5.3: "Octet i of the transformed data ("transformed-octet-i")
// is the XOR of octet i of the original data ("original-octet-i") with
// octet at index i modulo 4 of the masking key ("masking-key-octet-j")".
//
// The returned position lets a payload be unmasked in pieces as it arrives
// from the network: pass it back in for the next piece.
//
// Every byte a client sends and a server receives goes through here, so
// Mask is written for speed as well as for reading. Short payloads, the
// common case for chat messages, pings and closes, take the portable Go
// code below. Long ones take a vectorised path where the machine has one:
// mask_amd64.go and mask_arm64.go, next in this chapter, explain it in
// words. Both give exactly the bytes of the one-line definition above; the
// tests compare them with it for every length up to 300, every start
// position and every offset from a 32-byte boundary in memory.
func Mask(key [4]byte, pos int, b []byte) int {
	// Small enough for the compiler to copy into each caller, which saves
	// a call on the short payloads where a call is a fair part of the cost.
	return mask(key, pos, b, maskVectorMin)
}

// maskPortable is a vectorMin that no payload reaches: mask with it runs
// the portable code at every length, as the tests and benchmarks need.
const maskPortable = int(^uint(0) >> 1)

// mask is Mask with the length from which the vectorised path takes over
// as a parameter. Below it runs the portable code: plain Go for every
// machine, and the only path when the program is built with the purego
// tag (go build -tags purego) or for a machine other than amd64 and arm64.
//
// Instead of one byte at a time, it XORs eight bytes at once with the key
// repeated twice in a 64-bit word: the same result, many fewer steps.
func mask(key [4]byte, pos int, b []byte, vectorMin int) int {
	if len(b) >= vectorMin {
		return maskVector(key, pos, b)
	}
	pos &= 3
	next := (pos + len(b)) & 3
	// Shorter than a word: the byte loop is all there is to do.
	if len(b) < 8 {
		// anatomy: field=payload (the XOR of §5.3)
		for i := range b {
			b[i] ^= key[(pos+i)&3]
		}
		return next
	}
	k := keyWord(key, pos)
	// Eight words per turn of the loop: the slice b[:64:64] tells the
	// compiler that all eight are in bounds, so it checks once per turn
	// instead of once per word, and the processor can work on several
	// words at the same time since none waits for another.
	for len(b) >= 64 {
		w := b[:64:64]
		binary.LittleEndian.PutUint64(w[0:], binary.LittleEndian.Uint64(w[0:])^k)
		binary.LittleEndian.PutUint64(w[8:], binary.LittleEndian.Uint64(w[8:])^k)
		binary.LittleEndian.PutUint64(w[16:], binary.LittleEndian.Uint64(w[16:])^k)
		binary.LittleEndian.PutUint64(w[24:], binary.LittleEndian.Uint64(w[24:])^k)
		binary.LittleEndian.PutUint64(w[32:], binary.LittleEndian.Uint64(w[32:])^k)
		binary.LittleEndian.PutUint64(w[40:], binary.LittleEndian.Uint64(w[40:])^k)
		binary.LittleEndian.PutUint64(w[48:], binary.LittleEndian.Uint64(w[48:])^k)
		binary.LittleEndian.PutUint64(w[56:], binary.LittleEndian.Uint64(w[56:])^k)
		b = b[64:]
	}
	// Under 64 bytes left: 32, 16 and 8 bytes as they fit, straight-line
	// code with no loop to go round.
	if len(b) >= 32 {
		w := b[:32:32]
		binary.LittleEndian.PutUint64(w[0:], binary.LittleEndian.Uint64(w[0:])^k)
		binary.LittleEndian.PutUint64(w[8:], binary.LittleEndian.Uint64(w[8:])^k)
		binary.LittleEndian.PutUint64(w[16:], binary.LittleEndian.Uint64(w[16:])^k)
		binary.LittleEndian.PutUint64(w[24:], binary.LittleEndian.Uint64(w[24:])^k)
		b = b[32:]
	}
	if len(b) >= 16 {
		w := b[:16:16]
		binary.LittleEndian.PutUint64(w[0:], binary.LittleEndian.Uint64(w[0:])^k)
		binary.LittleEndian.PutUint64(w[8:], binary.LittleEndian.Uint64(w[8:])^k)
		b = b[16:]
	}
	if len(b) >= 8 {
		binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^k)
		b = b[8:]
	}
	// A word is a multiple of 4 bytes, so the key still starts at pos here,
	// and again after 4 more. The last 0-3 bytes take the word's bytes in
	// order: its lowest byte is the key byte for b[0], and shifting by 8
	// brings up the next.
	if len(b) >= 4 {
		binary.LittleEndian.PutUint32(b, binary.LittleEndian.Uint32(b)^uint32(k))
		b = b[4:]
	}
	for i := range b {
		b[i] ^= byte(k)
		k >>= 8
	}
	return next
}

// keyWord returns the key repeated twice in a 64-bit word, turned so that
// key byte pos comes first: byte i of the word (in little-endian order) is
// key[(pos+i)%4], the key byte for payload byte i. The vectorised paths
// start from this word too.
//
// Turning the key is a rotation: the word of key [k0 k1 k2 k3 k0 k1 k2 k3]
// rotated right by 8 bits is [k1 k2 k3 k0 k1 k2 k3 k0], the key for a piece
// that starts at key byte 1. Because the word holds the key exactly twice,
// bytes that leave one end come back at the other in the right order.
// Little endian on both sides (here and when the payload is loaded as
// words) keeps byte i of the word lined up with byte i of b on every
// machine, big-endian ones included.
func keyWord(key [4]byte, pos int) uint64 {
	k := uint64(binary.LittleEndian.Uint32(key[:]))
	k |= k << 32
	s := uint(pos&3) * 8
	return k>>s | k<<(64-s) // a shift by 64 gives 0 in Go, so pos 0 keeps k

}
