package protocol

import "slices"

// Dynamic Huffman blocks (RFC 1951 §3.2.7)
//
// The fixed codes give every literal 8 or 9 bits, whatever the message.
// A dynamic block instead builds codes from the block itself: a letter
// that occurs often gets a short code, one that is rare a long one. The
// price is a header describing the codes, so the compressor computes the
// size of the block three ways (stored, fixed, dynamic) and writes the
// smallest.
//
// The header does not list codes, only each symbol's code length: both
// sides then build the same "canonical" codes from the lengths (RFC 1951 §3.2.2).
// The lengths themselves are run-length encoded (16: repeat the previous
// length, 17 and 18: runs of zeros) and Huffman-coded with a third, small
// code, whose lengths come first, 3 bits each.

// maxCodeBits and maxCodeLenBits bound code lengths: 15 bits for the
// literal/length and distance codes, 7 for the code-length code.
const (
	maxCodeBits    = 15
	maxCodeLenBits = 7
)

// huffScratch is the working memory of huffmanLengths, kept between
// blocks so that building codes allocates nothing. Nodes 0..n-1 are the
// leaves, the rest are joined trees in the order they were made.
type huffScratch struct {
	weight      [2 * 286]int
	sym         [2 * 286]int16 // a leaf's symbol; -1 for a joined tree
	left, right [2 * 286]int16
	depth       [2 * 286]uint8
	order       [286]int16 // the leaves, lightest first
}

// huffmanLengths computes code lengths for symbols with the given
// frequencies (0: unused, no code), none longer than limit. Every code it
// returns is complete (the lengths fill the code space exactly), which
// decoders require, except when only one symbol is used: that one gets
// length 1, the one case of an incomplete code RFC 1951 decoders accept.
func (h *huffScratch) huffmanLengths(freq []int, limit int, lengths []uint8) {
	n := 0
	for s, f := range freq {
		lengths[s] = 0
		if f > 0 {
			h.weight[n], h.sym[n] = f, int16(s)
			h.order[n] = int16(n)
			n++
		}
	}
	switch n {
	case 0:
		return
	case 1:
		lengths[h.sym[0]] = 1
		return
	}
	// Huffman's algorithm: repeatedly join the two lightest trees. With
	// the leaves sorted, the joined trees come out in order of weight
	// too, so the lightest tree is always at the head of one of two
	// queues: the leaves not yet taken, and the joined trees not yet
	// taken.
	leaves := h.order[:n]
	slices.SortFunc(leaves, func(a, b int16) int {
		if h.weight[a] != h.weight[b] {
			return h.weight[a] - h.weight[b]
		}
		return int(a - b)
	})
	nextLeaf, nextTree, made := 0, n, n
	take := func() int16 {
		if nextLeaf < n && (nextTree == made || h.weight[leaves[nextLeaf]] <= h.weight[nextTree]) {
			nextLeaf++
			return leaves[nextLeaf-1]
		}
		nextTree++
		return int16(nextTree - 1)
	}
	for made < 2*n-1 {
		a, b := take(), take()
		h.weight[made], h.sym[made], h.left[made], h.right[made] = h.weight[a]+h.weight[b], -1, a, b
		made++
	}
	// Depths, from the root (the last tree made) down: children are made
	// before their parents, so one backward pass reaches every node.
	h.depth[made-1] = 0
	for i := made - 1; i >= n; i-- {
		d := min(h.depth[i]+1, 255)
		h.depth[h.left[i]], h.depth[h.right[i]] = d, d
	}
	for i := 0; i < n; i++ {
		lengths[h.sym[i]] = h.depth[i]
	}
	limitLengths(lengths, limit)
}

