package source

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// seg is a piece of a row in one style.
type seg struct {
	text string
	k    sty
}

// row is one rendered line of a document.
type row []seg

func (r row) plain() string {
	var b strings.Builder
	for _, s := range r {
		b.WriteString(s.text)
	}
	return b.String()
}

func (r row) width() int { return runewidth.StringWidth(r.plain()) }

// draw renders the row in st, with the bytes in matches (offsets into the
// row's plain text) drawn as search matches.
func (r row) draw(st Styles, matches [][2]int) string {
	var b strings.Builder
	off := 0
	for _, s := range r {
		start, end := off, off+len(s.text)
		off = end
		// Split s where matches begin and end.
		pos := start
		for _, m := range matches {
			if m[1] <= pos || m[0] >= end {
				continue
			}
			if m[0] > pos {
				b.WriteString(st.render(s.k, s.text[pos-start:m[0]-start]))
				pos = m[0]
			}
			e := min(m[1], end)
			b.WriteString(st.render(sMatch, s.text[pos-start:e-start]))
			pos = e
		}
		if pos < end {
			b.WriteString(st.render(s.k, s.text[pos-start:]))
		}
	}
	return b.String()
}

// doc is a file laid out at one width.
type doc struct {
	rows []row
	// lineRow maps a source line number to the first row that shows it.
	// Only code lines are in it: a comment becomes prose, re-flowed.
	lineRow map[int]int
	// blockRow holds the first row of each block, then of the section
	// summaries at the end: a place in the prose can be found again at
	// another width by its block and how far into it.
	blockRow []int
}

// position says where row top is: in which block, and how far into it
// (0 at its first row, 1 at the next block).
func (d doc) position(top int) (block int, frac float64) {
	block = sort.Search(len(d.blockRow), func(i int) bool { return d.blockRow[i] > top }) - 1
	if block < 0 {
		return 0, 0
	}
	if n := d.blockEnd(block) - d.blockRow[block]; n > 0 {
		frac = float64(top-d.blockRow[block]) / float64(n)
	}
	return block, frac
}

// rowAt is the row at a position found by [doc.position].
func (d doc) rowAt(block int, frac float64) int {
	if block >= len(d.blockRow) {
		return 0
	}
	n := d.blockEnd(block) - d.blockRow[block]
	return d.blockRow[block] + int(frac*float64(n))
}

func (d doc) blockEnd(block int) int {
	if block+1 < len(d.blockRow) {
		return d.blockRow[block+1]
	}
	return len(d.rows)
}

// layout holds the column widths of a side-by-side page.
type layout struct {
	width      int // the whole page
	prose      int // the prose column; 0 when the page is too narrow: stacked
	code       int // the code column, line numbers included
	tab        int // spaces per tab in code
	numWidth   int // width of the line number gutter
	focusLines map[int]bool
	// titled holds the sections whose titles were shown already: a title
	// is shown beside the first block of the file that cites the section.
	titled map[string]bool
}

// sep is drawn between the prose and code columns.
const sep = " │ "

// minSideBySide is the narrowest page that shows prose and code side by
// side; narrower pages show each block's prose above its code.
const minSideBySide = 70

func newLayout(width int, f *sourcebook.File) layout {
	if width < 30 {
		width = 30
	}
	l := layout{width: width, numWidth: len(fmt.Sprint(len(f.Lines))) + 1}
	if width >= minSideBySide {
		l.prose = max(24, min(56, (width-len(sep))*2/5))
		l.code = width - l.prose - runewidth.StringWidth(sep)
	} else {
		l.code = width
	}
	l.tab = 4
	if l.code-l.numWidth < 60 {
		l.tab = 2
	}
	return l
}

