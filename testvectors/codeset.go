package testvectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CodeSet is a set of acceptable numbers written as one integer, or as an
// array of them when RFC 6455 allows several (a close code "appropriate"
// to the error, §7.1.7). nil means the field is absent.
type CodeSet []int

// UnmarshalJSON accepts 1002 or [1002, 1009].
func (c *CodeSet) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var list []int
		if err := json.Unmarshal(data, &list); err != nil {
			return fmt.Errorf("want an integer or a non-empty array of integers: %v", err)
		}
		if len(list) == 0 {
			return fmt.Errorf("want an integer or a non-empty array of integers, got []")
		}
		*c = list
		return nil
	}
	var n int
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("want an integer or a non-empty array of integers, got %s", clip(string(data)))
	}
	*c = CodeSet{n}
	return nil
}

// MarshalJSON writes a one-element set as a plain integer.
func (c CodeSet) MarshalJSON() ([]byte, error) {
	if len(c) == 1 {
		return json.Marshal(c[0])
	}
	return json.Marshal([]int(c))
}

// Has reports whether n is in the set.
func (c CodeSet) Has(n int) bool { return slices.Contains(c, n) }

func (c CodeSet) String() string {
	parts := make([]string, len(c))
	for i, n := range c {
		parts[i] = strconv.Itoa(n)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "one of " + strings.Join(parts, ",")
}

// Status is the expected status of a handshake request: 101 (accepted), or
// the string "4xx", any refusal with a 4xx code: §4.2.1 and §4.2.2 ask for
// "an appropriate error code (such as 400 Bad Request)" and so fix the
// class, not the number.
type Status struct {
	Code int  // 101, or 0 with Any4xx
	Any  bool // "4xx"
}

func (s *Status) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == `"4xx"` {
		*s = Status{Any: true}
		return nil
	}
	if string(data) == "101" {
		*s = Status{Code: 101}
		return nil
	}
	return fmt.Errorf(`want 101 or "4xx", got %s`, clip(string(data)))
}

func (s Status) MarshalJSON() ([]byte, error) {
	if s.Any {
		return []byte(`"4xx"`), nil
	}
	return json.Marshal(s.Code)
}

func (s Status) String() string {
	if s.Any {
		return "4xx"
	}
	return strconv.Itoa(s.Code)
}
