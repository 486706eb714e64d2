package protocol

import (
	"errors"
	"fmt"
)

// Reading compressed bytes as a learner would
//
// The connection inflates messages with compress/flate, which is fast and
// answers one question: what were the bytes? A learner asks another: which
// parts of the message were sent as they are (literals) and which as
// copies of length bytes from distance bytes back (back-references), and how
// far back do those reach? DecodeDeflate answers that by decoding the
// DEFLATE format (RFC 1951) by hand, slowly and completely: stored,
// fixed-Huffman and dynamic-Huffman blocks. It is what a screen uses to
// show why the second "Hello" of a connection with context takeover costs
// five bytes instead of seven: it is one back-reference into the first.
//
// Tests check that its output always equals compress/flate's.

// DeflateTokenKind says what a token is.
type DeflateTokenKind uint8

const (
	// TokenLiteral is one byte sent as itself (through a Huffman code).
	TokenLiteral DeflateTokenKind = iota + 1
	// TokenMatch is a back-reference: Length bytes copied from Distance
	// bytes back, possibly into earlier messages (context takeover).
	TokenMatch
	// TokenStored is a run of bytes in a stored block, sent uncompressed.
	TokenStored
)

func (k DeflateTokenKind) String() string {
	switch k {
	case TokenLiteral:
		return "literal"
	case TokenMatch:
		return "match"
	case TokenStored:
		return "stored"
	}
	return "unknown"
}

// DeflateToken is one piece of an inflated message.
type DeflateToken struct {
	Kind DeflateTokenKind
	// Offset and Length place the bytes it produced in the inflated
	// message: Inflated[Offset : Offset+Length].
	Offset, Length int
	// Distance is how far back a match copies from (0 otherwise). When
	// Distance > Offset, the copy starts in the window of earlier messages.
	Distance int
	// Block is the index in DeflateDecoding.Blocks of the block it is in.
	Block int
}

// DeflateBlock is one DEFLATE block header (RFC 1951 §3.2.3).
type DeflateBlock struct {
	Final bool // BFINAL: the last block of the DEFLATE stream
	// Type is BTYPE: 0 stored, 1 fixed Huffman codes, 2 dynamic Huffman codes.
	Type int
	// BitOffset is where the block header starts, in bits from the start
	// of the compressed data.
	BitOffset int
}

// DeflateDecoding is a compressed message taken apart.
type DeflateDecoding struct {
	Blocks   []DeflateBlock
	Tokens   []DeflateToken
	Inflated []byte
	// MaxDistance is the longest back-reference: the window the sender
	// actually used.
	MaxDistance int
}

// ErrDeflateTooLong is returned by DecodeDeflate when the message inflates
// past its limit.
var ErrDeflateTooLong = errors.New("deflate: inflated data is longer than the limit")

