// Package conformance holds the conformance cases that `wsanatomy check`
// runs against any WebSocket echo server or client, and that the interop
// module runs against the codec and other libraries.
//
// The cases follow the Autobahn TestSuite's sections 1 to 7, 9, 10, 12
// and 13 (permessage-deflate, RFC 7692) and add the project's own
// (masking direction, non-minimal lengths, the 64-bit length's top bit,
// close codes, limits, compressed fragments). Each case names the rule it
// tests and ends with a verdict in Autobahn's vocabulary (OK, NON-STRICT,
// INFORMATIONAL, UNIMPLEMENTED, FAILED) that says what the peer did.
//
// The package talks to the peer through its own small wire code (wire.go)
// and compresses with the standard library's compress/flate (deflate.go).
// Of the codec it is used to test it imports only the parser of the
// Sec-WebSocket-Extensions header, so that a mistake in the codec's
// framing or compression cannot hide itself. Every exchange is recorded
// (record.go) so that a case can be replayed with the walkthrough's frame
// views.
package conformance
