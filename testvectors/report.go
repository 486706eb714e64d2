package testvectors

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// Print is [Report.PrintIn] in English.
func (r *Report) Print(w io.Writer) { r.PrintIn(w, "en") }

// PrintIn writes the report as a table grouped by file: one line per
// vector, and under each failure its expected and actual result and why
// they differ. Its own words are in lang; the results are the runner's
// and stay English. The last line is exactly "N passed, M failed" in
// every language, so that a script can read it.
func (r *Report) PrintIn(w io.Writer, lang string) {
	var file *File
	for _, res := range r.Results {
		if f := res.Vector.File; f != file {
			file = f
			fmt.Fprintf(w, "\n"+say(lang, "%s (%s: %s)")+"\n", f.Name, f.Group, f.Description)
		}
		mark := say(lang, "PASS")
		if !res.Pass {
			mark = say(lang, "FAIL")
		}
		// Both marks take the wider one's columns (通过, 未通过), so the
		// ids line up.
		wide := max(lessons.Width(say(lang, "PASS")), lessons.Width(say(lang, "FAIL")))
		mark += strings.Repeat(" ", wide-lessons.Width(mark))
		fmt.Fprintf(w, "  %s  %-40s %-8s %s\n", mark, res.Vector.ID, sectionLabel(res.Vector), res.Vector.Description)
		if res.Pass {
			continue
		}
		for _, l := range [][2]string{{say(lang, "expected:"), res.Expected}, {say(lang, "actual:"), res.Actual},
			{say(lang, "why:"), res.Why}, {say(lang, "codec:"), strings.ReplaceAll(res.Detail, "\n", " ")}} {
			if l[1] != "" {
				label := l[0]
				fmt.Fprintf(w, "        %s%s%s\n", label, strings.Repeat(" ", max(1, 10-lessons.Width(label))), l[1])
			}
		}
	}
	if lang == "zh" {
		fmt.Fprintf(w, "\n"+say(lang, "%d passed, %d failed (the next line says it for scripts)")+"\n", r.Passed(), r.Failed())
		fmt.Fprintf(w, "%d passed, %d failed\n", r.Passed(), r.Failed())
		return
	}
	fmt.Fprintf(w, "\n%d passed, %d failed\n", r.Passed(), r.Failed())
}

// sectionLabel is "§5.2" for RFC 6455, whose sections the table cites
// bare, and "7692§7.1" for another RFC.
func sectionLabel(v *Vector) string {
	if v.RFCNumber() == RFC6455 {
		return "§" + v.Section
	}
	return v.RFCNumber() + "§" + v.Section
}