// limitLengths shortens codes longer than limit to limit, then lengthens
// other codes until the lengths fit the code space again (the Kraft sum
// sum(2^(limit-len)) may not exceed 2^limit), then shortens codes while
// there is room, so that the code is complete.
func limitLengths(lengths []uint8, limit int) {
	kraft, over := 0, false
	for i, l := range lengths {
		if l == 0 {
			continue
		}
		if int(l) > limit {
			lengths[i], over = uint8(limit), true
		}
		kraft += 1 << (limit - int(lengths[i]))
	}
	if !over {
		return
	}
	full := 1 << limit
	// Too many short codes: lengthen the longest codes that are still
	// below the limit (each step frees the least space).
	for kraft > full {
		best := -1
		for i, l := range lengths {
			if l != 0 && int(l) < limit && (best < 0 || l > lengths[best]) {
				best = i
			}
		}
		kraft -= 1 << (limit - int(lengths[best]) - 1)
		lengths[best]++
	}
	// Room left: shorten codes, longest first, where the room allows.
	for kraft < full {
		best := -1
		for i, l := range lengths {
			if l > 1 && kraft+(1<<(limit-int(l))) <= full && (best < 0 || l > lengths[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		kraft += 1 << (limit - int(lengths[best]))
		lengths[best]--
	}
}

// canonicalCodes gives each symbol its code from the lengths, as
// RFC 1951 §3.2.2 does it, bit-reversed for writing.
func canonicalCodes(lengths []uint8, codes []uint32) {
	var count [maxCodeBits + 2]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [maxCodeBits + 2]uint32
	code := uint32(0)
	for bits := 1; bits <= maxCodeBits+1; bits++ {
		code = (code + uint32(count[bits-1])) << 1
		next[bits] = code
	}
	for s, l := range lengths {
		if l != 0 {
			codes[s] = reverseBits(next[l], uint(l))
			next[l]++
		}
	}
}

// dynamicBlock is the code of one dynamic block, worked out from the
// block's symbol frequencies.
type dynamicBlock struct {
	litLen  [286]uint8
	dist    [30]uint8
	litCode [286]uint32
	dstCode [30]uint32
	nlit    int // HLIT + 257
	ndist   int // HDIST + 1
	// The code lengths, run-length encoded: a symbol 0-18 and, for 16-18,
	// the value of its extra bits.
	rle      []uint8
	rleExtra []uint8
	all      []uint8 // scratch: both length lists, one after the other
	huff     huffScratch
	clLen    [19]uint8
	clCode   [19]uint32
	ncl      int // HCLEN + 4
}

// plan builds the codes for the given frequencies and returns the size of
// the block in bits, header included.
func (b *dynamicBlock) plan(litFreq *[286]int, distFreq *[30]int) int {
	b.huff.huffmanLengths(litFreq[:], maxCodeBits, b.litLen[:])
	b.huff.huffmanLengths(distFreq[:], maxCodeBits, b.dist[:])
	// A block without back-references still describes one distance
	// code: a single code of one bit, which RFC 1951 §3.2.7 allows.
	used := false
	for _, l := range b.dist {
		used = used || l != 0
	}
	if !used {
		b.dist[0] = 1
	}
	canonicalCodes(b.litLen[:], b.litCode[:])
	canonicalCodes(b.dist[:], b.dstCode[:])
	b.nlit, b.ndist = 286, 30
	for b.nlit > 257 && b.litLen[b.nlit-1] == 0 {
		b.nlit--
	}
	for b.ndist > 1 && b.dist[b.ndist-1] == 0 {
		b.ndist--
	}
	// Run-length encode the two length lists as one sequence:
	// RFC 1951 §3.2.7 lets a repeat run from the literal/length lengths
	// into the distance lengths.
	b.all = append(append(b.all[:0], b.litLen[:b.nlit]...), b.dist[:b.ndist]...)
	all := b.all
	b.rle, b.rleExtra = b.rle[:0], b.rleExtra[:0]
	for i := 0; i < len(all); {
		l := all[i]
		run := 1
		for i+run < len(all) && all[i+run] == l {
			run++
		}
		n := run
		if l == 0 {
			for n >= 11 {
				k := min(n, 138)
				b.rle, b.rleExtra = append(b.rle, 18), append(b.rleExtra, uint8(k-11))
				n -= k
			}
			if n >= 3 {
				b.rle, b.rleExtra = append(b.rle, 17), append(b.rleExtra, uint8(n-3))
				n = 0
			}
		} else {
			b.rle, b.rleExtra = append(b.rle, l), append(b.rleExtra, 0)
			n--
			for n >= 3 {
				k := min(n, 6)
				b.rle, b.rleExtra = append(b.rle, 16), append(b.rleExtra, uint8(k-3))
				n -= k
			}
		}
		for ; n > 0; n-- {
			b.rle, b.rleExtra = append(b.rle, l), append(b.rleExtra, 0)
		}
		i += run
	}
	var clFreq [19]int
	for _, s := range b.rle {
		clFreq[s]++
	}
	b.huff.huffmanLengths(clFreq[:], maxCodeLenBits, b.clLen[:])
	canonicalCodes(b.clLen[:], b.clCode[:])
	b.ncl = 19
	for b.ncl > 4 && b.clLen[codeLengthOrder[b.ncl-1]] == 0 {
		b.ncl--
	}
	// Size: header fields, code length code lengths, the coded lengths,
	// then the data.
	size := 3 + 5 + 5 + 4 + 3*b.ncl
	for _, s := range b.rle {
		size += int(b.clLen[s]) + [19]int{16: 2, 17: 3, 18: 7}[s]
	}
	for s, f := range litFreq {
		if f > 0 {
			size += f * int(b.litLen[s])
			if s > 256 {
				size += f * int(lengthExtra[s-257])
			}
		}
	}
	for s, f := range distFreq {
		size += f * (int(b.dist[s]) + int(distExtra[s]))
	}
	return size
}

// writeHeader writes the block header: BFINAL 0, BTYPE 10, and the codes.
func (b *dynamicBlock) writeHeader(d *deflater) {
	d.writeBits(0b100, 3)
	d.writeBits(uint32(b.nlit-257), 5)
	d.writeBits(uint32(b.ndist-1), 5)
	d.writeBits(uint32(b.ncl-4), 4)
	for i := 0; i < b.ncl; i++ {
		d.writeBits(uint32(b.clLen[codeLengthOrder[i]]), 3)
	}
	for i, s := range b.rle {
		d.writeBits(b.clCode[s], uint(b.clLen[s]))
		switch s {
		case 16:
			d.writeBits(uint32(b.rleExtra[i]), 2)
		case 17:
			d.writeBits(uint32(b.rleExtra[i]), 3)
		case 18:
			d.writeBits(uint32(b.rleExtra[i]), 7)
		}
	}
}
