package interop

// The verdict every target earns on every case, with the reason for each
// one that is not OK. The reasons are the libraries' documented behaviour;
// README.md's table of results is drawn from this file.

import (
	"strings"

	"github.com/wsanatomy/wsanatomy/conformance"
)

// slowUTF8 names the targets that validate UTF-8 only when a message is
// complete (or not at all), so that the fail-fast cases need not wait long.
var slowUTF8 = map[string]bool{"gorilla": true, "gorilla-utf8": true, "coder": true, "gobwas": true}

// utf8Case reports whether a case sends invalid UTF-8 in a text message.
func utf8Case(id string) bool {
	return strings.HasPrefix(id, "6.I.") || strings.HasPrefix(id, "6.F.") || strings.HasPrefix(id, "6.4.")
}

// failCases are the cases where the peer must fail the connection because
// of a frame that breaks a rule (1002), not counting the UTF-8 ones.
var failCases = strings.Fields(`2.5 3.1 3.2 3.3 3.4 3.5 3.6 3.7 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.2.1 4.2.2 4.2.3 4.2.4 4.2.5
	5.1 5.2 5.9 5.10 5.11 5.12 5.13 5.14 5.15 5.16 5.17 5.18 A.5.2 7.3.6 B.1 B.5`)

// verdicts holds the non-OK verdicts per target; every other case is OK.
var verdicts = map[string]func(id string) []conformance.Verdict{
	"inproc": ownVerdicts,
	"serve":  ownVerdicts,
	"dial":   ownVerdicts,

	"gorilla": func(id string) []conformance.Verdict {
		switch {
		case utf8Case(id):
			// gorilla does not validate the UTF-8 of text messages it
			// reads: it leaves that to the application (its Autobahn
			// server, examples/autobahn, checks utf8.Valid itself). A
			// plain echo sends invalid text back (§8.1).
			return is(conformance.Failed)
		}
		return gorillaCommon(id)
	},
	// gorilla with the application's UTF-8 check of its Autobahn server:
	// invalid text is refused, but only once the whole message is read, so
	// the fail-fast cases are NON-STRICT.
	"gorilla-utf8": func(id string) []conformance.Verdict {
		switch {
		case strings.HasPrefix(id, "6.F.") || strings.HasPrefix(id, "6.4."):
			return is(conformance.NonStrict)
		case utf8Case(id):
			return is(conformance.OK)
		}
		return gorillaCommon(id)
	},

	"coder": func(id string) []conformance.Verdict {
		switch {
		case utf8Case(id):
			// Like gorilla, coder/websocket returns text messages without
			// validating their UTF-8 (its Autobahn echo checks it).
			return is(conformance.Failed)
		case id == "7.5.1" || id == "A.7.1":
			// It does not validate a close reason: it answers the close
			// with the code it received (1000) instead of failing (1007).
			return is(conformance.NonStrict)
		case id == "B.1":
			// An unmasked client frame ends the connection without a
			// close frame (§7.1.7 SHOULD send one).
			return is(conformance.NonStrict)
		case id == "B.3" || id == "B.4":
			return is(conformance.Failed) // non-minimal lengths are accepted (§5.2)
		case id == "B.5":
			return is(conformance.NonStrict) // closes TCP without a close frame
		case id == "B.6":
			return is(conformance.Informational) // waits for the 1 TiB payload
		case id == "B.8":
			return is(conformance.OK) // 1009 from the 32 MiB limit set above
		}
		return common(id)
	},

	"gobwas": func(id string) []conformance.Verdict {
		switch {
		case utf8Case(id) || contains(failCases, id):
			// wsutil's reader detects the violation (and invalid UTF-8),
			// but the error just ends the handler: the connection is
			// closed without a close frame (§7.1.7 SHOULD send one).
			return is(conformance.NonStrict)
		case strings.HasPrefix(id, "A.7.2."):
			// 1012-1014 are refused with 1002: gobwas knows RFC 6455's
			// codes only, not IANA's later registrations.
			return is(conformance.Informational)
		case strings.HasPrefix(id, "7.13."):
			// Codes past 4999 are echoed, which RFC 6455 leaves undefined.
			return is(conformance.Informational)
		case id == "7.1.6":
			// It answers the close and closes TCP with our ping unread:
			// the kernel resets the connection, which may or may not
			// destroy the echo and close frame before they are read.
			return is(conformance.Informational, conformance.NonStrict)
		case id == "B.3" || id == "B.4":
			return is(conformance.Failed) // non-minimal lengths are accepted (§5.2)
		case id == "B.6":
			return is(conformance.Informational)
		case id == "B.8":
			return is(conformance.Informational) // no message limit: the 33 MiB message is echoed
		}
		return common(id)
	},
}

// ownVerdicts: wsanatomy's codec passes every case; 7.1.6 is
// INFORMATIONAL because it echoes a message that came before the close.
func ownVerdicts(id string) []conformance.Verdict {
	if id == "7.1.6" {
		return is(conformance.Informational)
	}
	return is(conformance.OK)
}

// gorillaCommon is what gorilla does in both of its servers here.
func gorillaCommon(id string) []conformance.Verdict {
	switch id {
	case "7.3.2":
		// A 1-byte close body is answered with an empty close frame, not
		// 1002 (§7.1.7: "an appropriate status code").
		return is(conformance.NonStrict)
	case "A.7.2.3":
		// gorilla accepts 1012 and 1013 but refuses 1014 with 1002.
		return is(conformance.Informational)
	case "B.3", "B.4":
		return is(conformance.Failed) // non-minimal lengths are accepted (§5.2)
	case "B.5":
		return is(conformance.NonStrict) // closes TCP without a close frame
	case "B.6":
		return is(conformance.Informational) // waits for the 1 TiB payload
	case "B.8":
		return is(conformance.Informational) // no read limit by default: the 33 MiB message is echoed
	}
	return common(id)
}

// common is what every library does on the cases without a choice.
func common(id string) []conformance.Verdict {
	if id == "7.1.6" {
		return is(conformance.Informational) // all three echo the message before the close
	}
	return is(conformance.OK)
}

func is(v ...conformance.Verdict) []conformance.Verdict { return v }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expectedVerdicts returns the verdicts target may earn on case id.
func expectedVerdicts(target, id string) []conformance.Verdict { return verdicts[target](id) }
