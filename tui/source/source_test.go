package source

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/google/go-cmp/cmp"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
	"github.com/wsanatomy/wsanatomy/sourcebook"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// miniBook is a small fixed book, so that the goldens do not change each
// time protocol/ does.
func miniBook(t *testing.T) *sourcebook.Book {
	t.Helper()
	b, err := sourcebook.Load(os.DirFS("testdata/book"), []sourcebook.ChapterSpec{
		{Title: "Overview", Intro: "The mini codec.", Files: []string{"doc.go"}},
		{Title: "The wire", Intro: "Bits on the wire (§5.2).", Files: []string{"wire.go"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func protocolBook(t *testing.T) *sourcebook.Book {
	t.Helper()
	b, err := sourcebook.Protocol()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func TestPlainGolden(t *testing.T) {
	b := miniBook(t)
	for _, width := range []int{100, 60} {
		var buf bytes.Buffer
		if err := writePlain(&buf, b, "wire.go", width); err != nil {
			t.Fatal(err)
		}
		golden(t, "plain_wire_"+itoa(width)+".golden", buf.String())
	}
	var buf bytes.Buffer
	if err := writeList(&buf, b); err != nil {
		t.Fatal(err)
	}
	golden(t, "list.golden", buf.String())
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPlainProtocol prints every real file and checks what a reader must
// find: every code line once, in order, the section titles, nothing wider
// than the page.
func TestPlainProtocol(t *testing.T) {
	b := protocolBook(t)
	for _, f := range b.Files() {
		for _, width := range []int{100, 80, 60} {
			var buf bytes.Buffer
			if err := writePlain(&buf, b, f.Name, width); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for i, line := range strings.Split(out, "\n") {
				if w := runewidth.StringWidth(line); w > width {
					t.Errorf("%s at %d: line %d is %d wide: %q", f.Name, width, i+1, w, line)
				}
			}
			// Every non-blank code line is shown with its number.
			shown := numbersShown(out)
			for _, ln := range f.Lines {
				trim := strings.TrimSpace(ln.Text)
				if trim == "" || strings.HasPrefix(trim, "//") && !strings.HasPrefix(trim, "//go:") {
					continue
				}
				if !shown[ln.Num] {
					t.Errorf("%s at %d: line %d (%q) is missing", f.Name, width, ln.Num, trim)
					break
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := writePlain(&buf, b, "frame", 100); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Chapter 3. The frame header: protocol/frame.go",
		"↳ §5.2 Base Framing Protocol",
		"▸ FIN (encode)",
		"RFC 6455 sections cited in frame.go",
		"h.Fin = b[0]&bitFin != 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("frame.go plain output lacks %q", want)
		}
	}
	if err := writePlain(&buf, b, "nosuch.go", 80); err == nil || !strings.Contains(err.Error(), "frame.go") {
		t.Errorf("unknown file: err = %v, want the list of files", err)
	}
}

// TestPlainAligned checks the promise of the layout: a comment starts on
// the same row as the code it explains.
func TestPlainAligned(t *testing.T) {
	var buf bytes.Buffer
	if err := writePlain(&buf, miniBook(t), "wire.go", 100); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{
		{"▸ opcode (encode)", "b0 := h.Opcode & 0x0F"},
		{"▸ ext-len-16 (encode)", "dst = append(dst, b0, 126)"},
		{"Decode reads the first byte", "func Decode(b []byte) Header {"},
	} {
		found := false
		for _, line := range strings.Split(buf.String(), "\n") {
			if strings.HasPrefix(line, pair[0]) && strings.Contains(line, pair[1]) {
				found = true
			}
		}
		if !found {
			t.Errorf("no row holds both %q and %q", pair[0], pair[1])
		}
	}
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m, _ = m.Update(keyMsg(k))
	}
	return m
}

func typeText(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(keyMsg(string(r)))
	}
	return m
}

func sized(t *testing.T, b *sourcebook.Book, opts Options, w, h int) Model {
	t.Helper()
	m, err := New(b, opts)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func TestViewGolden(t *testing.T) {
	b := miniBook(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		suffix := "_" + itoa(w) + "x" + itoa(h) + ".golden"
		m := sized(t, b, Options{File: "wire.go"}, w, h)
		golden(t, "view_wire"+suffix, m.View())
		golden(t, "view_contents"+suffix, press(m, "t").View())
		golden(t, "view_help"+suffix, press(m, "?").View())
		fm, _ := m.Update(OpenFieldMsg{Field: "FIN"})
		golden(t, "view_field_fin"+suffix, fm.View())
		golden(t, "view_search"+suffix, press(typeText(press(m, "/"), "length"), "enter").View())
	}
}

// TestViewFits checks every file of the real book at several sizes: the
// screen is exactly the terminal's height and no wider than it.
func TestViewFits(t *testing.T) {
	b := protocolBook(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}} {
		m := sized(t, b, Options{}, size[0], size[1])
		for range m.files {
			for _, v := range []string{m.View(), press(m, "G").View(), press(m, "t").View()} {
				lines := strings.Split(v, "\n")
				if len(lines) != size[1] {
					t.Errorf("%s at %v: %d lines", m.files[m.file].Name, size, len(lines))
				}
				for _, l := range lines {
					if w := runewidth.StringWidth(l); w > size[0] {
						t.Errorf("%s at %v: a line is %d wide: %q", m.files[m.file].Name, size, w, l)
					}
				}
			}
			m = press(m, "l")
		}
	}
}

func TestSearchKeys(t *testing.T) {
	m := sized(t, miniBook(t), Options{}, 80, 24)
	m = press(m, "/")
	if m.mode != modeSearch {
		t.Fatal("/ does not start a search")
	}
	m = press(typeText(m, "FIN"), "enter")
	if m.mode != modeRead || len(m.matches) < 4 {
		t.Fatalf("after /FIN: mode %d, %d matches", m.mode, len(m.matches))
	}
	// Search covers the whole book: wire.go's code and doc.go's list of
	// cited sections (§5.2's summary names FIN).
	inFile := map[int]bool{}
	for _, h := range m.matches {
		inFile[h.file] = true
	}
	if len(inFile) != 2 {
		t.Errorf("matches in %d files, want 2", len(inFile))
	}
	first := m.matches[m.cur]
	m = press(m, "n")
	if m.matches[m.cur] == first || m.cur != 1 {
		t.Errorf("n did not move: cur = %d", m.cur)
	}
	m = press(m, "N", "N")
	if m.cur != len(m.matches)-1 {
		t.Errorf("N from the first match should wrap to the last, cur = %d", m.cur)
	}
	if !strings.Contains(m.status, "/FIN: match "+itoa(len(m.matches))+" of") {
		t.Errorf("status = %q", m.status)
	}
	m = press(m, "esc")
	if m.query != nil || m.status != "" {
		t.Error("esc did not clear the search")
	}
	m = press(typeText(press(m, "/"), "zzzz"), "enter")
	if len(m.matches) != 0 || !strings.Contains(m.status, "no match") {
		t.Errorf("/zzzz: %d matches, status %q", len(m.matches), m.status)
	}
	// esc while typing leaves the search without searching.
	m = press(typeText(press(m, "esc", "/"), "Header"), "esc")
	if m.mode != modeRead || m.query != nil {
		t.Error("esc in the search prompt should cancel it")
	}
}

func TestContentsKeys(t *testing.T) {
	m := sized(t, miniBook(t), Options{}, 80, 24)
	m = press(m, "t")
	if m.mode != modeContents || m.toc[m.tocSel].file != 0 {
		t.Fatalf("t: mode %d, selection %+v", m.mode, m.toc[m.tocSel])
	}
	m = press(m, "down", "enter")
	if m.mode != modeRead || m.files[m.file].Name != "wire.go" {
		t.Fatalf("down enter opened %s", m.files[m.file].Name)
	}
	// The field list follows the files: the second field entry is RSV1,
	// which the mini book does not mark, the first is FIN.
	m = press(m, "t", "down")
	if m.toc[m.tocSel].field != "FIN" {
		t.Fatalf("selection = %+v, want the FIN entry", m.toc[m.tocSel])
	}
	m = press(m, "enter")
	if m.field != "FIN" || len(m.links) != 2 || m.mode != modeRead {
		t.Fatalf("enter on FIN: field %q, %d links", m.field, len(m.links))
	}
	if !strings.Contains(m.View(), "▸ FIN (encode)") {
		t.Error("the FIN marker is not on screen")
	}
	m = press(m, "n")
	if m.cur != 1 || !strings.Contains(m.status, "place 2 of 2") {
		t.Errorf("n: cur %d, status %q", m.cur, m.status)
	}
	m = press(m, "t", "esc")
	if m.mode != modeRead {
		t.Error("esc does not leave the contents")
	}
}

func TestFileAndScrollKeys(t *testing.T) {
	m := sized(t, protocolBook(t), Options{}, 80, 24)
	m = press(m, "l", "l")
	if m.file != 2 {
		t.Errorf("l l: file %d", m.file)
	}
	m = press(m, "h")
	if m.file != 1 {
		t.Errorf("h: file %d", m.file)
	}
	m = press(m, "j", "j", "j")
	if m.top != 3 {
		t.Errorf("j j j: top %d", m.top)
	}
	m = press(m, "G")
	if want := len(m.doc(m.file).rows) - m.bodyHeight(); m.top != want {
		t.Errorf("G: top %d, want %d", m.top, want)
	}
	m = press(m, "g")
	if m.top != 0 {
		t.Errorf("g: top %d", m.top)
	}
	m, _ = m.Update(tea.MouseMsg{Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
	if m.top != 3 {
		t.Errorf("wheel: top %d", m.top)
	}
	if _, cmd := m.Update(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q does not quit")
	}
}

func TestOpenFieldAndResize(t *testing.T) {
	b := protocolBook(t)
	for _, fd := range sourcebook.Fields() {
		m := sized(t, b, Options{}, 80, 24)
		m, _ = m.Update(OpenFieldMsg{Field: fd.ID})
		if m.field != fd.ID || len(m.links) == 0 {
			t.Errorf("%s: no links", fd.ID)
			continue
		}
		mk := b.Markers(fd.ID)[0]
		target := strings.TrimSpace(b.Files()[m.fileIndex(mk.File)].Lines[mk.Target-1].Text)
		if v := m.View(); !strings.Contains(v, "▸ "+fd.ID) || !strings.Contains(v, runewidth.Truncate(target, 20, "")) {
			t.Errorf("%s: the marker or %q is not on screen:\n%s", fd.ID, target, v)
		}
		// After a resize the same code is still on screen.
		m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if v := m.View(); !strings.Contains(v, runewidth.Truncate(target, 20, "")) {
			t.Errorf("%s: after resize, %q is gone:\n%s", fd.ID, target, v)
		}
	}
	m := sized(t, b, Options{}, 80, 24)
	m, _ = m.Update(OpenFieldMsg{Field: "colour"})
	if !strings.Contains(m.status, "no field or header") {
		t.Errorf("unknown field: status %q", m.status)
	}
	if _, err := New(b, Options{Field: "nope"}); err == nil {
		t.Error("New with an unknown field: no error")
	}
	if _, err := New(b, Options{Field: "sec-websocket-key"}); err != nil {
		t.Errorf("header IDs ignore case: %v", err)
	}
}

func TestEmbedded(t *testing.T) {
	m := sized(t, miniBook(t), Options{Embedded: true}, 80, 24)
	m, _ = m.Update(OpenFieldMsg{Field: "opcode"})
	_, cmd := m.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q: no command")
	}
	if _, ok := cmd().(QuitMsg); !ok {
		t.Error("an embedded reader's q should send QuitMsg, for the parent to quit as it does")
	}
	// esc first clears the field, then leaves.
	m = press(m, "esc")
	if m.field != "" {
		t.Error("esc did not clear the field")
	}
	if _, cmd := m.Update(keyMsg("esc")); cmd == nil {
		t.Error("esc with nothing to clear should leave an embedded reader")
	} else if _, ok := cmd().(CloseMsg); !ok {
		t.Error("esc should send CloseMsg")
	}
}

// TestEscLeaves checks that, with EscLeaves, esc leaves a reader opened at
// a field at once, but still clears a search first.
func TestEscLeaves(t *testing.T) {
	m := sized(t, miniBook(t), Options{Embedded: true, EscLeaves: true}, 80, 24)
	m, _ = m.Update(OpenFieldMsg{Field: "opcode"})
	if _, cmd := m.Update(keyMsg("esc")); cmd == nil {
		t.Error("esc on a field: no command")
	} else if _, ok := cmd().(CloseMsg); !ok {
		t.Error("esc on a field should send CloseMsg")
	}
	m.search("opcode")
	m, cmd := m.Update(keyMsg("esc"))
	if cmd != nil || m.query != nil {
		t.Errorf("esc during a search should clear it first (query %v)", m.query)
	}
}

// TestStyles checks NO_COLOR: the no-colour styles emit no colour even on
// a true-colour terminal, the default styles do, and the plain styles emit
// nothing at all.
func TestStyles(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	b := miniBook(t)
	view := func(st Styles) string {
		m := sized(t, b, Options{File: "wire.go", Styles: st}, 80, 24)
		m, _ = m.Update(OpenFieldMsg{Field: "FIN"})
		return press(typeText(press(m, "/"), "h"), "enter").View()
	}
	if v := view(NoColorStyles()); hasColour(v) || !strings.Contains(v, "\x1b[") {
		t.Errorf("NoColorStyles: want bold and reverse but no colour, got %q", v[:200])
	}
	if v := view(DefaultStyles()); !hasColour(v) {
		t.Error("DefaultStyles draws no colour")
	}
	if v := view(PlainStyles()); strings.Contains(v, "\x1b") {
		t.Error("PlainStyles draws escape sequences")
	}
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// hasColour reports whether s sets a foreground or background colour.
func hasColour(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		params := strings.Split(m[1], ";")
		for i := 0; i < len(params); i++ {
			n, _ := strconv.Atoi(params[i])
			switch {
			case n == 38 || n == 48:
				return true
			case n >= 30 && n <= 37, n >= 40 && n <= 47, n >= 90 && n <= 97, n >= 100 && n <= 107:
				return true
			}
		}
	}
	return false
}

// The reader opens at the top of the book, and a terminal's first size
// (and every later one) keeps it there. doc.go, the first file, is all
// prose but its last line: placing the reader by code line alone sent it
// to the end of the file.
func TestOpensAtTheTopOfTheBook(t *testing.T) {
	b := protocolBook(t)
	first := b.Chapters[0].Files[0].Name
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}} {
		m, err := New(b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, _ = m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if m.files[m.file].Name != first || m.top != 0 {
			t.Errorf("%dx%d: opens at %s row %d, want %s row 0", size[0], size[1], m.files[m.file].Name, m.top, first)
		}
		m, _ = m.Update(tea.WindowSizeMsg{Width: size[0] + 7, Height: size[1] + 3})
		if m.top != 0 {
			t.Errorf("%dx%d: a resize moved the top of the book to row %d", size[0], size[1], m.top)
		}
	}
}

// A resize keeps the reading position in prose as in code: the same block,
// about as far into it.
func TestResizeKeepsThePlaceInProse(t *testing.T) {
	b := protocolBook(t)
	m := sized(t, b, Options{}, 80, 24)
	if m.files[m.file].Name != "doc.go" {
		t.Skip("the first file is no longer doc.go")
	}
	m = press(m, "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
	before := m.top
	row := m.doc(m.file).rows[m.top].plain()
	for _, size := range [][2]int{{120, 40}, {70, 30}, {80, 24}} {
		m, _ = m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		blk, _ := m.doc(m.file).position(m.top)
		if blk != 0 || m.top == 0 || m.top > 2*before {
			t.Errorf("%dx%d: top row %d, block %d; was row %d of block 0", size[0], size[1], m.top, blk, before)
		}
	}
	if got := m.doc(m.file).rows[m.top].plain(); got != row {
		t.Errorf("back at 80x24 the top row is %q, was %q", got, row)
	}
}

// numbersShown returns the line numbers that out shows: each run of digits
// that starts a line or follows a space or a border, and is followed by a
// space. One pass over the output, so that checking every line of every
// file stays linear in the size of the book.
func numbersShown(out string) map[int]bool {
	shown := map[int]bool{}
	for _, line := range strings.Split(out, "\n") {
		rs := []rune(line)
		for i := 0; i < len(rs); i++ {
			if rs[i] < '0' || rs[i] > '9' || (i > 0 && rs[i-1] != ' ' && rs[i-1] != '│' && rs[i-1] != '\t') {
				continue
			}
			j, n := i, 0
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' && n < 1e7 {
				n = n*10 + int(rs[j]-'0')
				j++
			}
			if j < len(rs) && rs[j] == ' ' {
				shown[n] = true
			}
			i = j
		}
	}
	return shown
}

// TestKeyBurst: keys that arrive in one read (a fast typist, tmux
// send-keys) act one by one, as if pressed apart; typed into the search
// field they are its text.
func TestKeyBurst(t *testing.T) {
	m := sized(t, protocolBook(t), Options{}, 80, 24)
	apart, burst := press(m, "j", "j", "j"), press(m, "jjj")
	if apart.top == m.top || burst.top != apart.top {
		t.Errorf("top %d; after j j j %d, after \"jjj\" %d", m.top, apart.top, burst.top)
	}
	if s := press(m, "/", "jjj"); s.mode != modeSearch || s.input.Value() != "jjj" {
		t.Errorf("\"jjj\" typed in the search field: mode %d, %q", s.mode, s.input.Value())
	}
}
