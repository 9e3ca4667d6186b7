# gemini-codegen. `make` sets up .venv and regenerates generated/ from spec/; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install generate check test lint typecheck bench clean

all: generate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

generate: install
	$(BIN)/codegen generate

check: install
	$(BIN)/codegen check

# Two workers (pytest-xdist); the tests that share a mypy cache run on one of them (xdist_group).
test: install
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

# The generator, tests, benchmarks and the templates' Python: one formatter and linter (ruff), and
# mypy --strict on the generator.
lint: install
	$(BIN)/ruff check codegen tests bench templates
	$(BIN)/ruff format --check codegen tests bench templates
	$(BIN)/mypy --strict codegen

# mypy --strict on the generated package and the docs' examples, vendored into a fresh directory
# as a user's project would have them (no MYPYPATH): see tests/support/typecheck.py.
typecheck: install
	$(BIN)/python tests/support/typecheck.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache

# `make diff`: what the work tree's spec changes in the generated client, against BASE (default
# origin/main, or HEAD when there is no origin/main). E.g. `make diff BASE=v0.3.0 DIFF_ARGS="--format markdown"`.
BASE ?= $(shell git rev-parse --verify --quiet origin/main >/dev/null 2>&1 && echo origin/main || echo HEAD)
DIFF_ARGS ?=
.PHONY: diff
diff: install
	$(BIN)/codegen diff $(BASE) $(DIFF_ARGS)
