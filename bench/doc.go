// Package bench compares wsanatomy's protocol package with three other Go
// WebSocket libraries: github.com/gorilla/websocket,
// github.com/coder/websocket and github.com/gobwas/ws. It is a separate
// module so that the main module never depends on them.
//
// Everything is in the _test.go files: run ./run.sh, or
// go test -run XXX -bench . -benchmem. README.md explains each benchmark.
package bench
