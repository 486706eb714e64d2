package load

import (
	"bytes"
	"strings"
	"testing"
)

func TestRatiosRoundByRound(t *testing.T) {
	cell := func(round int, server string, mps float64) Cell {
		return Cell{Mode: Unpinned, Round: round, Server: server, Result: Result{Workload: "16B", MsgsPerSec: mps}}
	}
	cells := []Cell{
		cell(0, "gobwas", 100), cell(0, "ours", 110),
		cell(1, "gobwas", 200), cell(1, "ours", 180),
		cell(2, "gobwas", 50), cell(2, "ours", 60),
		cell(3, "ours", 1000), // no baseline in round 3: not a ratio
	}
	got := Ratios(cells, "gobwas", throughput)[key{Unpinned, "16B", "ours"}]
	// Ratios 1.1, 0.9 and 1.2: median 1.1. The medians of each side
	// (100 and 110) would give the same here, but not in general.
	want := spread{1.1, 0.9, 1.2}
	if diff := got.med - want.med; diff > 1e-9 || diff < -1e-9 || got.lo != want.lo || got.hi != want.hi {
		t.Errorf("Ratios = %+v, want %+v", got, want)
	}
	if b := Ratios(cells, "gobwas", throughput)[key{Unpinned, "16B", "gobwas"}]; b != (spread{1, 1, 1}) {
		t.Errorf("baseline's own ratio = %+v, want 1", b)
	}
}

func TestSpreadEven(t *testing.T) {
	if s := spreadOf([]float64{4, 1, 3, 2}); s != (spread{2.5, 1, 4}) {
		t.Errorf("spreadOf = %+v, want median 2.5 of 1..4", s)
	}
}

func TestWriteTables(t *testing.T) {
	w, _ := WorkloadByName("16B")
	cells := []Cell{
		{Mode: Pinned, Server: "gobwas", Result: Result{Workload: "16B", MsgsPerSec: 100, ServerCPUPerMsg: 10, P50: 20, P99: 40, Seconds: 1}},
		{Mode: Pinned, Server: "ours", Result: Result{Workload: "16B", MsgsPerSec: 125, ServerCPUPerMsg: 8, P50: 16, P99: 30, Seconds: 1}},
	}
	idle := []IdleResult{{Server: "gobwas", Conns: 10, PerConn: 8}, {Server: "ours", Conns: 10, PerConn: 12}}
	var b bytes.Buffer
	WriteTables(&b, cells, idle, []string{"ours", "gobwas"}, []Workload{w}, []Mode{Pinned}, "gobwas")
	for _, want := range []string{
		"| 1 conn, 16 B, 1 in flight | pinned | 1.25 | 100 |",  // throughput
		"| 1 conn, 16 B, 1 in flight | pinned | 0.80 | 10.0 |", // CPU per message
		"| 16.0 / 30.0 | 20.0 / 40.0 |",                        // latencies
		"| ours | 12.0 [12.0–12.0] | 1.50 |",                   // idle memory
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("tables lack %q:\n%s", want, b.String())
		}
	}
}
