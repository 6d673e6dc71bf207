# Onus: one static binary, no network. `make run` starts the wizard on the
# embedded catalog and the default database; `make test` runs every test.
GO      ?= go
BIN     ?= bin/onus
PKGS    := ./...
LDFLAGS := -s -w

export CGO_ENABLED = 0

.PHONY: build run test bench fuzz lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/onus

run: build
	./$(BIN)

# The tests that print the HTML report skip without Chromium and
# poppler-utils; go test hides a skip, so say it here.
test: lint
	$(GO) test -count=1 $(PKGS)
	@browser=$$(command -v $${CHROMIUM:-chromium} || command -v chromium-browser || command -v google-chrome); \
	[ -x "$$browser" ] && command -v pdftotext >/dev/null 2>&1 \
		|| echo "make test: NOT RUN: the printed HTML report was not checked: install chromium and poppler-utils (apt-get install -y chromium poppler-utils)"

# One table of every performance goal (docs/PERFORMANCE.md); the raw
# go test output goes to bin/bench.log. Takes about two minutes on 2 cores.
bench:
	@mkdir -p bin
	$(GO) run ./bench/table -log bin/bench.log

# Each fuzzer for a minute; the committed seeds run in every `make test`.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseCatalog$$' -fuzztime 60s ./model/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBundle$$' -fuzztime 60s ./model/
	$(GO) test -run '^$$' -fuzz '^FuzzRootModel$$' -fuzztime 60s ./tui/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
