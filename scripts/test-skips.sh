#!/bin/sh
# What `make test` could not check on this machine, said loudly: go test
# prints a skip only with -v, so a fresh clone would print "ok" for tests
# that never ran. One line per missing prerequisite, naming what was not
# run and how to get it. .ci/run installs the packages and turns the
# browser and OSCAL skips into failures.
notrun() { echo "make test: NOT RUN: $*"; }

command -v tmux >/dev/null 2>&1 ||
	notrun "the end-to-end tests of the real binary in a terminal (cmd/onus, tmux): install tmux"
[ -f /usr/share/bash-completion/bash_completion ] ||
	notrun "the bash completion test (cmd/onus): install bash-completion"
command -v script >/dev/null 2>&1 ||
	notrun "the check that help and errors ask nothing of a dumb terminal (cmd/onus, script(1)): install util-linux"

browser=$(command -v "${CHROMIUM:-chromium}" || command -v chromium-browser || command -v google-chrome)
{ [ -x "$browser" ] && command -v pdftotext >/dev/null 2>&1; } ||
	notrun "the printed HTML report was not checked (report, Chromium and pdftotext): install chromium and poppler-utils (apt-get install -y chromium poppler-utils)"

schemas=${ONUS_OSCAL_SCHEMAS:-../shared/schemas}
for f in oscal_complete_schema-1-1-3.json oscal_complete_schema-1-2-2.json; do
	if [ ! -f "$schemas/$f" ]; then
		notrun "the OSCAL documents were not validated against NIST's schemas (report): $schemas/$f is missing; put NIST's OSCAL complete JSON schemas 1.1.3 and 1.2.2 in ../shared/schemas beside the repository, or set ONUS_OSCAL_SCHEMAS to their folder"
		break
	fi
done
exit 0
