package main

import (
	"regexp"
	"testing"

	"github.com/wsanatomy/wsanatomy/internal/zhcheck"
)

// literals are what the help and the messages name and a user types
// (flags, commands, --log's values): code to zhcheck, as if in `backticks`.
var literals = regexp.MustCompile(`--?[a-zA-Z][a-zA-Z0-9-]*|\b(wsanatomy|lessons|source|vectors|serve|dial|proxy|check|help|frame|message)\b`)

func asCode(s string) string { return literals.ReplaceAllString(s, "`$0`") }

// TestHelpChineseText holds the Chinese help to the rules of package
// zhcheck: the usage (laid out in columns already, so its sentences only),
// each command's help and every flag's description, which help wraps.
func TestHelpChineseText(t *testing.T) {
	for _, p := range zhcheck.Sentences(asCode(usageZh)) {
		t.Errorf("usage: %s", p)
	}
	for cmd, h := range commandHelp {
		zhcheck.Test(t, "help "+cmd, asCode(h[1]))
	}
	for cmd, flags := range flagsZh {
		for name, d := range flags {
			zhcheck.Test(t, "flag "+cmd+" --"+name, asCode(d))
		}
	}
}
