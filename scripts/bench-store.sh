#!/bin/sh
# bench-store.sh [COUNT]
#
# Runs the store benchmarks COUNT times (default 5) and prints the median
# ns/op of each and the ratios that matter:
#
#   AnswerCommit / RawWriteFsync   a committed, audited answer vs writing as
#                                  many bytes to a file and fsyncing it
#   OpenList1000 / OpenReadOneKey  `onus list --json` on 1,000 assessments
#                                  (open with integrity check, list, close) vs
#                                  a minimal bbolt program (open, one Get, close)
#   List1000 / OpenReadOneKey      the listing alone vs that minimal program
#
# Needs only go and awk (no benchstat).
set -eu
cd "$(dirname "$0")/.."
count=${1:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM

go test -run '^$' -bench '^Benchmark(AnswerCommit|RawWriteFsync|List1000|OpenReadOneKey|OpenList1000)$' \
	-count "$count" ./store/ | tee "$out"

awk '
/^Benchmark[A-Za-z0-9]+(-[0-9]+)?[ \t]/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) if ($(i+1) == "ns/op") { n[name]++; v[name, n[name]] = $i + 0 }
}
function median(name,    k, i, j, t, a) {
	k = n[name]
	if (k == 0) return -1
	for (i = 1; i <= k; i++) a[i] = v[name, i]
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
	if (k % 2) return a[(k + 1) / 2]
	return (a[k / 2] + a[k / 2 + 1]) / 2
}
function ratio(x, y,    a, b) {
	a = median(x); b = median(y)
	if (a < 0 || b <= 0) { printf "  %-32s n/a (missing results)\n", x " / " y; return }
	printf "  %-32s %8.2f   (%.0f / %.0f ns)\n", x " / " y, a / b, a, b
}
END {
	print ""
	print "median ns/op over " n["AnswerCommit"] " runs:"
	split("AnswerCommit RawWriteFsync List1000 OpenReadOneKey OpenList1000", names, " ")
	for (i = 1; i <= 5; i++) printf "  %-16s %12.0f ns/op  (%.3f ms)\n", names[i], median(names[i]), median(names[i]) / 1e6
	print ""
	print "ratios (median / median):"
	ratio("AnswerCommit", "RawWriteFsync")
	ratio("OpenList1000", "OpenReadOneKey")
	ratio("List1000", "OpenReadOneKey")
}' "$out"
