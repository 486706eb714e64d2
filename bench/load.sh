#!/bin/sh
# Runs the out-of-process load test: builds the echo servers (one program
# per library, plus `wsanatomy serve` from the main module) and the load
# generator, then runs every server against the same client, interleaved,
# unpinned and pinned, and prints Markdown tables of ratios to gobwas.
# Extra arguments go to `loadgen run`, e.g.
#   ./load.sh -quick                      # a check that everything works, under a minute
#   ./load.sh -rounds 5 -dur 3s           # longer
#   ./load.sh -serve-log-off "--log off"  # also measure serve with its log off
#   ./load.sh -add before=/path/to/echo-wsanatomy-from-an-earlier-commit -servers wsanatomy,before,gobwas-b
#                                         # a change with and without it, interleaved
# Every measurement is kept in load.out (ignored by git, as *.out).
set -eu
cd "$(dirname "$0")"

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT INT TERM
go build -o "$bin/" ./cmd/loadgen ./cmd/echo-wsanatomy ./cmd/echo-wsanatomy-http \
	./cmd/echo-gorilla ./cmd/echo-coder ./cmd/echo-gobwas ./cmd/echo-floor
(cd .. && go build -o "$bin/wsanatomy" .)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(go version | cut -d' ' -f3), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo " with local changes")"
"$bin/loadgen" run -bin "$bin" "$@"
