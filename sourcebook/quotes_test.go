package sourcebook

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The text a learner reads quotes RFC 6455 in many places: lessons in both
// languages, the protocol source (which the source reader shows as a book),
// its error and violation messages, the TUI's annotations, the section
// summaries and the test vectors' documentation. A quote is only worth
// something if it is the RFC's own words, so this test finds every passage
// presented as a quote of RFC 6455 and looks for it, word for word, in
// testdata/rfc6455.txt (the RFC as published, kept in the repository so the
// test runs on a clean checkout).
//
// What counts as a quote: a span in double quotes ("..." or “...”) of at
// least three words, in a context (a Markdown paragraph, a comment group, a
// string literal, a JSON string) that cites RFC 6455 with "§" or "RFC
// 6455"; every comment of package protocol, the annotated RFC, counts as
// citing it. Spans that hold Chinese, template expressions or format verbs are
// not quotes of the English RFC. A context that names another RFC (7692,
// 9110, ...) may be quoting that one: there, a span not found in RFC 6455
// is not counted as a misquote (it is logged). For RFC 7692, whose section
// numbers are cited bare in the permessage-deflate code, the context is the
// whole Go file that names it. Quoted phrases that are not the RFC's
// words (a learner's misconception, a screen label) are listed in
// notQuotes with the reason.
//
// Comparison: whitespace is normalised, the RFC's page breaks and line-end
// hyphenation are undone, the first letter may change case (a quote may
// start a sentence), trailing punctuation of the quote is dropped, and
// "..." marks an omission: each part must appear, in order, within a short
// distance of the previous one.

// learnerText lists, relative to the repository root, the files whose text
// a learner reads.
var learnerText = []string{
	"README.md",
	"lessons/en", "lessons/zh", "lessons/README.md",
	"protocol",
	"sourcebook",
	"tui",
	"testvectors",
	"main.go", "source.go", "walkthrough.go", "vectors.go", "serve.go", "dial.go",
}

// notQuotes holds quoted phrases in citing contexts that do not claim to
// be the RFC's words, with the reason.
var notQuotes = map[string]string{
	"one send is\none frame":                           "a misconception the lesson refutes",
	"ping every N seconds; if no pong within M, close": "an application's heartbeat policy, which the lesson says the RFC does not define",
	"the peer sent close code 1006":                    "a log line the check asks about",
	"WebSocket runs on top of HTTP.":                   "lesson 11's list of misconceptions",
	"One send is one frame.":                           "lesson 11's list of misconceptions",
	"The payload length is 7, 16 or 64 bits.":          "lesson 11's list of misconceptions",
	"Masking encrypts the data.":                       "lesson 11's list of misconceptions",
	"The key/accept exchange authenticates.":           "lesson 11's list of misconceptions",
	"WebSocket has a built-in heartbeat.":              "lesson 11's list of misconceptions",
	"Every text frame must be valid UTF-8.":            "lesson 11's list of misconceptions",
	"Opcode 0 means text.":                             "lesson 11's list of misconceptions",
	"The peer sent close code 1006.":                   "lesson 11's list of misconceptions",
	"WebSocket (RFC 6455) is an independent protocol on top of TCP that gives a browser or any client\na long-lived, two-way message channel to a server. It exists because HTTP only lets the client\nstart an exchange, so server push needed polling or long polling, paying a full request and\nresponse per message.": "lesson 13's model answer",
	"control frame payload is 126 bytes, at most 125 allowed": "an example of a violation message",
	"context deadline exceeded":                               "Go's error text",
	"text FIN len=5 (7-bit) masked key=37fa213d":              "an example of a header's String",
	"never on the wire":                                       "the name this code gives codes 1005, 1006 and 1015",
	"Connection: keep-alive, Upgrade":                         "a header line a browser sends",
	"§5.2 Base Framing Protocol":                              "an example of a section label",
}

// ownedElsewhere holds quoted phrases in files that are being rewritten
// for another change; they are reported there, not failed here.
var ownedElsewhere = map[string]string{
	"the sample nonce":           "testvectors/gen: the decoded §1.3 example key, not a quote",
	"Server sent no subprotocol": "testvectors/README.md: the error message of Node's ws, not a quote of the RFC",
	"one of 1002,1009":           "testvectors/outcome.go: an example of an outcome field",
}

type quote struct {
	where string // file:line
	text  string
	// otherRFC is set when the context also cites another RFC, which the
	// quote may come from.
	otherRFC bool
}

