#!/bin/sh
# Remakes this directory's fixture with the onus release at commit 1c4f9f7
# (schema 3, entries without a format), the last before entries carried
# their format: onus.db by gen.go through that release's store, then the
# release binary exports the LIMS assessment (bundle.json), imports it
# into a second file (a line in that file's log) and verifies both. The
# *.python.json, *.node.json and *.jq.json files are bundle.json saved
# again by other JSON tools. Needs git, go, python3, node and jq.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
release=1c4f9f7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$(git -C "$here/.." rev-parse --show-toplevel)" && git archive "$release") | tar -x -C "$tmp"
mkdir -p "$tmp/gen"
cp "$here/gen.go" "$tmp/gen/main.go"
sed -i '1,2d' "$tmp/gen/main.go" # drop the ignore build tag
(cd "$tmp" && go build -o onus ./cmd/onus && go build -o makedb ./gen)
rm -f "$here/onus.db" "$here/imported.db"
id=$("$tmp/makedb" "$here/onus.db")
rm -rf "$here/onus.db.backups"
"$tmp/onus" --db "$here/onus.db" export "$id" --format json -o "$here/bundle.json"
ONUS_USER=importer "$tmp/onus" --db "$here/imported.db" import "$here/bundle.json"
rm -rf "$here/imported.db.backups"
"$tmp/onus" --db "$here/onus.db" verify
"$tmp/onus" --db "$here/imported.db" verify
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), sort_keys=True, indent=1)' \
	"$here/bundle.json" "$here/bundle.python.json"
node -e 'const fs=require("fs"); fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1],"utf8"))))' \
	"$here/bundle.json" "$here/bundle.node.json"
jq -S . "$here/bundle.json" >"$here/bundle.jq.json"
echo "$id" >"$here/id"
