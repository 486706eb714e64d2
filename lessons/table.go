package lessons

import "strings"

// renderTable lays out the rows of a Markdown table in width columns. A
// table that fits is aligned in ASCII ("|" and "-"), because box-drawing
// characters are drawn double width by some CJK terminals and would break
// the borders. A table that does not fit is stacked: each row becomes a
// block, its first cell as a bullet and each other cell under its column
// name, so nothing is cut off in a narrow terminal.
func renderTable(lines []string, width int) []string {
	var rows [][]string
	for _, l := range lines {
		cells := splitRow(l)
		if isSeparatorRow(cells) {
			continue
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return nil
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	widths := make([]int, cols)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], Width(c))
		}
	}
	total := 1
	for _, w := range widths {
		total += w + 3
	}
	if total <= width {
		return alignedTable(rows, widths)
	}
	return stackedTable(rows, width)
}

func alignedTable(rows [][]string, widths []int) []string {
	line := func(cells []string) string {
		var b strings.Builder
		b.WriteString("|")
		for i, w := range widths {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" " + c + strings.Repeat(" ", w-Width(c)) + " |")
		}
		return b.String()
	}
	out := []string{line(rows[0])}
	sep := "|"
	for _, w := range widths {
		sep += strings.Repeat("-", w+2) + "|"
	}
	out = append(out, sep)
	for _, r := range rows[1:] {
		out = append(out, line(r))
	}
	return out
}

func stackedTable(rows [][]string, width int) []string {
	head := rows[0]
	var out []string
	for i, r := range rows[1:] {
		if i > 0 {
			out = append(out, "")
		}
		if len(r) > 0 {
			out = append(out, wrapParagraph(r[0], width, "* ", "  ")...)
		}
		for j := 1; j < len(r); j++ {
			name := ""
			if j < len(head) {
				name = head[j] + ": "
			}
			out = append(out, wrapParagraph(name+r[j], width, "  ", "    ")...)
		}
	}
	return out
}

// splitRow splits "| a | b |" into ["a", "b"]. A pipe inside a cell must be
// written \|.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	line = strings.ReplaceAll(line, `\|`, "\x00")
	parts := strings.Split(line, "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(p, "\x00", "|"))
	}
	return parts
}

func isSeparatorRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" || c == "" {
			return false
		}
	}
	return true
}
