package sourcebook

//go:generate go test -run TestSectionTable -update

// Section is one numbered section of RFC 6455, as its table of contents
// lists it.
type Section struct {
	Num     string // "5.5.1"
	Title   string // "Close"
	Summary string // what the section says, in our words; empty for sections the source does not cite
}

// LookupSection returns the section numbered num ("5.2"), with its title
// and, if the source cites it, a summary.
func LookupSection(num string) (Section, bool) {
	for _, s := range rfcSections {
		if s.Num == num {
			s.Summary = summaries[num]
			return s, true
		}
	}
	return Section{}, false
}

// Sections returns every section in the RFC's table of contents, in order.
func Sections() []Section {
	out := make([]Section, len(rfcSections))
	for i, s := range rfcSections {
		s.Summary = summaries[s.Num]
		out[i] = s
	}
	return out
}

// Label names the section as the screens do: "§5.2 Base Framing Protocol".
func (s Section) Label() string { return "§" + s.Num + " " + s.Title }
