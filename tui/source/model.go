// Package source is the annotated source reader: the protocol package's
// own code, read as a book, each comment beside the code it explains, with
// a table of contents, search, and links from every frame field and
// handshake header to the code that encodes and decodes it.
//
// Run it with [Run]; print it without a terminal with [WriteList] and
// [WritePlain]. Another Bubble Tea program can embed the reader: create a
// [Model] with [New] and Options.Embedded, route messages to its Update,
// and open it at a field with [OpenField].
package source

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mattn/go-runewidth"
	"github.com/wsanatomy/wsanatomy/sourcebook"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
)

// OpenFieldMsg asks a reader to show the code for a frame field or a
// handshake header; Field is an ID from [sourcebook.Fields], such as
// "FIN", "opcode", "masking-key" or "Sec-WebSocket-Key".
type OpenFieldMsg struct{ Field string }

// OpenField returns a command that opens the reader at a field or header.
func OpenField(id string) tea.Cmd {
	return func() tea.Msg { return OpenFieldMsg{Field: id} }
}

// CloseMsg is sent by an embedded reader when the learner leaves it (esc
// with nothing to clear). The parent should show its own screen again.
type CloseMsg struct{}

// QuitMsg is sent by an embedded reader when the learner presses q, which
// quits wsanatomy from every screen. The parent should quit as it does on
// its own q (closing what it holds).
type QuitMsg struct{}

// Options configure a reader.
type Options struct {
	File     string // the file to open first ("frame.go"); empty: the first chapter
	Field    string // a field or header to open at; overrides File
	Styles   Styles // the zero value draws plain text
	Embedded bool   // esc sends CloseMsg, q sends QuitMsg, instead of quitting the program
	Lang     string // "zh" for the reader's own words in Chinese; the code stays as it is
	// EscLeaves makes esc leave an embedded reader even when a field is
	// highlighted (a parent that opened the reader at a field wants esc to
	// come back); esc still clears a search first.
	EscLeaves bool
}

type mode uint8

const (
	modeRead mode = iota
	modeContents
	modeSearch
	modeHelp
)

// hit is a place in the book: a row of a file's layout.
type hit struct {
	file, row int
}

// tocEntry is one line of the table of contents.
type tocEntry struct {
	text  string
	file  int    // the file it opens, or -1
	field string // the field it opens, if any
}

// Model is the reader.
type Model struct {
	book   *sourcebook.Book
	files  []*sourcebook.File
	styles Styles
	keys   KeyMap
	opts   Options
	lang   string // "en" or "zh"

	width, height int
	mode          mode
	helpFrom      mode // the mode the help was opened from, and goes back to
	file          int  // index in files
	top           int  // first row shown
	docs          map[int]doc

	toc    []tocEntry
	tocSel int

	input   textinput.Model
	query   *regexp.Regexp
	queryS  string
	matches []hit
	field   string // the field whose links n/N follow, when no search is active
	links   []hit
	cur     int // index in matches or links
	focus   map[int][]int
	status  string
}

// New returns a reader over book, 80x24 until told otherwise.
func New(book *sourcebook.Book, opts Options) (Model, error) {
	m := Model{
		book: book, files: book.Files(), styles: opts.Styles, keys: KeyMapIn(langOf(opts.Lang)), lang: langOf(opts.Lang),
		opts: opts, width: 80, height: 24, docs: map[int]doc{},
		focus: map[int][]int{},
	}
	m.input = textinput.New()
	m.input.Prompt = "/"
	m.buildTOC()
	if opts.File != "" {
		f, err := book.File(opts.File)
		if err != nil {
			return m, err
		}
		m.file = m.fileIndex(f.Name)
	}
	if opts.Field != "" {
		var err error
		if m, err = m.OpenAt(opts.Field); err != nil {
			return m, err
		}
	}
	return m, nil
}

// keyNames is how the reader's own text names the keys of binds: their
// help keys, joined with "/".
func keyNames(binds ...key.Binding) string {
	var s []string
	for _, b := range binds {
		s = append(s, b.Help().Key)
	}
	return strings.Join(s, "/")
}

// Init does nothing: the reader needs no I/O.
func (m Model) Init() tea.Cmd { return nil }

