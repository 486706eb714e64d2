package testvectors

import (
	"fmt"
	"strings"
)

// FieldLevel is how firmly RFC 6455 binds one expected field of a vector,
// as the README's table of levels says: the kind of result at the
// vector's level, a close code at its code_level, a reply at its own
// level, and wsanatomy's own reports (section, at, header) informative.
type FieldLevel struct {
	// Field names the field, as a format with %s for Arg (and Op): "the
	// kind of result (%s)" with "error", "replies[%s].close_code" with
	// "0", "error.close_code".
	Field string
	Arg   string
	Op    string // a reply's opcode, the second %s of its Field
	Level string // MUST, SHOULD or wsanatomy
	// Informative marks what only wsanatomy reports and no other runner
	// compares.
	Informative bool
}

// FieldLevels lists the levels of v's expected fields, in the order of
// the expect object.
func FieldLevels(v *Vector) []FieldLevel {
	e := v.Expect
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{
		{"frame", e.Frame != nil}, {"incomplete", e.Incomplete != nil}, {"error", e.Error != nil},
		{"messages", e.Messages != nil}, {"closed", e.Closed != nil}, {"valid", e.Valid != nil},
		{"accept", e.Accept != ""}, {"status", e.Status != nil}, {"ok", e.OK != nil},
		{"accepted", e.Accepted != nil}, {"protocol", e.Protocol != nil}, {"params", e.Params != nil},
	} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	out := []FieldLevel{{Field: "the kind of result (%s)", Arg: strings.Join(kinds, ", "), Level: v.Level}}
	if er := e.Error; er != nil {
		out = append(out, FieldLevel{Field: "error.close_code", Level: er.CodeLevel})
		out = append(out, FieldLevel{Field: "error.section", Level: LevelWsanatomy, Informative: true})
		if er.At != nil {
			out = append(out, FieldLevel{Field: "error.at", Level: LevelWsanatomy, Informative: true})
		}
	}
	if e.Replies != nil {
		for i, r := range *e.Replies {
			op := 0
			if r.Opcode != nil {
				op = *r.Opcode
			}
			out = append(out, FieldLevel{Field: "replies[%s], a frame of opcode %s: sent", Arg: fmt.Sprint(i), Op: fmt.Sprint(op), Level: r.Level})
			if r.CodeLevel != "" {
				out = append(out, FieldLevel{Field: "replies[%s].close_code", Arg: fmt.Sprint(i), Level: r.CodeLevel})
			}
		}
	}
	if e.PreferredStatus != nil {
		out = append(out, FieldLevel{Field: "preferred_status", Level: e.PreferredStatusLevel})
	}
	if e.Header != "" {
		out = append(out, FieldLevel{Field: "header", Level: LevelWsanatomy, Informative: true})
	}
	return out
}

// Name is the field's name, its words in lang; a JSON field's name
// stays as the JSON writes it.
func (fl FieldLevel) Name(lang string) string {
	switch fl.Field {
	case "the kind of result (%s)":
		return fmt.Sprintf(say(lang, "the kind of result (%s)"), fl.Arg)
	case "replies[%s], a frame of opcode %s: sent":
		return fmt.Sprintf(say(lang, "replies[%s], a frame of opcode %s: sent"), fl.Arg, fl.Op)
	}
	return strings.ReplaceAll(fl.Field, "%s", fl.Arg)
}
