package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// A Server is an echo server program. The driver runs Cmd with
// "-addr 127.0.0.1:PORT" appended, on a port it picked, with standard
// output and error going to Log (nil: discarded, like a server whose log
// is redirected to /dev/null).
type Server struct {
	Name string
	Cmd  []string
	Log  string // file for the server's stderr and stdout; "" discards them
}

// A Mode says where the processes run: unpinned (anywhere, as the
// scheduler likes) or pinned (server on CPU 0, client on CPU 1, with
// taskset(1)), so that server and client never share a core.
type Mode string

const (
	Unpinned Mode = "unpinned"
	Pinned   Mode = "pinned"
)

func (m Mode) serverPrefix() []string {
	if m == Pinned {
		return []string{"taskset", "-c", "0"}
	}
	return nil
}

func (m Mode) clientPrefix() []string {
	if m == Pinned {
		return []string{"taskset", "-c", "1"}
	}
	return nil
}

// process is a running server.
type process struct {
	srv    Server
	cmd    *exec.Cmd
	url    string
	exited chan struct{} // closed when the process ends
	err    error         // its exit status, once exited is closed
}

// freePort asks the kernel for a free port on 127.0.0.1. Another program
// could take it before the server listens; then the server fails to start
// and the driver says so.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start runs srv (under prefix, e.g. taskset) and waits until its port
// accepts connections.
func start(srv Server, prefix []string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append(append(append([]string{}, prefix...), srv.Cmd...), "-addr", addr)
	cmd := exec.Command(args[0], args[1:]...)
	if srv.Log != "" {
		f, err := os.OpenFile(srv.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		defer f.Close() // the child has its own descriptor
		cmd.Stdout, cmd.Stderr = f, f
	}
	// taskset execs the server, so the process started is the server
	// itself and its PID is the one whose CPU time is read.
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", srv.Name, err)
	}
	p := &process{srv: srv, cmd: cmd, url: "ws://" + addr + "/", exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return p, nil
		}
		select {
		case <-p.exited:
			return nil, fmt.Errorf("%s exited before listening on %s: %v", srv.Name, addr, p.err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s: nothing listening on %s after 20s", srv.Name, addr)
		}
	}
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// alive reports an error if the server has exited.
func (p *process) alive() error {
	select {
	case <-p.exited:
		return fmt.Errorf("%s exited during the run: %v", p.srv.Name, p.err)
	default:
		return nil
	}
}

// stop ends the server with SIGTERM, or SIGKILL if it is still there after
// five seconds, and waits for it.
func (p *process) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// Client is how the driver runs one measurement: the load generator's
// own binary with its client subcommand, as a separate process, so that
// its CPU and the driver's bookkeeping never mix.
type Client []string

// run measures one workload against p. The client prints its Result as
// JSON on standard output.
func (cl Client) run(m Mode, p *process, w Workload, warmup, dur time.Duration) (Result, error) {
	args := append(append(append([]string{}, m.clientPrefix()...), cl...),
		"-url", p.url, "-workload", w.Name, "-pid", strconv.Itoa(p.pid()),
		"-warmup", warmup.String(), "-dur", dur.String())
	cmd := exec.Command(args[0], args[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return Result{}, fmt.Errorf("%s, %s, %s: client failed: %v: %s", p.srv.Name, w.Name, m, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var r Result
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return Result{}, fmt.Errorf("%s, %s, %s: client printed %q: %v", p.srv.Name, w.Name, m, stdout.Bytes(), err)
	}
	return r, p.alive()
}

// Cell is one measurement of the matrix.
type Cell struct {
	Mode   Mode   `json:"mode"`
	Round  int    `json:"round"`
	Server string `json:"server"`
	Result
}

// Matrix is a whole comparison run.
type Matrix struct {
	Servers   []Server
	Workloads []Workload
	Modes     []Mode
	Rounds    int
	Warmup    time.Duration
	Duration  time.Duration
	Client    Client
	Raw       io.Writer // each Cell as a JSON line, as it is measured; may be nil
	Progress  io.Writer // one line per cell; may be nil
}

// Run measures every server with every workload in every mode, Rounds
// times. The servers of a mode are all started first and stay up; within
// a round, each workload runs against every server in turn, in an order
// shuffled afresh for each round and workload, so that a slow spell of
// the machine, or whatever one server leaves behind for the next, falls
// on every server alike rather than on one.
func (mx *Matrix) Run() ([]Cell, error) {
	var cells []Cell
	for _, m := range mx.Modes {
		procs := make([]*process, 0, len(mx.Servers))
		stopAll := func() {
			for _, p := range procs {
				p.stop()
			}
		}
		for _, s := range mx.Servers {
			p, err := start(s, m.serverPrefix())
			if err != nil {
				stopAll()
				return cells, err
			}
			procs = append(procs, p)
		}
		for round := range mx.Rounds {
			for wi, w := range mx.Workloads {
				// A fixed shuffle per round and workload: no server
				// always follows the same one (which a rotation would
				// keep), and a rerun visits them in the same order.
				order := rand.New(rand.NewPCG(uint64(round), uint64(wi))).Perm(len(procs))
				for _, k := range order {
					p := procs[k]
					r, err := mx.Client.run(m, p, w, mx.Warmup, mx.Duration)
					if err != nil {
						stopAll()
						return cells, err
					}
					c := Cell{Mode: m, Round: round, Server: p.srv.Name, Result: r}
					cells = append(cells, c)
					if mx.Raw != nil {
						b, _ := json.Marshal(c)
						mx.Raw.Write(append(b, '\n'))
					}
					if mx.Progress != nil {
						fmt.Fprintf(mx.Progress, "%-8s round %d  %-10s %-15s %8.0f msg/s %8.2f µs CPU/msg  p50 %7.1f µs  p99 %7.1f µs  syscalls %.2f r %.2f w\n",
							m, round+1, w.Name, p.srv.Name, r.MsgsPerSec, r.ServerCPUPerMsg, r.P50, r.P99, r.ServerReadsPerMsg, r.ServerWritesPerMsg)
					}
				}
			}
		}
		stopAll()
	}
	return cells, nil
}

// IdleResult is the memory a server holds per idle connection.
type IdleResult struct {
	Server   string  `json:"server"`
	Round    int     `json:"round"`
	Conns    int     `json:"conns"`
	Baseline int64   `json:"baseline_rss"` // bytes, after one connection came and went
	Loaded   int64   `json:"loaded_rss"`   // bytes, with Conns open and idle
	PerConn  float64 `json:"kib_per_conn"` // (Loaded-Baseline)/Conns in KiB
}

// Idle measures each server's memory per idle connection, Rounds times,
// each time in a fresh process: it starts the server, makes one
// connection and echo (so that code and first-use allocations are in the
// baseline), closes it, reads the server's RSS, opens conns connections
// (the opening handshake only, no message), waits settle, reads the RSS
// again, and divides the difference by conns.
func Idle(servers []Server, conns, rounds int, settle time.Duration, progress io.Writer) ([]IdleResult, error) {
	var out []IdleResult
	for round := range rounds {
		for k := range servers {
			s := servers[(k+round)%len(servers)]
			r, err := idleOnce(s, conns, settle)
			if err != nil {
				return out, err
			}
			r.Round = round
			out = append(out, r)
			if progress != nil {
				fmt.Fprintf(progress, "idle     round %d  %-15s baseline %6.1f MiB, with %d conns %6.1f MiB: %5.1f KiB/conn\n",
					round+1, s.Name, float64(r.Baseline)/(1<<20), conns, float64(r.Loaded)/(1<<20), r.PerConn)
			}
		}
	}
	return out, nil
}

func idleOnce(s Server, n int, settle time.Duration) (IdleResult, error) {
	p, err := start(s, nil)
	if err != nil {
		return IdleResult{}, err
	}
	defer p.stop()
	if _, err := Run(Config{URL: p.url, Workload: Workload{Name: "warm", Conns: 1, Size: 16, InFlight: 1}, Duration: 20 * time.Millisecond}); err != nil {
		return IdleResult{}, fmt.Errorf("idle %s: warm-up echo: %w", s.Name, err)
	}
	time.Sleep(settle)
	base, err := RSS(p.pid())
	if err != nil {
		return IdleResult{}, err
	}
	conns, err := dialIdle(p.url, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if err != nil {
		return IdleResult{}, fmt.Errorf("idle %s: %w", s.Name, err)
	}
	time.Sleep(settle)
	loaded, err := RSS(p.pid())
	if err != nil {
		return IdleResult{}, err
	}
	if err := p.alive(); err != nil {
		return IdleResult{}, err
	}
	return IdleResult{
		Server: s.Name, Conns: n, Baseline: base, Loaded: loaded,
		PerConn: float64(loaded-base) / float64(n) / 1024,
	}, nil
}

// dialIdle opens n WebSocket connections to url, 32 handshakes at a time,
// and returns them open. On error it returns those it opened.
func dialIdle(url string, n int) ([]*websocket.Conn, error) {
	conns := make([]*websocket.Conn, n)
	errs := make([]error, n)
	dialer := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			conns[i], _, errs[i] = dialer.Dial(url, nil)
		}()
	}
	wg.Wait()
	open := conns[:0]
	for _, c := range conns {
		if c != nil {
			open = append(open, c)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return open, fmt.Errorf("%d of %d connections failed: %w", n-len(open), n, errs[slices.IndexFunc(errs, func(e error) bool { return e != nil })])
	}
	return open, nil
}
