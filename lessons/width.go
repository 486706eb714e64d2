package lessons

import "unicode"

// A terminal draws East Asian wide and fullwidth characters (汉字, 。, ！)
// in two columns, combining marks in none and everything else in one.
// Unicode's East Asian Width property (UAX #11) says which is which; the
// standard library does not expose it, so the ranges that matter for our
// text are listed here. Ambiguous characters (box drawing, §, ×) count as
// one column, as in every Western terminal; a terminal set up to draw them
// double width is why the TUI offers an ASCII border style.

// wideRanges are the code point ranges of East Asian Width W and F that a
// lesson may contain, sorted, as inclusive pairs.
var wideRanges = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo initial consonants
	{0x231A, 0x231B},   // watch, hourglass
	{0x2329, 0x232A},   // angle brackets
	{0x23E9, 0x23F3},   // media-control symbols
	{0x25FD, 0x25FE},   // medium small squares
	{0x2614, 0x2615},   // umbrella, hot beverage
	{0x2648, 0x2653},   // zodiac
	{0x26A1, 0x26A1},   // high voltage
	{0x26AA, 0x26AB},   // circles
	{0x26BD, 0x26BE},   // balls
	{0x26C4, 0x26C5},   // snowman, sun
	{0x26D4, 0x26D4},   // no entry
	{0x26EA, 0x26EA},   // church
	{0x26F2, 0x26F5},   // fountain ... sailboat
	{0x26FA, 0x26FD},   // tent ... fuel pump
	{0x2705, 0x2705},   // check mark button
	{0x270A, 0x270B},   // fists
	{0x2728, 0x2728},   // sparkles
	{0x274C, 0x274E},   // cross marks
	{0x2753, 0x2757},   // question and exclamation marks
	{0x2795, 0x2797},   // heavy plus, minus, division
	{0x27B0, 0x27BF},   // curly loops
	{0x2B1B, 0x2B1C},   // large squares
	{0x2B50, 0x2B55},   // star, circle
	{0x2E80, 0x303E},   // CJK radicals, Kangxi, ideographic punctuation (、。「」)
	{0x3041, 0x33FF},   // kana, bopomofo, CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xA960, 0xA97F},   // Hangul Jamo extended A
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE10, 0xFE19},   // vertical forms
	{0xFE30, 0xFE6F},   // CJK compatibility forms, small forms
	{0xFF00, 0xFF60},   // fullwidth forms (，：；？！（）)
	{0xFFE0, 0xFFE6},   // fullwidth signs
	{0x1F300, 0x1F64F}, // pictographs, emoticons
	{0x1F680, 0x1F6FF}, // transport and map symbols
	{0x1F900, 0x1F9FF}, // supplemental symbols and pictographs
	{0x20000, 0x2FFFD}, // CJK extensions B-F
	{0x30000, 0x3FFFD}, // CJK extension G and beyond
}

// RuneWidth returns the number of terminal columns r occupies: 0, 1 or 2.
func RuneWidth(r rune) int {
	switch {
	case r == 0:
		return 0
	case r < 0x20 || (r >= 0x7F && r < 0xA0):
		return 0 // control characters draw nothing
	case r < 0x1100:
		if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
			return 0
		}
		return 1
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0 // combining marks and zero-width format characters
	}
	// Binary search of the sorted ranges.
	lo, hi := 0, len(wideRanges)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < wideRanges[m][0]:
			hi = m
		case r > wideRanges[m][1]:
			lo = m + 1
		default:
			return 2
		}
	}
	return 1
}

// Width returns the number of terminal columns s occupies.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// isWide reports whether r takes two columns, which for our text means it
// is Chinese (or Japanese or Korean) and may be broken around.
func isWide(r rune) bool { return RuneWidth(r) == 2 }
