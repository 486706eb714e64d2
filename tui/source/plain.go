package source

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsanatomy/wsanatomy/sourcebook"
)

// DefaultPlainWidth is the page width of plain output when none is given.
const DefaultPlainWidth = 100

// WriteList prints the chapters of the protocol book and the files in
// each, in reading order: what `wsanatomy source --list` shows.
func WriteList(w io.Writer) error { return WriteListIn(w, "en") }

// WriteListIn is [WriteList] in lang ("en" or "zh"); file names and field
// names stay as they are.
func WriteListIn(w io.Writer, lang string) error {
	b, err := sourcebook.Protocol()
	if err != nil {
		return err
	}
	return writeListIn(w, b, langOf(lang))
}

func writeList(w io.Writer, b *sourcebook.Book) error { return writeListIn(w, b, "en") }

func writeListIn(w io.Writer, b *sourcebook.Book, lang string) error {
	var sb strings.Builder
	sb.WriteString(tr(lang, "The protocol package, in reading order (wsanatomy source FILE --plain prints one):") + "\n")
	for _, ch := range b.Chapters {
		fmt.Fprintf(&sb, "\n%d. %s\n", ch.Num, ch.TitleIn(lang))
		if intro := ch.IntroIn(lang); intro != "" {
			fmt.Fprintf(&sb, "   %s\n", intro)
		}
		for _, f := range ch.Files {
			fmt.Fprintf(&sb, tr(lang, "   %-20s %4d lines  %s")+"\n", f.Name, len(f.Lines), fileFields(f, lang))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// fileFields lists the fields and headers a file has markers for.
func fileFields(f *sourcebook.File, lang string) string {
	var ids []string
	seen := map[string]bool{}
	for _, b := range f.Blocks {
		for _, m := range b.Markers {
			if m.Target != 0 && !seen[m.Field.ID] {
				seen[m.Field.ID] = true
				ids = append(ids, m.Field.ID)
			}
		}
	}
	if len(ids) == 0 {
		return ""
	}
	sep := ", "
	if lang == "zh" {
		sep = "、" // a Chinese list
	}
	return tr(lang, "fields: ") + strings.Join(ids, sep)
}

// WritePlain prints one file of the protocol book as text: a heading, then
// each comment beside the code it explains, then the RFC 6455 sections the
// file cites with their titles and summaries. file is a name like
// "frame.go" (or "frame", or "protocol/frame.go"); width is the page width
// in columns, 0 for [DefaultPlainWidth]. Below 70 columns each comment is
// printed above its code.
func WritePlain(w io.Writer, file string, width int) error { return WritePlainIn(w, file, width, "en") }

// WritePlainIn is [WritePlain] in lang ("en" or "zh"): the heading and the
// RFC section summaries are in that language; the code and its comments
// stay as written.
func WritePlainIn(w io.Writer, file string, width int, lang string) error {
	b, err := sourcebook.Protocol()
	if err != nil {
		return err
	}
	return writePlainIn(w, b, file, width, langOf(lang))
}

func writePlain(w io.Writer, b *sourcebook.Book, file string, width int) error {
	return writePlainIn(w, b, file, width, "en")
}

func writePlainIn(w io.Writer, b *sourcebook.Book, file string, width int, lang string) error {
	f, err := b.File(file)
	if err != nil {
		return err
	}
	if width <= 0 {
		width = DefaultPlainWidth
	}
	var sb strings.Builder
	for _, r := range fileHeading(b, f, width, lang) {
		sb.WriteString(r.plain())
		sb.WriteByte('\n')
	}
	for _, r := range layoutFile(f, width, nil, lang).rows {
		sb.WriteString(strings.TrimRight(r.plain(), " "))
		sb.WriteByte('\n')
	}
	_, err = io.WriteString(w, sb.String())
	return err
}

// fileHeading is the heading above a file: where it sits in the book.
func fileHeading(b *sourcebook.Book, f *sourcebook.File, width int, lang string) []row {
	title := "protocol/" + f.Name
	var rows []row
	if ch := b.ChapterOf(f.Name); ch != nil {
		title = fmt.Sprintf(tr(lang, "Chapter %d. %s: protocol/%s"), ch.Num, ch.TitleIn(lang), f.Name)
		rows = append(rows, wrapStyled(title, width, "  ", sHeading)...)
		if intro := ch.IntroIn(lang); intro != "" {
			rows = append(rows, wrapStyled(intro, width, "", sNone)...)
		}
		if lang == "zh" {
			rows = append(rows, wrapStyled(tr(lang, "The comments are the code's own and stay in English."), width, "", sNone)...)
		}
	} else {
		rows = append(rows, row{{title, sHeading}})
	}
	rows = append(rows, row{{strings.Repeat("─", min(width, 100)), sDim}})
	return rows
}
