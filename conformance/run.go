package conformance

import (
	"context"
	"fmt"
	"net"
	"path"
	"strings"
	"sync"
	"time"
)

// Config tunes a run.
type Config struct {
	// Timeout bounds each expected event (a frame, a TCP close) and the
	// opening handshake; default 5s. A case's own Timeout wins if larger.
	Timeout time.Duration
	// CaseLimit bounds each whole case; default 60s. Nothing a peer does
	// keeps a case longer.
	CaseLimit time.Duration
	// FailFastWait is how long the 6.4-style cases wait for the peer to
	// fail the connection before sending the rest of the message; default
	// 1s. Longer is kinder to a loaded machine, and slower against peers
	// that fail only at the end of a message.
	FailFastWait time.Duration
	// Parallel is how many cases run at once; default 1, as Autobahn does.
	Parallel int
	// Progress, if set, is called after each case, one call at a time.
	Progress func(done, total int, r Result)
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	if c.CaseLimit <= 0 {
		c.CaseLimit = 60 * time.Second
	}
	if c.FailFastWait <= 0 {
		c.FailFastWait = time.Second
	}
	if c.Parallel <= 0 {
		c.Parallel = 1
	}
	return c
}

// Select returns the cases whose ID matches one of the include globs (all
// of them if there are none) and none of the exclude globs. Globs are
// path.Match patterns, like "6.*" or "9.?.1"; "*" also matches dots.
func Select(cases []Case, include, exclude []string) ([]Case, error) {
	for _, g := range append(append([]string(nil), include...), exclude...) {
		if _, err := path.Match(g, ""); err != nil {
			return nil, fmt.Errorf("bad glob %q: %w", g, err)
		}
	}
	match := func(globs []string, id string) bool {
		for _, g := range globs {
			if ok, _ := path.Match(g, id); ok {
				return true
			}
		}
		return false
	}
	var out []Case
	for _, c := range cases {
		if (len(include) == 0 || match(include, c.ID)) && !match(exclude, c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Find returns the case with the id.
func Find(id string) (Case, bool) {
	for _, c := range All() {
		if c.ID == id {
			return c, true
		}
	}
	return Case{}, false
}

// ForServers returns the cases that apply to a server (all but those for
// clients only); ForClients likewise.
func ForServers(cs []Case) []Case { return only(cs, "client") }

// ForClients returns the cases that apply to a client.
func ForClients(cs []Case) []Case { return only(cs, "server") }

func only(cs []Case, not string) []Case {
	var out []Case
	for _, c := range cs {
		if c.Only != not {
			out = append(out, c)
		}
	}
	return out
}

// RunServer runs the cases against the echo server at url (ws://), one
// connection per case, and returns one result per case in order. Only the
// URL's host is contacted. When ctx ends, the cases not yet run are
// reported FAILED, as not run.
func RunServer(ctx context.Context, url string, cases []Case, cfg Config) []Result {
	cfg = cfg.withDefaults()
	return runAll(ctx, cases, cfg, func(ctx context.Context, c Case) Result {
		return runServerCase(ctx, url, c, cfg)
	})
}

// RunServerCase runs one case against the echo server at url.
func RunServerCase(ctx context.Context, url string, c Case, cfg Config) Result {
	return runServerCase(ctx, url, c, cfg.withDefaults())
}

func runServerCase(ctx context.Context, url string, c Case, cfg Config) Result {
	start := time.Now()
	rec := newRecorder(true)
	timeout := max(cfg.Timeout, c.Timeout)
	p, err := dial(ctx, url, DialOptions{Timeout: timeout, Extensions: c.Extensions}, rec)
	if err != nil {
		return finish(c, start, rec, Failed, "the opening handshake failed: "+err.Error(), nil)
	}
	if c.Extensions != "" && p.Extensions == "" {
		p.nc.Close()
		return finish(c, start, rec, Unimplemented, fmt.Sprintf("the server did not accept the offered extension %q", c.Extensions), p)
	}
	if c.Extensions != "" {
		d, err := agreement(p.Extensions, true)
		if err == nil {
			err = d.checkAgainstOffer(c.Extensions, p.Extensions)
		}
		if err != nil {
			p.nc.Close()
			return finish(c, start, rec, Failed, err.Error(), p)
		}
		p.deflate, p.RSV1Allowed = d, true
	}
	return execute(ctx, p, c, cfg, start, rec)
}

// ClientExit is how a client under test ended.
type ClientExit struct {
	Err    error  // nil for exit status 0
	Output string // the end of what it printed
}

// StartClient starts the client under test against url. The channel
// yields its end; the client must end when ctx does.
type StartClient func(ctx context.Context, url string) <-chan ClientExit

// RunClient runs the cases against a client: for each case it listens on
// 127.0.0.1, starts the client against ws://127.0.0.1:PORT/CASE-ID, and
// plays the server. Results are in case order; each holds the client's
// exit in ClientExit.
func RunClient(ctx context.Context, start StartClient, cases []Case, cfg Config) []Result {
	cfg = cfg.withDefaults()
	return runAll(ctx, cases, cfg, func(ctx context.Context, c Case) Result {
		return runClientCase(ctx, start, c, cfg)
	})
}

// RunClientCase runs one case against a client.
func RunClientCase(ctx context.Context, start StartClient, c Case, cfg Config) Result {
	return runClientCase(ctx, start, c, cfg.withDefaults())
}

func runClientCase(ctx context.Context, startClient StartClient, c Case, cfg Config) Result {
	start := time.Now()
	rec := newRecorder(false)
	timeout := max(cfg.Timeout, c.Timeout)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return finish(c, start, rec, Failed, "listening on 127.0.0.1: "+err.Error(), nil)
	}
	defer ln.Close()
	// The client gets the case's whole limit, then it is stopped.
	cctx, cancel := context.WithTimeout(ctx, cfg.CaseLimit+3*timeout)
	defer cancel()
	exited := startClient(cctx, "ws://"+ln.Addr().String()+"/"+c.ID)
	// Starting a process, and ending one, can take a while on a loaded
	// machine: these waits are longer than a peer's answer.
	procWait := 3 * timeout
	waitExit := func(r Result) Result {
		select {
		case e := <-exited:
			r.ClientExit = describeExit(e)
		case <-time.After(procWait):
			cancel()
			e := <-exited
			r.ClientExit = "still running " + procWait.String() + " after the case ended, so it was stopped; " + describeExit(e)
		}
		return r
	}
	type accepted struct {
		nc  net.Conn
		err error
	}
	acc := make(chan accepted, 1)
	go func() {
		nc, err := ln.Accept()
		acc <- accepted{nc, err}
	}()
	var nc net.Conn
	select {
	case a := <-acc:
		if a.err != nil {
			return waitExit(finish(c, start, rec, Failed, "accepting the client's connection: "+a.err.Error(), nil))
		}
		nc = a.nc
	case e := <-exited:
		r := finish(c, start, rec, Failed, "the client exited without connecting", nil)
		r.ClientExit = describeExit(e)
		return r
	case <-time.After(procWait):
		return waitExit(finish(c, start, rec, Failed, fmt.Sprintf("the client did not connect within %v", procWait), nil))
	case <-ctx.Done():
		return waitExit(finish(c, start, rec, Failed, "not run: "+context.Cause(ctx).Error(), nil))
	}
	var answer func([]string) (string, string)
	if c.Extensions != "" {
		answer = func(offers []string) (string, string) { return answerOffer(c, offers) }
	}
	p, why, err := accept(nc, timeout, rec, answer)
	if err != nil {
		return waitExit(finish(c, start, rec, Failed, "the client's opening handshake: "+err.Error(), nil))
	}
	if c.Extensions != "" && p.Extensions == "" {
		// The client offered nothing the case can run with: end the
		// connection cleanly, so that a conforming client exits well.
		closeOnly := c
		closeOnly.run = func(p *Peer) { p.CloseHandshake(1000, "") }
		r := execute(ctx, p, closeOnly, cfg, start, rec)
		if r.Verdict != Failed {
			r.Verdict, r.Detail = Unimplemented, why
		}
		return waitExit(r)
	}
	if c.Extensions != "" {
		d, err := agreement(p.Extensions, false)
		if err != nil {
			// Our own response does not parse: a mistake in the case.
			panic(fmt.Sprintf("case %s: %v", c.ID, err))
		}
		p.deflate, p.RSV1Allowed = d, true
	}
	r := execute(ctx, p, c, cfg, start, rec)
	return waitExit(r)
}

func describeExit(e ClientExit) string {
	s := "exit status 0"
	if e.Err != nil {
		s = e.Err.Error()
	}
	if out := strings.TrimSpace(e.Output); out != "" {
		s += "; output: " + out
	}
	return s
}

// execute runs a case on an open connection and turns how it ended into
// a verdict.
func execute(ctx context.Context, p *Peer, c Case, cfg Config, start time.Time, rec *recorder) (r Result) {
	p.Timeout = max(cfg.Timeout, c.Timeout)
	p.failFastWait = cfg.FailFastWait
	p.deadline = start.Add(cfg.CaseLimit)
	// A second bound: whatever the case is doing when the limit (or the
	// run) ends, its connection is closed, so every wait ends.
	stop := context.AfterFunc(ctx, func() { p.nc.Close() })
	defer stop()
	watchdog := time.AfterFunc(time.Until(p.deadline)+time.Second, func() { p.nc.Close() })
	defer watchdog.Stop()
	defer p.nc.Close()
	defer func() {
		x := recover()
		if x == nil {
			return
		}
		end, ok := x.(caseEnd)
		if !ok {
			panic(x)
		}
		msg := end.msg
		if time.Now().After(p.deadline) {
			msg += fmt.Sprintf(" (the case's time limit of %v ran out)", cfg.CaseLimit)
		} else if ctx.Err() != nil {
			msg += " (the run's time limit ran out)"
		}
		r = finish(c, start, rec, end.verdict, msg, p)
	}()
	c.run(p)
	if p.ending == EndNone {
		return finish(c, start, rec, Failed, "the case ended without a closing handshake", p)
	}
	return finish(c, start, rec, OK, "", p)
}

// finish builds a case's result. v is the verdict of how the case ended;
// p's notes may make it worse.
func finish(c Case, start time.Time, rec *recorder, v Verdict, detail string, p *Peer) Result {
	r := Result{ID: c.ID, Desc: c.Desc, Rule: c.Rule, Verdict: v, Detail: detail, Duration: time.Since(start), Exchange: rec.exchange()}
	if p != nil {
		r.Notes, r.Ending, r.FailCode = p.notes, p.ending, p.failCode
		r.Verdict = worse(v, p.verdict)
		if v != Failed && len(p.notes) > 0 {
			// The detail is the first note that earned the verdict.
			for _, n := range p.notes {
				if n.Verdict == r.Verdict {
					r.Detail = n.Text
					break
				}
			}
		}
	}
	if r.Verdict == OK && r.Detail == "" {
		r.Detail = "as the rule requires"
	}
	return r
}

// runAll runs the cases, cfg.Parallel at a time, and returns their results
// in case order.
func runAll(ctx context.Context, cases []Case, cfg Config, one func(context.Context, Case) Result) []Result {
	results := make([]Result, len(cases))
	var mu sync.Mutex
	done := 0
	report := func(i int, r Result) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = r
		done++
		if cfg.Progress != nil {
			cfg.Progress(done, len(cases), r)
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cases[i]
				if ctx.Err() != nil {
					report(i, Result{ID: c.ID, Desc: c.Desc, Rule: c.Rule, Verdict: Failed,
						Detail: "not run: " + context.Cause(ctx).Error()})
					continue
				}
				report(i, one(ctx, c))
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}
