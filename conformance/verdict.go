package conformance

import (
	"fmt"
	"time"
)

// Verdict is the outcome of one case, in the Autobahn TestSuite's
// vocabulary, so that a report can be read beside an Autobahn one.
type Verdict string

// The verdicts, from best to worst. A case's verdict is the worst one
// that anything in it earned.
const (
	// OK: the peer did what the RFC (6455, or 7692 for sections 12 and 13)
	// requires, and what it recommends.
	OK Verdict = "OK"
	// Informational: the RFC leaves the behaviour to the implementation
	// (an echo of a message sent with a close, a size limit); the result
	// says which choice the peer made. Not a failure.
	Informational Verdict = "INFORMATIONAL"
	// NonStrict: the peer kept every MUST but not a SHOULD, such as
	// closing without the appropriate status code (§7.1.7) or failing an
	// invalid UTF-8 message only at its end rather than at the first bad
	// byte. Not a failure.
	NonStrict Verdict = "NON-STRICT"
	// Unimplemented: the case tests an optional feature (an extension)
	// that the peer did not negotiate. Not a failure.
	Unimplemented Verdict = "UNIMPLEMENTED"
	// Failed: the peer broke a MUST of the RFC (6455, or 7692 for sections
	// 12 and 13), or did not answer in time.
	Failed Verdict = "FAILED"
)

// rank orders verdicts from best (0) to worst.
func (v Verdict) rank() int {
	switch v {
	case OK:
		return 0
	case Informational:
		return 1
	case NonStrict:
		return 2
	case Unimplemented:
		return 3
	}
	return 4
}

// Passed reports whether the verdict is anything but FAILED.
func (v Verdict) Passed() bool { return v != Failed }

// worse returns the worse of two verdicts.
func worse(a, b Verdict) Verdict {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Ending is how a case's connection ended, seen from our side.
type Ending string

const (
	// EndClean: a closing handshake, then the TCP close.
	EndClean Ending = "clean"
	// EndFailed: the peer failed the connection, as the case wanted.
	EndFailed Ending = "failed"
	// EndNone: the case stopped before either (a FAILED case).
	EndNone Ending = ""
)

// Result is the outcome of one case against one peer.
type Result struct {
	ID      string  `json:"id"`
	Desc    string  `json:"description"`
	Rule    string  `json:"rule"`    // the RFC rule the case tests, with its section
	Verdict Verdict `json:"verdict"` // the worst of Notes, or OK
	// Detail says what the peer did: for a verdict other than OK, the
	// first thing that earned it.
	Detail   string        `json:"detail"`
	Notes    []Note        `json:"notes,omitempty"`
	Ending   Ending        `json:"ending"`
	FailCode int           `json:"fail_code,omitempty"` // the close code the case expected the peer to fail with
	Duration time.Duration `json:"duration_ns"`
	// ClientExit is, for a client under test, how its process ended.
	ClientExit string `json:"client_exit,omitempty"`
	// Exchange is what went over the wire, for `check --show`.
	Exchange *Exchange `json:"-"`
}

// Note is one observation that lowered a verdict below OK.
type Note struct {
	Verdict Verdict `json:"verdict"`
	Text    string  `json:"text"`
}

// caseEnd stops a case early: it is what Peer.fail panics with, and what
// the runner recovers.
type caseEnd struct {
	verdict Verdict
	msg     string
}

func (e caseEnd) String() string { return fmt.Sprintf("%s: %s", e.verdict, e.msg) }
