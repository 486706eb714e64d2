package testvectors

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A runner that cannot fail proves nothing. These vectors carry wrong
// expectations on purpose, one per group, and the runner must report each
// as a failure and say what differed.
func TestRunnerReportsWrongExpectation(t *testing.T) {
	set, err := Load("testdata/wrong.json", "testdata/wrong-messages.json")
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(context.Background(), set)
	want := map[string]string{
		"wrong-opcode":         "opcode: expected 2, got 1",
		"wrong-payload":        `payload: expected 48656c6c70("Hellp"), got 48656c6c6f("Hello")`,
		"wrong-close-code":     "close_code: expected 1003, got 1002",
		"wrong-close-code-set": "close_code: expected one of 1003,1008, got 1002",
		"wrong-kind":           `expected result "frame", got "error"`,
		"wrong-message-count":  "count: expected 2, got 1",
		"wrong-reply":          "reply[0]: expected pong:", // the payload follows
	}
	seen := map[string]bool{}
	for _, res := range rep.Results {
		why, ok := want[res.Vector.ID]
		if !ok {
			t.Errorf("unexpected vector %s", res.Vector.ID)
			continue
		}
		seen[res.Vector.ID] = true
		if res.Pass {
			t.Errorf("%s: a wrong expectation passed (expected %s, actual %s)", res.Vector.ID, res.Expected, res.Actual)
			continue
		}
		if !strings.Contains(res.Why, why) {
			t.Errorf("%s: why = %q, want it to contain %q", res.Vector.ID, res.Why, why)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("vector %s did not run", id)
		}
	}
	if rep.Failed() != len(want) || rep.Passed() != 0 {
		t.Errorf("counted %d passed, %d failed; want 0 passed, %d failed", rep.Passed(), rep.Failed(), len(want))
	}

	// The printed table shows expected and actual for each failure and
	// ends with the summary line.
	var out bytes.Buffer
	rep.Print(&out)
	text := out.String()
	for _, s := range []string{"FAIL  wrong-opcode", "expected: frame fin=true", "actual:   frame fin=true", "why:      opcode: expected 2, got 1"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	if !strings.HasSuffix(text, "\n0 passed, 7 failed\n") {
		t.Errorf("report does not end with the summary line:\n%s", text)
	}
}

// Each malformed file must be refused with an error that names the file,
// the vector and the field.
func TestMalformedFiles(t *testing.T) {
	cases := []struct{ file, want string }{
		{"syntax.json", "syntax.json: not a JSON object: line 4 column"},
		{"bad-group.json", `bad-group.json: field "group": want one of handshake, frames, messages, utf8, close, deflate, got "frame"`},
		{"unknown-field.json", `unknown-field.json: vector "typo": field "expect.frame.opcde": unknown field`},
		{"wrong-type.json", `wrong-type.json: vector "string-opcode": field "expect.frame.opcode": want an integer`},
		{"bad-hex.json", `bad-hex.json: vector "odd-hex": field "input.bytes": not hex`},
		{"missing-field.json", `missing-field.json: vector "no-length": field "expect.frame.length": required`},
		{"wrong-group-field.json", `wrong-group-field.json: vector "fragments-in-frames": field "input.fragments": not used by frames vectors`},
		{"duplicate-id.json", `duplicate-id.json: vector "twice": field "id": duplicate id`},
		{"no-id.json", `no-id.json: vector #2 (counting from 1): field "id": want a string`},
		{"bad-repeat.json", `bad-repeat.json: vector "huge": field "input.bytes": part 1: count: 1000000000000 is out of range`},
		{"utf8-no-at.json", `utf8-no-at.json: vector "no-at": field "expect.error.at": required for utf8 vectors`},
		{"two-results.json", `two-results.json: vector "both": field "expect": want exactly one of frame, error, incomplete`},
		{"null-field.json", `null-field.json: vector "null-limit": field "input.message_limit": null is not allowed`},
		{"no-level.json", `no-level.json: vector "no-level": field "level": want MUST, SHOULD or wsanatomy`},
		{"bad-allowed.json", `bad-allowed.json: vector "bad-alt": field "allowed[0].error.close_code": want an integer or a non-empty array`},
	}
	for _, c := range cases {
		path := filepath.Join("testdata", "malformed", c.file)
		_, err := Load(path)
		if err == nil {
			t.Errorf("%s: loaded without error", c.file)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error\n  %v\nwant it to contain\n  %s", c.file, err, c.want)
		}
	}
	// Every file in the directory has a case above.
	names, _ := filepath.Glob("testdata/malformed/*.json")
	if len(names) != len(cases) {
		t.Errorf("%d malformed files, %d cases", len(names), len(cases))
	}
	if _, err := Load("testdata/no-such-file.json"); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// A header claiming 2^63-1 bytes must be refused before the receiver
// allocates for it: running the vector through a Conn must allocate far
// less than the claim, in fact less than a megabyte.
func TestHugeClaimDoesNotAllocate(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"msg-claim-2pow63-minus-1-to-client", "msg-claim-2pow63-minus-1-to-server", "frames-claim-2pow63-minus-1-over-limit"} {
		v, err := set.Find(id)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res := RunVector(context.Background(), v)
		runtime.ReadMemStats(&after)
		if !res.Pass {
			t.Errorf("%s: %s", id, res.Why)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: allocated %d bytes for a header-only claim", id, n)
		}
	}
}

// The issue asks for at least 300 vectors, every group represented.
func TestVectorCount(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	total := 0
	for _, f := range set.Files {
		per[f.Group] += len(f.Vectors)
		total += len(f.Vectors)
	}
	if total < 300 {
		t.Errorf("%d vectors, want at least 300", total)
	}
	for _, g := range groups {
		if per[g] == 0 {
			t.Errorf("no %s vectors", g)
		}
	}
}

// The files in runners/testdata are wrong on purpose, for the runners of
// other implementations to prove they can fail (runners/run.sh). They must
// load, and every vector in them must fail here too, or they prove nothing.
func TestRunnerFixturesAreWrong(t *testing.T) {
	set, err := Load("runners/testdata")
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(context.Background(), set)
	if len(rep.Results) == 0 {
		t.Fatal("no vectors in runners/testdata")
	}
	for _, res := range rep.Results {
		if res.Pass {
			t.Errorf("%s passes, but runners/testdata must hold only wrong expectations", res.Vector.ID)
		}
	}
}

// The deflate runner must catch wrong expectations of each kind: a
// decision on an offer, the parameters of the answer, a client's verdict
// on a response, inflated bytes, which direction a no_context_takeover
// binds, the RFC of a broken rule, and a bomb's close code.
func TestDeflateRunnerReportsWrongExpectation(t *testing.T) {
	set, err := Load("testdata/wrong-deflate.json")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"wrong-pmd-offer-accepted":       `expected result "accepted", got "declined"`,
		"wrong-pmd-offer-params":         "params: expected , got server_no_context_takeover",
		"wrong-pmd-response-ok":          `expected result "accepted", got "refused"`,
		"wrong-pmd-inflated":             `message[0]: expected text:48656c6c70("Hellp"), got text:48656c6c6f("Hello")`,
		"wrong-pmd-no-context-direction": "count: expected 1, got 2",
		"wrong-pmd-rfc":                  "section: expected 6, got 7692 6",
		"wrong-pmd-bomb-code":            "close_code: expected 1002, got 1009",
	}
	rep := Run(context.Background(), set)
	if len(rep.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(rep.Results), len(want))
	}
	for _, res := range rep.Results {
		why, ok := want[res.Vector.ID]
		switch {
		case !ok:
			t.Errorf("unexpected vector %s", res.Vector.ID)
		case res.Pass:
			t.Errorf("%s: a wrong expectation passed (expected %s, actual %s)", res.Vector.ID, res.Expected, res.Actual)
		case !strings.Contains(res.Why, why):
			t.Errorf("%s: why = %q, want it to contain %q", res.Vector.ID, res.Why, why)
		}
	}
}
