#!/bin/sh
# make dist: a release a restricted site can install. For each target in
# $TARGETS (os/arch) a static onus (CGO_ENABLED=0, -trimpath, stamped with
# $LDFLAGS as make build does) in an archive with README.md, LICENSE and
# the manual page onus.1: onus_VERSION_OS_ARCH.tar.gz, or .zip for
# Windows; then SHA256SUMS over the archives. Every file in an archive
# carries the commit's time, owner 0 and fixed modes, in a fixed order, so
# that two builds of one commit are the same bytes (scripts/dist-check.sh
# checks it). Needs GNU tar, gzip, zip and sha256sum.
set -eu
: "${GO:=go}" "${DIST:?}" "${TARGETS:?}" "${VERSION:?}" "${LDFLAGS:?}" "${MAN:?}"
epoch=$(git -c log.showSignature=false log -1 --format=%ct)

rm -rf "$DIST"
stage=$DIST/.stage
mkdir -p "$stage"
for target in $TARGETS; do
	os=${target%/*} arch=${target#*/}
	name=onus_${VERSION}_${os}_${arch}
	exe=onus
	[ "$os" = windows ] && exe=onus.exe
	mkdir -p "$stage/$name"
	GOOS=$os GOARCH=$arch CGO_ENABLED=0 "$GO" build -trimpath -ldflags "$LDFLAGS" -o "$stage/$name/$exe" ./cmd/onus
	cp README.md LICENSE "$stage/$name/"
	cp "$MAN" "$stage/$name/onus.1"
	chmod 0644 "$stage/$name/README.md" "$stage/$name/LICENSE" "$stage/$name/onus.1"
	chmod 0755 "$stage/$name" "$stage/$name/$exe"
	touch -d "@$epoch" "$stage/$name" "$stage/$name"/*
	if [ "$os" = windows ]; then
		(cd "$stage" && TZ=UTC zip -q -X -D "../$name.zip" "$name/LICENSE" "$name/README.md" "$name/onus.1" "$name/$exe")
	else
		tar -C "$stage" --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
			-cf - "$name" | gzip -n -9 >"$DIST/$name.tar.gz"
	fi
	echo "$DIST/$name.$([ "$os" = windows ] && echo zip || echo tar.gz)"
done
rm -rf "$stage"
(cd "$DIST" && ls | grep -E '[.](tar[.]gz|zip)$' | LC_ALL=C sort | xargs sha256sum --) >"$DIST/SHA256SUMS.tmp"
mv "$DIST/SHA256SUMS.tmp" "$DIST/SHA256SUMS"
echo "$DIST/SHA256SUMS"
