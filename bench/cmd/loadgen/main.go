// Command loadgen is the load generator of bench/: it measures echo
// servers from outside, as users measure servers.
//
//	loadgen run -bin DIR [flags]   run every server in DIR against the client, interleaved, and print tables
//	loadgen client -url URL ...    one measurement (what run starts, as its own process); prints JSON
//
// load.sh builds the servers and runs `loadgen run`; see README.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/wsanatomy/wsanatomy/bench/internal/load"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen run -bin DIR [flags] | loadgen client -url URL [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "client":
		err = client(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "loadgen: unknown command %q (want run or client)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %v\n", err)
		os.Exit(1)
	}
}

func client(args []string) error {
	fs := flag.NewFlagSet("loadgen client", flag.ExitOnError)
	url := fs.String("url", "", "the echo server, ws://127.0.0.1:PORT/")
	name := fs.String("workload", "16B", "workload name")
	pid := fs.Int("pid", 0, "server process whose CPU time to read (0: none)")
	warmup := fs.Duration("warmup", 500*time.Millisecond, "time run before measuring")
	dur := fs.Duration("dur", 2*time.Second, "measured time")
	fs.Parse(args)
	w, ok := load.WorkloadByName(*name)
	if !ok {
		return fmt.Errorf("no workload %q", *name)
	}
	r, err := load.Run(load.Config{URL: *url, Workload: w, Warmup: *warmup, Duration: *dur, ServerPID: *pid})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// allServers are the servers of a run, in the order of the tables, given
// the directory load.sh built them into. gobwas is the baseline; gobwas-b
// is the same program in a second process, the A/A pair that shows how
// far two identical servers differ on this machine.
func allServers(bin, serveLogOff string) []load.Server {
	s := []load.Server{
		{Name: "wsanatomy", Cmd: []string{filepath.Join(bin, "echo-wsanatomy")}},
		{Name: "wsanatomy-http", Cmd: []string{filepath.Join(bin, "echo-wsanatomy-http")}},
		{Name: "serve", Cmd: []string{filepath.Join(bin, "wsanatomy"), "serve"}},
	}
	if serveLogOff != "" {
		cmd := append([]string{filepath.Join(bin, "wsanatomy"), "serve"}, strings.Fields(serveLogOff)...)
		s = append(s, load.Server{Name: "serve-nolog", Cmd: cmd})
	}
	return append(s,
		load.Server{Name: "gorilla", Cmd: []string{filepath.Join(bin, "echo-gorilla")}},
		load.Server{Name: "coder", Cmd: []string{filepath.Join(bin, "echo-coder")}},
		load.Server{Name: "gobwas", Cmd: []string{filepath.Join(bin, "echo-gobwas")}},
		load.Server{Name: "gobwas-b", Cmd: []string{filepath.Join(bin, "echo-gobwas")}},
		load.Server{Name: "floor", Cmd: []string{filepath.Join(bin, "echo-floor")}},
	)
}

// parseAdded reads an -add flag, NAME=PROGRAM [ARGS]: the program and
// its arguments split at spaces, so that a build of serve from another
// commit can be given as "serve-before=/path/wsanatomy serve".
func parseAdded(v string) (load.Server, error) {
	name, prog, ok := strings.Cut(v, "=")
	cmd := strings.Fields(prog)
	if !ok || name == "" || len(cmd) == 0 {
		return load.Server{}, fmt.Errorf("-add %q: want NAME=PROGRAM [ARGS]", v)
	}
	return load.Server{Name: name, Cmd: cmd}, nil
}

// withAdded puts the servers of -add flags right after the first server
// (the library-only wsanatomy), so that a build of it from another commit
// sits next to it in every table. run refuses two servers of one name.
func withAdded(servers, added []load.Server) []load.Server {
	if len(added) == 0 {
		return servers
	}
	out := append([]load.Server{servers[0]}, added...)
	return append(out, servers[1:]...)
}

func run(args []string) error {
	fs := flag.NewFlagSet("loadgen run", flag.ExitOnError)
	bin := fs.String("bin", "", "directory holding the server programs and loadgen (load.sh builds it)")
	rounds := fs.Int("rounds", 3, "rounds of the whole matrix")
	warmup := fs.Duration("warmup", 500*time.Millisecond, "unmeasured time before each measurement")
	dur := fs.Duration("dur", 2*time.Second, "measured time of each cell")
	modes := fs.String("modes", "unpinned,pinned", "comma-separated: unpinned, pinned (server on CPU 0, client on CPU 1)")
	only := fs.String("servers", "", "comma-separated server names to run (default all; gobwas is always kept)")
	workloads := fs.String("workloads", "", "comma-separated workload names (default all)")
	idleConns := fs.Int("idle", 2000, "idle connections per server for the memory measurement (0: skip it)")
	idleRounds := fs.Int("idle-rounds", 3, "fresh processes per server for the memory measurement")
	settle := fs.Duration("settle", time.Second, "wait before each RSS reading of the memory measurement")
	serveLogOff := fs.String("serve-log-off", "", "arguments that turn serve's log off (e.g. \"--log off\"); adds a serve-nolog server")
	rawPath := fs.String("raw", "load.out", "file for every measurement as a JSON line")
	var added []load.Server
	fs.Func("add", "`NAME=PROGRAM [ARGS]`: one more echo server, measured beside the others and named NAME in the tables (repeatable); e.g. the library-only server built from an earlier commit, to compare a change with and without it in one interleaved run", func(v string) error {
		s, err := parseAdded(v)
		added = append(added, s)
		return err
	})
	quick := fs.Bool("quick", false, "a quick check: 1 round, 300ms cells, 200 idle connections (flags given explicitly win)")
	fs.Parse(args)
	if *bin == "" {
		return fmt.Errorf("run needs -bin DIR")
	}
	if *quick {
		// Quick defaults, for the flags not given explicitly.
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]string{"rounds": "1", "warmup": "100ms", "dur": "300ms", "idle": "200", "idle-rounds": "1", "settle": "300ms"} {
			if !set[name] {
				fs.Set(name, v)
			}
		}
	}

	servers := withAdded(allServers(*bin, *serveLogOff), added)
	if *only != "" {
		keep := map[string]bool{"gobwas": true}
		for _, srv := range added {
			keep[srv.Name] = true // asked for by name already
		}
		for _, n := range strings.Split(*only, ",") {
			keep[n] = true
		}
		var s []load.Server
		for _, srv := range servers {
			if keep[srv.Name] {
				s = append(s, srv)
			}
		}
		servers = s
	}
	seen := map[string]bool{}
	for _, srv := range servers {
		if seen[srv.Name] {
			return fmt.Errorf("two servers are named %q", srv.Name)
		}
		seen[srv.Name] = true
	}
	wls := load.Workloads
	if *workloads != "" {
		wls = nil
		for _, n := range strings.Split(*workloads, ",") {
			w, ok := load.WorkloadByName(n)
			if !ok {
				return fmt.Errorf("no workload %q", n)
			}
			wls = append(wls, w)
		}
	}
	var ms []load.Mode
	for _, m := range strings.Split(*modes, ",") {
		switch load.Mode(m) {
		case load.Unpinned:
		case load.Pinned:
			if runtime.NumCPU() < 2 {
				return fmt.Errorf("pinned mode needs two CPUs, this machine has %d", runtime.NumCPU())
			}
		default:
			return fmt.Errorf("no mode %q (want unpinned or pinned)", m)
		}
		ms = append(ms, load.Mode(m))
	}
	raw, err := os.Create(*rawPath)
	if err != nil {
		return err
	}
	defer raw.Close()

	started := time.Now()
	mx := load.Matrix{
		Servers: servers, Workloads: wls, Modes: ms, Rounds: *rounds,
		Warmup: *warmup, Duration: *dur,
		Client:   load.Client{filepath.Join(*bin, "loadgen"), "client"},
		Raw:      raw,
		Progress: os.Stderr,
	}
	cells, err := mx.Run()
	if err != nil {
		return err
	}
	var idle []load.IdleResult
	if *idleConns > 0 {
		if idle, err = load.Idle(servers, *idleConns, *idleRounds, *settle, os.Stderr); err != nil {
			return err
		}
		enc := json.NewEncoder(raw)
		for _, r := range idle {
			enc.Encode(r)
		}
	}
	names := make([]string, len(servers))
	for i, s := range servers {
		names[i] = s.Name
	}
	fmt.Printf("%d rounds, %v measured after %v of warm-up per cell; took %v\n\n", *rounds, *dur, *warmup, time.Since(started).Round(time.Second))
	load.WriteTables(os.Stdout, cells, idle, names, wls, ms, "gobwas")
	return nil
}
