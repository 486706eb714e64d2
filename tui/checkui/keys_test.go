package checkui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
	"github.com/wsanatomy/wsanatomy/tui/keymap/keytest"
	"github.com/wsanatomy/wsanatomy/tui/render"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// listed is every binding the state shows: its footer and, with the help
// closed, the help it would open.
func listed(m Model) []key.Binding {
	k := m.bindings()
	var body, tail []key.Binding
	switch {
	case m.help:
		tail = []key.Binding{k.Close, k.Quit}
	case m.screen == screenCase:
		body, tail = k.caseKeys()
	default:
		body, tail = k.listKeys()
	}
	out := keymap.Enabled(append(body, tail...)...)
	if !m.help {
		for _, g := range keymap.Shown(k.helpGroups(m.t)) {
			out = append(out, g.Bindings...)
		}
	}
	return out
}

// TestKeysDoWhatTheReportSays checks, in each state of the report, that
// every key its footer and help name does something, and that no other
// key does.
func TestKeysDoWhatTheReportSays(t *testing.T) {
	states := []struct {
		name string
		keys []string
	}{
		{"the list", nil},
		{"the list, further down", []string{"j", "j", "j"}},
		{"failed only", []string{"f"}},
		{"a case", []string{"j", "j", "enter"}},
		{"a failed case, a frame", []string{"f", "enter", "up", "tab"}},
		{"a failed case, its handshake", []string{"f", "enter", "g"}},
		{"a failed case, a header picked", []string{"f", "enter", "g", "tab"}},
		{"help", []string{"?"}},
	}
	for _, st := range states {
		m := keys(finished(t, "en", 80, 24), st.keys...)
		keytest.Check(t, keytest.Case[Model]{
			Name:   st.name,
			Fresh:  func() Model { return m },
			Update: func(m Model, msg tea.Msg) (Model, tea.Cmd) { n, cmd := m.Update(msg); return n.(Model), cmd },
			View:   func(m Model) string { return m.View() },
			Listed: listed(m),
		})
	}
}

// TestSeeTheCode: in a case, s opens the annotated source at the code of
// the selected field, as it does in the walkthrough and serve; esc comes
// back to the case, where it was.
func TestSeeTheCode(t *testing.T) {
	m := keys(finished(t, "en", 100, 30), "f", "enter", "up", "tab")
	if !m.bindings().Code.Enabled() {
		t.Fatal("s is not enabled on a frame with a field picked")
	}
	before := m.View()
	m = keys(m, "s")
	if !m.reading {
		t.Fatalf("s did not open the source reader:\n%s", m.View())
	}
	if v := m.View(); v == before || !strings.Contains(v, "wsanatomy source") {
		t.Errorf("the source reader does not show the annotated source:\n%s", v)
	}
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	m = next.(Model)
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			break
		}
		next, cmd = m.Update(msg)
		m = next.(Model)
	}
	if m.reading || m.View() != before {
		t.Errorf("esc did not come back to the case as it was:\n%s", m.View())
	}
}

// TestSharedKeysReadAsEverywhere: the keys the shared map has read here
// as on every screen, in both languages (the report once had its own
// words for them, and its Chinese differed).
func TestSharedKeysReadAsEverywhere(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		k, km := newKeyMap(lang), keymap.New(lang)
		for name, p := range map[string][2]key.Binding{
			"Up": {k.Up, km.Up}, "Down": {k.Down, km.Down}, "First": {k.First, km.First}, "Last": {k.Last, km.Last},
			"PageUp": {k.PageUp, km.PageUp}, "PageDown": {k.PageDown, km.PageDown}, "Back": {k.Back, km.Back},
			"Field": {k.Field, km.Field}, "FieldBack": {k.FieldBack, km.FieldBack},
			"ByteNext": {k.ByteNext, km.Byte}, "BytePrev": {k.BytePrev, km.ByteBack},
			"Help": {k.Help, km.Help}, "Close": {k.Close, km.Close}, "Quit": {k.Quit, km.Quit},
		} {
			if p[0].Help() != p[1].Help() {
				t.Errorf("%s: %s reads %q, the shared map %q", lang, name, p[0].Help(), p[1].Help())
			}
		}
	}
}

// TestTabPicksAHeader: on a handshake, tab and shift+tab pick its
// headers, as they do in the walkthrough and the lessons; the dissection
// marks the one picked, and s opens its code.
func TestTabPicksAHeader(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := keys(finished(t, "en", size[0], size[1]), "f", "enter", "g")
		e := m.entries[m.entrySel]
		if e.Kind != capture.KindHandshake {
			t.Fatalf("%v: the first entry of case 2.2 is a %v, not the handshake", size, e.Kind)
		}
		if !m.bindings().Field.Enabled() || !strings.Contains(m.View(), "tab field") {
			t.Errorf("%v: tab is not offered on a handshake:\n%s", size, m.View())
		}
		var ids []string
		for _, h := range render.HeaderSources(e.Handshake.Raw) {
			ids = append(ids, h.ID)
		}
		keytest.CheckTabPicksHeaders(t, fmt.Sprint(size), ids, func(key string) (string, string, string) {
			m = keys(m, key)
			id, _ := views.CodeTarget(e, m.frame, m.hs)
			return m.hs.Header, m.View(), id
		})
	}
}
