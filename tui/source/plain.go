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
func WriteList(w io.Writer) error {
	b, err := sourcebook.Protocol()
	if err != nil {
		return err
	}
	return writeList(w, b)
}

func writeList(w io.Writer, b *sourcebook.Book) error {
	var sb strings.Builder
	sb.WriteString("The protocol package, in reading order (wsanatomy source FILE --plain prints one):\n")
	for _, ch := range b.Chapters {
		fmt.Fprintf(&sb, "\n%d. %s\n", ch.Num, ch.Title)
		if ch.Intro != "" {
			fmt.Fprintf(&sb, "   %s\n", ch.Intro)
		}
		for _, f := range ch.Files {
			fmt.Fprintf(&sb, "   %-20s %4d lines  %s\n", f.Name, len(f.Lines), fileFields(f))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// fileFields lists the fields and headers a file has markers for.
func fileFields(f *sourcebook.File) string {
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
	return "fields: " + strings.Join(ids, ", ")
}

// WritePlain prints one file of the protocol book as text: a heading, then
// each comment beside the code it explains, then the RFC 6455 sections the
// file cites with their titles and summaries. file is a name like
// "frame.go" (or "frame", or "protocol/frame.go"); width is the page width
// in columns, 0 for [DefaultPlainWidth]. Below 70 columns each comment is
// printed above its code.
func WritePlain(w io.Writer, file string, width int) error {
	b, err := sourcebook.Protocol()
	if err != nil {
		return err
	}
	return writePlain(w, b, file, width)
}

func writePlain(w io.Writer, b *sourcebook.Book, file string, width int) error {
	f, err := b.File(file)
	if err != nil {
		return err
	}
	if width <= 0 {
		width = DefaultPlainWidth
	}
	var sb strings.Builder
	for _, r := range fileHeading(b, f, width) {
		sb.WriteString(r.plain())
		sb.WriteByte('\n')
	}
	for _, r := range layoutFile(f, width, nil).rows {
		sb.WriteString(strings.TrimRight(r.plain(), " "))
		sb.WriteByte('\n')
	}
	_, err = io.WriteString(w, sb.String())
	return err
}

// fileHeading is the heading above a file: where it sits in the book.
func fileHeading(b *sourcebook.Book, f *sourcebook.File, width int) []row {
	title := "protocol/" + f.Name
	var rows []row
	if ch := b.ChapterOf(f.Name); ch != nil {
		title = fmt.Sprintf("Chapter %d. %s: protocol/%s", ch.Num, ch.Title, f.Name)
		rows = append(rows, wrapStyled(title, width, "  ", sHeading)...)
		if ch.Intro != "" {
			rows = append(rows, wrapStyled(ch.Intro, width, "", sNone)...)
		}
	} else {
		rows = append(rows, row{{title, sHeading}})
	}
	rows = append(rows, row{{strings.Repeat("─", min(width, 100)), sDim}})
	return rows
}
