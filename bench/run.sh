#!/bin/sh
# Runs the comparison benchmarks and prints a benchstat table with one
# column per library (wsanatomy first, so the other columns show their
# difference from it). Extra arguments go to go test, e.g.
#   ./run.sh -bench Echo
# The raw results are kept in bench.out (ignored by git, as *.out).
set -eu
cd "$(dirname "$0")"

if ! command -v benchstat >/dev/null 2>&1; then
	gobin="$(go env GOBIN)"
	[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
	if [ ! -x "$gobin/benchstat" ]; then
		echo "installing benchstat" >&2
		go install golang.org/x/perf/cmd/benchstat@latest
	fi
	PATH="$gobin:$PATH"
fi

go test -run XXX -bench . -benchmem -count 6 -benchtime 200ms "$@" ./... | tee bench.out
echo
benchstat -col /lib bench.out
