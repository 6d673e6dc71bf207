#!/bin/sh
# Remakes this directory's databases with the onus releases before the
# evidence register, through each release's own store (gen.go), as
# release3/make.sh does: 1c4f9f7.db with the release before the catalog
# review (schema 3, entries without a format), a594b82.db with main as it
# was when the register was started (schema 4, entries of format 2, final
# by a workflow entry), a06c1c2.db with main as the register was merged
# into it (schema 4, final by an electronic signature). Each file's ids go
# to RELEASE.ids. Arguments remake only those releases. Needs git and go.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for release in ${*:-1c4f9f7 a594b82 a06c1c2}; do
	final=final_signoff.go
	[ "$release" = a06c1c2 ] && final=final_sign.go
	tmp=$(mktemp -d)
	(cd "$(git -C "$here/.." rev-parse --show-toplevel)" && git archive "$release") | tar -x -C "$tmp"
	mkdir -p "$tmp/gen"
	cp "$here/gen.go" "$tmp/gen/main.go"
	cp "$here/$final" "$tmp/gen/final.go"
	sed -i '1,2d' "$tmp/gen/main.go" "$tmp/gen/final.go" # drop the ignore build tags
	(cd "$tmp" && go build -o makedb ./gen)
	rm -f "$here/$release.db"
	"$tmp/makedb" "$here/$release.db" >"$here/$release.ids"
	rm -rf "$here/$release.db.backups" "$tmp"
done
