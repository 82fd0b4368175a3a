# The commands a person runs, and the ones CI and the workflows run: the same.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What each command needs, installed once and again when its pinned list changes.
SITE_READY := $(VENV)/.site-$(shell cat requirements.txt package.json | cksum | cut -d' ' -f1)
TEST_READY := $(VENV)/.test-$(shell cat requirements-test.txt | cksum | cut -d' ' -f1)
SAY    := @echo "make:"

.PHONY: site volumes test serve harvest land check topics bench clean venv test-tools docs

venv: $(SITE_READY)
test-tools: $(TEST_READY)

# The site's needs only: MkDocs, Material, the harvest's and curation's libraries, Pagefind.
$(SITE_READY): requirements.txt package.json
	@test -x $(BIN)/python || { echo "make: creating the virtual environment in $(VENV)/"; $(PYTHON) -m venv $(VENV); }
	$(SAY) "installing what the site needs (requirements.txt: MkDocs, Material, scikit-learn, ...) into $(VENV)/; about a minute the first time"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# Pagefind 1.6 from npm (faster search); without npm the PyPI wheel's 1.5.2 indexes instead.
	@# No lock file: package.json pins pagefind exactly, and it pins its platform binaries exactly.
	@if command -v npm >/dev/null 2>&1; then echo "make: installing Pagefind 1.6 (search) from npm into node_modules/"; \
		npm install --silent --no-package-lock --no-audit --no-fund; \
	else echo "make: npm not found: search uses Pagefind 1.5.2 from PyPI (slower on large archives)"; fi
	@rm -f $(VENV)/.site-* && touch $@
	$(SAY) "$(VENV)/ is ready for the site"

# What only the tests need: pytest, Playwright, axe, actionlint, ShellCheck (the browser is the system's Chromium).
$(TEST_READY): $(SITE_READY) requirements-test.txt
	$(SAY) "installing the test tools (requirements-test.txt: pytest, Playwright, axe, actionlint, ShellCheck)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@rm -f $(VENV)/.test-* && touch $@

site: $(SITE_READY)  ## build the site from content/ into site/, offline
	$(BIN)/python -m generator build

# After `make site`: a site over GitHub Pages' limit moves its oldest months into volumes/<name>/
# (archive.yml's deploy: section; docs/running.md); one within it is left as it is.
volumes: venv  ## split site/ across the Pages sites archive.yml's deploy.volumes names, when it outgrows one
	$(BIN)/python -m generator volumes

test: $(TEST_READY)  ## run the test suite
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

bench: $(TEST_READY)  ## the performance benchmark (minutes; not part of make test)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site volumes .pytest_cache

docs: venv  ## refresh the command reference (docs/commands.md) from --help
	$(BIN)/python scripts/command_reference.py
