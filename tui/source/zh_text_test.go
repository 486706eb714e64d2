package source

import (
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
)

// TestChineseText holds the source reader's Chinese words and RFC section
// summaries to the rules of package zhcheck.
func TestChineseText(t *testing.T) {
	for en, s := range zh {
		zhcheck.Test(t, "source "+en, s)
	}
}
