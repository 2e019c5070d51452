# Casebook — every command a maintainer, an author or CI needs.
# The first target that needs Python creates .venv and installs the pinned dependencies.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material's documented switch for its end-of-life notice on stderr.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint check bench new cite clean help

help:
	@echo "make site    build the site into site/ (mkdocs build --strict)"
	@echo "make serve   live preview on http://127.0.0.1:8000 (watches cases/ and bib/; an edit rebuilds the pages it changes; FULL=1: every page)"
	@echo "make test    run the whole test suite (includes the lint and type checks)"
	@echo "make lint    ruff check, ruff format --check and mypy (settings in pyproject.toml)"
	@echo "make check   validate cases, BibTeX, links and spoilers without a full build"
	@echo "make bench   run the build benchmark (slow; see benchmarks/README.md)"
	@echo 'make new TITLE="Spoiler-free title" [SLUG=folder-name]   scaffold cases/<slug>/index.md'
	@echo 'make cite DOI="10.NNNN/suffix"         add a reference to bib/references.bib by DOI (or PMID)'


$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test,bench]"
	@touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# --dirty: an edit rebuilds that page and the pages that show it (Casebook marks them); FULL=1 rebuilds all.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --watch hooks $(if $(FULL),,--dirty)

test: $(STAMP)
	$(BIN)/python -m pytest

# The same three commands tests/test_tooling.py runs; all three run even when one fails.
lint: $(STAMP)
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

check: $(STAMP)
	$(BIN)/casebook check

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

new: $(STAMP)
	@test -n "$$TITLE" || { echo 'usage: make new TITLE="Spoiler-free title" [SLUG=folder-name]' >&2; exit 2; }
	$(BIN)/casebook new "$$TITLE" $(if $(SLUG),--slug "$(SLUG)")

cite: $(STAMP)
	@test -n "$$DOI" || { echo 'usage: make cite DOI="10.NNNN/suffix [more DOIs or PMIDs]" [BIB=bib/other.bib]' >&2; exit 2; }
	@set -f; $(BIN)/casebook cite $$DOI $(if $(BIB),--bib "$(BIB)")

clean:
	rm -rf site .pytest_cache .ruff_cache .mypy_cache
