package tui

import (
	"bytes"
	"os"
	"testing"
)

func TestPlainDump(t *testing.T) {
	var b bytes.Buffer
	if err := WritePlain(&b); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/plain.txt", b.Bytes(), 0o644)
}
