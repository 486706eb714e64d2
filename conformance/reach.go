package conformance

import (
	"context"
	"errors"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// UnreachableError says that no TCP connection could be made to the
// server at all. No case was run: a server that is not there has broken
// no rule of RFC 6455, so the run ends with this one error instead of a
// FAILED verdict per case.
type UnreachableError struct {
	URL string
	Err error // the dialer's error
}

func (e *UnreachableError) Error() string {
	return "cannot connect to " + e.URL + ": " + e.Reason()
}

// Reason is what the dialer said, without the address the URL already
// names: its innermost error, such as "connection refused".
func (e *UnreachableError) Reason() string {
	inner := e.Err
	for {
		next := errors.Unwrap(inner)
		if next == nil {
			break
		}
		inner = next
	}
	return inner.Error()
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Reachable opens one TCP connection to the host of the ws:// URL, and
// closes it at once, so that a run against a server that is not listening
// ends with one clear error rather than every case failing its handshake.
// It returns an *UnreachableError if the connection could not be made
// within timeout; nil otherwise (what the server then does with a
// WebSocket handshake is for the cases to judge).
func Reachable(ctx context.Context, rawURL string, timeout time.Duration) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	d := net.Dialer{Timeout: timeout}
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped by the user, not refused by the host.
			return context.Cause(ctx)
		}
		return &UnreachableError{URL: rawURL, Err: err}
	}
	return nc.Close()
}

// CompareIDs orders case ids as the report lists them: by section, the
// project's additions to a section (A.1.x to section 1) after
// Autobahn's own cases of it, the project's own cases (B.x) last; and
// within that part by part, numbers by value (1.1.2 before 1.1.10). It
// returns -1, 0 or +1.
func CompareIDs(a, b string) int {
	ka, kb := idKey(a), idKey(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if ka[i] != kb[i] {
			return cmpInt(ka[i], kb[i])
		}
	}
	if c := cmpInt(len(ka), len(kb)); c != 0 {
		return c
	}
	return strings.Compare(a, b) // ids with parts that are not numbers
}

// idKey is an id as numbers: its section, 0 for Autobahn's cases or 1
// for an addition, then its parts. B's section sorts after every number;
// a part that is not a number sorts after those that are.
func idKey(id string) []int {
	parts := strings.Split(id, ".")
	added := 0
	switch parts[0] {
	case "A":
		parts, added = parts[1:], 1
	case "B":
		parts[0] = strconv.Itoa(math.MaxInt32)
	}
	key := []int{0, added}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			n = math.MaxInt32 + 1
		}
		if i == 0 {
			key[0] = n
			continue
		}
		key = append(key, n)
	}
	return key
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
