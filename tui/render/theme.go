package render

import "github.com/charmbracelet/lipgloss"

// Theme holds the styles the renderers use. The zero Theme, like
// [PlainTheme], prints plain text. Colours only repeat what the text
// already says, so a plain rendering loses nothing but colour.
type Theme struct {
	color    bool
	fields   [numFields]lipgloss.Style
	selected lipgloss.Style
	cursor   lipgloss.Style
	dim      lipgloss.Style
	bad      lipgloss.Style
	good     lipgloss.Style
	heading  lipgloss.Style
	lang     string // "" (English) or "zh"; see WithLang
}

// PlainTheme renders uncoloured text.
func PlainTheme() Theme { return Theme{} }

// ColorTheme colours each field the same way in the bit grid, the hex dump
// and the field table. lipgloss drops the colours when the terminal has
// none or NO_COLOR is set.
func ColorTheme() Theme {
	c := func(s string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(s)) }
	t := Theme{color: true}
	t.fields[FieldFIN] = c("9").Bold(true)
	t.fields[FieldRSV1] = c("8")
	t.fields[FieldRSV2] = c("8")
	t.fields[FieldRSV3] = c("8")
	t.fields[FieldOpcode] = c("11").Bold(true)
	t.fields[FieldMask] = c("13").Bold(true)
	t.fields[FieldLen] = c("14")
	t.fields[FieldExtLen] = c("12")
	t.fields[FieldMaskKey] = c("10")
	t.fields[FieldPayload] = c("7")
	t.selected = lipgloss.NewStyle().Reverse(true)
	t.cursor = lipgloss.NewStyle().Reverse(true).Underline(true)
	t.dim = c("8")
	t.bad = c("9").Bold(true)
	t.good = c("10").Bold(true)
	t.heading = lipgloss.NewStyle().Bold(true)
	return t
}

func (t Theme) apply(st lipgloss.Style, s string) string {
	if !t.color || s == "" {
		return s
	}
	return st.Render(s)
}

// Field colours s as field fl, reversed when selected.
func (t Theme) Field(fl Field, s string, selected bool) string {
	if !t.color || s == "" {
		return s
	}
	st := t.fields[fl]
	if selected {
		st = st.Inherit(t.selected).Reverse(true)
	}
	return st.Render(s)
}

// Dim, Bad, Good and Heading style secondary text, errors, successes and
// section titles.
func (t Theme) Dim(s string) string     { return t.apply(t.dim, s) }
func (t Theme) Bad(s string) string     { return t.apply(t.bad, s) }
func (t Theme) Good(s string) string    { return t.apply(t.good, s) }
func (t Theme) Heading(s string) string { return t.apply(t.heading, s) }
