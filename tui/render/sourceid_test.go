package render

import (
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// TestEveryFieldHasCode fails when a field of a frame or an annotated
// handshake header has no sourcebook ID, or an ID no marker in protocol/
// names: the key that opens the source reader would open it nowhere. The
// walkthrough and the lessons both take their links from SourceID and
// HeaderSources, so this one test covers both screens.
func TestEveryFieldHasCode(t *testing.T) {
	book, err := sourcebook.Protocol()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(what, id string, kind sourcebook.FieldKind) {
		t.Helper()
		fd, ok := sourcebook.LookupField(id)
		switch {
		case !ok:
			t.Errorf("%s maps to %q, which is no sourcebook field", what, id)
		case fd.Kind != kind:
			t.Errorf("%s maps to %q, a %s, want a %s", what, id, fd.Kind, kind)
		case len(book.Markers(fd.ID)) == 0:
			t.Errorf("%s maps to %q, which no marker in protocol/ names", what, id)
		}
		seen[fd.ID] = true
	}
	short := ParseFrame([]byte{0x81, 0x00})
	len16 := ParseFrame(append([]byte{0x82, 126, 0, 200}, make([]byte, 200)...))
	len64 := ParseFrame(append([]byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, make([]byte, 65536)...))
	if len16.Header.LengthForm != protocol.Length16Bit || len64.Header.LengthForm != protocol.Length64Bit {
		t.Fatal("test frames do not have the length forms they should")
	}
	for fl := FieldFIN; fl.Name() != ""; fl++ {
		for _, f := range []Frame{short, len16, len64} {
			check("frame field "+fl.Name(), f.SourceID(fl), sourcebook.KindField)
		}
	}
	if id := short.SourceID(FieldNone); id != "" {
		t.Errorf("no field maps to %q", id)
	}
	if a, b := len16.SourceID(FieldExtLen), len64.SourceID(FieldExtLen); a != sourcebook.FieldExtLen16 || b != sourcebook.FieldExtLen64 {
		t.Errorf("extended length maps to %q and %q, want %q and %q", a, b, sourcebook.FieldExtLen16, sourcebook.FieldExtLen64)
	}

	// A head with every header the renderer annotates, in lower and upper
	// case (names match in any case), and headers it does not annotate.
	for _, caseOf := range []func(string) string{strings.ToLower, strings.ToUpper} {
		var head strings.Builder
		head.WriteString("GET / HTTP/1.1\r\n")
		for _, fd := range sourcebook.Fields() {
			if fd.Kind == sourcebook.KindHeader {
				head.WriteString(caseOf(fd.ID) + ": x\r\n")
			}
		}
		head.WriteString("User-Agent: test\r\nX-Other: 1\r\n\r\n")
		linked := map[string]bool{}
		for _, h := range HeaderSources([]byte(head.String())) {
			check("header line "+h.Line, h.ID, sourcebook.KindHeader)
			linked[strings.ToLower(h.ID)] = true
		}
		for _, l := range AnnotateHandshake([]byte(head.String())) {
			name, _, ok := strings.Cut(l.Text, ":")
			if !ok || strings.Contains(l.Note, "ordinary HTTP") {
				continue
			}
			if !linked[strings.ToLower(name)] {
				t.Errorf("annotated header %q (%s) has no link to the code", name, l.Note)
			}
		}
	}
	for _, fd := range sourcebook.Fields() {
		if !seen[fd.ID] {
			t.Errorf("sourcebook field %q is reachable from no field or header on screen", fd.ID)
		}
	}
}