func (m Model) fileIndex(name string) int {
	for i, f := range m.files {
		if f.Name == name {
			return i
		}
	}
	return 0
}

func (m *Model) buildTOC() {
	m.toc = nil
	for _, ch := range m.book.Chapters {
		m.toc = append(m.toc, tocEntry{text: fmt.Sprintf("%d. %s", ch.Num, ch.TitleIn(m.lang)), file: -1})
		for _, f := range ch.Files {
			m.toc = append(m.toc, tocEntry{text: fmt.Sprintf(m.tr("   %-20s %4d lines"), f.Name, len(f.Lines)), file: m.fileIndex(f.Name)})
		}
	}
	m.toc = append(m.toc, tocEntry{text: m.tr("Frame fields and handshake headers: the code behind each"), file: -1})
	for _, fd := range sourcebook.Fields() {
		n := len(m.book.Markers(fd.ID))
		m.toc = append(m.toc, tocEntry{text: fmt.Sprintf(m.tr("   %-24s %d places"), fd.ID, n), file: -1, field: fd.ID})
	}
	for i, e := range m.toc {
		if e.file >= 0 || e.field != "" {
			m.tocSel = i
			break
		}
	}
}

// bodyHeight is the number of rows between the title bar and the footer.
func (m Model) bodyHeight() int { return max(1, m.height-2) }

// doc returns the layout of file i at the current width.
func (m *Model) doc(i int) doc {
	d, ok := m.docs[i]
	if !ok {
		d = layoutFile(m.files[i], m.width, m.focus[i], m.lang)
		m.docs[i] = d
	}
	return d
}

func (m *Model) clamp() {
	m.top = max(0, min(m.top, m.maxTop()))
}

// OpenAt shows the code for a field or header: the first place a marker
// names it, with every such line highlighted; n and N step through the
// places.
func (m Model) OpenAt(id string) (Model, error) {
	fd, ok := sourcebook.LookupField(id)
	if !ok {
		var ids []string
		for _, f := range sourcebook.Fields() {
			ids = append(ids, f.ID)
		}
		return m, fmt.Errorf(m.tr("no field or header %q; known: %s"), id, strings.Join(ids, ", "))
	}
	m.clearSearch()
	m.field = fd.ID
	m.focus = map[int][]int{}
	markers := m.book.Markers(fd.ID)
	for _, mk := range markers {
		i := m.fileIndex(mk.File)
		m.focus[i] = append(m.focus[i], mk.Target)
	}
	m.docs = map[int]doc{}
	m.links = nil
	for _, mk := range markers {
		i := m.fileIndex(mk.File)
		m.links = append(m.links, hit{i, m.doc(i).lineRow[mk.Target]})
	}
	m.mode = modeRead
	if len(m.links) == 0 {
		m.status = fmt.Sprintf(m.tr("%s: no code is marked for it"), fd.ID)
		return m, nil
	}
	m.cur = 0
	m.goTo(m.links[0])
	return m, nil
}

// goTo shows h a few rows below the top of the body.
func (m *Model) goTo(h hit) {
	m.file = h.file
	m.top = h.row - 2
	m.clamp()
	m.describe()
}

// describe sets the status line for the current match or link.
func (m *Model) describe() {
	switch {
	case m.query != nil && len(m.matches) > 0:
		m.status = fmt.Sprintf(m.tr("/%s: match %d of %d"), m.queryS, m.cur+1, len(m.matches))
	case m.query != nil:
		m.status = fmt.Sprintf(m.tr("/%s: no match"), m.queryS)
	case m.field != "" && len(m.links) > 0:
		mk := m.book.Markers(m.field)[m.cur]
		fd, _ := sourcebook.LookupField(m.field)
		m.status = fmt.Sprintf(m.tr("%s: place %d of %d, %s:%d %s (%s)"), fd.TitleIn(m.lang), m.cur+1, len(m.links), mk.File, mk.Target, mk.Note, keyNames(m.keys.NextMatch, m.keys.PrevMatch))
	}
}

func (m *Model) clearSearch() {
	m.query, m.queryS, m.matches, m.status = nil, "", nil, ""
}

