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

# Validation failures are reported, the site is still built, and the exit status
# is validation's: an overdue balance fails the run, as it does in CI.
run: setup
	@status=0; $(BIN)/support-policy validate cases $(if $(AS_OF),--as-of $(AS_OF)) || status=$$?; \
	$(BIN)/mkdocs build --strict || exit $$?; exit $$status

browser:
	bash tools/setup-browser.sh

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
