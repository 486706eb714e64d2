package lessons

import "testing"

func TestPlainEmphasis(t *testing.T) {
	for in, want := range map[string]string{
		"byte *i* of *i mod 4*":          "byte i of i mod 4",
		"**not** security, __twice__":    "not security, twice",
		"掩码是**不是**加密":                    "掩码是不是加密",
		"* a list item\n* another":       "* a list item\n* another",
		"2 * 3 * 4":                      "2 * 3 * 4",
		"code `*p* and **q**` stays":     "code `*p* and **q**` stays",
		"```\n*fenced*\n```\n*out*":      "```\n*fenced*\n```\nout",
		"a_b_c and snake_case_name stay": "a_b_c and snake_case_name stay",
	} {
		if got := PlainEmphasis(in); got != want {
			t.Errorf("PlainEmphasis(%q) = %q, want %q", in, got, want)
		}
	}
}