// layoutFile lays out a file: each block's prose beside (or above) its
// code, then the sections the file cites, with their summaries.
func layoutFile(f *sourcebook.File, width int, focus []int, lang string) doc {
	l := newLayout(width, f)
	l.focusLines = map[int]bool{}
	l.titled = map[string]bool{}
	for _, n := range focus {
		l.focusLines[n] = true
	}
	d := doc{lineRow: map[int]int{}}
	for _, b := range f.Blocks {
		d.blockRow = append(d.blockRow, len(d.rows))
		l.block(&d, b)
	}
	d.blockRow = append(d.blockRow, len(d.rows))
	d.rows = append(d.rows, glossary(f, width, lang)...)
	return d
}

// block appends the rows of one block.
func (l layout) block(d *doc, b sourcebook.Block) {
	// Trailing blank lines become one empty row after the block.
	code := b.Code
	gap := false
	for len(code) > 0 && strings.TrimSpace(code[len(code)-1].Text) == "" {
		code, gap = code[:len(code)-1], true
	}
	side := l.prose > 0
	pw := l.prose
	if !side {
		pw = l.width
	}
	// A block whose prose holds a preformatted line wider than the column
	// (the frame diagram) is stacked even on a wide page.
	if side && preWidth(b) > pw {
		side, pw = false, l.width
	}
	prose := l.proseRows(b, pw)
	codeWidth := l.code
	if !side {
		codeWidth = l.width
	}
	var codeRows []row
	var codeNums []int
	for _, ln := range code {
		rs := l.codeRows(ln, codeWidth)
		for i := range rs {
			if i == 0 {
				codeNums = append(codeNums, ln.Num)
			} else {
				codeNums = append(codeNums, 0)
			}
		}
		codeRows = append(codeRows, rs...)
	}
	l.markTitled(b)
	base := len(d.rows)
	if !side {
		d.rows = append(d.rows, prose...)
		base = len(d.rows)
		d.rows = append(d.rows, codeRows...)
	} else {
		n := max(len(prose), len(codeRows))
		for i := 0; i < n; i++ {
			var r row
			if i < len(prose) {
				r = append(r, prose[i]...)
			}
			if pad := pw - r.width(); pad > 0 {
				r = append(r, seg{strings.Repeat(" ", pad), sNone})
			}
			r = append(r, seg{sep, sDim})
			if i < len(codeRows) {
				r = append(r, codeRows[i]...)
			}
			d.rows = append(d.rows, trimRow(r))
		}
	}
	for i, n := range codeNums {
		if n > 0 {
			if _, ok := d.lineRow[n]; !ok {
				d.lineRow[n] = base + i
			}
		}
	}
	if gap {
		if side {
			d.rows = append(d.rows, row{{strings.Repeat(" ", pw), sNone}, {strings.TrimRight(sep, " "), sDim}})
		} else {
			d.rows = append(d.rows, row{})
		}
	}
}

// trimRow removes trailing spaces, so that rows compare cleanly in tests.
func trimRow(r row) row {
	for len(r) > 0 {
		last := &r[len(r)-1]
		t := strings.TrimRight(last.text, " ")
		if t != "" {
			last.text = t
			return r
		}
		r = r[:len(r)-1]
	}
	return r
}

// codeRows draws one code line: line number, then the highlighted code,
// wrapped at the column with a ↪ in the gutter of continuation rows.
func (l layout) codeRows(ln sourcebook.Line, width int) []row {
	numK := sDim
	if l.focusLines[ln.Num] {
		numK = sFocus
	}
	num := fmt.Sprintf("%*d ", l.numWidth-1, ln.Num)
	cont := strings.Repeat(" ", l.numWidth-2) + "↪ "
	avail := max(8, width-l.numWidth)
	var rows []row
	cur := row{{num, numK}}
	w := 0
	col := 0 // column in the expanded line, for tab stops
	for _, sp := range ln.Spans {
		k := codeSty(sp.Class)
		for _, r := range sp.Text {
			text := string(r)
			if r == '\t' {
				n := l.tab - col%l.tab
				text = strings.Repeat(" ", n)
			}
			rw := runewidth.StringWidth(text)
			if w+rw > avail && w > 0 {
				rows = append(rows, trimRow(cur))
				cur, w = row{{cont, sDim}}, 0
			}
			if n := len(cur); n > 0 && cur[n-1].k == k {
				cur[n-1].text += text
			} else {
				cur = append(cur, seg{text, k})
			}
			w += rw
			col += rw
		}
	}
	return append(rows, trimRow(cur))
}

