// Package sourcebook turns the protocol package's own source into a book:
// chapters in the order a connection happens, each file cut into blocks of
// prose (its comments) and the code they explain, with the RFC 6455
// sections the comments cite and the marker comments that tie each frame
// field and handshake header to the code that encodes and decodes it.
//
// It imports only the standard library and protocol, so anything that
// shows the codec (the terminal reader in tui/source, plain text output,
// tests) reads the same book.
//
// # Markers
//
// A marker is a comment line of its own, written right above the code it
// points at:
//
//	// anatomy: field=FIN (encode)
//	// anatomy: header=Sec-WebSocket-Key
//
// The part after the ID is a free note. [Fields] lists every ID a marker
// may name; the package tests fail if one of them has no marker, if a
// marker names an ID not in the list, or if a marker is not followed by
// code.
package sourcebook
