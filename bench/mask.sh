#!/bin/sh
# Runs BenchmarkMask interleaved: the test binary is built once, then run
# ROUNDS times (default 10), each round measuring every library at every
# size once, so that a burst of load on a shared machine hits all
# libraries alike instead of one library's ten runs. Prints benchstat's
# table with one column per library (wsanatomy first, as the baseline).
# The raw results are kept in mask.out (ignored by git, as *.out).
#   ./mask.sh                  # ROUNDS=10, -benchtime 100ms
#   ROUNDS=3 ./mask.sh -test.benchtime 20ms
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

bin="$(mktemp)"
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" .
: > mask.out
for i in $(seq "${ROUNDS:-10}"); do
	echo "round $i" >&2
	"$bin" -test.run XXX -test.bench '^BenchmarkMask$' -test.benchmem -test.benchtime 100ms "$@" >> mask.out
done
benchstat -col /lib -filter '.unit:B/s' mask.out
