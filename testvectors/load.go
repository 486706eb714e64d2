package testvectors

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The default vectors, compiled into the binary so that `wsanatomy vectors`
// works from any directory.
//
//go:embed vectors/*.json
var embedded embed.FS

// LoadError is a problem in a vector file. It names the file, and where
// known the vector and the field, so that the author can go straight to it.
type LoadError struct {
	File   string
	Vector string // the vector's quoted id, or "#N", its position counting from 1, if it has none
	Field  string // the JSON path, e.g. "expect.frame.opcode"
	Msg    string
}

func (e *LoadError) Error() string {
	s := e.File
	if e.Vector != "" {
		s += fmt.Sprintf(": vector %s", e.Vector)
	}
	if e.Field != "" {
		s += fmt.Sprintf(": field %q", e.Field)
	}
	return s + ": " + e.Msg
}

// maxErrorsPerFile stops a badly broken file from burying the first, most
// useful errors.
const maxErrorsPerFile = 20

// Default returns the vectors shipped with wsanatomy.
func Default() (*Set, error) {
	names, err := fs.Glob(embedded, "vectors/*.json")
	if err != nil {
		return nil, err
	}
	var files []namedData
	for _, name := range names {
		data, err := embedded.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files = append(files, namedData{name, data})
	}
	return parseAll(files)
}

// Load reads vector files. Each path is a file, or a directory whose *.json
// files (not those in subdirectories) are read in name order. Every error
// found is returned, joined; each is a [*LoadError] or an I/O error.
func Load(paths ...string) (*Set, error) {
	if len(paths) == 0 {
		return nil, errors.New("testvectors: no file or directory given")
	}
	var files []namedData
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		names := []string{p}
		if st.IsDir() {
			names, err = filepath.Glob(filepath.Join(p, "*.json"))
			if err != nil {
				return nil, err
			}
			if len(names) == 0 {
				return nil, fmt.Errorf("%s: directory holds no *.json vector files", p)
			}
			slices.Sort(names)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			files = append(files, namedData{name, data})
		}
	}
	return parseAll(files)
}

type namedData struct {
	name string
	data []byte
}

// parseAll parses every file and checks that ids are unique across them:
// an id is how a user asks for a vector with --show.
func parseAll(files []namedData) (*Set, error) {
	set := &Set{}
	var errs []error
	seen := map[string]string{} // id -> file
	for _, f := range files {
		file, ferrs := ParseFile(f.name, f.data)
		errs = append(errs, ferrs...)
		if file == nil {
			continue
		}
		for _, v := range file.Vectors {
			if prev, dup := seen[v.ID]; dup {
				errs = append(errs, &LoadError{File: f.name, Vector: quoteID(v.ID), Field: "id",
					Msg: fmt.Sprintf("duplicate id, already used in %s", prev)})
			}
			seen[v.ID] = f.name
		}
		set.Files = append(set.Files, file)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// ParseFile parses and checks one vector file. name is used in errors. It
// returns every problem found (up to a limit), or the file.
func ParseFile(name string, data []byte) (*File, []error) {
	fail := func(field, format string, args ...any) (*File, []error) {
		return nil, []error{&LoadError{File: name, Field: field, Msg: fmt.Sprintf(format, args...)}}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fail("", "not a JSON object: %s", jsonErrorAt(data, err))
	}
	for _, k := range sortedKeys(top) {
		if k != "$schema" && k != "group" && k != "description" && k != "vectors" {
			return fail(k, "unknown field (known: $schema, group, description, vectors)")
		}
	}
	if raw, ok := top["$schema"]; ok {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || string(raw) == "null" {
			return fail("$schema", "want a string, got %s", clip(string(raw)))
		}
	}
	file := &File{Name: name}
	if err := json.Unmarshal(top["group"], &file.Group); err != nil || !slices.Contains(groups, file.Group) {
		return fail("group", "want one of %s, got %s", strings.Join(groups, ", "), orMissing(top["group"]))
	}
	if err := json.Unmarshal(top["description"], &file.Description); err != nil || file.Description == "" {
		return fail("description", "want a non-empty string, got %s", orMissing(top["description"]))
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(top["vectors"], &raws); err != nil || len(raws) == 0 {
		return fail("vectors", "want a non-empty array of vectors, got %s", orMissing(top["vectors"]))
	}
	var errs []error
	for i, raw := range raws {
		v, err := parseVector(file.Group, raw)
		if err != nil {
			le := &LoadError{File: name, Vector: fmt.Sprintf("#%d (counting from 1)", i+1), Msg: err.Error()}
			if v != nil && v.ID != "" {
				le.Vector = quoteID(v.ID)
			}
			var fe *fieldError
			if errors.As(err, &fe) {
				le.Field, le.Msg = fe.Field, fe.Msg
			}
			errs = append(errs, le)
			if len(errs) == maxErrorsPerFile {
				errs = append(errs, &LoadError{File: name, Msg: "too many errors, stopping"})
				return nil, errs
			}
			continue
		}
		v.File = file
		file.Vectors = append(file.Vectors, v)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return file, nil
}

var groups = []string{GroupHandshake, GroupFrames, GroupMessages, GroupUTF8, GroupClose, GroupDeflate}

// parseVector decodes one vector and checks it against its group's rules.
// It returns the vector even on error when the id could be read, so that
// the error can name it.
func parseVector(group string, raw json.RawMessage) (*Vector, error) {
	var head struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	v := &Vector{}
	if err := json.Unmarshal(head.ID, &v.ID); err != nil || !validID(v.ID) {
		v.ID = ""
		return v, &fieldError{"id", fmt.Sprintf("want a string of letters, digits, '.', '_' or '-', got %s", orMissing(head.ID))}
	}
	id := v.ID
	if err := decodeStrict(raw, v, ""); err != nil {
		v.ID = id
		return v, err
	}
	var keys struct {
		Input   map[string]json.RawMessage   `json:"input"`
		Expect  map[string]json.RawMessage   `json:"expect"`
		Allowed []map[string]json.RawMessage `json:"allowed"`
	}
	if err := json.Unmarshal(raw, &keys); err != nil {
		return v, err
	}
	var allowed []map[string]bool
	for _, a := range keys.Allowed {
		allowed = append(allowed, present(a))
	}
	return v, checkVector(group, v, present(keys.Input), present(keys.Expect), allowed)
}

// present turns an object's keys into a set. (null never gets this far:
// checkKeys refuses it.)
func present(m map[string]json.RawMessage) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func quoteID(id string) string { return fmt.Sprintf("%q", id) }

func orMissing(raw json.RawMessage) string {
	if raw == nil {
		return "nothing (the field is missing)"
	}
	return clip(string(raw))
}

// jsonErrorAt adds a line and column to a JSON syntax error.
func jsonErrorAt(data []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	line, col := 1, 1
	for _, b := range data[:min(int(se.Offset), len(data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d column %d: %v", line, col, err)
}
