// Package conformance holds the conformance cases that `wsanatomy check`
// runs against any WebSocket echo server or client, and that the interop
// module runs against the codec and other libraries.
//
// The cases follow the Autobahn TestSuite's sections 1 to 7, 9 and 10 and
// add the project's own (masking direction, non-minimal lengths, the
// 64-bit length's top bit, close codes, limits). Each case names the rule
// of RFC 6455 it tests and ends with a verdict in Autobahn's vocabulary
// (OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED) that says what
// the peer did.
//
// The package talks to the peer through its own small wire code (wire.go)
// and imports nothing of the codec it is used to test, so that a mistake
// in the codec cannot hide itself. Every exchange is recorded (record.go)
// so that a case can be replayed with the walkthrough's frame views.
package conformance
