# pulumi-braket: everything a fresh machine needs goes through these targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: help venv lint typecheck test pulumi demo demo-refresh demo-destroy demo-stop bench clean

help:
	@echo "make demo   - pulumi up of the demo stack against the local Braket service"
	@echo "make test   - set up from scratch and run lint, types and every test"
	@echo "make pulumi - build (or reuse) the Pulumi CLI; prints its directory last"
	@echo "make bench  - benchmarks (not tests)"

# The venv is rebuilt when the declared or pinned dependencies change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# -qq: setuptools announces every editable install of a flat layout as a warning.
	$(PY) -m pip install -qq -c constraints.txt -e '.[dev]'
	touch $@

venv: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check pulumi_braket tests examples bench
	$(VENV)/bin/ruff format --check pulumi_braket tests examples bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy pulumi_braket

# The engine is built (or found) first: the engine tests drive the real pulumi CLI.
test: lint typecheck pulumi
	@command -v chromium >/dev/null || echo "make test: no Chromium, so the browser tests will be skipped here (and fail under CI=true): sudo apt-get install chromium"
	PULUMI_BRAKET_PULUMI_DIR="$$(scripts/build-pulumi.sh | tail -n 1)" $(PY) -m pytest $(PYTEST_ARGS)

# Builds the Pulumi CLI and Python language host from the Go module proxy (cached by version).
pulumi: $(STAMP)
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" scripts/build-pulumi.sh

demo: $(STAMP) pulumi
	scripts/demo.sh up

demo-refresh: $(STAMP)
	scripts/demo.sh refresh

demo-destroy: $(STAMP)
	scripts/demo.sh destroy

demo-stop:
	scripts/demo.sh stop

# Benchmarks, not tests: N Jobs against the local service with added latency; prints a table.
# Then what execution costs: task overhead against LocalSimulator, and job start; then what
# emulating a QPU costs: against the SDK's LocalEmulator, and compiling against verbatim.
BENCH_N ?= 10 100 500
BENCH_LATENCY_MS ?= 20
bench: $(STAMP) pulumi
	PULUMI_BRAKET_PULUMI_DIR="$$(scripts/build-pulumi.sh | tail -n 1)" \
		$(PY) bench/run.py --n $(BENCH_N) --latency-ms $(BENCH_LATENCY_MS)
	$(PY) bench/execution.py
	$(PY) bench/emulation.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