var (
	listItem = regexp.MustCompile(`^\s+(?:\d+\.|[-*])\s+`)
	heading  = regexp.MustCompile(`^#\s+`)
)

// proseRows lays out a block's prose at width w: paragraphs wrapped,
// list items with a hanging indent, preformatted lines as written, and
// then the block's markers and the titles of the sections it cites.
func (l layout) proseRows(b sourcebook.Block, w int) []row {
	var rows []row
	var para []string
	indent := ""
	flush := func() {
		if len(para) > 0 {
			rows = append(rows, wrapProse(strings.Join(para, " "), w, indent)...)
		}
		para, indent = nil, ""
	}
	for _, line := range b.Prose {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			rows = append(rows, row{})
		case heading.MatchString(line):
			flush()
			rows = append(rows, row{{heading.ReplaceAllString(line, ""), sHeading}})
		case listItem.MatchString(line):
			flush()
			m := listItem.FindString(line)
			para = []string{strings.TrimLeft(line, " \t")}
			indent = strings.Repeat(" ", len(strings.TrimLeft(m, " \t")))
		case isPre(line, indent):
			flush()
			rows = append(rows, preRows("  "+strings.ReplaceAll(strings.TrimPrefix(line, "\t"), "\t", "    "), w)...)
		default:
			para = append(para, strings.TrimSpace(line))
		}
	}
	flush()
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	for _, m := range b.Markers {
		text := "▸ " + m.Field.ID
		if m.Note != "" {
			text += " " + m.Note
		}
		rows = append(rows, wrapStyled(text, w, "  ", sMarker)...)
	}
	for _, num := range b.Sections() {
		if s, ok := sourcebook.LookupSection(num); ok && !l.titled[num] {
			rows = append(rows, wrapStyled("↳ "+s.Label(), w, "  ", sRef)...)
		}
	}
	return rows
}

// markTitled records the sections whose titles a block showed.
func (l layout) markTitled(b sourcebook.Block) {
	for _, num := range b.Sections() {
		l.titled[num] = true
	}
}

// isPre reports whether a prose line is preformatted: a Go doc comment
// code block.
func isPre(line, indent string) bool {
	return strings.HasPrefix(line, "\t") || (strings.HasPrefix(line, "  ") && indent == "")
}

// preWidth is the width of the widest preformatted line of a block.
func preWidth(b sourcebook.Block) int {
	w := 0
	for _, line := range b.Prose {
		if isPre(line, "") && !listItem.MatchString(line) {
			w = max(w, 2+runewidth.StringWidth(strings.ReplaceAll(strings.TrimPrefix(line, "\t"), "\t", "    ")))
		}
	}
	return w
}

// preRows keeps a preformatted line as written, cut into pieces of w
// columns if it is wider than that.
func preRows(line string, w int) []row {
	var rows []row
	for runewidth.StringWidth(line) > w {
		head := runewidth.Truncate(line, w, "")
		rows = append(rows, row{{head, sNone}})
		line = "  " + line[len(head):]
	}
	return append(rows, row{{line, sNone}})
}

// wrapProse wraps a paragraph, drawing its section references as such.
// Continuation lines start with indent.
func wrapProse(text string, w int, indent string) []row {
	kinds := make([]sty, len(text))
	for _, r := range sourcebook.FindRefs(text) {
		for i := r.Start; i < r.End; i++ {
			kinds[i] = sRef
		}
	}
	var rows []row
	for i, ln := range wrapWords(text, w, runewidth.StringWidth(indent)) {
		var r row
		if i > 0 {
			r = append(r, seg{indent, sNone})
		}
		for j := ln[0]; j < ln[1]; {
			k := j
			for k < ln[1] && kinds[k] == kinds[j] {
				k++
			}
			r = append(r, seg{text[j:k], kinds[j]})
			j = k
		}
		rows = append(rows, r)
	}
	return rows
}

