# Almanac Assistant: `make run` sets up, ingests and serves; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LINT_STAMP := $(VENV)/.installed-lint
LINTED := assistant ingest bots evals tests
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each test file runs whole in one of them. 0 runs everything in this one.
TEST_WORKERS ?= 2

.PHONY: run test install lint ingest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

$(LINT_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[lint]'
	@touch $@

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/almanac ingest

run: $(STAMP)
	$(BIN)/almanac ingest
	$(BIN)/almanac serve

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# ruff on the code and its tests; mypy on the packages (the folders are listed in pyproject.toml).
lint: $(LINT_STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/almanac bench ingest
	$(BIN)/almanac bench ask

clean:
	rm -rf $(VENV) .almanac
