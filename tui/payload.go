package tui

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
)

var repeatRE = regexp.MustCompile(`^(.)\*(\d{1,6})$`)

// parsePayload reads what the learner typed as a payload: plain text,
// "c*N" for the character c repeated N times (a 200-byte ping is "x*200"),
// or "hex 48 65 ff" for raw bytes.
func parsePayload(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "hex "); ok {
		return parseHex(rest)
	}
	if m := repeatRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		return bytes.Repeat([]byte(m[1]), n), nil
	}
	return []byte(s), nil
}

// parseHex reads hex bytes, ignoring spaces.
func parseHex(s string) ([]byte, error) {
	return hex.DecodeString(strings.Join(strings.Fields(s), ""))
}

// clampLines keeps at most n lines of s.
func clampLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
