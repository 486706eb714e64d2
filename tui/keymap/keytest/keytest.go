// Package keytest checks a screen's keys against what its hint line and
// help screen say: every key a listed binding names does something, and
// no key left out of them does anything. Screens call [Check] from their
// tests, once per state worth checking (a form open, the help shown, ...).
package keytest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Msg is the key message whose String() is s, as the terminal would send
// it: "right", "shift+tab", "ctrl+c", " " or a single rune such as "s".
func Msg(s string) tea.KeyMsg {
	if t, ok := named()[s]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

var namedKeys map[string]tea.KeyType

// named maps every key name Bubble Tea gives a key type to that type.
func named() map[string]tea.KeyType {
	if namedKeys == nil {
		namedKeys = map[string]tea.KeyType{}
		for t := tea.KeyType(-200); t <= 127; t++ {
			if t == tea.KeyRunes {
				continue
			}
			if s := (tea.Key{Type: t}).String(); s != "" {
				if _, dup := namedKeys[s]; !dup {
					namedKeys[s] = t
				}
			}
		}
	}
	return namedKeys
}

// Universe is every key the checks try: each printable ASCII character
// and each named key (arrows, tab, esc, enter, pgup, ctrl+letters...).
func Universe() []string {
	var out []string
	for r := '!'; r <= '~'; r++ {
		out = append(out, string(r))
	}
	for s := range named() {
		out = append(out, s)
	}
	return out
}

// Case is one state of one screen.
type Case[M any] struct {
	Name   string
	Fresh  func() M // the state, built anew for every key
	Update func(M, tea.Msg) (M, tea.Cmd)
	View   func(M) string
	// Listed are the bindings the state's hint line or help screen shows.
	Listed []key.Binding
	// Silent lists keys that act though no listed binding names them,
	// with the reason (a key handled by a text field, say); nil for none.
	Silent map[string]string
}

// acts sends k to a fresh state and reports whether anything changed: the
// view, or a command to run.
func (c Case[M]) acts(k string) (bool, string) {
	m := c.Fresh()
	before := c.View(m)
	m, cmd := c.Update(m, Msg(k))
	after := c.View(m)
	return before != after || cmd != nil, after
}

// Check fails t when a listed binding is disabled, when a key it names
// does nothing in the state, or when a key no listed binding names does
// something (a key the help should list, or stop handling).
func Check[M any](t *testing.T, c Case[M]) {
	t.Helper()
	listed := map[string]bool{}
	for _, b := range c.Listed {
		if !b.Enabled() {
			t.Errorf("%s: %q (%s) is listed but disabled", c.Name, b.Help().Key, b.Help().Desc)
			continue
		}
		for _, k := range b.Keys() {
			listed[k] = true
			if ok, _ := c.acts(k); !ok {
				t.Errorf("%s: %q is listed as %q (%s) but does nothing", c.Name, k, b.Help().Key, b.Help().Desc)
			}
		}
	}
	for _, k := range Universe() {
		if listed[k] || c.Silent[k] != "" {
			continue
		}
		if ok, after := c.acts(k); ok {
			t.Errorf("%s: %q acts but no hint or help names it; after it:\n%s", c.Name, k, clip(after))
		}
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

// CheckTabPicksHeaders checks a screen showing a handshake whose headers
// (ids, in order, at least two) tab and shift+tab pick: tab, tab,
// shift+tab, shift+tab must pick the first, the second, the first and the
// last, and after each the view must mark the one picked ("see the code
// for ID") and s must open its code. press applies a key to the screen
// and returns the header it picked, its view and the code s would open.
func CheckTabPicksHeaders(t *testing.T, label string, ids []string, press func(key string) (picked, view, target string)) {
	t.Helper()
	if len(ids) < 2 {
		t.Fatalf("%s: the request has %d headers with code, want 2 or more", label, len(ids))
	}
	for _, step := range []struct {
		key  string
		want int
	}{{"tab", 0}, {"tab", 1}, {"shift+tab", 0}, {"shift+tab", len(ids) - 1}} {
		want := ids[step.want]
		picked, view, target := press(step.key)
		if picked != want {
			t.Fatalf("%s: %s picked %q, want %q", label, step.key, picked, want)
		}
		if !strings.Contains(view, "see the code for "+want) {
			t.Errorf("%s: after %s the dissection does not mark %s:\n%s", label, step.key, want, view)
		}
		if target != want {
			t.Errorf("%s: s would open %q, not the picked %q", label, target, want)
		}
	}
}