// search finds every row of the book that matches q, ignoring case.
func (m *Model) search(q string) {
	m.clearSearch()
	if q == "" {
		return
	}
	m.queryS = q
	m.query = regexp.MustCompile("(?i)" + regexp.QuoteMeta(q))
	for i := range m.files {
		for r, rw := range m.doc(i).rows {
			if m.query.MatchString(rw.plain()) {
				m.matches = append(m.matches, hit{i, r})
			}
		}
	}
	// Start at the first match at or after the top of the screen.
	m.cur = 0
	for i, h := range m.matches {
		if h.file > m.file || (h.file == m.file && h.row >= m.top) {
			m.cur = i
			break
		}
	}
	if len(m.matches) > 0 {
		m.goTo(m.matches[m.cur])
	} else {
		m.describe()
	}
}

// step moves to the next (d=1) or previous (d=-1) match or field link.
func (m *Model) step(d int) {
	list := m.links
	if m.query != nil {
		list = m.matches
	}
	if len(list) == 0 {
		return
	}
	m.cur = (m.cur + d + len(list)) % len(list)
	m.goTo(list[m.cur])
}

// Update handles keys, the mouse, resizes and OpenFieldMsg.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case OpenFieldMsg:
		nm, err := m.OpenAt(msg.Field)
		if err != nil {
			m.status = err.Error()
			return m, nil
		}
		return nm, nil
	case tea.MouseMsg:
		if m.mode == modeRead && msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				m.top -= 3
			case tea.MouseButtonWheelDown:
				m.top += 3
			}
			m.clamp()
		}
		return m, nil
	case tea.KeyMsg:
		var cmds []tea.Cmd
		for _, k := range keymap.Burst(msg) {
			var cmd tea.Cmd
			m, cmd = m.key(k)
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	if m.mode == modeSearch {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// resize lays the book out again at the new size, keeping the reader's
// place. When code is on screen, its first line stays the same distance
// from the top. A screen of prose only (a file's opening comment, such as
// doc.go's) has no line to hold on to: then the place is kept as the block
// it is in and how far into it, so a resize never jumps to the next code.
func (m *Model) resize(w, h int) {
	d := m.doc(m.file)
	line := 0
	for n, r := range d.lineRow {
		if r >= m.top && r < m.top+m.bodyHeight() && (line == 0 || r < d.lineRow[line]) {
			line = n
		}
	}
	offset := 0
	if line > 0 {
		offset = d.lineRow[line] - m.top
	}
	block, frac := d.position(m.top)
	m.width, m.height = max(20, w), max(3, h)
	m.docs = map[int]doc{}
	m.input.Width = m.width - 2
	place := func() {
		if line > 0 {
			m.top = m.doc(m.file).lineRow[line] - offset
		} else {
			m.top = m.doc(m.file).rowAt(block, frac)
		}
	}
	place()
	// Matches and links are rows of the old layout: find them again.
	if m.query != nil {
		cur := m.cur
		m.search(m.queryS)
		m.cur = min(cur, max(0, len(m.matches)-1))
	}
	if m.field != "" && m.query == nil {
		for i := range m.links {
			mk := m.book.Markers(m.field)[i]
			m.links[i].row = m.doc(m.links[i].file).lineRow[mk.Target]
		}
	}
	place()
	m.clamp()
}

func (m Model) quit() (Model, tea.Cmd) {
	if m.opts.Embedded {
		return m, func() tea.Msg { return QuitMsg{} }
	}
	return m, tea.Quit
}

// leave closes an embedded reader.
func (m Model) leave() (Model, tea.Cmd) {
	return m, func() tea.Msg { return CloseMsg{} }
}

// maxTop is the last first row the current file scrolls to.
func (m *Model) maxTop() int {
	return max(0, len(m.doc(m.file).rows)-m.bodyHeight())
}

// tocMove is the contents line d selectable lines from the selected one,
// or the selected one when there is none that way.
func (m Model) tocMove(d int) int {
	for i := m.tocSel + d; i >= 0 && i < len(m.toc); i += d {
		if m.toc[i].file >= 0 || m.toc[i].field != "" {
			return i
		}
	}
	return m.tocSel
}

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	if m.mode == modeSearch {
		switch msg.String() {
		case "enter":
			m.mode = modeRead
			m.search(m.input.Value())
			return m, nil
		case "esc":
			m.mode = modeRead
			return m, nil
		case "ctrl+c":
			return m.quit()
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	k := m.bindings()
	if key.Matches(msg, k.Quit) {
		return m.quit()
	}
	if m.mode == modeHelp {
		if key.Matches(msg, k.Help) {
			m.mode = m.helpFrom
		}
		return m, nil
	}
	if key.Matches(msg, k.Help) {
		m.helpFrom, m.mode = m.mode, modeHelp
		return m, nil
	}
	if m.mode == modeContents {
		return m.contentsKey(msg, k)
	}
	page := m.bodyHeight() - 1
	switch {
	case key.Matches(msg, k.Up):
		m.top--
	case key.Matches(msg, k.Down):
		m.top++
	case key.Matches(msg, k.PageUp):
		m.top -= page
	case key.Matches(msg, k.PageDown):
		m.top += page
	case key.Matches(msg, k.Top):
		m.top = 0
	case key.Matches(msg, k.Bottom):
		m.top = len(m.doc(m.file).rows)
	case key.Matches(msg, k.NextFile):
		m.file, m.top = m.file+1, 0
	case key.Matches(msg, k.PrevFile):
		m.file, m.top = m.file-1, 0
	case key.Matches(msg, k.Contents):
		m.mode = modeContents
		for i, e := range m.toc {
			if e.file == m.file {
				m.tocSel = i
			}
		}
	case key.Matches(msg, k.Search):
		m.mode = modeSearch
		m.input.SetValue("")
		m.input.Focus()
	case key.Matches(msg, k.NextMatch):
		m.step(1)
	case key.Matches(msg, k.PrevMatch):
		m.step(-1)
	case key.Matches(msg, k.Back):
		if m.query == nil && (m.field == "" || m.opts.EscLeaves) && m.opts.Embedded {
			return m.leave()
		}
		m.clearSearch()
		m.field, m.links, m.focus, m.docs = "", nil, map[int][]int{}, map[int]doc{}
	}
	m.clamp()
	return m, nil
}

func (m Model) contentsKey(msg tea.KeyMsg, k KeyMap) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Up):
		m.tocSel = m.tocMove(-1)
	case key.Matches(msg, k.Down):
		m.tocSel = m.tocMove(1)
	case key.Matches(msg, k.PageUp):
		for i := 0; i < m.bodyHeight()-1; i++ {
			m.tocSel = m.tocMove(-1)
		}
	case key.Matches(msg, k.PageDown):
		for i := 0; i < m.bodyHeight()-1; i++ {
			m.tocSel = m.tocMove(1)
		}
	case key.Matches(msg, k.Open):
		e := m.toc[m.tocSel]
		if e.field != "" {
			nm, err := m.OpenAt(e.field)
			if err != nil {
				m.status = err.Error()
				return m, nil
			}
			return nm, nil
		}
		m.file, m.top, m.mode = e.file, 0, modeRead
	case key.Matches(msg, k.Back):
		m.mode = modeRead
	}
	return m, nil
}

