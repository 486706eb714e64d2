package testvectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Strict JSON decoding. encoding/json reports an unknown field without
// saying where it is, and a file author needs the path
// ("expect.frame.opcde") to find a typo. checkKeys walks the raw JSON
// against the Go type first, so every unknown key is named with its path;
// decodeStrict then turns type errors into the same "field: what was wrong"
// form.

var (
	bytesType       = reflect.TypeOf(Bytes(nil))
	unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// checkKeys reports the first key in raw that type t has no field for.
func checkKeys(raw json.RawMessage, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if string(raw) == "null" {
		// One rule for every field, the same in schema.json: null is not
		// a way to write "absent", so a file means the same to every
		// reader, whether its JSON library keeps nulls or drops them.
		return &fieldError{path, "null is not allowed; leave the field out instead"}
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		// Decode it here, where the path is known: encoding/json would
		// report a Bytes (or CodeSet, Status) error without saying which
		// field it came from.
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			return &fieldError{path, err.Error()}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if raw[0] != '[' {
			return nil // a type error; decodeStrict will name it
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return nil
		}
		for i, e := range elems {
			if err := checkKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if raw[0] != '{' {
			return nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			ft, ok := fields[k]
			if !ok {
				return &fieldError{join(path, k), fmt.Sprintf("unknown field (known: %s)", strings.Join(sortedKeys(fields), ", "))}
			}
			if err := checkKeys(obj[k], ft, join(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields maps the JSON names of t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// decodeStrict decodes raw into v after checking its keys, and reports
// errors with the field path.
func decodeStrict(raw json.RawMessage, v any, path string) error {
	if err := checkKeys(raw, reflect.TypeOf(v), path); err != nil {
		return err
	}
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &fieldError{join(path, te.Field), fmt.Sprintf("want %s, got JSON %s", describeType(te.Type), te.Value)}
	}
	// A Bytes value's own error arrives wrapped without a path; the
	// innermost message is the useful part.
	return &fieldError{path, err.Error()}
}

// describeType names a Go type the way a JSON author thinks of it.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == bytesType:
		return "bytes (a hex string or an array of parts)"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Slice:
		return "an array"
	case t.Kind() == reflect.Struct:
		return "an object"
	}
	return t.String()
}

// fieldError is a problem with one field; the loader adds file and vector.
type fieldError struct {
	Field string
	Msg   string
}

func (e *fieldError) Error() string { return fmt.Sprintf("field %q: %s", e.Field, e.Msg) }

func join(path, key string) string {
	switch {
	case path == "":
		return key
	case key == "":
		return path
	}
	return path + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
