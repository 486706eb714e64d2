package testvectors

import (
	"context"
	"testing"
)

// TestEmbeddedVectorsPass runs every shipped vector through the codec: this
// is how `go test ./...` runs the vectors.
func TestEmbeddedVectorsPass(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatalf("embedded vectors do not load: %v", err)
	}
	rep := Run(context.Background(), set)
	if len(rep.Results) == 0 {
		t.Fatal("no vectors ran")
	}
	for _, res := range rep.Results {
		if !res.Pass {
			t.Errorf("%s (%s): %s\n  expected: %s\n  actual:   %s\n  codec:    %s",
				res.Vector.ID, res.Vector.File.Name, res.Why, res.Expected, res.Actual, res.Detail)
		}
	}
	t.Logf("%d passed, %d failed", rep.Passed(), rep.Failed())
}
