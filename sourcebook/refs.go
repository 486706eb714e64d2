package sourcebook

import "regexp"

// Ref is a reference to a section of RFC 6455 found in a text.
type Ref struct {
	Section    string // "5.5.1"
	Start, End int    // byte offsets of the whole reference in the text, "RFC 6455 §5.5.1" included
}

// refPattern matches "§5.2", "§ 5.2", "section 7.4.1" and "Section 5.2",
// each optionally preceded by "RFC NNNN". A reference that names another
// RFC ("RFC 3629 §4") is not a reference to RFC 6455.
var refPattern = regexp.MustCompile(`(?:RFC\s+(\d+),?\s+)?(?:§\s?|\b[Ss]ections?\s+)(\d+(?:\.\d+)*)`)

// FindRefs returns the references to RFC 6455 sections in text, in order.
// Section numbers are not checked; see [LookupSection].
func FindRefs(text string) []Ref {
	var refs []Ref
	for _, m := range refPattern.FindAllStringSubmatchIndex(text, -1) {
		if m[2] >= 0 && text[m[2]:m[3]] != "6455" {
			continue
		}
		refs = append(refs, Ref{Section: text[m[4]:m[5]], Start: m[0], End: m[1]})
	}
	return refs
}

// uniqueSections returns the distinct section numbers of refs, in the
// order they first appear.
func uniqueSections(refs []Ref) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range refs {
		if !seen[r.Section] {
			seen[r.Section] = true
			out = append(out, r.Section)
		}
	}
	return out
}
