package main

// Help that fits the terminal: every help is written for columns of any
// width and laid out here, at print time, to the terminal's width (80
// when the output is not a terminal, and never wider), so that a help
// read on an 80-column terminal does not fold mid-word.

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// helpWidth is how wide help written to w may be.
func helpWidth(w io.Writer) int { return min(outputWidth(w), 80) }

// twoColumns matches a line of a two-column list, like the usage's
// "  wsanatomy serve [--addr ADDR]    an echo server...": an indented
// head, two spaces or more, then the description.
var twoColumns = regexp.MustCompile(`^(  \S.*?\S {2,})(\S.*)$`)

// usageLine matches the first line of a command's help.
var usageLine = regexp.MustCompile(`^(Usage: |用法：)(wsanatomy(?: [a-z]+)? )(.*)$`)

// fitHelp lays help text out in width columns. What already fits is left
// as written. A two-column entry that does not fit is reflowed under its
// description's column (or, when that column leaves too little room,
// under its head); a paragraph is reflowed at its indentation; a usage
// line breaks between its [flag] groups, under the command's first
// argument.
func fitHelp(text string, width int) string {
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			out = append(out, line)
			i++
			continue
		}
		if m := usageLine.FindStringSubmatch(line); m != nil {
			out = append(out, fitUsageLine(m[1]+m[2], m[3], width)...)
			i++
			continue
		}
		if m := twoColumns.FindStringSubmatch(line); m != nil {
			// The entry: its first line and the lines indented to its
			// description's column.
			col := lessons.Width(m[1])
			entry := []string{line}
			parts := []string{m[2]}
			i++
			for i < len(lines) && indentOf(lines[i]) == col && strings.TrimSpace(lines[i]) != "" {
				entry = append(entry, lines[i])
				parts = append(parts, strings.TrimSpace(lines[i]))
				i++
			}
			if fits(entry, width) {
				out = append(out, entry...)
				continue
			}
			desc := joinParts(parts)
			head := strings.TrimRight(m[1], " ")
			if width-col < 24 {
				// Too narrow beside the head: the description goes
				// under it.
				out = append(out, head)
				out = append(out, indentLines(lessons.Wrap(desc, width-8), "        ")...)
				continue
			}
			wrapped := indentLines(lessons.Wrap(desc, width-col), strings.Repeat(" ", col))
			wrapped[0] = m[1] + strings.TrimLeft(wrapped[0], " ")
			out = append(out, wrapped...)
			continue
		}
		// A paragraph: the lines that follow at the same indentation,
		// up to a blank line or a two-column entry.
		ind := indentOf(line)
		para := []string{line}
		parts := []string{strings.TrimSpace(line)}
		i++
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" && indentOf(lines[i]) == ind &&
			!twoColumns.MatchString(lines[i]) && !usageLine.MatchString(lines[i]) {
			para = append(para, lines[i])
			parts = append(parts, strings.TrimSpace(lines[i]))
			i++
		}
		if fits(para, width) {
			out = append(out, para...)
			continue
		}
		out = append(out, indentLines(lessons.Wrap(joinParts(parts), width-ind), strings.Repeat(" ", ind))...)
	}
	return strings.Join(out, "\n")
}

// fitUsageLine breaks a usage line between its groups ("[--echo]",
// "[-H \"Name: value\"]", "URL"), never inside one, its later lines
// indented under the first group.
func fitUsageLine(prefix, rest string, width int) []string {
	var groups []string
	depth, start := 0, 0
	for i, r := range rest {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case r == ' ' && depth == 0:
			if i > start {
				groups = append(groups, rest[start:i])
			}
			start = i + 1
		}
	}
	if start < len(rest) {
		groups = append(groups, rest[start:])
	}
	hang := strings.Repeat(" ", min(lessons.Width(prefix), width/2))
	var out []string
	cur := prefix
	for _, g := range groups {
		if cur != prefix && cur != hang && lessons.Width(cur)+1+lessons.Width(g) > width {
			out = append(out, cur)
			cur = hang
		}
		if cur == prefix || cur == hang {
			cur += g
		} else {
			cur += " " + g
		}
	}
	return append(out, cur)
}

func fits(lines []string, width int) bool {
	for _, l := range lines {
		if lessons.Width(l) > width {
			return false
		}
	}
	return true
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func indentLines(s, indent string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = indent + l
		}
	}
	return lines
}

// joinParts joins the lines of a paragraph as the text spaces words: a
// space between Latin words and between Chinese and Latin (运行 RFC
// 6455), none between two Chinese characters or next to full-width
// punctuation (、（）).
const fullWidthPunct = "、，。；：？！（）“”‘’《》「」…"

func joinParts(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(p)
			bothWide := lessons.RuneWidth(last) == 2 && lessons.RuneWidth(first) == 2
			if !bothWide && !strings.ContainsRune(fullWidthPunct, last) && !strings.ContainsRune(fullWidthPunct, first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}