// View draws the title bar, the page (or the contents, or the help) and
// the footer.
func (m Model) View() string {
	mp := &m
	var body []string
	switch m.mode {
	case modeContents:
		body = m.contentsView()
	case modeHelp:
		body = m.helpView()
	default:
		body = mp.pageView()
	}
	h := m.bodyHeight()
	if len(body) > h {
		body = body[:h]
	}
	for len(body) < h {
		body = append(body, "")
	}
	lines := append([]string{m.titleBar()}, body...)
	lines = append(lines, m.footer())
	return strings.Join(lines, "\n")
}

func (m Model) titleBar() string {
	f := m.files[m.file]
	left := m.tr(" wsanatomy source")
	if ch := m.book.ChapterOf(f.Name); ch != nil {
		left += fmt.Sprintf(" · %d. %s", ch.Num, ch.TitleIn(m.lang))
	}
	left += " · " + f.Name
	right := fmt.Sprintf(m.tr("file %d/%d "), m.file+1, len(m.files))
	if m.mode == modeRead {
		if n := len(m.docs[m.file].rows); n > 0 {
			pct := 100
			if n > m.bodyHeight() {
				pct = 100 * m.top / (n - m.bodyHeight())
			}
			right = fmt.Sprintf("%d%% · %s", pct, right)
		}
	}
	return m.styles.render(sTitle, fit(left, right, m.width))
}

