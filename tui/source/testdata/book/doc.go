// Package mini is a tiny codec, used to test the source reader.
//
// # Reading order
//
// Read wire.go after this file. Section numbers ("§5.2") refer to
// RFC 6455.
package mini
