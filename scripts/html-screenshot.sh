#!/bin/sh
# html-screenshot.sh REPORT.html OUT.png
#
# Opens an Onus HTML report in headless Chromium, offline, and saves a
# screenshot of its first A4 page at 150 dpi (1240×1754 pixels). Used to
# check that the report renders, and to refresh docs/report-screenshot.png:
#
#   go test ./report/ -run TestGolden -update   # refreshes the fixture report
#   scripts/html-screenshot.sh report/testdata/TestGolden/report.html.golden docs/report-screenshot.png
#
# Needs Debian's chromium package (apt-get install -y chromium), or set
# CHROMIUM to another Chromium or Chrome binary.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 REPORT.html OUT.png" >&2
	exit 2
fi
in=$1
out=$2
if [ ! -f "$in" ]; then
	echo "$0: $in: no such file" >&2
	exit 2
fi

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$b
			break
		fi
	done
fi
if [ -z "$browser" ]; then
	echo "$0: no Chromium found: apt-get install -y chromium, or set CHROMIUM" >&2
	exit 3
fi

abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
in_abs=$(abs "$in")
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
out_abs=$(abs "$out")

# Chromium reads a file by its extension: a golden file is given an .html name.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cp "$in_abs" "$work/report.html"

rm -f "$out_abs"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$work/profile" --window-size=1240,1754 \
	--screenshot="$out_abs" "file://$work/report.html" >"$work/chromium.log" 2>&1 || {
	cat "$work/chromium.log" >&2
	exit 1
}
if [ ! -s "$out_abs" ]; then
	cat "$work/chromium.log" >&2
	echo "$0: no screenshot written" >&2
	exit 1
fi
echo "$out"