// fit puts left and right on one line of width w, cutting left if needed.
func fit(left, right string, w int) string {
	space := w - runewidth.StringWidth(right)
	if runewidth.StringWidth(left) > space {
		left = runewidth.Truncate(left, max(0, space), "…")
	}
	return left + strings.Repeat(" ", max(0, space-runewidth.StringWidth(left))) + right
}

func (m *Model) pageView() []string {
	d := m.doc(m.file)
	m.clamp()
	var out []string
	for i := m.top; i < len(d.rows) && i < m.top+m.bodyHeight(); i++ {
		var ms [][2]int
		if m.query != nil {
			for _, loc := range m.query.FindAllStringIndex(d.rows[i].plain(), -1) {
				ms = append(ms, [2]int{loc[0], loc[1]})
			}
		}
		out = append(out, cut(d.rows[i].draw(m.styles, ms), d.rows[i], m.width))
	}
	return out
}

// cut keeps a drawn row within the page width. Rows are laid out to fit;
// this only guards against a pathological line.
func cut(drawn string, r row, w int) string {
	if r.width() <= w {
		return drawn
	}
	return runewidth.Truncate(r.plain(), w, "…")
}

func (m Model) contentsView() []string {
	h := m.bodyHeight()
	k := m.keys
	first := func(b key.Binding) string { return strings.SplitN(b.Help().Key, "/", 2)[0] } // ↑ of "↑/k"
	hint := fmt.Sprintf(m.tr("%s: choose · %s: open · %s: back"), first(k.Up)+"/"+first(k.Down), keyNames(k.Open), keyNames(k.Back))
	lines := []string{m.styles.render(sHeading, m.tr("Contents")) + m.styles.render(sDim, "  "+hint)}
	start := max(0, m.tocSel-(h-1)/2)
	start = min(start, max(0, len(m.toc)-(h-1)))
	for i := start; i < len(m.toc) && len(lines) < h; i++ {
		e := m.toc[i]
		text := runewidth.Truncate(e.text, m.width-2, "…")
		switch {
		case i == m.tocSel:
			lines = append(lines, m.styles.render(sSelected, "› "+text))
		case e.file < 0 && e.field == "":
			lines = append(lines, m.styles.render(sHeading, text))
		default:
			lines = append(lines, "  "+text)
		}
	}
	return lines
}

func (m Model) helpView() []string {
	k := m.keys
	intro := []string{
		m.tr("The reader shows protocol/, the codec this program runs, as a book."),
		m.tr("Left: the comments, as prose. Right: the code they explain."),
	}
	if m.lang == "zh" {
		intro = append(intro, m.tr("The comments are the code's own and stay in English."))
	}
	intro = append(intro,
		m.tr("▸ FIN marks the code that encodes or decodes a frame field or header;"),
		m.tr("↳ names an RFC 6455 section; each file ends with the sections it cites."),
		fmt.Sprintf(m.tr("%s: the contents, then every frame field and handshake header: %s"), keyNames(k.Contents), keyNames(k.Open)),
		fmt.Sprintf(m.tr("shows the code that encodes and decodes it, %s the other places."), keyNames(k.NextMatch, k.PrevMatch)),
		"",
	)
	var lines []string
	for _, l := range intro {
		lines = append(lines, runewidth.Truncate(l, m.width, "…"))
	}
	under := m
	under.mode = m.helpFrom
	uk := under.bindings()
	uk.Help = m.bindings().Help // the way out of the help
	return append(lines, keymap.HelpLines(uk.groups(m.lang), m.width, m.keyStyles(), m.lang)...)
}

func (m Model) footer() string {
	switch {
	case m.mode == modeSearch:
		return m.input.View()
	case m.status != "" && m.mode == modeRead:
		return runewidth.Truncate(m.status, m.width, "…")
	}
	k := m.bindings()
	return keymap.Footer(k.ShortHelp(), []key.Binding{k.Help, k.Quit}, m.width, m.keyStyles())
}

// keyStyles draw the footer and the help's keys: plain without styles.
func (m Model) keyStyles() keymap.Styles {
	if !m.styles.styled {
		return keymap.Styles{}
	}
	return keymap.ColorStyles()
}
