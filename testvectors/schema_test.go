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
	var level struct {
		Enum []string `json:"enum"`
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
	if err := json.Unmarshal(s.Defs["level"], &level); err != nil || !slices.Equal(level.Enum, levels) {
		t.Errorf("schema levels %v (%v), loader levels %v", level.Enum, err, levels)
	}
	// Every vector definition requires level and rule, as the loader does.
	for _, g := range groups {
		var def struct {
			Required []string `json:"required"`
			OneOf    []struct {
				Required []string `json:"required"`
			} `json:"oneOf"`
		}
		if err := json.Unmarshal(s.Defs[g+"-vector"], &def); err != nil {
			t.Fatal(err)
		}
		reqs := [][]string{def.Required}
		if len(def.OneOf) > 0 {
			reqs = nil
			for _, o := range def.OneOf {
				reqs = append(reqs, o.Required)
			}
		}
		for _, r := range reqs {
			if !slices.Contains(r, "level") || !slices.Contains(r, "rule") {
				t.Errorf("schema.json $defs/%s-vector does not require level and rule: %v", g, r)
			}
		}
	}
}
