package main

// `wsanatomy check`: the conformance cases of package conformance, run
// against any echo server (we are the fuzzing client) or any client
// command (we are the fuzzing server, on 127.0.0.1), with a verdict per
// case in the Autobahn TestSuite's vocabulary and the RFC rule behind it.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/conformance"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/checkui"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", stderr)
	client := fs.String("client", "", "judge a client: run this command once per case, with {url} replaced")
	cases := fs.String("cases", "", "run only the cases whose id matches one of these comma-separated globs (like 6.*,7.1.?)")
	exclude := fs.String("exclude", "", "skip the cases whose id matches one of these comma-separated globs (like 9.*)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for each answer the peer owes")
	caseLimit := fs.Duration("case-limit", 60*time.Second, "the most time one case may take")
	limit := fs.Duration("limit", 30*time.Minute, "the most time the whole run may take")
	failFast := fs.Duration("fail-fast-wait", time.Second, "how long the 6.4-style cases wait for the peer to fail on invalid UTF-8 before sending the rest")
	parallel := fs.Int("parallel", 4, "how many cases run at once (1 runs them one by one, as Autobahn does)")
	jsonFile := fs.String("json", "", "also write the report as JSON to this file")
	show := fs.String("show", "", "run one case and show its exchange: handshake and every frame, dissected")
	quiet := fs.Bool("quiet", false, "list only the cases that are not OK")
	tui := fs.Bool("tui", false, "show the report on a screen: progress, the cases by section with their verdicts, and each case's rule and exchange, dissected (text stays the default, for scripts and CI)")
	addLangFlag(fs, "this help, the messages and the --tui screen (the text report and --json stay English)")
	valued := []string{"--client", "-client", "--cases", "-cases", "--exclude", "-exclude", "--timeout", "-timeout",
		"--case-limit", "-case-limit", "--limit", "-limit", "--fail-fast-wait", "-fail-fast-wait", "--parallel", "-parallel",
		"--json", "-json", "--show", "-show", "--lang", "-lang"}
	args = reorderFlags(args, valued...)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	target := ""
	switch {
	case *client != "" && fs.NArg() == 0:
		if !strings.Contains(*client, "{url}") {
			return usagef("check", lang, "--client needs a command with {url} in it, like 'wsanatomy dial --echo {url}'",
				"--client 需要一个含有 {url} 的命令，例如 'wsanatomy dial --echo {url}'")
		}
		target = *client
	case *client == "" && fs.NArg() == 1:
		target = fs.Arg(0)
		if !strings.HasPrefix(target, "ws://") {
			return usagef("check", lang, "check needs a ws:// URL of an echo server, got %q", "check 需要一个回显服务器的 ws:// URL，收到的却是 %q", target)
		}
	default:
		return usagef("check", lang, "check needs one ws:// URL of an echo server, or --client 'COMMAND {url}'",
			"check 需要一个回显服务器的 ws:// URL，或者 --client 'COMMAND {url}'")
	}
	if *parallel < 1 || *timeout <= 0 || *caseLimit <= 0 || *limit <= 0 || *failFast <= 0 {
		return usagef("check", lang, "--parallel must be at least 1, and every time limit positive", "--parallel 至少是 1，每个时限都必须是正数")
	}

	all := conformance.ForServers(conformance.All())
	if *client != "" {
		all = conformance.ForClients(conformance.All())
	}
	if *show != "" {
		c, ok := conformance.Find(*show)
		if !ok {
			return usagef("check", lang, "no case %q (ids look like 2.1, 6.4.3, B.5)", "没有用例 %q（用例 id 形如 2.1、6.4.3、B.5）", *show)
		}
		*cases, *exclude = "", ""
		all = []conformance.Case{c}
	}
	selected, err := conformance.Select(all, globs(*cases), globs(*exclude))
	if err != nil {
		return usagef("check", lang, "%v", "%v", err)
	}
	if len(selected) == 0 {
		return usagef("check", lang, "no case is left once --cases has chosen and --exclude has dropped", "按 --cases 选出、再去掉 --exclude 排除的用例后，一个用例也不剩")
	}
	// The report, the --json file and the screen list the cases by id,
	// whatever order they finish in.
	slices.SortStableFunc(selected, func(a, b conformance.Case) int { return conformance.CompareIDs(a.ID, b.ID) })

	sigCtx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *client == "" {
		// A server that is not there broke no rule: one error, not a
		// FAILED per case, and an exit status of its own.
		var ue *conformance.UnreachableError
		if err := conformance.Reachable(sigCtx, target, *timeout); errors.As(err, &ue) {
			fmt.Fprintln(stderr, tr(lang, "wsanatomy: check: "+ue.Error()+"; no case was run",
				"wsanatomy：check：无法连接到 "+ue.URL+"："+ue.Reason()+"；没有运行任何用例"))
			if err := writeNoRun(*jsonFile, target, ue); err != nil {
				return fmt.Errorf("check: %w", err)
			}
			return exitError(exitUnreachable)
		}
	}

	ctx, cancel := context.WithTimeoutCause(sigCtx, *limit, fmt.Errorf("the run's time limit of %v ran out", *limit))
	defer cancel()

	cfg := conformance.Config{Timeout: *timeout, CaseLimit: *caseLimit, FailFastWait: *failFast, Parallel: *parallel}
	run := func(ctx context.Context, cfg conformance.Config) []conformance.Result {
		if *client != "" {
			return conformance.RunClient(ctx, commandClient(*client), selected, cfg)
		}
		return conformance.RunServer(ctx, target, selected, cfg)
	}
	var started time.Time // when the run started, if before the screen
	if *client == "" {
		// A server that refuses every opening handshake is not tested
		// at all: one error, as for a server that is not there, and no
		// report; one that accepts any gets its verdicts case by case
		// (check_refused.go).
		g := startGated(ctx, cfg, run)
		started = g.start
		if e := g.refused(target); e != nil {
			fmt.Fprintln(stderr, printRefused(e, lang))
			if err := writeNoRun(*jsonFile, target, e); err != nil {
				return fmt.Errorf("check: %w", err)
			}
			return exitError(exitUnreachable)
		}
		run = func(ctx context.Context, cfg conformance.Config) []conformance.Result {
			progress := cfg.Progress
			if progress == nil {
				progress = func(int, int, conformance.Result) {}
			}
			return g.follow(ctx, progress)
		}
	}

	if *tui && !isTerminal(stdout) && checkTUIOptions == nil {
		// A screen drawn into a pipe or a file is of no use to anyone:
		// what reads it gets the text, which is made for reading.
		fmt.Fprintln(stderr, tr(lang, "wsanatomy: check: --tui needs a terminal on stdout; the report follows as text",
			"wsanatomy：check：--tui 需要标准输出是终端；报告改以文本输出"))
		*tui = false
	}

	var results []conformance.Result
	switch {
	case *tui:
		// The screen stays up after the run until the user quits; the
		// run's limit bounds the run alone. The text summary follows on
		// stdout, with the same last line and exit status as without
		// --tui.
		o := checkui.Options{Lang: lang, Target: target, Client: *client != "", Parallel: *parallel, Open: *show != "", Start: started}
		var err error
		results, err = checkui.Run(sigCtx, ctx, selected, o, func(ctx context.Context, progress func(conformance.Result)) []conformance.Result {
			cfg.Progress = func(_, _ int, r conformance.Result) { progress(r) }
			return run(ctx, cfg)
		}, checkTUIOptions...)
		if err != nil {
			fmt.Fprintf(stderr, "wsanatomy: check: the report screen: %v\n", err)
		}
	default:
		// On a terminal, progress is one line rewritten in place; into a
		// pipe or a file, a line per case as it finishes (in the order
		// they finish), so a long run shows it is alive. The report that
		// follows lists the cases by id.
		live := isTerminal(stdout)
		if *show == "" {
			cfg.Progress = func(done, total int, r conformance.Result) {
				if live {
					fmt.Fprintf(stdout, "\r\x1b[K[%*d/%d] %s %s", len(fmt.Sprint(total)), done, total, r.ID, r.Verdict)
					return
				}
				if *quiet && r.Verdict == conformance.OK {
					return
				}
				fmt.Fprintf(stdout, "[%*d/%d] %-13s %s\n", len(fmt.Sprint(total)), done, total, r.Verdict, r.ID)
			}
			fmt.Fprintf(stdout, "wsanatomy check: %d cases against %s\n", len(selected), target)
		}
		results = run(ctx, cfg)
		if live && *show == "" {
			fmt.Fprint(stdout, "\r\x1b[K")
		}
		if *show != "" {
			showCase(stdout, results[0])
		} else {
			printReport(stdout, results, *quiet, outputWidth(stdout))
		}
	}
	passed, failed := summarize(stdout, results, outputWidth(stdout))
	if *jsonFile != "" {
		if err := writeReport(*jsonFile, target, *client != "", results, passed, failed); err != nil {
			return fmt.Errorf("check: %w", err)
		}
	}
	// The closing line, alone, in the form test tools read.
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if code := checkui.ExitStatus(results); code != 0 {
		return exitError(code)
	}
	return nil
}

