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

test: lint
	$(GO) test -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