// DecodeDeflate decodes the payload of one compressed message, as it went
// over the wire (without the 00 00 ff ff that RFC 7692 §7.2.1 removes;
// DecodeDeflate puts it back). window holds the bytes of earlier messages
// that back-references may reach (empty without context takeover, or for
// the first message). limit bounds the inflated size (0: no limit).
func DecodeDeflate(window, payload []byte, limit int) (*DeflateDecoding, error) {
	in := make([]byte, 0, len(payload)+4)
	in = append(append(in, payload...), 0x00, 0x00, 0xff, 0xff)
	br := &bitReader{in: in}
	dec := &DeflateDecoding{}
	out := append([]byte(nil), window...) // the window, then this message
	base := len(window)
	// emit records a token for the bytes about to be appended to out.
	emit := func(t DeflateToken) error {
		if limit > 0 && len(out)-base+t.Length > limit {
			return ErrDeflateTooLong
		}
		t.Offset = len(out) - base
		t.Block = len(dec.Blocks) - 1
		dec.Tokens = append(dec.Tokens, t)
		return nil
	}
	if len(payload) == 0 {
		// An empty compressed payload is the empty message: the tail
		// alone holds no complete block.
		dec.Inflated = []byte{}
		return dec, nil
	}
	for {
		// The message ends where the data does: after the empty stored
		// block of the sync flush, on a byte boundary with nothing left.
		if br.pos == len(in) && br.nbits == 0 {
			break
		}
		start := br.bitOffset()
		final, err := br.bits(1)
		if err != nil {
			return nil, err
		}
		typ, err := br.bits(2)
		if err != nil {
			return nil, err
		}
		dec.Blocks = append(dec.Blocks, DeflateBlock{Final: final == 1, Type: int(typ), BitOffset: start})
		switch typ {
		case 0:
			// Stored (RFC 1951 §3.2.4): skip to a byte boundary, LEN, NLEN, bytes.
			br.nbits, br.buf = 0, 0
			if br.pos+4 > len(in) {
				return nil, errors.New("deflate: stored block header is cut off")
			}
			n := int(in[br.pos]) | int(in[br.pos+1])<<8
			nn := int(in[br.pos+2]) | int(in[br.pos+3])<<8
			if n != ^nn&0xffff {
				return nil, fmt.Errorf("deflate: stored block length %d does not match its complement %#04x", n, nn)
			}
			br.pos += 4
			if br.pos+n > len(in) {
				return nil, errors.New("deflate: stored block is cut off")
			}
			if n > 0 {
				if err := emit(DeflateToken{Kind: TokenStored, Length: n}); err != nil {
					return nil, err
				}
				out = append(out, in[br.pos:br.pos+n]...)
			}
			br.pos += n
		case 1, 2:
			var lit, dist *huffman
			if typ == 1 {
				lit, dist = fixedLitHuffman, fixedDistHuffman
			} else if lit, dist, err = br.dynamicTables(); err != nil {
				return nil, err
			}
			for {
				sym, err := br.decode(lit)
				if err != nil {
					return nil, err
				}
				if sym < 256 {
					if err := emit(DeflateToken{Kind: TokenLiteral, Length: 1}); err != nil {
						return nil, err
					}
					out = append(out, byte(sym))
					continue
				}
				if sym == endOfBlock {
					break
				}
				if sym > 285 {
					return nil, fmt.Errorf("deflate: invalid length symbol %d", sym)
				}
				length := lengthBase[sym-257]
				if x := lengthExtra[sym-257]; x > 0 {
					v, err := br.bits(x)
					if err != nil {
						return nil, err
					}
					length += int(v)
				}
				dsym, err := br.decode(dist)
				if err != nil {
					return nil, err
				}
				if dsym >= 30 {
					return nil, fmt.Errorf("deflate: invalid distance symbol %d", dsym)
				}
				d := distBase[dsym]
				if x := distExtra[dsym]; x > 0 {
					v, err := br.bits(x)
					if err != nil {
						return nil, err
					}
					d += int(v)
				}
				if d > len(out) {
					return nil, fmt.Errorf("deflate: back-reference %d bytes back, but only %d bytes came before", d, len(out))
				}
				if err := emit(DeflateToken{Kind: TokenMatch, Length: length, Distance: d}); err != nil {
					return nil, err
				}
				from := len(out) - d
				for k := 0; k < length; k++ { // byte by byte: a copy may overlap itself
					out = append(out, out[from+k])
				}
				dec.MaxDistance = max(dec.MaxDistance, d)
			}
		default:
			return nil, errors.New("deflate: block type 3 is reserved")
		}
		if final == 1 {
			// RFC 7692 §7.2.3 allows a message to end with a final
			// block; whatever follows it is not DEFLATE data.
			break
		}
	}
	dec.Inflated = out[base:]
	return dec, nil
}

// bitReader reads DEFLATE's bits, least significant bit of each byte first.
type bitReader struct {
	in    []byte
	pos   int // next byte to load
	buf   uint32
	nbits uint
}

var errDeflateShort = errors.New("deflate: compressed data ends in the middle of a block")

func (b *bitReader) bitOffset() int { return b.pos*8 - int(b.nbits) }

func (b *bitReader) bits(n uint) (uint32, error) {
	for b.nbits < n {
		if b.pos == len(b.in) {
			return 0, errDeflateShort
		}
		b.buf |= uint32(b.in[b.pos]) << b.nbits
		b.pos++
		b.nbits += 8
	}
	v := b.buf & (1<<n - 1)
	b.buf >>= n
	b.nbits -= n
	return v, nil
}

// huffman is a canonical Huffman code (RFC 1951 §3.2.2) ready for
// decoding: how many codes have each length, and the symbols in code
// order.
type huffman struct {
	count   [16]int
	symbols []int
}

