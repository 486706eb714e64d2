package testvectors

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// schema.json and the loader must agree on the groups; a group added to one
// and not the other would make files valid in one and not the other.
func TestSchemaGroups(t *testing.T) {
	data, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct {
			Group struct {
				Enum []string `json:"enum"`
			} `json:"group"`
		} `json:"properties"`
		Defs map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	if !slices.Equal(s.Properties.Group.Enum, groups) {
		t.Errorf("schema groups %v, loader groups %v", s.Properties.Group.Enum, groups)
	}
	for _, g := range groups {
		if _, ok := s.Defs[g+"-vector"]; !ok {
			t.Errorf("schema.json has no $defs/%s-vector", g)
		}
	}
}
