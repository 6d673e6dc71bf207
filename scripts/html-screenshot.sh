#!/bin/sh
# html-screenshot.sh REPORT.html OUT.png
# html-screenshot.sh REPORT.html OUT.pdf
#
# Opens an Onus HTML report in headless Chromium, offline. For OUT.png it
# saves a screenshot of the top of the page at the size of an A4 page at
# 150 dpi (1240×1754 pixels); for OUT.pdf it prints the report as a browser
# would, on the paper PAPER names (a4, the default, or letter), with the
# report's own running header and footer and no browser-made ones. Used by
# the report package's tests, and to refresh docs/report-screenshot.png:
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
case $out in
*.png) mode=screenshot ;;
*.pdf) mode=pdf ;;
*)
	echo "$0: $out: the output must end in .png or .pdf" >&2
	exit 2
	;;
esac
paper=${PAPER:-a4}
case $paper in
a4 | A4) paper=A4 ;;
letter | Letter) paper=letter ;;
*)
	echo "$0: PAPER=$paper: use a4 or letter" >&2
	exit 2
	;;
esac

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

# Chromium reads a file by its extension: a golden file is given an .html
# name. The report leaves the paper to the printer, as a browser's print
# dialog does; the copy printed here names it, as a user choosing it would.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
if [ "$mode" = pdf ]; then
	sed "s|</head>|<style>@page { size: $paper; }</style></head>|" "$in_abs" >"$work/report.html"
	set -- --no-pdf-header-footer --print-to-pdf="$out_abs"
else
	cp "$in_abs" "$work/report.html"
	set -- --hide-scrollbars --window-size=1240,1754 --screenshot="$out_abs"
fi

rm -f "$out_abs"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$work/profile" "$@" "file://$work/report.html" >"$work/chromium.log" 2>&1 || {
	cat "$work/chromium.log" >&2
	exit 1
}
if [ ! -s "$out_abs" ]; then
	cat "$work/chromium.log" >&2
	echo "$0: nothing written to $out" >&2
	exit 1
fi
echo "$out"
