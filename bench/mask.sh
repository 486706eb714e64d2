#!/bin/sh
# Runs BenchmarkMask interleaved: the test binary is built once, then run
# ROUNDS times (default 10), each round measuring every library at every
# size once, so that a burst of load on a shared machine hits all
# libraries alike instead of one library's ten runs. Prints benchstat's
# table with one column per library (wsanatomy first, as the baseline),
# then the paired ratios: in each round, each library's time divided by
# wsanatomy's at the same size and alignment, and the median of those
# over the rounds (above 1: wsanatomy is faster). On a shared machine the
# paired ratio is steadier than a ratio of two medians, since both runs
# of a pair saw nearly the same load. The last column compares the
# portable path (wsanatomy-purego) with gorilla the same way.
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
echo
echo "Paired ratios, time of lib / time of wsanatomy (median over rounds; >1: wsanatomy faster)"
awk '
/^BenchmarkMask\// {
	split($1, part, "/")
	lib = substr(part[2], 5)
	case_ = part[3] "/" part[4]
	sub(/-[0-9]+$/, "", case_)
	key = case_ SUBSEP lib
	round = ++seen[key]
	ns[key, round] = $3
	if (!(case_ in caseSeen)) { caseSeen[case_] = 1; cases[++ncases] = case_ }
	if (!(lib in libSeen)) { libSeen[lib] = 1; libs[++nlibs] = lib }
	if (round > rounds) rounds = round
}
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
END {
	printf "%-22s", "case"
	for (l = 2; l <= nlibs; l++) printf " %16s", libs[l]
	printf " %16s\n", "gorilla/purego"
	for (c = 1; c <= ncases; c++) {
		printf "%-22s", cases[c]
		for (l = 2; l <= nlibs; l++) {
			n = 0
			for (r = 1; r <= rounds; r++) {
				a = ns[cases[c], libs[l], r]; b = ns[cases[c], libs[1], r]
				if (a > 0 && b > 0) ratio[++n] = a / b
			}
			printf " %16.2f", median(ratio, n)
		}
		# The portable path against gorilla, paired the same way.
		n = 0
		for (r = 1; r <= rounds; r++) {
			a = ns[cases[c], "gorilla", r]; b = ns[cases[c], "wsanatomy-purego", r]
			if (a > 0 && b > 0) ratio[++n] = a / b
		}
		printf " %16.2f\n", median(ratio, n)
	}
}' mask.out
