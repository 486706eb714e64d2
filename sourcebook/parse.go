package sourcebook

import (
	"go/scanner"
	"go/token"
	"regexp"
	"strings"
)

// Class is the syntax class of a piece of code, for highlighting.
type Class uint8

// The syntax classes. go/scanner decides them, so highlighting agrees with
// the compiler about what is a keyword, a string or a comment.
const (
	Plain Class = iota
	Keyword
	String // string and rune literals
	Number
	Comment
	Builtin // predeclared identifiers: true, nil, len, byte, ...
	Func    // the name right after "func"
)

// Span is a run of code of one class.
type Span struct {
	Text  string
	Class Class
}

// Line is one line of code.
type Line struct {
	Num   int    // 1-based line number in the file
	Text  string // the line as written, tabs included
	Spans []Span // Text cut by syntax class
}

// Marker is an anatomy marker comment: a field or header of the protocol
// and the line of code it points at.
type Marker struct {
	Field Field
	Note  string // the free text after the ID, e.g. "(decode)"
	File  string
	Line  int // the marker comment's own line
	// Target is the line of code right below the marker (and any comment
	// lines that follow it); 0 if the marker sits on no code.
	Target int
}

// Block is a piece of a file: the comment lines above some code (its
// prose) and that code. A block with no prose is code the comments above
// it already explained; a block with no code is prose that stands alone.
type Block struct {
	Prose   []string // comment text with "//" and one space removed
	Markers []Marker // markers among the comment lines, removed from Prose
	Code    []Line   // code lines, blank lines included
	Refs    []Ref    // RFC 6455 references in Prose (offsets into ProseText)
}

// ProseText is the block's prose as one string, lines joined by newlines.
// [Block.Refs] offsets point into it.
func (b Block) ProseText() string { return strings.Join(b.Prose, "\n") }

// StartLine is the first line of the file the block covers, or 0.
func (b Block) StartLine() int {
	if len(b.Code) > 0 {
		return b.Code[0].Num
	}
	return 0
}

// Sections returns the distinct sections the block's prose cites, in the
// order they first appear.
func (b Block) Sections() []string { return uniqueSections(b.Refs) }

// markerPattern matches the text of a marker comment after "//".
var markerPattern = regexp.MustCompile(`^\s*anatomy:\s*(\w+)=(\S+)\s*(.*)$`)

// BadMarker is a marker comment that does not name a known field.
type BadMarker struct {
	File string
	Line int
	Text string
	Why  string
}

// File is one source file cut into blocks.
type File struct {
	Name       string
	Blocks     []Block
	Lines      []Line // every line, in order
	BadMarkers []BadMarker
}

// lineKind classifies a source line.
type lineKind uint8

const (
	blankLine lineKind = iota
	commentLine
	codeLine
)

// ParseFile cuts src, the text of the Go file name, into blocks. Comment
// lines of their own become prose; directives (//go:embed) and comments at
// the end of a code line stay with the code.
func ParseFile(name string, src []byte) *File {
	f := &File{Name: name}
	texts := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	classes, commentStart := classify(src)

	// Cut each line into spans by class, and decide what kind of line it is.
	kinds := make([]lineKind, len(texts))
	off := 0
	for i, text := range texts {
		ln := Line{Num: i + 1, Text: text}
		for j := 0; j < len(text); {
			k := j
			for k < len(text) && classes[off+k] == classes[off+j] {
				k++
			}
			ln.Spans = append(ln.Spans, Span{Text: text[j:k], Class: classes[off+j]})
			j = k
		}
		f.Lines = append(f.Lines, ln)
		trim := strings.TrimLeft(text, " \t")
		switch {
		case trim == "":
			kinds[i] = blankLine
		case commentStart[off+len(text)-len(trim)] && strings.HasPrefix(trim, "//") && !isDirective(trim):
			kinds[i] = commentLine
		default:
			kinds[i] = codeLine
		}
		off += len(text) + 1
	}

	var cur Block
	flush := func() {
		if len(cur.Prose) > 0 || len(cur.Markers) > 0 || len(cur.Code) > 0 {
			cur.Refs = FindRefs(cur.ProseText())
			f.Blocks = append(f.Blocks, cur)
		}
		cur = Block{}
	}
	for i, ln := range f.Lines {
		switch kinds[i] {
		case commentLine:
			if len(cur.Code) > 0 {
				flush()
			}
			text := strings.TrimPrefix(strings.TrimLeft(ln.Text, " \t"), "//")
			text = strings.TrimPrefix(text, " ")
			if m := markerPattern.FindStringSubmatch(text); m != nil {
				f.addMarker(&cur, m, ln.Num, texts, kinds)
				continue
			}
			cur.Prose = append(cur.Prose, text)
		default:
			cur.Code = append(cur.Code, ln)
		}
	}
	flush()
	return f
}

// addMarker records the marker m found on line num, or a bad marker.
func (f *File) addMarker(b *Block, m []string, num int, texts []string, kinds []lineKind) {
	bad := func(why string) {
		f.BadMarkers = append(f.BadMarkers, BadMarker{File: f.Name, Line: num, Text: strings.TrimSpace(texts[num-1]), Why: why})
	}
	kind, id := FieldKind(m[1]), m[2]
	if kind != KindField && kind != KindHeader {
		bad("the kind must be field or header, not " + m[1])
		return
	}
	fd, ok := LookupField(id)
	if !ok || fd.Kind != kind {
		bad("unknown " + m[1] + " " + id)
		return
	}
	mk := Marker{Field: fd, Note: strings.TrimSpace(m[3]), File: f.Name, Line: num}
	// The target is the first line after the run of comment lines. It must
	// be code, and more than a closing brace.
	i := num // index of the line after the marker
	for i < len(kinds) && kinds[i] == commentLine {
		i++
	}
	if i < len(kinds) && kinds[i] == codeLine {
		if t := strings.TrimSpace(texts[i]); t != "}" && t != ")" {
			mk.Target = i + 1
		}
	}
	if mk.Target == 0 {
		bad("the marker is not followed by code")
	}
	b.Markers = append(b.Markers, mk)
}

func isDirective(comment string) bool {
	for _, p := range []string{"//go:", "//line ", "//export ", "//nolint"} {
		if strings.HasPrefix(comment, p) {
			return true
		}
	}
	return false
}

// classify scans src and returns the syntax class of every byte, and
// whether a comment starts at each byte.
func classify(src []byte) (classes []Class, commentStart []bool) {
	classes = make([]Class, len(src)+1)
	commentStart = make([]bool, len(src)+1)
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	prev := token.ILLEGAL
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		n := len(lit)
		if n == 0 {
			n = len(tok.String())
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted by the scanner, not in the text
		}
		var c Class
		switch {
		case tok == token.COMMENT:
			c = Comment
			commentStart[off] = true
		case tok.IsKeyword():
			c = Keyword
		case tok == token.STRING || tok == token.CHAR:
			c = String
		case tok == token.INT || tok == token.FLOAT || tok == token.IMAG:
			c = Number
		case tok == token.IDENT && prev == token.FUNC:
			c = Func
		case tok == token.IDENT && builtins[lit]:
			c = Builtin
		}
		for i := off; i < off+n && i < len(src); i++ {
			classes[i] = c
		}
		if tok != token.COMMENT {
			prev = tok
		}
	}
	return classes, commentStart
}

var builtins = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`any append bool byte cap clear close complex complex64 complex128
		copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len make max min
		new nil panic print println real recover rune string true uint uint8 uint16 uint32 uint64 uintptr`) {
		builtins[name] = true
	}
}