var (
	citesRFC6455 = regexp.MustCompile(`§\s*\d|RFC ?6455`)
	citesOther   = regexp.MustCompile(`RFC ?(\d{4})`)
	quoteSpan    = regexp.MustCompile(`"([^"]*)"|“([^”]*)”`)
	hexBytes     = regexp.MustCompile(`^\s*([0-9a-fA-F]{2}\s*)+$`)
	formatVerb   = regexp.MustCompile(`%[-+# 0-9.\[\]]*[a-zA-Z]`)
	plainWord    = regexp.MustCompile(`^[(_]*[A-Za-z]*[a-z][A-Za-z]*[)_.,;:!?]*$`)
)

// quotesIn returns the quotes in one context, text, which starts at line
// of file.
func quotesIn(file string, line int, text string) []quote {
	return quotesInContext(file, line, text, false)
}

// quotesInContext is quotesIn for a context known to cite RFC 6455 when
// cites is true.
func quotesInContext(file string, line int, text string, cites bool) []quote {
	if !cites && !citesRFC6455.MatchString(text) {
		return nil
	}
	other := false
	for _, m := range citesOther.FindAllStringSubmatch(quoteSpan.ReplaceAllString(text, ""), -1) {
		other = other || m[1] != "6455"
	}
	var out []quote
	for _, m := range quoteSpan.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		if s < 0 {
			s, e = m[4], m[5]
		}
		q := text[s:e]
		if !isQuoteOfEnglish(q) {
			continue
		}
		out = append(out, quote{
			where:    file + ":" + strconv.Itoa(line+strings.Count(text[:s], "\n")),
			text:     q,
			otherRFC: other,
		})
	}
	return out
}

// isQuoteOfEnglish reports whether a quoted span can be a quote of the
// RFC's English text: three words or more, no Chinese, no template or
// format directives.
func isQuoteOfEnglish(q string) bool {
	if strings.Contains(q, "{{") || formatVerb.MatchString(q) {
		return false
	}
	words := 0
	for _, w := range strings.Fields(q) {
		if plainWord.MatchString(w) {
			words++
		}
	}
	if words < 2 || len(strings.Fields(q)) < 3 || hexBytes.MatchString(q) {
		return false // hex bytes, a request line, a section reference
	}
	for _, r := range q {
		if unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// markdownQuotes splits Markdown into paragraphs (blank-line separated).
func markdownQuotes(file, text string) []quote {
	var out []quote
	lines := strings.Split(text, "\n")
	start := 0
	for i := 0; i <= len(lines); i++ {
		if i == len(lines) || strings.TrimSpace(lines[i]) == "" {
			if i > start {
				out = append(out, quotesIn(file, start+1, strings.Join(lines[start:i], "\n"))...)
			}
			start = i + 1
		}
	}
	return out
}

// goQuotes takes every comment group and every string literal of a Go
// file as a context.
func goQuotes(t *testing.T, file string, src []byte) []quote {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	// The protocol package is the annotated RFC: its comments quote the
	// RFC without citing it again in each comment.
	annotated := strings.HasPrefix(file, "protocol/") || strings.HasSuffix(file, ".go.txt")
	// A file about permessage-deflate quotes RFC 7692 by section number
	// alone ("§7.2.1"), which reads like RFC 6455's: there a quote not in
	// RFC 6455 may be RFC 7692's, whose text is not kept here.
	deflate := strings.Contains(string(src), "RFC 7692")
	var out []quote
	for _, cg := range f.Comments {
		var lines []string
		for _, c := range cg.List {
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(strings.TrimSuffix(c.Text, "*/"), "//"), "/*"))
		}
		out = append(out, quotesInContext(file, fset.Position(cg.Pos()).Line, strings.Join(lines, "\n"), annotated)...)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, quotesIn(file, fset.Position(lit.Pos()).Line, s)...)
			}
		}
		return true
	})
	for i := range out {
		out[i].otherRFC = out[i].otherRFC || deflate
	}
	return out
}

// jsonQuotes takes every string in a JSON document as a context.
func jsonQuotes(t *testing.T, file string, src []byte) []quote {
	var v any
	if err := json.Unmarshal(src, &v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out []quote
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, quotesIn(file, 0, v)...)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// quotesInFile extracts the quotes of one file by its kind.
func quotesInFile(t *testing.T, path, name string) []quote {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".md":
		// A pipe in a table cell is written \|.
		return markdownQuotes(name, strings.ReplaceAll(string(src), `\|`, "|"))
	case ".go":
		return goQuotes(t, name, src)
	case ".json":
		return jsonQuotes(t, name, src)
	}
	return nil
}

var (
	pageBreak  = regexp.MustCompile(`(?m)^Fette & Melnikov .*\[Page \d+\]\n*\f\nRFC 6455 .*December 2011\n`)
	lineHyphen = regexp.MustCompile(`([A-Za-z0-9])-\n\s*([A-Za-z0-9])`)
	spaces     = regexp.MustCompile(`\s+`)
)

