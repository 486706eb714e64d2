package sourcebook

import (
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wsanatomy/wsanatomy/protocol"
)

func protocolBook(t *testing.T) *Book {
	t.Helper()
	b, err := Protocol()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEveryFieldHasMarkers is the guarantee behind "open the reader at
// this field": every field and header has at least one marker on code.
func TestEveryFieldHasMarkers(t *testing.T) {
	b := protocolBook(t)
	for _, f := range Fields() {
		ms := b.Markers(f.ID)
		if len(ms) == 0 {
			t.Errorf("%s %s has no marker in protocol/: add // anatomy: %s=%s above the code that handles it", f.Kind, f.ID, f.Kind, f.ID)
		}
		for _, m := range ms {
			file, _ := b.File(m.File)
			code := strings.TrimSpace(file.Lines[m.Target-1].Text)
			if code == "" || strings.HasPrefix(code, "//") {
				t.Errorf("marker for %s at %s:%d points at %q", f.ID, m.File, m.Line, code)
			}
		}
	}
	// Frame fields are both encoded and decoded: expect two places or more.
	for _, id := range []string{FieldFIN, FieldOpcode, FieldMask, FieldPayloadLen, FieldExtLen16, FieldExtLen64, FieldMaskingKey} {
		if n := len(b.Markers(id)); n < 2 {
			t.Errorf("field %s has %d markers; want its encoding and its decoding", id, n)
		}
	}
}

// TestNoBadMarkers fails on a marker naming an unknown field, or one with
// no code below it.
func TestNoBadMarkers(t *testing.T) {
	for _, bm := range protocolBook(t).BadMarkers() {
		t.Errorf("%s:%d: %s: %s", bm.File, bm.Line, bm.Text, bm.Why)
	}
	// Markers anywhere else in the package (test files are not in the
	// book) would be silently ignored: there should be none.
	names, _ := fs.Glob(protocol.Source, "*_test.go")
	for _, name := range names {
		src, _ := fs.ReadFile(protocol.Source, name)
		if strings.Contains(string(src), "// anatomy:") {
			t.Errorf("%s holds an anatomy marker; markers belong in the package's own files", name)
		}
	}
}

// TestMarkerChecksCanFail runs the same checks over a file with broken
// markers, to prove they notice.
func TestMarkerChecksCanFail(t *testing.T) {
	src := "package p\n\nfunc f() {\n\t// anatomy: field=FIN\n\tx := 1\n\t// anatomy: field=NOPE\n\t_ = x\n\t// anatomy: header=Host\n}\n\n// anatomy: color=red\nvar y = 2\n"
	b, err := Load(fstest.MapFS{"p.go": {Data: []byte(src)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var whys []string
	for _, bm := range b.BadMarkers() {
		whys = append(whys, bm.Why)
	}
	want := []string{"unknown field NOPE", "the marker is not followed by code", "the kind must be field or header, not color"}
	if strings.Join(whys, "|") != strings.Join(want, "|") {
		t.Errorf("bad markers = %q, want %q", whys, want)
	}
	if ms := b.Markers("FIN"); len(ms) != 1 || ms[0].Target != 5 {
		t.Errorf("FIN markers = %+v, want one pointing at line 5", ms)
	}
	if len(b.Markers(FieldOpcode)) != 0 {
		t.Error("opcode has a marker in a file that has none")
	}
}

// sectionLiteral finds section numbers written as strings in code:
// violationf("5.5", ...), Section: "4.2.1", h.Section = "4.4".
var sectionLiteral = regexp.MustCompile(`(?:violationf\(|Section\s*[:=]\s*)"(\d+(?:\.\d+)*)"`)

// TestCitedSectionsExist checks every RFC 6455 section the protocol
// source names, in comments, messages or Section fields, against the
// RFC's table of contents, and that each cited one has a summary.
func TestCitedSectionsExist(t *testing.T) {
	cited := map[string][]string{}
	names, _ := fs.Glob(protocol.Source, "*.go")
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, _ := fs.ReadFile(protocol.Source, name)
		for i, line := range strings.Split(string(src), "\n") {
			where := name + ":" + strconv.Itoa(i+1)
			for _, r := range FindRefs(line) {
				cited[r.Section] = append(cited[r.Section], where)
			}
			for _, m := range sectionLiteral.FindAllStringSubmatch(line, -1) {
				cited[m[1]] = append(cited[m[1]], where)
			}
		}
	}
	if len(cited) < 20 {
		t.Fatalf("found only %d cited sections; is the reference pattern broken?", len(cited))
	}
	for num, where := range cited {
		s, ok := LookupSection(num)
		if !ok {
			t.Errorf("§%s, cited at %s, is not a section of RFC 6455", num, strings.Join(where, ", "))
			continue
		}
		if s.Summary == "" {
			t.Errorf("§%s %s, cited at %s, has no summary in summaries.go", num, s.Title, strings.Join(where, ", "))
		}
	}
	if _, ok := LookupSection("5.9"); ok {
		t.Error("§5.9 does not exist but LookupSection found it")
	}
}

// TestReadingOrder checks that the reading order names real files and
// that the book holds every non-test file of the package exactly once.
func TestReadingOrder(t *testing.T) {
	b := protocolBook(t)
	for _, spec := range ReadingOrder {
		for _, name := range spec.Files {
			if _, err := fs.Stat(protocol.Source, name); err != nil {
				t.Errorf("chapter %q names %s, which protocol/ does not have", spec.Title, name)
			}
		}
	}
	names, _ := fs.Glob(protocol.Source, "*.go")
	seen := map[string]int{}
	for _, f := range b.Files() {
		seen[f.Name]++
	}
	for _, name := range names {
		if !strings.HasSuffix(name, "_test.go") && seen[name] != 1 {
			t.Errorf("%s appears %d times in the book", name, seen[name])
		}
	}
	if got := b.Chapters[0].Files[0].Name; got != "doc.go" {
		t.Errorf("the book opens with %s, want doc.go", got)
	}
	if b.Chapters[1].Files[0].Name != "handshake.go" {
		t.Errorf("chapter 2 opens with %s, want handshake.go", b.Chapters[1].Files[0].Name)
	}
}

// TestParseFile checks how a file is cut into prose and code.
func TestParseFile(t *testing.T) {
	src := `// Package p is a test.
package p

import "fmt"

// Answer is the answer, §5.2.
//
// It is 42.
const Answer = 42 // trailing comments stay with the code

//go:embed x
var x string

func f() {
	// First, print.
	fmt.Println("// not a comment")
	// anatomy: field=opcode (here)
	_ = 1
}
`
	f := ParseFile("p.go", []byte(src))
	type blk struct {
		prose string
		code  []int
	}
	var got []blk
	for _, b := range f.Blocks {
		var nums []int
		for _, l := range b.Code {
			nums = append(nums, l.Num)
		}
		got = append(got, blk{b.ProseText(), nums})
	}
	want := []blk{
		{"Package p is a test.", []int{2, 3, 4, 5}},
		{"Answer is the answer, §5.2.\n\nIt is 42.", []int{9, 10, 11, 12, 13, 14}},
		{"First, print.", []int{16}},
		{"", []int{18, 19}},
	}
	if len(got) != len(want) {
		t.Fatalf("blocks = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].prose != want[i].prose || !equalInts(got[i].code, want[i].code) {
			t.Errorf("block %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if ms := f.Blocks[3].Markers; len(ms) != 1 || ms[0].Note != "(here)" || ms[0].Target != 18 {
		t.Errorf("markers = %+v", ms)
	}
	if s := f.Blocks[1].Sections(); len(s) != 1 || s[0] != "5.2" {
		t.Errorf("sections = %v", s)
	}
	// Highlighting: the string with "//" in it is a string, not a comment.
	var classes []Class
	for _, sp := range f.Lines[15].Spans {
		if strings.TrimSpace(sp.Text) != "" {
			classes = append(classes, sp.Class)
		}
	}
	if len(classes) != 3 || classes[1] != String {
		t.Errorf("line 16 spans = %+v", f.Lines[15].Spans)
	}
	if f.Lines[8].Spans[0].Class != Keyword || f.Lines[8].Spans[len(f.Lines[8].Spans)-1].Class != Comment {
		t.Errorf("line 9 spans = %+v", f.Lines[8].Spans)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMaskingChapter checks that the masking chapter shows the portable
// code first and every file of the vectorised paths (mask_*.go, whatever
// machine they are for) right after it, where their explanation belongs.
func TestMaskingChapter(t *testing.T) {
	b := protocolBook(t)
	ch := b.ChapterOf("mask.go")
	if ch == nil || ch.Files[0].Name != "mask.go" {
		t.Fatalf("mask.go does not open a chapter")
	}
	names, _ := fs.Glob(protocol.Source, "mask_*.go")
	var vectorised []string
	for _, name := range names {
		if !strings.HasSuffix(name, "_test.go") {
			vectorised = append(vectorised, name)
		}
	}
	if len(vectorised) == 0 {
		t.Fatal("no mask_*.go files in protocol/")
	}
	for _, name := range vectorised {
		if got := b.ChapterOf(name); got != ch {
			t.Errorf("%s is not in the %q chapter with mask.go", name, ch.Title)
		}
	}
	if len(ch.Files) != 1+len(vectorised) {
		t.Errorf("the %q chapter holds %d files, want mask.go and %v", ch.Title, len(ch.Files), vectorised)
	}
}
