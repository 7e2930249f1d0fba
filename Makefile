# ProofStell build, test and tooling entry points. CI runs .ci/run, which
# starts PostgreSQL and Redis and then calls `make lint test`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

GO      ?= go
BIN     := $(CURDIR)/bin
PKGS    ?= ./...
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)

# Pinned tools, installed into ./bin on first use.
GOLANGCI_LINT_VERSION := v2.15.0
PROTOC_GEN_GO_VERSION := v1.36.12
GOLANGCI_LINT         := $(BIN)/golangci-lint
PROTOC_GEN_GO         := $(BIN)/protoc-gen-go

# Test budgets: the whole suite (real PostgreSQL, Redis, cluster members) and
# the quick loop used while editing.
TEST_TIMEOUT       ?= 15m
TEST_SHORT_TIMEOUT ?= 5m
FUZZTIME           ?= 10s

.PHONY: build run test monitoring-check test-short lint vet fmt proto bench fuzz clean tools lint-tool proto-tool node-deps sdk sdk-generate play play-deps

## build: compile bin/proofstell
build:
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o $(BIN)/proofstell ./cmd/proofstell

## run: start a development node on local defaults (creates the database and migrates); with nothing at DATABASE_URL it brings up a private PostgreSQL in .dev/postgres (cmd/devrun)
run: build
	$(GO) build -o $(BIN)/devrun ./cmd/devrun
	$(BIN)/devrun -- $(BIN)/proofstell serve

## test: the full suite with the race detector against real PostgreSQL and Redis (Node, SDK and play page tests included, and the alerting rules' checks)
test: node-deps sdk play-deps monitoring-check
	$(GO) test -race -count=1 -timeout=$(TEST_TIMEOUT) $(PKGS)

## monitoring-check: check deploy/prometheus's alerting rules and run their unit tests with promtool (Debian's prometheus package; .ci/run installs it)
PROMTOOL ?= promtool

monitoring-check:
	$(PROMTOOL) check rules deploy/prometheus/alerts.yml
	$(PROMTOOL) test rules deploy/prometheus/alerts_test.yml

## node-deps: install test/node's pinned npm packages (npm ci) when its lockfile changed
node-deps: test/node/node_modules/.package-lock.json

test/node/node_modules/.package-lock.json: test/node/package.json test/node/package-lock.json
	npm ci --prefix test/node --no-audit --no-fund --loglevel=error
	touch $@

## sdk: install sdk/typescript's pinned npm packages (npm ci) and build it with tsc into dist/
SDK        := sdk/typescript
SDK_SOURCES := $(shell find $(SDK)/src $(SDK)/examples -name '*.ts' 2>/dev/null) $(wildcard $(SDK)/tsconfig*.json)

sdk: $(SDK)/dist/node.js

$(SDK)/node_modules/.package-lock.json: $(SDK)/package.json $(SDK)/package-lock.json
	npm ci --prefix $(SDK) --no-audit --no-fund --loglevel=error
	touch $@

$(SDK)/dist/node.js: $(SDK)/node_modules/.package-lock.json $(SDK_SOURCES)
	npm run --prefix $(SDK) --silent build
	touch $@

## sdk-generate: regenerate the SDK's types from docs/asyncapi.yaml and docs/openapi.yaml (commit the result)
sdk-generate: $(SDK)/node_modules/.package-lock.json
	npm run --prefix $(SDK) --silent generate
	npm run --prefix $(SDK) --silent generate:rest

## play: rebuild the play page (gateway/playpage/dist, committed and embedded) from gateway/playpage/src and the SDK's sources
PLAY := gateway/playpage

play: $(PLAY)/node_modules/.package-lock.json $(SDK)/node_modules/.package-lock.json
	npm run --prefix $(PLAY) --silent typecheck
	npm run --prefix $(PLAY) --silent build

## play-deps: install gateway/playpage's pinned esbuild (npm ci); its test rebuilds the page to check dist/
play-deps: $(PLAY)/node_modules/.package-lock.json $(SDK)/node_modules/.package-lock.json

$(PLAY)/node_modules/.package-lock.json: $(PLAY)/package.json $(PLAY)/package-lock.json
	npm ci --prefix $(PLAY) --no-audit --no-fund --loglevel=error
	touch $@

## test-short: skip slow tests (cluster, end to end) for a quick loop
test-short:
	$(GO) test -race -count=1 -short -timeout=$(TEST_SHORT_TIMEOUT) $(PKGS)

## lint: golangci-lint (pinned) with .golangci.yml
lint: lint-tool
	$(GOLANGCI_LINT) run $(PKGS)

## vet: go vet
vet:
	$(GO) vet $(PKGS)

## fmt: gofmt every Go file in place (generated code included: it is gofmt'd)
fmt:
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*')

## proto: regenerate actors/protos/*.pb.go (needs Debian's protobuf-compiler)
proto: proto-tool
	PATH="$(BIN):$$PATH" protoc --proto_path=. \
		--go_out=. --go_opt=paths=source_relative actors/protos/*.proto

## bench: run every benchmark once (see bench/README.md for load tests)
bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)

## fuzz: a short run of every Fuzz target, FUZZTIME each (go test fuzzes one target at a time)
fuzz:
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$file"); do \
			echo "== $$target ($$(dirname "$$file"))"; \
			$(GO) test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) "$$(dirname "$$file")"; \
		done; \
	done

## clean: remove build output and installed tools
clean:
	rm -rf $(BIN) coverage.out test/node/node_modules $(SDK)/node_modules $(SDK)/dist $(PLAY)/node_modules
	$(GO) clean -testcache

## tools: install the pinned tools into ./bin
tools: lint-tool proto-tool

# The tool targets always run: checking the installed version is quick, and
# bumping a pinned version (or deleting ./bin) reinstalls on the next use.
# The output is captured before matching because `grep -q` closing the pipe
# early would fail the pipeline under pipefail.
lint-tool:
	@installed=$$("$(GOLANGCI_LINT)" version 2>/dev/null || true); \
	case "$$installed" in \
		*"version $(GOLANGCI_LINT_VERSION:v%=%) "*) ;; \
		*) echo "installing golangci-lint $(GOLANGCI_LINT_VERSION) into $(BIN)"; \
		   GOBIN="$(BIN)" $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION) ;; \
	esac

proto-tool:
	@installed=$$("$(PROTOC_GEN_GO)" --version 2>/dev/null || true); \
	if [ "$$installed" != "protoc-gen-go $(PROTOC_GEN_GO_VERSION)" ]; then \
		echo "installing protoc-gen-go $(PROTOC_GEN_GO_VERSION) into $(BIN)"; \
		GOBIN="$(BIN)" $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION); \
	fi
