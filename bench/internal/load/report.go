package load

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// spread is the median, least and greatest of a set of figures.
type spread struct{ med, lo, hi float64 }

func spreadOf(v []float64) spread {
	if len(v) == 0 {
		return spread{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return spread{med, s[0], s[len(s)-1]}
}

func (s spread) ratio() string {
	if s.lo == s.hi {
		return fmt.Sprintf("%.2f", s.med)
	}
	return fmt.Sprintf("%.2f [%.2f–%.2f]", s.med, s.lo, s.hi)
}

// key picks the cells of one mode, workload and server.
type key struct {
	mode     Mode
	workload string
	server   string
}

// Ratios returns, for each mode, workload and server, the spread over
// rounds of the server's figure divided by the baseline server's figure
// in the same round, mode and workload: ratios are taken round by round,
// so that a slow round slows both sides of its ratio.
func Ratios(cells []Cell, baseline string, figure func(Result) float64) map[key]spread {
	base := map[[3]any]float64{}
	for _, c := range cells {
		if c.Server == baseline {
			base[[3]any{c.Mode, c.Workload, c.Round}] = figure(c.Result)
		}
	}
	vals := map[key][]float64{}
	for _, c := range cells {
		b, ok := base[[3]any{c.Mode, c.Workload, c.Round}]
		if !ok || b == 0 {
			continue
		}
		k := key{c.Mode, c.Workload, c.Server}
		vals[k] = append(vals[k], figure(c.Result)/b)
	}
	out := map[key]spread{}
	for k, v := range vals {
		out[k] = spreadOf(v)
	}
	return out
}

// medians returns the median over rounds of a figure, per mode, workload
// and server.
func medians(cells []Cell, figure func(Result) float64) map[key]float64 {
	vals := map[key][]float64{}
	for _, c := range cells {
		k := key{c.Mode, c.Workload, c.Server}
		vals[k] = append(vals[k], figure(c.Result))
	}
	out := map[key]float64{}
	for k, v := range vals {
		out[k] = spreadOf(v).med
	}
	return out
}

func throughput(r Result) float64 { return r.MsgsPerSec }
func cpuPerMsg(r Result) float64  { return r.ServerCPUPerMsg }

// WriteTables prints the matrix as Markdown tables: throughput and server
// CPU per message as ratios to baseline (median over rounds, with the
// least and greatest round in brackets), then the absolute figures and
// latencies, then the idle memory per connection.
func WriteTables(w io.Writer, cells []Cell, idle []IdleResult, servers []string, workloads []Workload, modes []Mode, baseline string) {
	others := slices.DeleteFunc(slices.Clone(servers), func(s string) bool { return s == baseline })
	if len(cells) > 0 {
		rounds := 0
		for _, c := range cells {
			rounds = max(rounds, c.Round+1)
		}
		ratioTable := func(title string, figure func(Result) float64, unit string) {
			fmt.Fprintf(w, "%s, ratio to %s (median of %d rounds [least–greatest])\n\n", title, baseline, rounds)
			fmt.Fprintf(w, "| workload | mode | %s | %s %s |\n", strings.Join(others, " | "), baseline, unit)
			fmt.Fprintf(w, "|---|---|%s---|\n", strings.Repeat("---|", len(others)))
			r := Ratios(cells, baseline, figure)
			med := medians(cells, figure)
			for _, wl := range workloads {
				for _, m := range modes {
					fmt.Fprintf(w, "| %s | %s |", wl, m)
					for _, s := range others {
						if sp, ok := r[key{m, wl.Name, s}]; ok {
							fmt.Fprintf(w, " %s |", sp.ratio())
						} else {
							fmt.Fprint(w, " – |")
						}
					}
					fmt.Fprintf(w, " %s |\n", absolute(med[key{m, wl.Name, baseline}]))
				}
			}
			fmt.Fprintln(w)
		}
		ratioTable("Throughput (messages/s)", throughput, "msg/s")
		ratioTable("Server CPU per message (lower is better)", cpuPerMsg, "µs/msg")

		fmt.Fprintf(w, "Round-trip latency p50 / p99 in µs (median of %d rounds)\n\n", rounds)
		fmt.Fprintf(w, "| workload | mode | %s |\n", strings.Join(servers, " | "))
		fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("---|", len(servers)))
		p50 := medians(cells, func(r Result) float64 { return r.P50 })
		p99 := medians(cells, func(r Result) float64 { return r.P99 })
		for _, wl := range workloads {
			for _, m := range modes {
				fmt.Fprintf(w, "| %s | %s |", wl, m)
				for _, s := range servers {
					k := key{m, wl.Name, s}
					fmt.Fprintf(w, " %s / %s |", absolute(p50[k]), absolute(p99[k]))
				}
				fmt.Fprintln(w)
			}
		}
		fmt.Fprintln(w)

		fmt.Fprintf(w, "Server system calls per message, reads / writes (median of %d rounds)\n\n", rounds)
		fmt.Fprintf(w, "| workload | mode | %s |\n", strings.Join(servers, " | "))
		fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("---|", len(servers)))
		rd := medians(cells, func(r Result) float64 { return r.ServerReadsPerMsg })
		wr := medians(cells, func(r Result) float64 { return r.ServerWritesPerMsg })
		for _, wl := range workloads {
			for _, m := range modes {
				fmt.Fprintf(w, "| %s | %s |", wl, m)
				for _, s := range servers {
					k := key{m, wl.Name, s}
					fmt.Fprintf(w, " %s / %s |", absolute(rd[k]), absolute(wr[k]))
				}
				fmt.Fprintln(w)
			}
		}
		fmt.Fprintln(w)

		fmt.Fprintf(w, "Client CPU per second of run (1.00 is a whole core; near it, the client was the limit)\n\n")
		fmt.Fprintf(w, "| workload | mode | %s |\n", strings.Join(servers, " | "))
		fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("---|", len(servers)))
		cl := medians(cells, func(r Result) float64 { return r.ClientCPU / r.Seconds })
		for _, wl := range workloads {
			for _, m := range modes {
				fmt.Fprintf(w, "| %s | %s |", wl, m)
				for _, s := range servers {
					fmt.Fprintf(w, " %.2f |", cl[key{m, wl.Name, s}])
				}
				fmt.Fprintln(w)
			}
		}
		fmt.Fprintln(w)
	}
	if len(idle) > 0 {
		per := map[string][]float64{}
		base := map[string][]float64{}
		conns, rounds := 0, 0
		for _, r := range idle {
			per[r.Server] = append(per[r.Server], r.PerConn)
			base[r.Server] = append(base[r.Server], float64(r.Baseline)/(1<<20))
			conns, rounds = r.Conns, max(rounds, r.Round+1)
		}
		fmt.Fprintf(w, "Server memory per idle connection, %d connections after the handshake (median of %d fresh processes [least–greatest])\n\n", conns, rounds)
		fmt.Fprintln(w, "| server | KiB per connection | ratio to "+baseline+" | baseline RSS, MiB |")
		fmt.Fprintln(w, "|---|---|---|---|")
		bmed := spreadOf(per[baseline]).med
		for _, s := range servers {
			if len(per[s]) == 0 {
				continue
			}
			sp := spreadOf(per[s])
			fmt.Fprintf(w, "| %s | %.1f [%.1f–%.1f] | %.2f | %.1f |\n", s, sp.med, sp.lo, sp.hi, sp.med/bmed, spreadOf(base[s]).med)
		}
		fmt.Fprintln(w)
	}
}

// absolute formats a figure with three significant digits or so.
func absolute(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
