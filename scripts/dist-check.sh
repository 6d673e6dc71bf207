#!/bin/sh
# Two builds of one commit give the same bytes. Runs make dist for
# $TARGETS (default linux/amd64, as .ci/run does; the Go toolchain builds
# every target the same way) in two clones of HEAD at different paths, the
# second with an empty Go build cache so that nothing of the first is
# reused, and compares SHA256SUMS and every archive byte for byte. Then
# checks that the linux/amd64 binary, if built, is static, built with
# -trimpath and stamped with the commit.
set -eu
targets=${TARGETS:-linux/amd64}
commit=$(git rev-parse HEAD)
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

git clone -q . "$tmp/first"
git clone -q . "$tmp/second/elsewhere"
make -s -C "$tmp/first" dist TARGETS="$targets" >/dev/null
GOCACHE=$tmp/cache make -s -C "$tmp/second/elsewhere" dist TARGETS="$targets" >/dev/null

a=$tmp/first/bin/dist b=$tmp/second/elsewhere/bin/dist
cmp "$a/SHA256SUMS" "$b/SHA256SUMS" || {
	echo "dist: two builds of $commit differ:"
	diff "$a/SHA256SUMS" "$b/SHA256SUMS"
	exit 1
}
n=0
for f in "$a"/*.tar.gz "$a"/*.zip; do
	[ -f "$f" ] || continue
	cmp "$f" "$b/${f##*/}"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "dist: no archive built for $targets"; exit 1; }
(cd "$a" && sha256sum --ignore-missing -c SHA256SUMS >/dev/null) # as README says

for f in "$a"/onus_*_linux_amd64.tar.gz; do
	[ -f "$f" ] || continue
	tar -C "$tmp" -xzf "$f"
	bin=$(ls "$tmp"/onus_*_linux_amd64/onus)
	info=$(go version -m "$bin")
	for want in "CGO_ENABLED=0" "-trimpath=true"; do
		echo "$info" | grep -q -- "$want" || { echo "dist: $bin not built with $want"; exit 1; }
	done
	"$bin" --version | grep -q "commit $commit" || { echo "dist: $bin --version lacks commit $commit"; exit 1; }
	for doc in README.md LICENSE onus.1; do
		[ -s "${bin%/onus}/$doc" ] || { echo "dist: $doc missing from ${f##*/}"; exit 1; }
	done
done
echo "dist: $n archive(s) for $targets, the same bytes in two builds of $commit"