// checkTUIOptions are added to the --tui program's options: a test gives
// it its own input and output (and then --tui runs though stdout is not a
// terminal).
var checkTUIOptions []tea.ProgramOption

// globs splits a comma-separated list.
func globs(s string) []string {
	var out []string
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// exitUnreachable is check's exit status when the server could not be
// reached at all and no case ran: neither 1 (a case FAILED) nor 2 (a
// mistake in the command line).
const exitUnreachable = 3

// printReport prints the cases in id order (the order of results), each
// verdict on one line and, for anything but OK, what the peer did and the
// rule, wrapped to width under their labels. quiet leaves out the OK ones.
func printReport(w io.Writer, results []conformance.Result, quiet bool, width int) {
	fmt.Fprintln(w, "results by case id:")
	for _, r := range results {
		if quiet && r.Verdict == conformance.OK {
			continue
		}
		// A long id (6.I.4.kosme-surrogate.1) gets its own line rather
		// than pushing the title out of its column.
		head := fmt.Sprintf("  %-13s %-10s ", r.Verdict, r.ID)
		if len(head) > reportTitleColumn {
			fmt.Fprintln(w, strings.TrimRight(head, " "))
			head = strings.Repeat(" ", reportTitleColumn)
		}
		writeLabelled(w, head, "", r.Desc, width)
		if r.Verdict == conformance.OK {
			continue
		}
		const ind = "      "
		writeLabelled(w, ind, "peer: ", r.Detail, width)
		writeLabelled(w, ind, "rule: ", r.Rule, width)
		if r.ClientExit != "" {
			writeLabelled(w, ind, "client: ", oneLine(r.ClientExit, 300), width)
		}
	}
}

// reportTitleColumn is where a case's title starts in the report.
const reportTitleColumn = 2 + 13 + 1 + 10 + 1

// writeLabelled writes text after indent and label, wrapped to width, its
// later lines indented under the text's first column.
func writeLabelled(w io.Writer, indent, label, text string, width int) {
	hang := strings.Repeat(" ", len(indent)+len(label))
	lines := strings.Split(render.Wrap(text, width-len(hang)), "\n")
	fmt.Fprintf(w, "%s%s%s\n", indent, label, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(w, "%s%s\n", hang, l)
	}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// summarize prints, wrapped to width, the verdict counts and returns how many cases passed
// (any verdict but FAILED) and failed.
func summarize(w io.Writer, results []conformance.Result, width int) (passed, failed int) {
	counts := map[conformance.Verdict]int{}
	for _, r := range results {
		counts[r.Verdict]++
		if r.Verdict.Passed() {
			passed++
		} else {
			failed++
		}
	}
	var parts []string
	for _, v := range []conformance.Verdict{conformance.OK, conformance.NonStrict, conformance.Informational, conformance.Unimplemented, conformance.Failed} {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", v, counts[v]))
		}
	}
	fmt.Fprintf(w, "verdicts: %s\n", strings.Join(parts, ", "))
	if failed > 0 {
		var ids []string
		for _, r := range results {
			if !r.Verdict.Passed() {
				ids = append(ids, r.ID)
			}
		}
		slices.SortFunc(ids, conformance.CompareIDs)
		if len(ids) > 20 {
			ids = append(ids[:20], fmt.Sprintf("and %d more", len(ids)-20))
		}
		writeLabelled(w, "", "failed: ", strings.Join(ids, " ")+" (`wsanatomy check --show CASE ...` shows one)", width)
	}
	return passed, failed
}

// report is the --json file.
type report struct {
	Target  string               `json:"target"`
	Client  bool                 `json:"client"` // the target is a client command
	Passed  int                  `json:"passed"`
	Failed  int                  `json:"failed"`
	Error   string               `json:"error,omitempty"` // why nothing was tested (the server could not be reached, or refused every handshake)
	Results []conformance.Result `json:"results"`
}

// writeNoRun writes the --json report of a run that tested nothing (the
// server could not be reached, or refused every handshake): why, and no
// results. An empty path writes nothing.
func writeNoRun(path, target string, why error) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(report{Target: target, Error: why.Error(), Results: []conformance.Result{}}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeReport(path, target string, client bool, results []conformance.Result, passed, failed int) error {
	b, err := json.MarshalIndent(report{Target: target, Client: client, Passed: passed, Failed: failed, Results: results}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// commandClient runs the client command through the shell, once per case,
// with {url} replaced. The URL holds only characters the shell leaves
// alone (ws://127.0.0.1:PORT/ID, ids being digits, letters, dots and
// dashes). The process group is killed when the case's time is up.
func commandClient(command string) conformance.StartClient {
	return func(ctx context.Context, url string) <-chan conformance.ClientExit {
		ch := make(chan conformance.ClientExit, 1)
		cmd := exec.CommandContext(ctx, "sh", "-c", strings.ReplaceAll(command, "{url}", url))
		out := &tailBuffer{max: 2 << 10}
		cmd.Stdout, cmd.Stderr = out, out
		setProcessGroup(cmd)
		cmd.WaitDelay = 2 * time.Second
		if err := cmd.Start(); err != nil {
			ch <- conformance.ClientExit{Err: err}
			return ch
		}
		go func() {
			err := cmd.Wait()
			ch <- conformance.ClientExit{Err: err, Output: out.String()}
		}()
		return ch
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// maxShownFrames bounds the frames --show dissects; maxShownPayload the
// payload bytes of each that it passes to the views.
const (
	maxShownFrames  = 40
	maxShownPayload = 256
)

// showCase prints a case's result and its exchange: the opening handshake
// and every frame, each dissected by the walkthrough's renderers.
func showCase(w io.Writer, r conformance.Result) {
	fmt.Fprintf(w, "case %s: %s\n", r.ID, r.Desc)
	fmt.Fprintf(w, "verdict: %s\n", r.Verdict)
	fmt.Fprintf(w, "peer: %s\n", r.Detail)
	for _, n := range r.Notes[min(1, len(r.Notes)):] {
		fmt.Fprintf(w, "also (%s): %s\n", n.Verdict, n.Text)
	}
	fmt.Fprintf(w, "rule: %s\n", render.Wrap(r.Rule, 100))
	if r.ClientExit != "" {
		fmt.Fprintf(w, "client: %s\n", oneLine(r.ClientExit, 600))
	}
	ex := r.Exchange
	if ex == nil {
		return
	}
	theme := render.PlainTheme()
	us, them := "wsanatomy check (client)", "the server"
	if !ex.Client {
		us, them = "wsanatomy check (server)", "the client"
	}
	fmt.Fprintln(w, "\n== opening handshake: the client's request")
	if len(ex.Request) > 0 {
		fmt.Fprintln(w, render.Handshake(ex.Request, theme, 100))
	} else {
		fmt.Fprintln(w, "(none)")
	}
	fmt.Fprintln(w, "\n== opening handshake: the server's response")
	if len(ex.Reply) > 0 {
		fmt.Fprintln(w, render.Handshake(ex.Reply, theme, 100))
	} else {
		fmt.Fprintln(w, "(none)")
	}
	// The frames come from the same reading of the exchange as the
	// report's screen (checkui.Entries): the codec's own watcher.
	we := capture.ClientToServer
	if !ex.Client {
		we = capture.ServerToClient
	}
	var frames []capture.Entry
	for _, e := range checkui.Entries(ex) {
		// The handshake is printed above; an inflated message is not a
		// frame.
		if e.Kind == capture.KindFrame || (e.Kind == capture.KindNote && len(e.Wire) > 0) {
			frames = append(frames, e)
		}
	}
	for i, e := range frames {
		if i == maxShownFrames {
			fmt.Fprintf(w, "\n... %d more frames not shown\n", len(frames)-i)
			break
		}
		sent := e.Dir == we
		from, to := them, us
		if sent {
			from, to = us, them
		}
		receiver := "client"
		if e.Dir == capture.ClientToServer {
			receiver = "server" // a frame from the client
		}
		fmt.Fprintf(w, "\n== frame %d, %s -> %s, at %v", i+1, from, to, e.At.Round(time.Microsecond))
		if e.Note == checkui.PartialNote || e.Kind == capture.KindNote {
			fmt.Fprint(w, " (only its start was recorded)")
		}
		fmt.Fprintln(w)
		wire := e.Wire
		if pf := render.ParseFrame(wire); pf.HeaderLen > 0 && len(wire) > pf.HeaderLen+maxShownPayload {
			fmt.Fprintf(w, "(payload of %d bytes; the first %d are shown)\n", pf.Header.Length, maxShownPayload)
			wire = wire[:pf.HeaderLen+maxShownPayload]
		}
		fmt.Fprint(w, vectorFrameView(wire, receiver))
	}
	if ex.DroppedSent > 0 || ex.DroppedReceived > 0 {
		fmt.Fprintf(w, "\n(not recorded: %d bytes sent and %d received past the first %d KiB each way)\n",
			ex.DroppedSent, ex.DroppedReceived, 256)
	}
}
