// Package testvectors holds wsanatomy's language-neutral RFC 6455 test
// vectors and the runner that checks the protocol package against them.
//
// The vectors are JSON files (schema in README.md and schema.json) so that a
// learner can read them and an implementer in any language can run them
// against their own parser. The expected values were written from the RFC
// text, by hand or by the generator in gen/, which does not import the
// protocol package: a vector that merely replayed our codec's output would
// test nothing.
//
// The runner feeds each vector to the codec the way a real receiver meets
// it: frame vectors through DecodeHeader and CheckHeader, message vectors as
// scripted reads by a real Conn, handshake requests through the server's
// handshake. It compares what came out with what the vector expects, at
// every level (MUST, SHOULD and wsanatomy's own choices, since the
// expected result is wsanatomy's), and reports every difference.
// runners/ holds runners for other implementations, which judge by level.
package testvectors