// newHuffman builds the code from each symbol's code length (0: unused).
// It refuses lengths that describe more codes than fit (an oversubscribed
// code), which no correct compressor writes.
func newHuffman(lengths []int) (*huffman, error) {
	h := &huffman{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	for l := 1; l < 16; l++ {
		left = left*2 - h.count[l]
		if left < 0 {
			return nil, errors.New("deflate: Huffman code lengths are oversubscribed")
		}
	}
	var offs [16]int
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	h.symbols = make([]int, offs[15]+h.count[15])
	for sym, l := range lengths {
		if l != 0 {
			h.symbols[offs[l]] = sym
			offs[l]++
		}
	}
	return h, nil
}

// decode reads one symbol, a bit at a time: canonical codes of each
// length are consecutive numbers, so after each bit we can tell whether
// the code read so far is one of the codes of that length.
func (b *bitReader) decode(h *huffman) (int, error) {
	code, first, index := 0, 0, 0
	for l := 1; l < 16; l++ {
		bit, err := b.bits(1)
		if err != nil {
			return 0, err
		}
		code |= int(bit)
		if n := h.count[l]; code-first < n {
			return h.symbols[index+code-first], nil
		} else {
			index += n
			first += n
		}
		first <<= 1
		code <<= 1
	}
	return 0, errors.New("deflate: bits that are no Huffman code")
}

// codeLengthOrder is the order in which a dynamic block lists the code
// lengths of the code-length alphabet (RFC 1951 §3.2.7).
var codeLengthOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamicTables reads the header of a dynamic-Huffman block (RFC 1951 §3.2.7): the
// code lengths of both alphabets, themselves Huffman-coded.
func (b *bitReader) dynamicTables() (lit, dist *huffman, err error) {
	hlit, err := b.bits(5)
	if err != nil {
		return nil, nil, err
	}
	hdist, err := b.bits(5)
	if err != nil {
		return nil, nil, err
	}
	hclen, err := b.bits(4)
	if err != nil {
		return nil, nil, err
	}
	nlit, ndist := int(hlit)+257, int(hdist)+1
	if nlit > 286 || ndist > 30 {
		return nil, nil, fmt.Errorf("deflate: dynamic block declares %d literal/length and %d distance codes", nlit, ndist)
	}
	var clen [19]int
	for i := 0; i < int(hclen)+4; i++ {
		v, err := b.bits(3)
		if err != nil {
			return nil, nil, err
		}
		clen[codeLengthOrder[i]] = int(v)
	}
	ch, err := newHuffman(clen[:])
	if err != nil {
		return nil, nil, err
	}
	lengths := make([]int, 0, nlit+ndist)
	for len(lengths) < nlit+ndist {
		sym, err := b.decode(ch)
		if err != nil {
			return nil, nil, err
		}
		var repeat, value int
		switch {
		case sym < 16:
			lengths = append(lengths, sym)
			continue
		case sym == 16: // repeat the previous length 3-6 times
			if len(lengths) == 0 {
				return nil, nil, errors.New("deflate: code length repeat with no previous length")
			}
			v, err := b.bits(2)
			if err != nil {
				return nil, nil, err
			}
			repeat, value = 3+int(v), lengths[len(lengths)-1]
		case sym == 17: // 3-10 zeros
			v, err := b.bits(3)
			if err != nil {
				return nil, nil, err
			}
			repeat = 3 + int(v)
		default: // 18: 11-138 zeros
			v, err := b.bits(7)
			if err != nil {
				return nil, nil, err
			}
			repeat = 11 + int(v)
		}
		if len(lengths)+repeat > nlit+ndist {
			return nil, nil, errors.New("deflate: code lengths run past their count")
		}
		for ; repeat > 0; repeat-- {
			lengths = append(lengths, value)
		}
	}
	if lengths[endOfBlock] == 0 {
		return nil, nil, errors.New("deflate: dynamic block has no end-of-block code")
	}
	if lit, err = newHuffman(lengths[:nlit]); err != nil {
		return nil, nil, err
	}
	if dist, err = newHuffman(lengths[nlit:]); err != nil {
		return nil, nil, err
	}
	return lit, dist, nil
}

// Base values and extra bits of length symbols 257-285 and distance
// symbols 0-29 (RFC 1951 §3.2.5).
var (
	lengthBase  = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// The fixed codes of RFC 1951 §3.2.6, as code lengths.
var fixedLitHuffman, fixedDistHuffman = func() (*huffman, *huffman) {
	var lit [288]int
	for i := range lit {
		switch {
		case i < 144:
			lit[i] = 8
		case i < 256:
			lit[i] = 9
		case i < 280:
			lit[i] = 7
		default:
			lit[i] = 8
		}
	}
	var dist [30]int
	for i := range dist {
		dist[i] = 5
	}
	l, _ := newHuffman(lit[:])
	d, _ := newHuffman(dist[:])
	return l, d
}()
