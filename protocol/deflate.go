package protocol

import (
	"fmt"
	mbits "math/bits"
)

// A DEFLATE compressor that keeps to a window
//
// permessage-deflate compresses each message with DEFLATE (RFC 1951). The
// negotiation may limit how far back a compressed message may point: with
// server_max_window_bits=10, no back-reference of the server may reach more
// than 1024 bytes back, because the client may have kept only that much
// (RFC 7692 §7.1.2). The standard library's compressor always uses 32 KiB,
// so wsanatomy has its own, written to be read. It works in two stages.
//
// Stage 1, LZ77: look for repeats. Walking through the input, at each
// position we ask: did these same bytes occur before, at most `window`
// bytes back? If so, we emit a back-reference (length, distance),
// which tells the receiver to copy length bytes starting distance bytes
// back. If not, we emit the byte
// itself, a literal. "Hello" then "Hello" again becomes five literals and,
// for the second message, the single back-reference (5, 5).
//
// To find earlier occurrences fast, every position is filed under a hash
// of the three bytes that start there (three is the shortest match
// DEFLATE can express). head[h] is the latest position filed under h, and
// prev links each position to the one filed before it under the same
// hash: a chain from newest to oldest. We follow the chain for a bounded
// number of steps and stop as soon as a candidate lies further back than
// the window. That check is all it takes to honour the window: a
// back-reference further than the window is never even considered.
//
// Stage 2, Huffman: write the literals and back-references as bits, with
// short codes for frequent symbols. Each block uses whichever is smallest:
// the fixed codes that RFC 1951 §3.2.6 defines (no table to send, best
// for a few bytes), codes made for the block (deflate_huffman.go), or a
// stored block of raw bytes, so that random data grows by no more than
// a few bytes per 64 KiB.
//
// Context takeover (RFC 7692 §7.1.1) means the window is not emptied
// between messages: the second "Hello" may point into the first. Without
// it, the compressor forgets everything at the end of each message.

// DEFLATE limits (RFC 1951 §3.2.5).
const (
	minMatch    = 3       // a back-reference copies at least 3 bytes
	maxMatch    = 258     // and at most 258
	maxDistance = 1 << 15 // and reaches at most 32768 bytes back
)

// Tuning: how hard to look for matches. These trade speed for size only;
// correctness does not depend on them.
const (
	hashBits  = 14
	maxChain  = 8  // chain steps per position
	niceMatch = 64 // a match this long is good enough: stop looking
	// maxBlockTokens bounds the tokens kept before a block is written, so
	// the token buffer stays small however long a message is.
	maxBlockTokens = 1 << 12
	// rebaseAt: positions are stored as 32-bit offsets from base; before
	// they grow past this, base moves forward (see rebase).
	rebaseAt = 1 << 30
)

// token is one LZ77 output: a literal byte, or a back-reference. Bit 31
// set means a back-reference with length-3 in bits 16-23 and distance-1
// in bits 0-15; otherwise the low 8 bits are the literal.
type token uint32

const matchFlag = 1 << 31

func literalToken(b byte) token { return token(b) }
func matchToken(length, dist int) token {
	return matchFlag | token(length-minMatch)<<16 | token(dist-1)
}
func (t token) isMatch() bool { return t&matchFlag != 0 }
func (t token) length() int   { return int(t>>16&0xff) + minMatch }
func (t token) distance() int { return int(t&0xffff) + 1 }

// deflater compresses a sequence of messages with one window. Its
// invariants: hist ends with the byte before pos and holds at least the
// last min(window, bytes seen since the last reset) of them, in order;
// head and prev describe positions before pos;
// between messages the bit buffer is empty (a message ends on a byte
// boundary, see finish).
type deflater struct {
	window int // 1 << window bits
	chunk  int // the most bytes compressed in one go (see write)
	// hist holds the bytes compressed so far in this context, of which at
	// least the last min(window, all of them) are kept: earlier bytes,
	// then the chunk being compressed. Its capacity is window + chunk.
	hist []byte
	// head[h] is 1 + (the latest position with hash h) - base, or 0.
	head []uint32
	// prev[p & (window-1)] is how far back the previous position with the
	// same hash as p is, or 0 for none (or too far).
	prev []uint16
	base int64 // head entries are offsets from base
	pos  int64 // absolute position of the next byte to compress

	tokens []token
	dyn    dynamicBlock // the codes of a dynamic block being planned
	out    []byte       // compressed bytes not yet taken by the caller
	bitBuf uint64       // pending bits, least significant first
	nbits  uint
}

// newDeflater makes a compressor whose back-references never reach more
// than 1<<windowBits bytes back.
func newDeflater(windowBits int) *deflater {
	w := 1 << windowBits
	return &deflater{
		window: w,
		chunk:  max(w, 16<<10),
		hist:   make([]byte, 0, w+max(w, 16<<10)),
		head:   make([]uint32, 1<<hashBits),
		prev:   make([]uint16, w),
		tokens: make([]token, 0, 1024),
	}
}