func wrapStyled(text string, w int, indent string, k sty) []row {
	var rows []row
	for i, ln := range wrapWords(text, w, runewidth.StringWidth(indent)) {
		r := row{{text[ln[0]:ln[1]], k}}
		if i > 0 {
			r = append(row{{indent, sNone}}, r...)
		}
		rows = append(rows, r)
	}
	return rows
}

// wrapWords breaks text into lines of at most w columns at spaces, the
// lines after the first being indent columns narrower. It returns each
// line as byte offsets into text. A word longer than a line is cut.
func wrapWords(text string, w, indent int) [][2]int {
	var lines [][2]int
	start, end, width := -1, -1, 0
	limit := w
	i := 0
	for i < len(text) {
		if text[i] == ' ' {
			i++
			continue
		}
		j := strings.IndexByte(text[i:], ' ')
		if j < 0 {
			j = len(text)
		} else {
			j += i
		}
		ww := runewidth.StringWidth(text[i:j])
		switch {
		case start < 0:
			start, end, width = i, j, ww
		case width+1+ww <= limit:
			end, width = j, width+1+ww
		default:
			lines = append(lines, [2]int{start, end})
			limit = max(8, w-indent)
			start, end, width = i, j, ww
		}
		// Cut a word that cannot fit on a line of its own.
		for width > limit {
			cut := start
			cw := 0
			for _, r := range text[start:end] {
				rw := runewidth.RuneWidth(r)
				if cw+rw > limit {
					break
				}
				cw += rw
				cut += len(string(r))
			}
			if cut == start {
				break
			}
			lines = append(lines, [2]int{start, cut})
			limit = max(8, w-indent)
			start, width = cut, runewidth.StringWidth(text[cut:end])
		}
		i = j
	}
	if start >= 0 {
		lines = append(lines, [2]int{start, end})
	}
	return lines
}

// glossary lists the sections the file cites, with titles and summaries.
func glossary(f *sourcebook.File, width int, lang string) []row {
	var refs []sourcebook.Ref
	for _, b := range f.Blocks {
		refs = append(refs, b.Refs...)
	}
	seen := map[string]bool{}
	var nums []string
	for _, r := range refs {
		if !seen[r.Section] {
			seen[r.Section] = true
			nums = append(nums, r.Section)
		}
	}
	if len(nums) == 0 {
		return nil
	}
	rows := []row{{}, {{fmt.Sprintf(tr(lang, "RFC 6455 sections cited in %s"), f.Name), sHeading}}, {}}
	sortSections(nums)
	for _, num := range nums {
		s, ok := sourcebook.LookupSection(num)
		if !ok {
			rows = append(rows, row{{fmt.Sprintf(tr(lang, "§%s (not in RFC 6455)"), num), sDim}})
			continue
		}
		rows = append(rows, row{{s.Label(), sRef}})
		if sum := s.SummaryIn(lang); sum != "" {
			rows = append(rows, wrapStyled(sum, width-2, "", sNone)...)
			for i := len(rows) - 1; i >= 0 && len(rows[i]) > 0 && rows[i][0].k != sRef; i-- {
				rows[i] = append(row{{"  ", sNone}}, rows[i]...)
			}
		}
	}
	return rows
}

// sortSections orders section numbers numerically: 5.2 before 5.10.
func sortSections(nums []string) {
	less := func(a, b string) bool {
		as, bs := strings.Split(a, "."), strings.Split(b, ".")
		for i := 0; i < len(as) && i < len(bs); i++ {
			var x, y int
			fmt.Sscan(as[i], &x)
			fmt.Sscan(bs[i], &y)
			if x != y {
				return x < y
			}
		}
		return len(as) < len(bs)
	}
	for i := 1; i < len(nums); i++ {
		for j := i; j > 0 && less(nums[j], nums[j-1]); j-- {
			nums[j], nums[j-1] = nums[j-1], nums[j]
		}
	}
}