// loadRFC returns the RFC's text with page breaks and line-end hyphenation
// undone and whitespace normalised.
func loadRFC(t *testing.T) string {
	b, err := os.ReadFile("testdata/rfc6455.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := pageBreak.ReplaceAllString(string(b), "")
	s = lineHyphen.ReplaceAllString(s, "$1-$2")
	return normalise(s)
}

func normalise(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// inRFC reports whether q is the RFC's words. "..." (or "…") marks an
// omission: the parts must appear in order, each at most 400 characters
// after the previous.
func inRFC(rfc, q string) bool {
	q = strings.ReplaceAll(q, "…", "...")
	var parts []string
	for _, p := range strings.Split(q, "...") {
		if p = normalise(strings.TrimRight(normalise(p), ".,;:")); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return false
	}
	var find func(from, limit int, parts []string) bool
	find = func(from, limit int, parts []string) bool {
		if len(parts) == 0 {
			return true
		}
		p := parts[0]
		for _, v := range []string{p, flipFirst(p)} {
			for i := from; i <= len(rfc); {
				j := strings.Index(rfc[i:], v)
				if j < 0 || (limit >= 0 && i+j > limit) {
					break
				}
				end := i + j + len(v)
				if find(end, end+400, parts[1:]) {
					return true
				}
				i += j + 1
			}
		}
		return false
	}
	return find(0, -1, parts)
}

// flipFirst changes the case of the first letter.
func flipFirst(s string) string {
	r := []rune(s)
	if unicode.IsUpper(r[0]) {
		r[0] = unicode.ToLower(r[0])
	} else {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// misquotes returns the quotes that are not the RFC's words.
func misquotes(rfc string, qs []quote) []quote {
	var bad []quote
	for _, q := range qs {
		_, exempt := notQuotes[q.text]
		_, elsewhere := ownedElsewhere[q.text]
		if exempt || elsewhere || inRFC(rfc, q.text) || q.otherRFC {
			continue
		}
		bad = append(bad, q)
	}
	return bad
}

func TestRFCQuotesAreVerbatim(t *testing.T) {
	rfc := loadRFC(t)
	var all []quote
	for _, root := range learnerText {
		root = filepath.Join("..", root)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "runners" || d.Name() == "node_modules") {
				// Fixtures, the RFC itself, and the vector runners
				// for other implementations with their recorded output.
				return filepath.SkipDir
			}
			if !d.IsDir() && !strings.HasSuffix(path, "_test.go") {
				name, _ := filepath.Rel("..", path)
				all = append(all, quotesInFile(t, path, filepath.ToSlash(name))...)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(all) < 20 {
		t.Fatalf("found only %d quotes: the extraction is broken", len(all))
	}
	used := map[string]bool{}
	for _, q := range all {
		used[q.text] = true
	}
	for q := range notQuotes {
		if !used[q] {
			// Logged, not failed: the phrase may have gone with an edit
			// elsewhere, and an unused entry excuses nothing.
			t.Logf("notQuotes lists %q, which no longer appears: remove it", q)
		}
	}
	for _, q := range misquotes(rfc, all) {
		t.Errorf("%s: not in RFC 6455 word for word: %q", q.where, q.text)
	}
	other := 0
	for _, q := range all {
		if q.otherRFC && !inRFC(rfc, q.text) {
			other++
			t.Logf("%s: not RFC 6455's, taken as another RFC's: %q", q.where, q.text)
		}
	}
	t.Logf("checked %d quotes; %d of them may quote another RFC", len(all), other)
}

// The checker must be able to fail: the fixtures quote the RFC once
// correctly, once across a page break, once with an omission, and three
// times wrongly.
func TestRFCQuoteCheckerFindsMisquotes(t *testing.T) {
	rfc := loadRFC(t)
	var bad []string
	for _, f := range []string{"testdata/quotes.md", "testdata/quotes.go.txt"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var qs []quote
		if strings.HasSuffix(f, ".md") {
			qs = markdownQuotes(f, string(src))
		} else {
			qs = goQuotes(t, f, src)
		}
		for _, q := range misquotes(rfc, qs) {
			bad = append(bad, q.text)
		}
	}
	want := []string{
		"the client handles the response per HTTP procedures",
		"Frames of two messages MUST NOT be interleaved",
		"If the status code received from the server is not 101, the\n client handles the response per HTTP procedures.",
	}
	if strings.Join(bad, "\n") != strings.Join(want, "\n") {
		t.Errorf("misquotes found:\n%s\nwant:\n%s", strings.Join(bad, "\n"), strings.Join(want, "\n"))
	}
}
