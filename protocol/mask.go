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
// Instead of one byte at a time, Mask XORs eight bytes at once with the key
// repeated twice in a 64-bit word: the same result, many fewer steps.
func Mask(key [4]byte, pos int, b []byte) int {
	pos &= 3
	// Short payloads: the byte loop is cheaper than building the word.
	if len(b) < 16 {
		// anatomy: field=payload (the XOR of §5.3)
		for i := range b {
			b[i] ^= key[(pos+i)&3]
		}
		return (pos + len(b)) & 3
	}
	// Rotate the key so that its byte at pos comes first, then repeat it
	// to fill 64 bits. Little endian on both sides keeps byte i of the word
	// lined up with byte i of b on every machine.
	var rotated [8]byte
	for i := range rotated {
		rotated[i] = key[(pos+i)&3]
	}
	word := binary.LittleEndian.Uint64(rotated[:])
	n := len(b)
	i := 0
	for ; n-i >= 32; i += 32 {
		chunk := b[i : i+32 : i+32]
		binary.LittleEndian.PutUint64(chunk[0:], binary.LittleEndian.Uint64(chunk[0:])^word)
		binary.LittleEndian.PutUint64(chunk[8:], binary.LittleEndian.Uint64(chunk[8:])^word)
		binary.LittleEndian.PutUint64(chunk[16:], binary.LittleEndian.Uint64(chunk[16:])^word)
		binary.LittleEndian.PutUint64(chunk[24:], binary.LittleEndian.Uint64(chunk[24:])^word)
	}
	for ; n-i >= 8; i += 8 {
		chunk := b[i : i+8 : i+8]
		binary.LittleEndian.PutUint64(chunk, binary.LittleEndian.Uint64(chunk)^word)
	}
	// Whole words consumed a multiple of 4 key bytes, so pos is unchanged here.
	for ; i < n; i++ {
		b[i] ^= key[(pos+i)&3]
	}
	return (pos + n) & 3
}
