# The two quick-start commands (README): `make workbench` and `make test`.
SWIFT ?= swift
STORE ?= sample-data/cohort.h5

.PHONY: workbench test build bootstrap

bootstrap:
	./scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product m2ae

## Installs what is missing, builds, and opens the workbench on the sample cohort.
workbench: build
	./.build/release/m2ae tui $(STORE)

## Installs what is missing, builds, and runs every test (the Python oracles are required).
test: bootstrap
	M2AE_REQUIRE_PYTHON=1 $(SWIFT) test
