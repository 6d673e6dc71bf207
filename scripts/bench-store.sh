#!/bin/sh
# bench-store.sh [COUNT]
#
# Measures what the store costs against the least the same work could cost,
# as ratios from one run (the disk is shared and its speed drifts):
#
#   answer/raw       AnswerVsRaw: one committed, audited answer against a
#                    write+fsync of as many bytes (the answer and its audit
#                    entry) to a file in the same directory, alternated in
#                    one loop. bbolt syncs twice per commit; goal <= 3.
#   list/one-key     ListVsReadOneKey: open with the integrity check, list
#                    1,000 assessments and close, against a bare bbolt
#                    read-only open, one Get and close, alternated.
#
# and, between real processes, the median wall time of RUNS (default 30)
# runs of `onus list --json` on that 1,000-assessment file against
# store/testdata/readonekey (open the same file, read one key).
#
# COUNT (default 5) is -count for the Go benchmarks; the medians of the
# separate benchmarks (AnswerCommit, RawWriteFsync, List1000,
# OpenReadOneKey, OpenList1000) are printed too. Needs go, awk and GNU date.
set -eu
cd "$(dirname "$0")/.."
count=${1:-5}
runs=${RUNS:-30}
out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT INT TERM

go test -run '^$' -bench '^Benchmark(AnswerVsRaw|ListVsReadOneKey|AnswerCommit|RawWriteFsync|List1000|OpenReadOneKey|OpenList1000)$' \
	-count "$count" ./store/ | tee "$out"

awk '
/^Benchmark[A-Za-z0-9]+(-[0-9]+)?[ \t]/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) {
		unit = $(i + 1)
		if (unit == "ns/op") unit = ""
		else if (unit !~ /\//) continue
		key = name (unit == "" ? "" : " " unit)
		n[key]++
		v[key, n[key]] = $i + 0
	}
}
function median(key,    k, i, j, t, a) {
	k = n[key]
	if (k == 0) return -1
	for (i = 1; i <= k; i++) a[i] = v[key, i]
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
	if (k % 2) return a[(k + 1) / 2]
	return (a[k / 2] + a[k / 2 + 1]) / 2
}
END {
	print ""
	print "ratios measured in one loop (median of " n["AnswerVsRaw answer/raw"] " runs):"
	printf "  %-34s %8.2f   (%.0f / %.0f ns)\n", "answer commit / raw write+fsync", median("AnswerVsRaw answer/raw"),
		median("AnswerVsRaw answer-ns/op"), median("AnswerVsRaw raw-ns/op")
	printf "  %-34s %8.2f\n", "open+list 1000 / open+read one key", median("ListVsReadOneKey list/one-key")
	print ""
	print "separate benchmarks, median ns/op:"
	split("AnswerCommit RawWriteFsync List1000 OpenReadOneKey OpenList1000", names, " ")
	for (i = 1; i <= 5; i++) printf "  %-16s %12.0f ns/op  (%.3f ms)\n", names[i], median(names[i]), median(names[i]) / 1e6
}' "$out"

# Between processes.
go build -o "$tmp/onus" ./cmd/onus
go build -o "$tmp/readonekey" ./store/testdata/readonekey
id=$(go test -count=1 -v -run '^TestWriteList1000$' ./store/ -args -list1000-out "$tmp/onus.db" | awk '/^list1000-id/ { print $2 }')
n=$("$tmp/onus" --db "$tmp/onus.db" list --json | grep -c '"id"')
[ "$n" -eq 1000 ] || { echo "onus list --json listed $n assessments, want 1000" >&2; exit 1; }

# median_us CMD...: the median wall time of $runs runs, in microseconds.
median_us() {
	i=0
	while [ "$i" -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
		i=$((i + 1))
	done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
list=$(median_us "$tmp/onus" --db "$tmp/onus.db" list --json)
one=$(median_us "$tmp/readonekey" "$tmp/onus.db" "$id")
size=$(wc -c <"$tmp/onus.db")
echo
echo "processes, median wall time of $runs runs on a $((size >> 20)) MiB file of 1,000 assessments:"
echo "  onus list --json      $list us"
echo "  readonekey            $one us"
awk -v a="$list" -v b="$one" 'BEGIN { printf "  %-34s %8.2f\n", "onus list --json / readonekey", a / b }'
