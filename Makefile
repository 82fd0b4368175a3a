# The commands a person runs, and the ones CI and the workflows run: the same.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: site test serve harvest check bench clean venv docs

venv: $(READY)

$(READY): requirements.txt requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	rm -f $(VENV)/.ready-* && touch $@

site: venv  ## build the site from content/ into site/, offline
	$(BIN)/python -m generator build

test: venv  ## run the test suite
	$(BIN)/python -m pytest

serve: venv  ## preview at http://127.0.0.1:8000 while editing
	$(BIN)/python -m mkdocs serve

harvest: venv  ## fetch new and updated papers from arXiv into content/
	$(BIN)/python -m generator harvest

check: venv  ## validate curation (topics, editorial fields)
	$(BIN)/python -m generator check

bench: venv  ## the performance benchmark (minutes; not part of make test)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .pytest_cache

docs: venv  ## refresh the README's command reference from --help
	$(BIN)/python scripts/readme_help.py
