package checkui

import (
	"context"
	"errors"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/wsanatomy/wsanatomy/conformance"
)

// RunFunc runs the cases until they are all done or ctx ends, calling
// progress with each case's result as it finishes, and returns every
// result in case order: conformance.RunServer or RunClient with
// Config.Progress set.
type RunFunc func(ctx context.Context, progress func(conformance.Result)) []conformance.Result

// Runner is a run of the cases in the background, which the report
// watches. The run keeps its own limits (per case and for the whole run,
// in ctx and the run's Config); Stop ends it early.
type Runner struct {
	events chan conformance.Result
	done   chan struct{} // closed when the run returned; results is set
	gone   chan struct{} // closed by Stop: nobody reads events any more
	stop   sync.Once
	cancel context.CancelCauseFunc

	results []conformance.Result
}

// errClosed is why cases are not run when the report is closed early.
var errClosed = errors.New("the report was closed before the run ended")

// Start runs the cases in the background.
func Start(ctx context.Context, run RunFunc) *Runner {
	ctx, cancel := context.WithCancelCause(ctx)
	r := &Runner{events: make(chan conformance.Result, 64), done: make(chan struct{}), gone: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(r.done)
		r.results = run(ctx, func(res conformance.Result) {
			// The exchange stays with the result: the screen shows it.
			select {
			case r.events <- res:
			case <-r.gone:
			}
		})
	}()
	return r
}

// Stop ends the run if it is still going (the cases not yet finished end
// as FAILED, not run, and every connection is closed by the runner's own
// bounds) and returns every result, once the run has returned.
func (r *Runner) Stop() []conformance.Result {
	r.stop.Do(func() {
		close(r.gone)
		r.cancel(errClosed)
	})
	<-r.done
	return r.results
}

// resultMsg is one case's result; doneMsg says the run is over.
type (
	resultMsg struct{ r conformance.Result }
	doneMsg   struct{ results []conformance.Result }
)

// next waits for the run's next result, or its end.
func (r *Runner) next() tea.Cmd {
	return func() tea.Msg {
		select {
		case res := <-r.events:
			return resultMsg{res}
		case <-r.done:
			// Every result sent before the run returned is buffered by
			// now: take those first.
			select {
			case res := <-r.events:
				return resultMsg{res}
			default:
			}
			return doneMsg{r.results}
		}
	}
}

// Run shows the report while run runs the cases, until the user quits or
// ctx ends, and returns every result: quitting before the run is over
// stops it, and the cases that did not finish are FAILED, not run, as
// when a text run is interrupted. Signals are the caller's: it cancels
// ctx (in the screen, ctrl+c is a key).
func Run(ctx context.Context, runCtx context.Context, cases []conformance.Case, o Options, run RunFunc, opts ...tea.ProgramOption) ([]conformance.Result, error) {
	r := Start(runCtx, run)
	opts = append([]tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithoutSignalHandler()}, opts...)
	_, err := tea.NewProgram(New(cases, r, o), opts...).Run()
	results := r.Stop()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // ended from outside, as asked
	}
	return results, err
}

// ExitStatus is check's exit status for a run, in either mode: 1 if any
// case FAILED (a case not run because the run was stopped counts as
// FAILED), else 0.
func ExitStatus(results []conformance.Result) int {
	for _, r := range results {
		if !r.Verdict.Passed() {
			return 1
		}
	}
	return 0
}