// reset forgets every earlier message: what no context takeover asks for
// at the start of each message. Nothing is cleared: moving pos more than
// a window ahead makes every filed position too far back to be used.
func (d *deflater) reset() {
	d.hist = d.hist[:0]
	d.pos += int64(d.window) + 1
	if d.pos-d.base > rebaseAt {
		d.rebase()
	}
}

// rebase moves base up to just before the window, so that the 32-bit
// offsets in head never overflow however many bytes a connection sends.
// Entries older than the window become 0 (none); they were unusable
// anyway.
func (d *deflater) rebase() {
	shift := d.pos - d.base - int64(d.window) - 1
	if shift <= 0 {
		return
	}
	for i, v := range d.head {
		if int64(v) <= shift {
			d.head[i] = 0
		} else {
			d.head[i] = v - uint32(shift)
		}
	}
	d.base += shift
}

func hash3(b []byte) uint32 {
	v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
	return (v * 0x1e35a7bd) >> (32 - hashBits)
}

// insert files the position p (whose first three bytes are b) under
// their hash, linking it to the position filed there before.
func (d *deflater) insert(p int64, b []byte) {
	h := hash3(b)
	var back uint16
	if old := d.head[h]; old != 0 {
		if dist := p - (d.base + int64(old) - 1); dist <= int64(d.window) {
			back = uint16(dist) // 1 to window, and window <= 32768 fits in 16 bits
		}
	}
	d.prev[p&int64(d.window-1)] = back
	d.head[h] = uint32(p-d.base) + 1
}

// write compresses msg as the next part of the current message. Parts of
// one message may be written one after another (a streaming writer does);
// finish ends the message. A long part is compressed a chunk at a time,
// so that the window buffer stays small whatever the message's size.
func (d *deflater) write(msg []byte) {
	for len(msg) > 0 {
		n := min(len(msg), d.chunk)
		d.writeChunk(msg[:n])
		msg = msg[n:]
	}
}

// writeChunk compresses up to d.chunk bytes. They are first copied after
// the window of earlier bytes in hist, so that a match is compared in one
// slice whether it starts in earlier bytes or in this chunk.
func (d *deflater) writeChunk(msg []byte) {
	if d.pos-d.base > rebaseAt {
		d.rebase()
	}
	if len(d.hist)+len(msg) > cap(d.hist) {
		// Keep only the window: nothing further back can be used.
		keep := min(len(d.hist), d.window)
		copy(d.hist, d.hist[len(d.hist)-keep:])
		d.hist = d.hist[:keep]
	}
	off := len(d.hist) // where msg starts in buf
	d.hist = append(d.hist, msg...)
	buf := d.hist
	start := d.pos  // the absolute position of msg[0]
	blockStart := 0 // where in msg the pending tokens' bytes begin
	i := 0
	for i < len(msg) {
		p := start + int64(i)
		bestLen, bestDist := 0, 0
		if len(msg)-i >= minMatch {
			maxLen := min(maxMatch, len(msg)-i)
			cand := d.head[hash3(msg[i:])]
			for steps := 0; cand != 0 && steps < maxChain; steps++ {
				cp := d.base + int64(cand) - 1
				dist := p - cp
				// The window rule: nothing further back than the agreed
				// window, and nothing before what buf still holds.
				if dist > int64(d.window) || dist > int64(off+i) || dist <= 0 {
					break
				}
				n := matchLen(buf[off+i-int(dist):], buf[off+i:], maxLen)
				if n > bestLen {
					bestLen, bestDist = n, int(dist)
					if n >= niceMatch || n == maxLen {
						break
					}
				}
				back := d.prev[cp&int64(d.window-1)]
				if back == 0 {
					break
				}
				// The previous position under this hash is back bytes
				// before cp; as an offset from base:
				prevPos := cp - int64(back)
				if prevPos < d.base {
					break
				}
				cand = uint32(prevPos-d.base) + 1
			}
		}
		if bestLen >= minMatch {
			d.tokens = append(d.tokens, matchToken(bestLen, bestDist))
			// File every position the match covers, so later matches
			// can start inside it.
			for k := 0; k < bestLen; k++ {
				if i+k+minMatch <= len(msg) {
					d.insert(p+int64(k), msg[i+k:])
				}
			}
			i += bestLen
		} else {
			d.tokens = append(d.tokens, literalToken(msg[i]))
			if i+minMatch <= len(msg) {
				d.insert(p, msg[i:])
			}
			i++
		}
		if len(d.tokens) >= maxBlockTokens {
			d.writeBlock(msg[blockStart:i])
			blockStart = i
		}
	}
	if len(d.tokens) > 0 {
		d.writeBlock(msg[blockStart:])
	}
	d.pos += int64(len(msg))
}

