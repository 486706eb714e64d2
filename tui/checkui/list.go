package checkui

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/tui/views"
)

// listRow is one row of the report's list: a section's title (i < 0) or
// case i.
type listRow struct {
	section string
	i       int
}

// listCache is the report's list as the results, the filter, the width
// and the language make it, kept between keypresses: a run has up to
// 1,500 cases, and a keypress (which moves the selection, or changes
// nothing the list is made of) should cost the rows on screen, not a walk
// over every case. Invariant: every field below the key was built from
// a model whose key fields were these.
type listCache struct {
	// The key: the result set (results are only ever added, so their
	// count names it), the filter, the width drawn at and the language.
	done       int
	failedOnly bool
	width      int
	lang       string
	built      bool

	vis   []int // the cases shown, in order: those with a result, or only the FAILED ones
	pos   []int // pos[i] is case i's place in vis, or -1
	rows  []listRow
	rowOf []int // rowOf[i] is case i's row, or -1
	idW   int   // the width of the id column
	// drawn[r] is row r drawn at width, not selected; "" until it is
	// first on screen.
	drawn []string
}

// listing returns the list for the model's results, filter and language,
// drawn at width w (0 when the caller draws nothing), rebuilt if any of
// them changed since it was built. Copies of a Model share the cache; a
// copy in another state rebuilds it, so a stale one is never used.
func (m Model) listing(w int) *listCache {
	c := m.list
	if c == nil {
		c = &listCache{} // a Model not made by New: nothing to keep it in
	}
	if c.built && c.done == m.done && c.failedOnly == m.failedOnly && c.lang == m.t.lang && (w == 0 || c.width == w) {
		return c
	}
	if c.built && c.done == m.done && c.failedOnly == m.failedOnly && c.lang == m.t.lang {
		// Only the width changed: the rows stay, their drawing goes.
		c.width = w
		clear(c.drawn)
		return c
	}
	// Fresh slices, not the old ones refilled: a caller may still hold
	// the old vis.
	*c = listCache{done: m.done, failedOnly: m.failedOnly, width: w, lang: m.t.lang, built: true, idW: 4,
		pos: make([]int, len(m.results)), rowOf: make([]int, len(m.results))}
	last := ""
	for i, r := range m.results {
		c.pos[i], c.rowOf[i] = -1, -1
		if r == nil || (m.failedOnly && r.Verdict.Passed()) {
			continue
		}
		c.pos[i] = len(c.vis)
		c.vis = append(c.vis, i)
		c.idW = max(c.idW, len(m.cases[i].ID))
		if s := section(m.cases[i].ID); s != last {
			last = s
			c.rows = append(c.rows, listRow{s, -1})
		}
		c.rowOf[i] = len(c.rows)
		c.rows = append(c.rows, listRow{i: i})
	}
	c.drawn = make([]string, len(c.rows))
	return c
}

// row is row r of the list, drawn at the cache's width for m; the
// selected case's row is drawn anew each time, the others once.
func (c *listCache) row(m Model, r int) string {
	lr := c.rows[r]
	if lr.i == m.sel && lr.i >= 0 {
		mark, res := "▸ ", m.results[lr.i]
		if m.screen == screenList {
			return m.st.selected.Render(views.Fit(mark+fmt.Sprintf("%-*s %-13s %s", c.idW, m.cases[lr.i].ID, res.Verdict, m.cases[lr.i].Desc), c.width))
		}
		return views.Fit(mark+fmt.Sprintf("%-*s ", c.idW, m.cases[lr.i].ID)+m.verdict(res.Verdict, true)+" "+m.cases[lr.i].Desc, c.width)
	}
	if c.drawn[r] == "" {
		if lr.i < 0 {
			c.drawn[r] = m.st.heading.Render(views.Fit("── "+m.sectionTitle(lr.section)+" ", c.width))
		} else {
			c.drawn[r] = views.Fit("  "+fmt.Sprintf("%-*s ", c.idW, m.cases[lr.i].ID)+m.verdict(m.results[lr.i].Verdict, true)+" "+m.cases[lr.i].Desc, c.width)
		}
	}
	return c.drawn[r]
}

// position is the selected case's place among those shown, or -1.
func (m Model) position() int {
	c := m.listing(0)
	if m.sel < 0 || m.sel >= len(c.pos) {
		return -1
	}
	return c.pos[m.sel]
}
