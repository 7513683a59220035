# The two commands of the README: `make run` (set up, validate cases/, build the site)
# and `make test` (set up, install the test browser, run the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?=

.PHONY: run test setup browser bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site,test]'
	touch $@

setup: $(VENV)/.installed

# Validate cases/, build the site, end with a short summary (tools/run_summary.py). What the
# validator finds in the cases is the run's result, not its failure; a broken policy or a
# site that does not build fails the run. The sample cases are a record of SAMPLES_TAKEN:
# what became due since is shown as a demonstration. CI runs `support-policy validate`.
SAMPLES_TAKEN := 2026-11-28
run: setup
	@$(BIN)/python tools/run_summary.py --samples-taken $(SAMPLES_TAKEN) $(if $(AS_OF),--as-of $(AS_OF))

browser:
	bash tools/setup-browser.sh

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
