package sourcebook

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// ChapterSpec names a chapter and the files it holds, in reading order.
type ChapterSpec struct {
	Title string
	Intro string // one sentence on what the chapter shows
	Files []string
}

// ReadingOrder is the story of a connection, the order protocol/doc.go
// gives under "Reading order": handshake, frame header, masking, rules,
// text, messages and control frames, closing, the connection itself, and
// its timeouts.
// Files of the package that no chapter names go in a last chapter, so a
// new file is never hidden.
var ReadingOrder = []ChapterSpec{
	{"Overview", "What the package is and how to read it.", []string{"doc.go"}},
	{"The opening handshake", "An HTTP request and a 101 response turn a TCP connection into a WebSocket (§4).", []string{"handshake.go", "client.go", "server.go", "handshake_http.go"}},
	{"The frame header", "Every frame starts with 2 to 14 bytes that say what it is and how long (§5.2).", []string{"opcode.go", "frame.go"}},
	{"Masking", "Clients XOR their payloads with a fresh random key (§5.3): the portable code, then the same done 16 to 32 bytes at a time.", []string{"mask.go", "mask_amd64.go", "mask_arm64.go", "mask_purego.go"}},
	{"The rules of a header", "Decoding is not judging: the checks a received header must pass.", []string{"check.go"}},
	{"Text is UTF-8", "Text messages are validated as they arrive (§5.6, §8.1).", []string{"utf8.go"}},
	{"Messages, fragmentation and control frames", "Reading and writing messages frame by frame, with pings and pongs in between (§5.4, §5.5).", []string{"read.go", "write.go"}},
	{"Closing", "Status codes and the closing handshake (§5.5.1, §7).", []string{"close.go", "close_handshake.go"}},
	{"The connection", "The Conn that ties it together, and the observer that lets a program watch every frame.", []string{"conn.go", "observer.go", "inspect.go"}},
	{"Timeouts and heartbeats", "How long a read or a write may take, whoever does it, and how a silent peer is found out.", []string{"deadline.go", "heartbeat.go"}},
	{"Compression", "permessage-deflate (RFC 7692): negotiating it, a DEFLATE compressor that keeps to the agreed window, taking compressed bytes apart, and the hooks into the connection.", []string{"extension.go", "pmdeflate_negotiate.go", "deflate.go", "deflate_huffman.go", "deflate_tokens.go", "pmdeflate.go"}},
}

// otherChapter is the title of the chapter of files no spec names.
const otherChapter = "Other files"

// Chapter is a titled group of files.
type Chapter struct {
	Num   int // 1-based
	Title string
	Intro string
	Files []*File
}

// Book is a package's source, parsed and ordered.
type Book struct {
	Chapters []*Chapter
	files    map[string]*File
}

// Load reads the non-test Go files of fsys (its root directory) and orders
// them by specs. Files named by a spec but missing from fsys are skipped.
func Load(fsys fs.FS, specs []ChapterSpec) (*Book, error) {
	names, err := fs.Glob(fsys, "*.go")
	if err != nil {
		return nil, err
	}
	b := &Book{files: map[string]*File{}}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		b.files[name] = ParseFile(name, src)
	}
	placed := map[string]bool{}
	for _, spec := range specs {
		ch := &Chapter{Title: spec.Title, Intro: spec.Intro}
		for _, name := range spec.Files {
			if f := b.files[name]; f != nil && !placed[name] {
				ch.Files = append(ch.Files, f)
				placed[name] = true
			}
		}
		if len(ch.Files) > 0 {
			b.Chapters = append(b.Chapters, ch)
		}
	}
	var rest []string
	for name := range b.files {
		if !placed[name] {
			rest = append(rest, name)
		}
	}
	if len(rest) > 0 {
		sort.Strings(rest)
		ch := &Chapter{Title: otherChapter, Intro: "Files the reading order does not name yet."}
		for _, name := range rest {
			ch.Files = append(ch.Files, b.files[name])
		}
		b.Chapters = append(b.Chapters, ch)
	}
	for i, ch := range b.Chapters {
		ch.Num = i + 1
	}
	return b, nil
}

// Protocol returns the book of the protocol package, read from the source
// embedded in the binary.
func Protocol() (*Book, error) { return Load(protocol.Source, ReadingOrder) }

// Files returns every file in reading order.
func (b *Book) Files() []*File {
	var out []*File
	for _, ch := range b.Chapters {
		out = append(out, ch.Files...)
	}
	return out
}

// File returns the named file. The name may be a path ending in the file
// name ("protocol/frame.go") and may leave out ".go".
func (b *Book) File(name string) (*File, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if !strings.HasSuffix(base, ".go") {
		base += ".go"
	}
	if f := b.files[base]; f != nil {
		return f, nil
	}
	var names []string
	for _, f := range b.Files() {
		names = append(names, f.Name)
	}
	return nil, fmt.Errorf("no file %q in the book; the files are %s", name, strings.Join(names, ", "))
}

// ChapterOf returns the chapter holding the named file, or nil.
func (b *Book) ChapterOf(name string) *Chapter {
	for _, ch := range b.Chapters {
		for _, f := range ch.Files {
			if f.Name == name {
				return ch
			}
		}
	}
	return nil
}

// Markers returns the markers for a field or header ID, in reading order.
func (b *Book) Markers(id string) []Marker {
	fd, ok := LookupField(id)
	if !ok {
		return nil
	}
	var out []Marker
	for _, m := range b.AllMarkers() {
		if m.Field.ID == fd.ID {
			out = append(out, m)
		}
	}
	return out
}

// AllMarkers returns every valid marker, in reading order.
func (b *Book) AllMarkers() []Marker {
	var out []Marker
	for _, f := range b.Files() {
		for _, bl := range f.Blocks {
			for _, m := range bl.Markers {
				if m.Target != 0 {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// BadMarkers returns the markers that name no known field or sit on no
// code.
func (b *Book) BadMarkers() []BadMarker {
	var out []BadMarker
	for _, f := range b.Files() {
		out = append(out, f.BadMarkers...)
	}
	return out
}
