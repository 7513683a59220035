# The two commands of the README: `make run` (set up, validate cases/, build the site)
# and `make test` (set up, install the test browser, run the static checks and the whole
# suite). `make check` is the developer's inner loop before each commit: the static
# checks and the fast tests (no external tools, no browser), in well under a minute.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?=

.PHONY: run test check lint setup setup-test browser bench clean

# What running needs (the validator and the site builder), not the test tools.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site]'
	touch $@

# The test tools on top (pytest, playwright, hypothesis, ruff, mypy, ...).
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[site,test]'
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

# Validate cases/, build the site, end with a short summary (tools/run_summary.py). What the
# validator finds in the cases is the run's result, not its failure; a broken policy or a
# site that does not build fails the run. The sample cases are a record of SAMPLES_TAKEN:
# what became due since is shown as a demonstration. CI runs `support-policy validate`.
SAMPLES_TAKEN := 2026-11-28
run: setup
	@$(BIN)/python tools/run_summary.py --samples-taken $(SAMPLES_TAKEN) $(if $(AS_OF),--as-of $(AS_OF))

browser:
	bash tools/setup-browser.sh

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup-test browser lint
	$(BIN)/python -m pytest

check: setup-test lint
	$(BIN)/python -m pytest -q -m "not slow" -p no:cacheprovider

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
