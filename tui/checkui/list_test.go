package checkui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/conformance"
)

// uncached is m with a list cache of its own, empty: its View is what the
// list would be if nothing had been kept.
func uncached(m Model) Model {
	m.list = &listCache{}
	return m
}

// TestListCacheFollowsChanges: the list kept between keypresses is
// rebuilt when a result arrives, the filter changes, the width changes or
// the language does, so that the screen is always what a list built anew
// would show, and a keypress that changes none of them does not rebuild
// it.
func TestListCacheFollowsChanges(t *testing.T) {
	cases := fakeCases(t)
	results := fakeResults(cases)
	m := New(cases, nil, Options{Lang: "en", Target: "ws://127.0.0.1:9001/", Parallel: 2})
	// Narrow, so that rows are cut: a row kept from this width would show
	// its cut on a wider screen.
	m = update(m, tea.WindowSizeMsg{Width: 40, Height: 30})
	for _, r := range results[:5] {
		m = update(m, resultMsg{r})
	}
	before := m.View()
	same := func(what string, changed Model, old string) {
		t.Helper()
		got := changed.View()
		if got == old {
			t.Errorf("%s: the screen did not change:\n%s", what, got)
		}
		if want := uncached(changed).View(); got != want {
			t.Errorf("%s: the kept list differs from one built anew:\n%s\nwant:\n%s", what, got, want)
		}
	}

	// A keypress that moves the selection keeps the rows.
	built := m.list.rows
	m = keys(m, "down")
	if v := m.View(); v == before || &m.list.rows[0] != &built[0] {
		t.Errorf("down rebuilt the rows, or did not move:\n%s", v)
	}
	if got, want := m.View(), uncached(m).View(); got != want {
		t.Errorf("after down:\n%s\nwant:\n%s", got, want)
	}

	// A result arrives: its case is listed.
	old := m.View()
	m = update(m, resultMsg{results[5]})
	same("a result", m, old)
	if !strings.Contains(m.View(), " "+results[5].ID+" ") {
		t.Errorf("the new result %s is not listed:\n%s", results[5].ID, m.View())
	}

	// The filter.
	for _, r := range results[6:] {
		m = update(m, resultMsg{r})
	}
	old = m.View()
	m = keys(m, "f")
	same("the filter on", m, old)
	if strings.Contains(m.View(), " OK ") {
		t.Errorf("failed only still lists an OK case:\n%s", m.View())
	}
	old = m.View()
	m = keys(m, "f")
	same("the filter off", m, old)

	// The width: 140 shows what 40 cut, and rows drawn at 140 do not fit
	// 60.
	for _, w := range []int{140, 60} {
		old = m.View()
		m = update(m, tea.WindowSizeMsg{Width: w, Height: 30})
		same(fmt.Sprintf("width %d", w), m, old)
		checkSize(t, fmt.Sprintf("width %d", w), m.View(), w, 30)
	}

	// The language: a copy of the model in Chinese shares the cache, and
	// draws the sections' titles in Chinese, not the English kept.
	old = m.View()
	zh := m
	zh.t = textsFor("zh")
	same("Chinese", zh, old)
	if !strings.Contains(zh.View(), "── 第 2 节 · ping 与 pong") {
		t.Errorf("the Chinese list has no Chinese section title:\n%s", zh.View())
	}
	// And the English model, sharing that cache, gets its English back.
	if got := m.View(); got != old {
		t.Errorf("back in English:\n%s\nwant:\n%s", got, old)
	}
}

// benchModel is a finished report of every case against a server (about
// 1,500), at 120x40, each with a result, every tenth FAILED.
func benchModel(b *testing.B) Model {
	allCases.Do(func() { allCases.cs = conformance.All() })
	cases := conformance.ForServers(allCases.cs)
	m := New(cases, nil, Options{Lang: "en", Target: "ws://127.0.0.1:9001/", Parallel: 4})
	m = update(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	for i, c := range cases {
		r := conformance.Result{ID: c.ID, Desc: c.Desc, Rule: c.Rule, Verdict: conformance.OK}
		if i%10 == 0 {
			r.Verdict = conformance.Failed
		}
		m = update(m, resultMsg{r})
	}
	if m.done < 1000 {
		b.Fatalf("only %d cases", m.done)
	}
	return update(m, doneMsg{})
}

// BenchmarkListKeypress is a keypress on the list (down, then up, so the
// selection stays in the middle of the run's cases) and the View after
// it: kept is the list as it is drawn, rebuilt throws the kept list away
// before each keypress, which costs what every keypress cost before it
// was kept.
func BenchmarkListKeypress(b *testing.B) {
	base := keys(benchModel(b), "G")
	for range 700 {
		base = keys(base, "up")
	}
	for _, kept := range []bool{true, false} {
		name := "rebuilt"
		if kept {
			name = "kept"
		}
		b.Run(name, func(b *testing.B) {
			m := base
			m.list = &listCache{}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !kept {
					*m.list = listCache{}
				}
				k := "down"
				if i%2 == 1 {
					k = "up"
				}
				m = keys(m, k)
				_ = m.View()
			}
		})
	}
}
