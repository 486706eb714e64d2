package keymap_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
)

// bindings returns every binding of m, by field name.
func bindings(m keymap.Map) map[string]key.Binding {
	out := map[string]key.Binding{}
	v := reflect.ValueOf(m)
	for i := 0; i < v.NumField(); i++ {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out[v.Type().Field(i).Name] = b
		}
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestZh checks that every shared binding and the help screen's own lines
// have their Chinese.
func TestZh(t *testing.T) {
	for name, b := range bindings(keymap.New("zh")) {
		if !hasHan(b.Help().Desc) {
			t.Errorf("%s: %q has no Chinese", name, b.Help().Desc)
		}
	}
	m := keymap.New("zh")
	en := keymap.Screen{Lang: "en"}.Lines(80, []key.Binding{m.Help}, []key.Binding{m.Down})
	zh := keymap.Screen{Lang: "zh"}.Lines(80, []key.Binding{m.Help}, []key.Binding{m.Down})
	if len(zh) < 3 || !hasHan(zh[0]) || !strings.Contains(zh[0], "：返回") || !strings.Contains(zh[0], "：滚动") {
		t.Errorf("Chinese title line %q", zh[0])
	}
	if !hasHan(strings.Join(zh[1:], "")) || strings.Contains(strings.Join(zh, ""), "closes this help") {
		t.Errorf("the rule of esc is not in Chinese: %q", zh[1:])
	}
	if !strings.Contains(strings.Join(en, " "), "esc closes this help first") {
		t.Errorf("English lines %q", en)
	}
}

// TestOneKeyOneMeaning checks that no key is bound twice in the shared
// map, but for Close: the help's own way out, which acts only while the
// help is shown, when no other binding does.
func TestOneKeyOneMeaning(t *testing.T) {
	seen := map[string]string{}
	for name, b := range bindings(keymap.New("en")) {
		if name == "Close" {
			continue
		}
		for _, k := range b.Keys() {
			if other, dup := seen[k]; dup {
				t.Errorf("%q is bound by both %s and %s", k, other, name)
			}
			seen[k] = name
		}
	}
}

// TestMsg checks that the key message built for each key name prints as
// that name, as key.Matches compares it.
func TestMsg(t *testing.T) {
	names := keytest.Universe()
	for _, b := range bindings(keymap.New("en")) {
		names = append(names, b.Keys()...)
	}
	for _, k := range names {
		if got := keytest.Msg(k).String(); got != k {
			t.Errorf("Msg(%q) prints as %q", k, got)
		}
	}
}

// TestDisabledLeftOut checks that neither the hint line nor the help lists
// a disabled binding, that a group left with none is dropped, and that the
// help says it lists only the keys that act now.
func TestDisabledLeftOut(t *testing.T) {
	m := keymap.New("en")
	off := keymap.Relabel(m.Byte, "a byte that is not there")
	off.SetEnabled(false)
	f := keymap.Footer([]key.Binding{m.Next, off}, []key.Binding{m.Help}, 80, keymap.Styles{})
	if strings.Contains(f, "not there") || !strings.Contains(f, "→/space next") || !strings.Contains(f, "? help") {
		t.Errorf("footer %q", f)
	}
	groups := []keymap.Group{{Title: "bytes", Bindings: []key.Binding{off}}, {Title: "steps", Bindings: []key.Binding{m.Next}}}
	lines := strings.Join(keymap.HelpLines(groups, 80, keymap.Styles{}, "en"), "\n")
	if strings.Contains(lines, "bytes") || strings.Contains(lines, "not there") || !strings.Contains(lines, "steps") {
		t.Errorf("help:\n%s", lines)
	}
	if !strings.HasPrefix(lines, "Only the keys that act here now are listed") {
		t.Errorf("the help does not say that it lists only the keys that act now:\n%s", lines)
	}
	zh := strings.Join(keymap.HelpLines(groups, 80, keymap.Styles{}, "zh"), "\n")
	if !strings.HasPrefix(zh, "这里只列出此刻起作用的按键") {
		t.Errorf("Chinese help:\n%s", zh)
	}
}

// TestEscSentence: the help's sentence about esc is true of the screen:
// it says esc leaves the screen only where it does.
func TestEscSentence(t *testing.T) {
	stays := strings.Join(keymap.Screen{Lang: "en"}.Lines(200, nil, nil), "\n")
	leaves := strings.Join(keymap.Screen{Lang: "en", EscLeaves: true}.Lines(200, nil, nil), "\n")
	if strings.Contains(stays, "then the screen") || !strings.Contains(stays, "on this screen itself it does nothing") {
		t.Errorf("a screen esc does not leave:\n%s", stays)
	}
	if !strings.Contains(leaves, "then the screen") {
		t.Errorf("a screen esc leaves:\n%s", leaves)
	}
}

// TestFooterFits checks that the hint line never passes its width and
// keeps its tail whole.
func TestFooterFits(t *testing.T) {
	m := keymap.New("zh")
	body := []key.Binding{m.Next, m.Prev, m.Down, m.Field, m.Byte, m.Source}
	for w := 10; w <= 100; w++ {
		f := keymap.Footer(body, []key.Binding{m.Help, m.Quit}, w, keymap.Styles{})
		if lipgloss.Width(f) > w {
			t.Errorf("width %d: footer is %d wide: %q", w, lipgloss.Width(f), f)
		}
		if w >= 30 && !strings.Contains(f, "q 退出") {
			t.Errorf("width %d: the tail was cut: %q", w, f)
		}
	}
}

// TestWindow checks the help's scrolling: exactly height lines, the last
// saying how many are left, and the top clamped.
func TestWindow(t *testing.T) {
	var lines []string
	for i := 0; i < 30; i++ {
		lines = append(lines, strings.Repeat("x", i))
	}
	got, top := keymap.Window(lines, 10, 0, "en", keymap.Styles{})
	if len(got) != 10 || top != 0 || got[9] != "↓ 21 more lines" {
		t.Errorf("top 0: %d lines, top %d, last %q", len(got), top, got[9])
	}
	got, top = keymap.Window(lines, 10, 100, "en", keymap.Styles{})
	if len(got) != 10 || top != 20 || got[9] != lines[29] {
		t.Errorf("top 100: %d lines, top %d, last %q", len(got), top, got[9])
	}
}

// TestKeyLabel checks that the space bar is named in the help's language
// and every other key name stays as it is.
func TestKeyLabel(t *testing.T) {
	if got := keymap.New("zh").Next.Help().Key; got != "→/空格" {
		t.Errorf("zh next: %q", got)
	}
	if got := keymap.New("en").Next.Help().Key; got != "→/space" {
		t.Errorf("en next: %q", got)
	}
	if got := keymap.New("zh").WithKeys(keymap.New("zh").PageDown, "pgdn/space", "pgdown", " "); got.Help().Key != "pgdn/空格" {
		t.Errorf("zh WithKeys: %q", got.Help().Key)
	}
}

// TestFooterRankedDropsLeastUsefulFirst: a narrow line drops the items of
// highest rank first, keeps the others in order, ends with "? more", and
// never passes its width.
func TestFooterRankedDropsLeastUsefulFirst(t *testing.T) {
	m := keymap.New("en")
	body := []key.Binding{m.Next, m.Prev, m.Down, m.Byte}
	rank := []int{0, 3, 2, 1}
	more := keymap.Relabel(m.Help, "more")
	tail := []key.Binding{m.Help, m.Quit}
	full := keymap.FooterRanked(body, rank, tail, more, 200, keymap.Styles{})
	if full != " →/space next • ← previous • ↓/j down • ] next byte • ? help • q quit" {
		t.Errorf("wide line %q", full)
	}
	w := lipgloss.Width(" →/space next • ] next byte • ? more • q quit")
	if got := keymap.FooterRanked(body, rank, tail, more, w, keymap.Styles{}); got != " →/space next • ] next byte • ? more • q quit" {
		t.Errorf("narrow line %q", got)
	}
	for w := 1; w <= 90; w++ {
		if got := keymap.FooterRanked(body, rank, tail, more, w, keymap.Styles{}); lipgloss.Width(got) > w {
			t.Errorf("width %d: %q", w, got)
		}
	}
}

// TestBurst: runes read together are split into keys; a paste, a single
// key and a named key stay as they are.
func TestBurst(t *testing.T) {
	got := keymap.Burst(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jk?")})
	var names []string
	for _, k := range got {
		names = append(names, k.String())
	}
	if strings.Join(names, " ") != "j k ?" {
		t.Errorf("\"jk?\" splits into %q", names)
	}
	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("jk"), Paste: true},
		{Type: tea.KeyRunes, Runes: []rune("j")},
		{Type: tea.KeyDown},
	} {
		if got := keymap.Burst(k); len(got) != 1 || got[0].String() != k.String() || got[0].Paste != k.Paste {
			t.Errorf("%q became %v", k.String(), got)
		}
	}
}
