# Strata: `make demo` and `make test` do their own set-up on a fresh Debian 12 machine (as root).
SHELL := /bin/bash
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
CONFIG ?= Release
BIN := $(CURDIR)/bin/strata

.PHONY: all deps prepare build test test-unit demo bench fuzz clean

all: build

deps: ## install the peers and tools the tests use (apt) and check the .NET SDK
	@scripts/deps.sh

prepare: deps ## host quirks: crun on hybrid cgroups, podman's ulimits
	@scripts/prepare-host.sh

build: ## NativeAOT binary at bin/strata
	@command -v dotnet >/dev/null || scripts/deps.sh
	dotnet publish src/Strata.Cli/Strata.Cli.csproj -c $(CONFIG) -r linux-x64 -o bin --nologo -v quiet
	@ls -la $(BIN)

test: prepare build ## the whole suite (unit, peers, end-to-end)
	@STRATA_BIN=$(BIN) scripts/test.sh

test-unit: ## quick: no set-up, unit tests only
	dotnet test Strata.slnx -c $(CONFIG) --filter "Category!=Integration"

demo: prepare build ## busybox image -> run -> commit -> push -> pull -> run against the built-in registry
	@STRATA_BIN=$(BIN) scripts/demo.sh

bench: prepare build
	@STRATA_BIN=$(BIN) bench/run-all.sh

TARGET ?= layer
SECONDS ?= 600
fuzz: deps ## afl-fuzz one harness: make fuzz TARGET=oci SECONDS=1800 (targets: ls fuzz/corpus)
	@fuzz/fuzz.sh $(TARGET) $(SECONDS)

clean:
	rm -rf bin artifacts */*/bin */*/obj fuzz/out
