// Package bench compares wsanatomy's protocol package with three other Go
// WebSocket libraries: github.com/gorilla/websocket,
// github.com/coder/websocket and github.com/gobwas/ws. It is a separate
// module so that the main module never depends on them.
//
// The in-process benchmarks are in the _test.go files: run ./run.sh, or
// go test -run XXX -bench . -benchmem. The load test runs each library's
// echo server as its own process (cmd/echo-*) against one load generator
// (cmd/loadgen, internal/load): run ./load.sh. README.md explains both.
package bench