// matchLen returns how many leading bytes a and b share, up to max.
func matchLen(a, b []byte, max int) int {
	a, b = a[:max], b[:max]
	n := 0
	for n+8 <= max {
		x := le64(a[n:]) ^ le64(b[n:])
		if x != 0 {
			return n + mbits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < max && a[n] == b[n] {
		n++
	}
	return n
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// finish ends the message the way RFC 7692 §7.2.1 asks: the data is
// flushed with an empty stored block (DEFLATE's "sync flush", which ends
// on a byte boundary and always ends with the four bytes 00 00 ff ff),
// and then those four bytes are removed. It returns the compressed bytes
// not yet taken; the slice is valid until the next write.
func (d *deflater) finish() []byte {
	d.writeStoredHeader(0)
	out := d.out[:len(d.out)-4] // the 00 00 ff ff of the empty stored block
	d.out = d.out[:0]
	return out
}

// take returns the whole bytes compressed so far and empties the output
// buffer; a streaming writer sends them as a frame. The slice is valid
// until the next write.
func (d *deflater) take() []byte {
	out := d.out
	d.out = d.out[:0]
	return out
}

// Bit output. DEFLATE packs bits starting with the least significant bit
// of each byte (RFC 1951 §3.1.1); Huffman codes are packed starting with
// their most significant bit, so the code tables below hold them already
// bit-reversed.

func (d *deflater) writeBits(v uint32, n uint) {
	d.bitBuf |= uint64(v) << d.nbits
	d.nbits += n
	for d.nbits >= 8 {
		d.out = append(d.out, byte(d.bitBuf))
		d.bitBuf >>= 8
		d.nbits -= 8
	}
}

// alignByte pads with zero bits to the next byte boundary.
func (d *deflater) alignByte() {
	if d.nbits > 0 {
		d.writeBits(0, 8-d.nbits)
	}
}

// writeStoredHeader starts a stored block of n raw bytes
// (RFC 1951 §3.2.4): the 3 header bits (BFINAL 0, BTYPE 00), padding to a byte,
// then LEN and its one's complement NLEN, least significant byte first.
func (d *deflater) writeStoredHeader(n int) {
	d.writeBits(0, 3)
	d.alignByte()
	d.out = append(d.out, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
}

// writeBlock writes the pending tokens, which stand for raw, as the
// smallest of: one block with the fixed Huffman codes, one block with
// codes made for these tokens (deflate_huffman.go), or stored blocks.
func (d *deflater) writeBlock(raw []byte) {
	var litFreq [286]int
	var distFreq [30]int
	litFreq[endOfBlock] = 1
	extraBits := 0 // the extra bits of lengths and distances: the same in every block type
	for _, t := range d.tokens {
		if t.isMatch() {
			lc, _, lx := lengthCode(t.length())
			dc, _, dx := distanceCode(t.distance())
			litFreq[lc]++
			distFreq[dc]++
			extraBits += int(lx + dx)
		} else {
			litFreq[t&0xff]++
		}
	}
	fixedBits := 3 + extraBits
	for s, f := range litFreq {
		fixedBits += f * int(fixedLitLenBits[s])
	}
	for _, f := range distFreq {
		fixedBits += f * 5
	}
	dynamicBits := d.dyn.plan(&litFreq, &distFreq)
	// A stored block costs its header (3 bits, padding, 4 bytes) per
	// 65535 bytes, plus the bytes themselves.
	storedBits := len(raw)*8 + (len(raw)+0xfffe)/0xffff*(7+32)
	switch {
	case len(raw) > 0 && storedBits < fixedBits && storedBits < dynamicBits:
		for len(raw) > 0 {
			n := min(len(raw), 0xffff)
			d.writeStoredHeader(n)
			d.out = append(d.out, raw[:n]...)
			raw = raw[n:]
		}
	case dynamicBits < fixedBits:
		d.dyn.writeHeader(d)
		d.writeTokens(d.dyn.litCode[:], d.dyn.litLen[:], d.dyn.dstCode[:], d.dyn.dist[:])
	default:
		// BFINAL 0, BTYPE 01 (fixed Huffman codes): bits 1 then 01,
		// written least significant first as the value 0b010.
		d.writeBits(0b010, 3)
		d.writeTokens(fixedLitLenCode[:], fixedLitLenBits[:], fixedDistCode[:], fixedDistBits[:])
	}
	d.tokens = d.tokens[:0]
}

// writeTokens writes the pending tokens and the end of the block with
// the given codes (bit-reversed) and code lengths.
func (d *deflater) writeTokens(litCode []uint32, litLen []uint8, distCode []uint32, distLen []uint8) {
	for _, t := range d.tokens {
		if !t.isMatch() {
			d.writeBits(litCode[t&0xff], uint(litLen[t&0xff]))
			continue
		}
		lc, lextra, lx := lengthCode(t.length())
		d.writeBits(litCode[lc], uint(litLen[lc]))
		if lx > 0 {
			d.writeBits(lextra, lx)
		}
		dc, dextra, dx := distanceCode(t.distance())
		d.writeBits(distCode[dc], uint(distLen[dc]))
		if dx > 0 {
			d.writeBits(dextra, dx)
		}
	}
	d.writeBits(litCode[endOfBlock], uint(litLen[endOfBlock]))
}

const endOfBlock = 256

// lengthCode maps a match length (3-258) to its symbol (257-285), the
// value of its extra bits, and how many extra bits there are
// (RFC 1951 §3.2.5).
func lengthCode(length int) (sym int, extra uint32, nextra uint) {
	x := length - minMatch
	switch {
	case length == maxMatch:
		return 285, 0, 0
	case x < 8:
		return 257 + x, 0, 0
	}
	nb := uint(mbits.Len(uint(x))) - 1 // x >= 8, so nb >= 3
	sym = 257 + 4*int(nb-1) + (x>>(nb-2))&3
	nextra = nb - 2
	return sym, uint32(x) & (1<<nextra - 1), nextra
}

// distanceCode maps a distance (1-32768) to its symbol (0-29), the value
// of its extra bits, and how many there are (RFC 1951 §3.2.5).
func distanceCode(dist int) (sym int, extra uint32, nextra uint) {
	x := dist - 1
	if x < 4 {
		return x, 0, 0
	}
	nb := uint(mbits.Len(uint(x))) - 1 // x >= 4, so nb >= 2
	sym = 2*int(nb) + (x>>(nb-1))&1
	nextra = nb - 1
	return sym, uint32(x) & (1<<nextra - 1), nextra
}

// The fixed Huffman codes of RFC 1951 §3.2.6, bit-reversed for writing:
//
//	Lit Value    Bits        Codes
//	0 - 143       8          00110000 through 10111111
//	144 - 255     9          110010000 through 111111111
//	256 - 279     7          0000000 through 0010111
//	280 - 287     8          11000000 through 11000111
//
// Distance codes 0-31 are 5 bits each, the code being the number itself.
var (
	fixedLitLenCode [288]uint32
	fixedLitLenBits [288]uint8
	fixedDistCode   [30]uint32
	fixedDistBits   [30]uint8
)

func init() {
	for v := 0; v < 288; v++ {
		var code, n int
		switch {
		case v < 144:
			code, n = 0x30+v, 8
		case v < 256:
			code, n = 0x190+v-144, 9
		case v < 280:
			code, n = v-256, 7
		default:
			code, n = 0xc0+v-280, 8
		}
		fixedLitLenCode[v] = reverseBits(uint32(code), uint(n))
		fixedLitLenBits[v] = uint8(n)
	}
	for v := range fixedDistCode {
		fixedDistCode[v] = reverseBits(uint32(v), 5)
		fixedDistBits[v] = 5
	}
}

func reverseBits(v uint32, n uint) uint32 {
	return mbits.Reverse32(v) >> (32 - n)
}

// Deflater is the compressor a connection uses, for lessons and tools
// that want the bytes of a compressed message without a connection: the
// same bytes a connection with this window would send.
type Deflater struct{ d *deflater }

// NewDeflater returns a compressor whose back-references never reach
// more than 2^windowBits bytes back (MinWindowBits to MaxWindowBits).
func NewDeflater(windowBits int) (*Deflater, error) {
	if windowBits < MinWindowBits || windowBits > MaxWindowBits {
		return nil, fmt.Errorf("deflate: a window of %d bits; RFC 7692 §7.1.2 allows %d to %d", windowBits, MinWindowBits, MaxWindowBits)
	}
	return &Deflater{newDeflater(windowBits)}, nil
}

// Compress returns msg compressed as one permessage-deflate message:
// DEFLATE data ending in a sync flush, without its final 00 00 ff ff
// (RFC 7692 §7.2.1). The window carries over to the next call (context
// takeover) unless Reset is called in between.
func (z *Deflater) Compress(msg []byte) []byte {
	z.d.write(msg)
	return append([]byte(nil), z.d.finish()...)
}

// Reset forgets earlier messages, as no_context_takeover asks before
// every message.
func (z *Deflater) Reset() { z.d.reset() }

// Window returns a copy of the bytes the next message's back-references
// may reach: the last 2^windowBits bytes compressed since the last Reset.
func (z *Deflater) Window() []byte {
	h := z.d.hist
	return append([]byte(nil), h[max(0, len(h)-z.d.window):]...)
}
