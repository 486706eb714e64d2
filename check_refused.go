package main

// A server that refuses every opening handshake (a 404 from a path that
// is not a WebSocket endpoint, a 403 from an Origin check, a plain HTTP
// server) is not being tested at all: each case would end FAILED at its
// handshake, one line per case, and hide the one thing worth saying. So
// check holds the cases' progress back while every case that finished was
// refused; the first case that gets its 101 lets everything through (a
// server that refuses only some handshakes gets its verdicts case by
// case), and a run that ends with every case refused gets one error, as
// an unreachable server does.

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/conformance"
)

// refusal is the status line the server answered r's opening handshake
// with, when that was not 101, or "" when the server switched protocols
// or never answered with a status line (a case stopped before, a server
// that closed the connection: those are the case's own verdict).
func refusal(r conformance.Result) string {
	ex := r.Exchange
	if ex == nil || !ex.Client || len(ex.Reply) == 0 {
		return ""
	}
	line, _, _ := strings.Cut(string(ex.Reply), "\n")
	line = strings.TrimSuffix(line, "\r")
	proto, rest, _ := strings.Cut(line, " ")
	code, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "HTTP/") || len(code) != 3 || err != nil || n == 101 {
		return ""
	}
	return line
}

// refusedError says that the server refused every opening handshake of
// the run: Lines are the status lines it answered with, each once.
type refusedError struct {
	URL   string
	Lines []string
}

// allRefused returns the error for results when the server refused every
// case's opening handshake, or nil.
func allRefused(url string, results []conformance.Result) *refusedError {
	if len(results) == 0 {
		return nil
	}
	e := &refusedError{URL: url}
	for _, r := range results {
		l := refusal(r)
		if l == "" {
			return nil
		}
		if !slices.Contains(e.Lines, l) {
			e.Lines = append(e.Lines, l)
		}
	}
	return e
}

// answered is the status lines, quoted (a server's bytes may hold
// anything), at most three of them.
func (e *refusedError) answered(or string) string {
	var q []string
	for _, l := range e.Lines[:min(3, len(e.Lines))] {
		q = append(q, strconv.Quote(oneLine(l, 120)))
	}
	s := strings.Join(q, or)
	if len(e.Lines) > 3 {
		s += or + "…"
	}
	return s
}

// Error is the --json report's error and, after "wsanatomy: check: ", the
// message.
func (e *refusedError) Error() string {
	return e.URL + " refused every opening handshake: it answered " + e.answered(" or ") +
		", and a WebSocket client expects 101 Switching Protocols (RFC 6455 §4.1); no case got past the handshake"
}

// zh is the message in Chinese.
func (e *refusedError) zh() string {
	return e.URL + " 拒绝了每一次握手：它的回复是 " + e.answered(" 或 ") +
		"，而 WebSocket 客户端要求的是 101 Switching Protocols（RFC 6455 §4.1）；没有一个用例通过握手"
}

// gatedRun is a run of the cases whose progress is held back while every
// case that finished was refused at its handshake. It is passed on, held
// results first, once a case is accepted ([gatedRun.follow]); a run that
// ends with every case refused is never shown.
type gatedRun struct {
	cancel context.CancelCauseFunc
	start  time.Time // when the run started

	mu   sync.Mutex
	held []progressEvent
	pass func(done, total int, r conformance.Result) // set by follow

	decided chan struct{} // closed once a case was accepted or the run ended
	decide  sync.Once
	done    chan struct{} // closed when the run returned; results is set
	results []conformance.Result
}

type progressEvent struct {
	done, total int
	r           conformance.Result
}

// startGated runs the cases in the background, as run does with cfg,
// calling cfg.Progress through the gate.
func startGated(ctx context.Context, cfg conformance.Config, run func(context.Context, conformance.Config) []conformance.Result) *gatedRun {
	ctx, cancel := context.WithCancelCause(ctx)
	g := &gatedRun{cancel: cancel, start: time.Now(), decided: make(chan struct{}), done: make(chan struct{})}
	cfg.Progress = g.progress
	go func() {
		defer g.decide.Do(func() { close(g.decided) })
		defer close(g.done)
		g.results = run(ctx, cfg)
	}()
	return g
}

func (g *gatedRun) progress(done, total int, r conformance.Result) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pass != nil {
		g.pass(done, total, r)
		return
	}
	g.held = append(g.held, progressEvent{done, total, r})
	if refusal(r) == "" {
		g.decide.Do(func() { close(g.decided) })
	}
}

// refused waits until a case was accepted or the run ended, and returns
// the error when the run ended with every case refused, else nil.
func (g *gatedRun) refused(url string) *refusedError {
	<-g.decided
	select {
	case <-g.done:
		return allRefused(url, g.results)
	default:
		return nil
	}
}

// follow passes the held progress to progress, then each case's as it
// finishes, and returns every result once the run is over. A ctx that
// ends first stops the run (with ctx's cause), as it would stop a run
// started with it.
func (g *gatedRun) follow(ctx context.Context, progress func(done, total int, r conformance.Result)) []conformance.Result {
	stop := context.AfterFunc(ctx, func() { g.cancel(context.Cause(ctx)) })
	defer stop()
	g.mu.Lock()
	for _, p := range g.held {
		progress(p.done, p.total, p.r)
	}
	g.held = nil
	g.pass = progress
	g.mu.Unlock()
	<-g.done
	return g.results
}

// printRefused says that the server refused every handshake, in lang.
func printRefused(e *refusedError, lang string) string {
	return tr(lang, "wsanatomy: check: "+e.Error(), "wsanatomy：check："+e.zh())
}
