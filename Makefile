# Onus: one static binary, no network. `make run` starts the wizard on the
# embedded catalog and the default database; `make test` runs every test.
GO      ?= go
BIN     ?= bin/onus
MANDIR  ?= bin/man
DIST    ?= bin/dist
TARGETS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
PKGS    := ./...
# onus --version: git describe, the commit and the commit's date (not the
# time of the build, so that builds of one commit are the same bytes).
# Each read once (:=), so that the binaries and the archives' names agree.
VERSION := $(or $(VERSION),$(shell git describe --tags --always --dirty 2>/dev/null))
COMMIT  := $(or $(COMMIT),$(shell git rev-parse HEAD 2>/dev/null))
DATE    := $(or $(DATE),$(shell TZ=UTC git -c log.showSignature=false log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null))
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

export CGO_ENABLED = 0

.PHONY: build run man dist test bench fuzz lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/onus

run: build
	./$(BIN)

# The manual page onus(1), from the command tree, dated like the build.
man: build
	@mkdir -p $(MANDIR)
	$(BIN) man > $(MANDIR)/onus.1

# The release: an archive per target in $(TARGETS) with the static binary,
# README.md, LICENSE and onus.1, and SHA256SUMS, in $(DIST); the same
# bytes from every build of one commit (scripts/dist-check.sh).
dist: man
	@GO='$(GO)' DIST='$(DIST)' TARGETS='$(TARGETS)' VERSION='$(VERSION)' LDFLAGS='$(LDFLAGS)' MAN='$(MANDIR)/onus.1' \
		sh scripts/dist.sh

# go test hides a skip: scripts/test-skips.sh prints a NOT RUN line for
# each test that could not run here (no tmux, no Chromium, no OSCAL
# schemas in ../shared/schemas, ...) and what it needs. internal/runewidth
# (go-runewidth's copy) is a module of its own, so ./... leaves it out.
test: lint
	$(GO) test -count=1 $(PKGS)
	cd internal/runewidth && $(GO) test -count=1 .
	@sh scripts/test-skips.sh

# One table of every performance goal (docs/PERFORMANCE.md); the raw
# go test output goes to bin/bench.log. Takes about twelve minutes on 2 cores.
bench:
	@mkdir -p bin
	$(GO) run ./bench/table -log bin/bench.log

# Each fuzzer for a minute; the committed seeds run in every `make test`.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseCatalog$$' -fuzztime 60s ./model/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBundle$$' -fuzztime 60s ./model/
	$(GO) test -run '^$$' -fuzz '^FuzzRootModel$$' -fuzztime 60s ./tui/
	$(GO) test -run '^$$' -fuzz '^FuzzCloudFormation$$' -fuzztime 60s ./iac/
	$(GO) test -run '^$$' -fuzz '^FuzzTerraformPlan$$' -fuzztime 60s ./iac/
	$(GO) test -run '^$$' -fuzz '^FuzzTerraformConfig$$' -fuzztime 60s ./iac/
	$(GO) test -run '^$$' -fuzz '^FuzzCDKAssembly$$' -fuzztime 60s ./iac/
	$(GO) test -run '^$$' -fuzz '^FuzzImport$$' -fuzztime 60s ./lens/
	$(GO) test -run '^$$' -fuzz '^FuzzDamagedFile$$' -fuzztime 60s -parallel 2 ./store/

# gofmt, go vet and staticcheck (pinned in go.mod as a tool: go tool
# staticcheck runs that version, fetched like any other module), and no
# compiled program committed by accident.
lint:
	@sh scripts/no-binaries.sh
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

clean:
	rm -rf bin
