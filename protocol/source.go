package protocol

import "embed"

// Source holds this package's own Go files, tests included, so that the
// annotated source reader (wsanatomy source) can show the codec from an
// installed binary with no checkout. Readers skip the _test.go files.
//
//go:embed *.go
var Source embed.FS
