package testvectors

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxBytes bounds the expansion of one Bytes value. A "repeat" part lets a
// file describe a 64 KiB frame in one line; the bound keeps a typo in a
// user's file from asking for terabytes.
const MaxBytes = 64 << 20

// Bytes is a byte string as written in a vector file. In JSON it is either
// a string of hex digits (spaces allowed, any case) or an array of parts,
// concatenated in order, each one of:
//
//	"81 05"                         hex digits
//	{"text": "Hello"}               the UTF-8 bytes of a string
//	{"repeat": "00", "count": 65536} hex bytes repeated count times
//
// Parts exist because hex is exact but unreadable for text, and impossible
// to write out for the length boundaries of §5.2.
type Bytes []byte

// bytesPart is one element of the array form.
type bytesPart struct {
	Text   *string `json:"text"`
	Repeat *string `json:"repeat"`
	Count  *int64  `json:"count"`
}

// UnmarshalJSON accepts both forms described on [Bytes].
func (b *Bytes) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		out, err := decodeHex(s)
		if err != nil {
			return err
		}
		*b = out
		return nil
	}
	if len(data) == 0 || data[0] != '[' {
		return fmt.Errorf("want a hex string or an array of parts, got %s", clip(string(data)))
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil {
		return err
	}
	var out []byte
	for i, raw := range parts {
		p, err := decodePart(raw)
		if err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
		if len(out)+len(p) > MaxBytes {
			return fmt.Errorf("part %d: expands past %d bytes, the limit for one value", i, MaxBytes)
		}
		out = append(out, p...)
	}
	*b = out
	return nil
}

// decodePart decodes one element of the array form.
func decodePart(raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return decodeHex(s)
	}
	var p bytesPart
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("want a hex string, {\"text\": ...} or {\"repeat\": ..., \"count\": ...}: %v", err)
	}
	switch {
	case p.Text != nil && p.Repeat == nil && p.Count == nil:
		return []byte(*p.Text), nil
	case p.Text == nil && p.Repeat != nil && p.Count != nil:
		unit, err := decodeHex(*p.Repeat)
		if err != nil {
			return nil, fmt.Errorf("repeat: %w", err)
		}
		if len(unit) == 0 {
			return nil, fmt.Errorf("repeat: empty byte string")
		}
		if *p.Count < 0 || *p.Count > MaxBytes/int64(len(unit)) {
			return nil, fmt.Errorf("count: %d is out of range 0-%d", *p.Count, MaxBytes/int64(len(unit)))
		}
		return bytes.Repeat(unit, int(*p.Count)), nil
	}
	return nil, fmt.Errorf("want exactly {\"text\": ...} or {\"repeat\": ..., \"count\": ...}")
}

// decodeHex decodes hex digits, ignoring spaces so that a frame can be
// written with its fields apart ("81 05 48656c6c6f").
func decodeHex(s string) ([]byte, error) {
	compact := strings.Join(strings.Fields(s), "")
	out, err := hex.DecodeString(compact)
	if err != nil {
		return nil, fmt.Errorf("not hex: %q: %v", clip(s), err)
	}
	return out, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// MarshalJSON writes the hex form, so that a vector printed by --show reads
// like the file it came from rather than as base64.
func (b Bytes) MarshalJSON() ([]byte, error) {
	return json.Marshal(hex.EncodeToString(b))
}
