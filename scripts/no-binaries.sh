#!/bin/sh
# Fails when a compiled program is tracked: a binary built in the working
# tree (go build ./bench/table leaves ./table) is easy to commit by
# accident, and every clone carries it from then on. Release binaries are
# built by `make dist`, never committed. Only the files git itself holds
# to be binary are opened.
set -eu
tab=$(printf '\t')
found=$(git ls-files --eol | while IFS= read -r line; do
	case $line in i/-text*) ;; *) continue ;; esac
	f=${line#*"$tab"}
	[ -f "$f" ] || continue
	case $(head -c 4 "$f" | od -An -tx1 | tr -d ' \n') in
	7f454c46) echo "  $f (ELF)" ;;
	cffaedfe | cefaedfe) echo "  $f (Mach-O)" ;;
	4d5a*) echo "  $f (Windows executable)" ;;
	esac
done)
if [ -n "$found" ]; then
	echo "compiled programs are tracked (git rm them):"
	echo "$found"
	exit 1
fi
