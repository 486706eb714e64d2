package testvectors

import (
	"fmt"
	"io"
	"strings"
)

// Print writes the report as a table grouped by file: one line per vector,
// and under each failure its expected and actual result and why they
// differ. The last line is exactly "N passed, M failed", so that a script
// can read it.
func (r *Report) Print(w io.Writer) {
	var file *File
	for _, res := range r.Results {
		if f := res.Vector.File; f != file {
			file = f
			fmt.Fprintf(w, "\n%s (%s: %s)\n", f.Name, f.Group, f.Description)
		}
		mark := "PASS"
		if !res.Pass {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %-40s %-8s %s\n", mark, res.Vector.ID, sectionLabel(res.Vector), res.Vector.Description)
		if res.Pass {
			continue
		}
		fmt.Fprintf(w, "        expected: %s\n", res.Expected)
		fmt.Fprintf(w, "        actual:   %s\n", res.Actual)
		fmt.Fprintf(w, "        why:      %s\n", res.Why)
		if res.Detail != "" {
			fmt.Fprintf(w, "        codec:    %s\n", strings.ReplaceAll(res.Detail, "\n", " "))
		}
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
