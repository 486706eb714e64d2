// Package load is the out-of-process load test of bench/: a client that
// drives any echo server with a fixed workload and checks every echo
// (Run), the /proc readings it measures a server by (CPUTime, RSS), and
// the driver that runs every server against that client, interleaved,
// and prints their ratios to gobwas (Matrix, Idle).
package load

import "fmt"

// A Workload is what the client sends: Conns connections, each keeping
// InFlight binary messages of Size bytes outstanding. InFlight 1 is
// ping-pong: send, wait for the echo, send again.
type Workload struct {
	Name     string
	Conns    int
	Size     int
	InFlight int
}

func (w Workload) String() string {
	return fmt.Sprintf("%d conn, %s, %d in flight", w.Conns, sizeName(w.Size), w.InFlight)
}

// Workloads are the configurations of the speed issue's table.
var Workloads = []Workload{
	{Name: "16B", Conns: 1, Size: 16, InFlight: 1},
	{Name: "1KiBx16x8", Conns: 16, Size: 1 << 10, InFlight: 8},
	{Name: "64KiBx4", Conns: 4, Size: 64 << 10, InFlight: 1},
	{Name: "1MiB", Conns: 1, Size: 1 << 20, InFlight: 1},
}

// WorkloadByName finds one of Workloads.
func WorkloadByName(name string) (Workload, bool) {
	for _, w := range Workloads {
		if w.Name == name {
			return w, true
		}
	}
	return Workload{}, false
}

func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
