package testvectors

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// An outcome is a result written as an ordered list of named values, the
// first being the kind of result ("frame", "error", ...). The expected and
// the actual result of a vector are both rendered as outcomes by the same
// code, so comparing them is comparing text, and a failure can print both
// in a form a person reads at a glance.
type outcome []field

// A field's value is compared as text; a field with a set (an expected
// value RFC 6455 lets vary, such as "one of 1002,1009") matches any
// actual value in the set.
type field struct {
	name, value string
	set         []string
}

func newOutcome(kind string) outcome { return outcome{{name: "result", value: kind}} }

func (o outcome) add(name string, format string, args ...any) outcome {
	return append(o, field{name: name, value: fmt.Sprintf(format, args...)})
}

// addSet adds an expected field that matches any of members; value is how
// it is shown.
func (o outcome) addSet(name, value string, members []string) outcome {
	return append(o, field{name, value, members})
}

func (f field) matches(got string) bool {
	if f.set != nil {
		return slices.Contains(f.set, got)
	}
	return got == f.value
}

func (o outcome) kind() string {
	if len(o) == 0 {
		return ""
	}
	return o[0].value
}

func (o outcome) get(name string) (string, bool) {
	for _, f := range o {
		if f.name == name {
			return f.value, true
		}
	}
	return "", false
}

// String renders "error close_code=1002 section=5.2".
func (o outcome) String() string {
	parts := []string{o.kind()}
	for _, f := range o[1:] {
		parts = append(parts, f.name+"="+f.value)
	}
	return strings.Join(parts, " ")
}

// diff explains how actual differs from expected, or returns "" if it
// does not.
func diff(expected, actual outcome) string {
	if expected.kind() != actual.kind() {
		return fmt.Sprintf("expected result %q, got %q", expected.kind(), actual.kind())
	}
	var out []string
	for _, f := range expected[1:] {
		got, ok := actual.get(f.name)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: expected %s, got nothing", f.name, f.value))
		case !f.matches(got):
			out = append(out, fmt.Sprintf("%s: expected %s, got %s", f.name, f.value, got))
		}
	}
	for _, f := range actual[1:] {
		if _, ok := expected.get(f.name); !ok {
			out = append(out, fmt.Sprintf("unexpected %s=%s", f.name, f.value))
		}
	}
	return strings.Join(out, "; ")
}

// renderBytes shows a byte string exactly when short, as hex with the text
// beside it when it is printable, and as length plus hash when long: a 64
// KiB payload is compared as exactly as a short one but printed in a line.
func renderBytes(b []byte) string {
	if len(b) > 48 {
		sum := sha256.Sum256(b)
		return fmt.Sprintf("<%d bytes, sha256 %x…>", len(b), sum[:6])
	}
	if len(b) == 0 {
		return `""`
	}
	if printable(b) {
		return fmt.Sprintf("%x(%q)", b, b)
	}
	return fmt.Sprintf("%x", b)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
