# The commands a person runs, and the ones CI and the workflows run: the same.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready-$(shell cat requirements.txt requirements-test.txt package.json | cksum | cut -d' ' -f1)

.PHONY: site test serve harvest land check topics bench clean venv docs

venv: $(READY)

$(READY): requirements.txt requirements-test.txt package.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	@# Pagefind 1.6 from npm (faster search); without npm the PyPI wheel's 1.5.2 indexes instead.
	@# No lock file: package.json pins pagefind exactly, and it pins its platform binaries exactly.
	if command -v npm >/dev/null 2>&1; then npm install --silent --no-package-lock --no-audit --no-fund; \
	else echo "note: npm not found: search uses Pagefind 1.5.2 from PyPI (slower on large archives)"; fi
	rm -f $(VENV)/.ready-* && touch $@

site: venv  ## build the site from content/ into site/, offline
	$(BIN)/python -m generator build

test: venv  ## run the test suite
	$(BIN)/python -m pytest

serve: venv  ## preview at http://127.0.0.1:8000 while editing
	$(BIN)/python -m mkdocs serve

harvest: venv  ## fetch new and updated papers from arXiv into content/
	$(BIN)/python -m generator harvest

# LOG: the harvest's output, for the commit message (the Publish workflow's harvest.log).
land: venv  ## commit what the harvest changed and push it onto the branch as it is on the remote now
	$(BIN)/python -m generator land $(if $(LOG),--log "$(LOG)")

check: venv  ## validate curation (topics, editorial fields)
	$(BIN)/python -m generator check

# BASE: the git revision to compare with (default: the merge base with archive.yml's branch).
topics: venv  ## what the change does to the topics, then the topics report (Markdown)
	@$(BIN)/python -m generator topics --diff $(BASE) --format markdown
	@echo
	@$(BIN)/python -m generator topics --format markdown

bench: venv  ## the performance benchmark (minutes; not part of make test)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .pytest_cache

docs: venv  ## refresh the command reference (docs/commands.md) from --help
	$(BIN)/python scripts/command_reference.py
