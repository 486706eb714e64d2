// Package views draws captured traffic: the one-line row of an entry, its
// title, and its full dissection (a handshake with each header's rule and
// the accept computation; a frame with its bit grid, fields, hex dump,
// unmasking and explanation). It draws from [capture.Entry] alone, so the
// walkthrough, the live server screen and the proxy show the same thing
// for the same bytes, whoever sent them.
package views
