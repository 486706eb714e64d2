package testvectors

import (
	"context"
	"fmt"
	"time"
)

// Result is what happened when one vector ran.
type Result struct {
	Vector *Vector
	Pass   bool
	// Expected and Actual are the results as one line of text each, in the
	// same form, for instance "error close_code=1002 section=5.2".
	Expected string
	Actual   string
	// Why says how Actual differs from Expected; empty when it passed.
	Why string
	// Detail is what the codec said, such as a violation's sentence; it
	// helps a reader but is not compared.
	Detail string
}

// Report holds the results of a run, in the order of the set.
type Report struct {
	Results []Result
}

// Passed and Failed count the results.
func (r *Report) Passed() int { return len(r.Results) - r.Failed() }

func (r *Report) Failed() int {
	n := 0
	for _, res := range r.Results {
		if !res.Pass {
			n++
		}
	}
	return n
}

// vectorTimeout bounds one vector. The codec under test must never hang on
// a vector; if it does, that is a failure to report, not a stuck command.
const vectorTimeout = 10 * time.Second

// Run runs every vector of the set through the protocol package.
func Run(ctx context.Context, set *Set) *Report {
	rep := &Report{}
	for _, f := range set.Files {
		for _, v := range f.Vectors {
			rep.Results = append(rep.Results, RunVector(ctx, v))
		}
	}
	return rep
}

// RunVector runs one vector.
func RunVector(ctx context.Context, v *Vector) Result {
	ctx, cancel := context.WithTimeout(ctx, vectorTimeout)
	defer cancel()
	group := ""
	if v.File != nil {
		group = v.File.Group
	}
	var exp, act outcome
	var detail string
	switch group {
	case GroupFrames:
		exp, act, detail = runFrames(v)
	case GroupMessages:
		exp, act, detail = runMessages(ctx, v)
	case GroupUTF8:
		exp, act, detail = runUTF8(ctx, v)
	case GroupClose:
		exp, act, detail = runClose(ctx, v)
	case GroupHandshake:
		exp, act, detail = runHandshake(ctx, v)
	case GroupDeflate:
		exp, act, detail = runDeflate(ctx, v)
	default:
		return Result{Vector: v, Why: fmt.Sprintf("vector has no known group (%q)", group)}
	}
	res := Result{Vector: v, Expected: exp.String(), Actual: act.String(), Detail: detail}
	res.Why = diff(exp, act)
	res.Pass = res.Why == ""
	return res
}

// expectError renders an expected failure. wsanatomy's runner compares
// every field, whatever its level: the expected result is wsanatomy's.
func expectError(e *ErrorExpect) outcome {
	return addCodes(newOutcome("error"), "close_code", e.CloseCode).add("section", "%s", rfcSection(e.RFC, e.Section))
}

// addCodes adds an expected close code, or set of codes.
func addCodes(o outcome, name string, codes CodeSet) outcome {
	members := make([]string, len(codes))
	for i, c := range codes {
		members[i] = fmt.Sprint(c)
	}
	return o.addSet(name, codes.String(), members)
}

// rfcSection names a section of RFC 6455 as itself ("5.2") and one of
// another RFC with its number ("7692 7.2.2"), so that a failure under the
// wrong RFC does not pass for the right one.
func rfcSection(rfc, section string) string {
	if rfc == "" || rfc == RFC6455 {
		return section
	}
	return rfc + " " + section
}
