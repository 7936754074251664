# The two quick-start commands (README): `make workbench` and `make test`.
SWIFT ?= swift
STORE ?= sample-data/cohort.h5

.PHONY: workbench test build bootstrap layers

bootstrap:
	./scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -c release --product m2ae

## Installs what is missing, builds, and opens the workbench on the sample cohort.
workbench: build
	./.build/release/m2ae tui $(STORE)

## Every import in Sources/ against docs/architecture.md's allowed-imports table, and the
## checker's own test (planted bad imports must fail it).
layers:
	python3 scripts/check_layers.py
	python3 scripts/test_check_layers.py

## Installs what is missing, checks the layers, builds, and runs every test (the Python oracles are required).
## OpenBLAS runs on one thread in the test process: its thread count is one setting per process,
## embedding sets it to 1 while it runs, and products differ in the last bits between one and two
## threads, so tests that compare two runs bit for bit would depend on what ran beside them
## (docs/engine.md, "Reproducibility").
test: bootstrap layers
	OPENBLAS_NUM_THREADS=1 M2AE_REQUIRE_PYTHON=1 $(SWIFT) test
