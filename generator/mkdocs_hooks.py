"""MkDocs hooks (``hooks:`` in mkdocs.yml): the archive becomes a site.

- ``on_config`` reads ``archive.yml`` and sets the site's name and URLs.
- ``on_files`` loads every paper once and adds the listing pages as virtual
  files (``File.generated``): nothing is written to ``content/``.
- ``on_page_markdown`` / ``on_page_content`` render papers and listings
  from our own templates (autoescaped), so feed text is never read as Markdown.
- ``on_post_page`` drops template indentation (``generator/site/compact.py``).
- ``on_page_context`` gives each page its head metadata (``generator.site.extras``):
  feed links, and on a paper's page citation tags and OpenGraph.
- ``on_post_page`` also writes each paper page's index copy (every author,
  filters, what a result shows: ``generator/search/records.py``) for Pagefind alone.
- ``on_post_build`` indexes the copies for search (Pagefind), then writes the
  search page's facet file and preloads (``search_facets.py``, ``search_page.py``),
  so ``mkdocs build`` and ``mkdocs serve`` make the same site as ``generator build``.
- ``build_site`` is ``generator build``: MkDocs with these hooks, in strict mode.

This file, the templates and ``overrides/`` are all that know MkDocs: moving the
site to another generator means rewriting them, not the stages.
"""
from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # MkDocs loads this file by path, from any directory
    sys.path.insert(0, _ROOT)

from markupsafe import escape  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, MkDocsException, PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from generator.archive.models import HARVESTED_FIELDS, Paper  # noqa: E402
from generator.archive.published import unpublishable  # noqa: E402
from generator.archive.store import Archive, paper_from_text  # noqa: E402
from generator.archive.tex import plain_text  # noqa: E402
from generator.archive.yamlcheck import display_path  # noqa: E402
from generator.config import CONFIG_FILE, load_settings, placeholder_warnings  # noqa: E402
from generator.curate.introduction import sanitize as sanitize_introduction  # noqa: E402
from generator.curate.review import Review, as_problem, review  # noqa: E402
from generator.errors import ArchiveError, BuildError  # noqa: E402
from generator.fileio import decode_utf8, read_utf8  # noqa: E402
from generator.harvest.state import State  # noqa: E402
from generator.logsafe import log_line  # noqa: E402
from generator.memory import release_memory  # noqa: E402
from generator.search.facets import write_facets  # noqa: E402
from generator.search.page import add_preloads, search_page  # noqa: E402
from generator.search.pagefind import index_site, part_count  # noqa: E402
from generator.search.records import index_copy, index_extras  # noqa: E402
from generator.site.chrome import THEME_SCRIPT, material_config, theme_script  # noqa: E402
from generator.site.code_links import code_link  # noqa: E402
from generator.site.compact import compact_html  # noqa: E402
from generator.site.extras import Extras, description  # noqa: E402
from generator.site.library_page import library_data, library_page  # noqa: E402
from generator.site.pages import GeneratedPage, listing_pages  # noqa: E402
from generator.site.render import Renderer  # noqa: E402
from generator.site.topic_pages import topic_pages  # noqa: E402
from generator.site.trim import (  # noqa: E402
    remove_pagefind_extras, unused_theme_file, without_empty_placeholders, without_search_marks)


log = logging.getLogger("mkdocs.plugins.archive")


class _Build:
    """What one build knows; reset by every ``on_config`` (``mkdocs serve`` rebuilds)."""

    def __init__(self, settings):
        self.settings = settings
        self.renderer = Renderer()
        self.papers: dict[str, Paper] = {}  # src_uri → paper
        self.generated: dict[str, GeneratedPage] = {}  # src_uri → page
        self.review: Review | None = None  # topics and curation, checked
        self.topic_listings: dict[str, str] = {}  # a topic file's src_uri → its papers' HTML
        self.extras: Extras | None = None
        self.page_feeds: dict[str, list] = {}  # src_uri → its own feeds (a topic's pages)
        self.index_dir: Path | None = None  # the paper pages' index copies, for Pagefind only
        self.codes: dict[str, str | None] = {}  # paper id → its Code link, found once
        self.search_parts = 1  # bundles the search index is built in (generator/search/pagefind.py)


_build: _Build | None = None


def on_config(config):
    global _build
    config_dir = Path(config.config_file_path).parent
    try:
        settings = load_settings(config_dir / CONFIG_FILE)
    except ArchiveError as error:
        raise PluginError(str(error)) from None
    _build = _Build(settings)
    for warning in placeholder_warnings(settings):  # info, not warning: strict mode would stop the sample's build
        log.info("warning: %s", log_line(warning))
    # Before MkDocs gathers the files (it follows links): only the archive's own kinds are published.
    if refused := unpublishable(Path(config.docs_dir)):
        raise PluginError("\n".join(log_line(problem) for problem in refused))
    # Material prints these unescaped (in attributes too): an escaped Markup shows as text.
    config.site_name = escape(settings.name)
    if settings.description:
        config.site_description = escape(settings.description)
    if settings.site_url:
        config.site_url = settings.site_url
    if settings.repo_url:
        config.repo_url = settings.repo_url
        config.repo_name = settings.repo_url.rstrip("/").split("://", 1)[-1].split("/", 1)[-1]
        config.edit_uri = settings.edit_uri
        # The footer's "how to contribute" (overrides/partials/copyright.html).
        config.extra["contributing_url"] = f"{settings.repo_url.rstrip('/')}/blob/{settings.branch}/CONTRIBUTING.md"
    else:  # a site with no repository: no edit links, no repository widget
        config.repo_url = config.repo_name = config.edit_uri = None
        config.extra.pop("contributing_url", None)
    return config


def on_files(files, config):
    archive = Archive(Path(config.docs_dir))
    for file in [f for f in files if unused_theme_file(f.src_uri)]:
        files.remove(file)  # Material's own search and source maps: no page loads them (site_trim.py)
    problems = []
    for file in files.documentation_pages():
        if file.src_uri.startswith("papers/"):
            shown = display_path(archive.docs_dir / file.src_uri)
            try:  # strictly UTF-8, as `check` reads it (MkDocs' content_string would raise, naming no file)
                text = read_utf8(file.abs_src_path, shown) if file.abs_src_path else decode_utf8(file.content_bytes, shown)
                _build.papers[file.src_uri] = paper_from_text(text, shown)
            except ArchiveError as error:
                problems.append(str(as_problem(error, shown)))
    # The same checks as `python -m generator check`: a curation mistake fails the build.
    _build.review = review(archive.docs_dir, [(archive.docs_dir / src, p) for src, p in _build.papers.items()])
    problems.extend(str(problem) for problem in _build.review.problems)
    for warning in _build.review.warnings:  # info, not warning: strict mode would stop on a safe page
        log.info("warning: %s", log_line(warning))
    if problems:
        raise PluginError("\n".join(map(log_line, problems)))  # one line a problem, whatever text it quotes
    _build.renderer.env.globals.update(_build.review.template_globals(_build.settings.home_latest))
    topics = topic_pages(_build.review, _build.settings, _build.renderer)
    _build.topic_listings = topics.listings
    pages = listing_pages(list(_build.papers.values()), _build.settings, _build.renderer, _harvest_state(archive.docs_dir))
    # The search scripts on every page ask this many bundles (the header's form carries it).
    _build.search_parts = config.extra["search_parts"] = part_count(len(_build.papers))
    for page in pages + topics.generated + [search_page(_build.review, _build.renderer, _build.search_parts),
                                          library_page(_build.renderer)]:
        _build.generated[page.src_uri] = page
        _add_generated(files, config, page.src_uri, "")  # rendered in on_page_content
    _build.extras = Extras.compute(list(_build.papers.values()), _build.settings)
    library = library_data(list(_build.papers.values()), _build.extras, _build.review, _code_of)
    theme = {THEME_SCRIPT: theme_script(config.theme["palette"], _material_config(config))}  # was on every page
    for path, content in {**_build.extras.files(), **_topic_files(topics), **library, **theme}.items():  # feeds, .bib, library
        _add_generated(files, config, path, content)
    return files


def _material_config(config) -> dict:
    """Material's configuration for assets/theme.js, its copy button's words in the theme's language."""
    words = config.theme.get_env().from_string(
        '{% import "partials/language.html" as lang with context %}'
        '{{ lang.t("clipboard.copy") }}\n{{ lang.t("clipboard.copied") }}').render(config=config)
    copy, copied = words.split("\n")
    return material_config(config.theme["features"], {"clipboard.copy": copy, "clipboard.copied": copied})


def _harvest_state(docs_dir: Path) -> dict:
    """What the last harvest recorded (arXiv's counts, its day); nothing without a state file."""
    return State(docs_dir).data


def _add_generated(files, config, path: str, content) -> None:
    """A virtual file at ``path``, in place of any file a person left there."""
    if files.get_file_from_path(path):
        files.remove(files.get_file_from_path(path))
    files.append(File.generated(config, path, content=content))


def _topic_files(topics) -> dict:
    """Each topic's feed and .bib file; its pages link the feed in their head."""
    files = {}
    for listing in _build.review.listings():
        topic = listing.topic
        feed, topic_files = _build.extras.collection(topic.url, topic.title, [e.paper for e in listing.entries])
        files.update(topic_files)
        for src in [topic.src_uri] + [p.src_uri for p in topics.generated if p.src_uri.startswith(topic.url)]:
            _build.page_feeds[src] = [feed]
    return files


def on_page_read_source(page, config):
    if page.file.src_uri in _build.papers:
        return ""  # read and parsed once in on_files: MkDocs need not parse its YAML again
    return None


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src in _build.papers:
        paper = _build.papers[src]
        # The front matter's keys, as MkDocs would have read them (on_page_read_source skipped that).
        page.meta = {**paper.extra, **{key: getattr(paper, key) for key in HARVESTED_FIELDS}}
        page.meta["title"] = plain_text(paper.title)
    elif src in _build.generated:
        page.meta["title"] = _build.generated[src].title
    if "title" in page.meta:
        # Material prints page titles unescaped; an escaped Markup shows as text.
        page.meta["title"] = escape(str(page.meta["title"]))
    if src in _build.papers or src in _build.generated:
        return ""  # rendered from our templates in on_page_content
    return markdown


def on_page_content(html, page, config, files):
    src = page.file.src_uri
    if src in _build.papers:
        paper = _build.papers[src]
        headline = _build.review.curation_of(paper).headline
        return _build.renderer.render("paper.html", page.url, paper=paper, code=_code_of(paper),
                                      **_build.extras.paper_context(paper, headline))
    if src in _build.generated:
        return _build.generated[src].html
    if src in _build.topic_listings:  # the curator's introduction, cleaned, then the topic's papers
        return sanitize_introduction(html) + _build.topic_listings[src]
    return html


def on_page_context(context, page, config, nav):
    paper = _build.papers.get(page.file.src_uri)
    # overrides/main.html prints this as it is: it comes from an autoescaped template.
    page.meta["archive_head"] = _build.extras.head(_build.renderer, page.url, paper,
                                                   feeds=_build.page_feeds.get(page.file.src_uri, []))
    if paper:
        page.meta["description"] = escape(description(paper))  # Material prints it unescaped
        page.canonical_url = f"https://arxiv.org/abs/{paper.id}"  # the paper's home is arXiv
    elif isinstance(page.meta.get("description"), str):  # a topic's, as its curator wrote it
        page.meta["description"] = escape(page.meta["description"])
    return context


def on_pre_build(config):
    # In the system's temporary directory: Pagefind skips a hidden directory's files.
    _build.index_dir = Path(tempfile.mkdtemp(prefix="archive-search-index-"))


def on_post_page(output, page, config):
    output = without_empty_placeholders(compact_html(output))
    paper = _build.papers.get(page.file.src_uri)
    if paper:
        _write_index_copy(paper, output, page.file.dest_uri)
        output = without_search_marks(output)  # the index copy has them; readers need none
    # MkDocs keeps every page's rendered body until the build ends (a few
    # hundred MB at 30,000 papers) and needs it no more once it is written.
    page.content = None
    page.meta.pop("archive_head", None)
    return output


def _code_of(paper: Paper) -> str | None:
    """The paper's Code link: its page and its index copy both need it, the abstract is scanned once."""
    if paper.id not in _build.codes:
        _build.codes[paper.id] = code_link(paper.abstract, paper.comment)
    return _build.codes[paper.id]


def _write_index_copy(paper: Paper, output: str, dest_uri: str) -> None:
    inside, after = index_extras(paper, len(_build.extras.named_authors(paper)),
                                 [t.slug for t in _build.review.topics_of(paper)],
                                 _build.review.curation_of(paper).headline, _code_of(paper))
    copy = index_copy(output, inside, after)
    if copy is not None:
        target = _build.index_dir / dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(copy, encoding="utf-8")


def on_post_build(config):
    global _build
    index_dir, parts = _build.index_dir, _build.search_parts
    # Pagefind, the build's largest process, runs beside this one: hand back
    # what the pages no longer need first (docs/performance.md).
    _build = None
    release_memory()
    try:
        bundles = index_site(Path(config.site_dir), index_dir, parts)
        for bundle in bundles:
            remove_pagefind_extras(bundle)
        write_facets(Path(config.site_dir), bundles)
        add_preloads(Path(config.site_dir), bundles)
    except ArchiveError as error:
        raise PluginError(str(error)) from None
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)


def on_build_error(error):
    if _build and _build.index_dir:
        shutil.rmtree(_build.index_dir, ignore_errors=True)


# `python -m generator build`: MkDocs run with these hooks, its problems collected.
def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build the site; returns the site directory. Raises BuildError naming the cause."""
    config_file = Path(config_file)
    load_settings(config_file.parent / CONFIG_FILE)  # a ConfigError, with every line, before MkDocs starts
    overrides = {"site_dir": str(site_dir)} if site_dir else {}
    errors = _CollectErrors()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    try:
        config = load_config(str(config_file), strict=strict, **overrides)
        build(config)
    except (Abort, MkDocsException) as error:
        raise BuildError(f"{config_file}: {error}", errors.messages) from None
    finally:
        logger.removeHandler(errors)
    return Path(config.site_dir)


class _CollectErrors(logging.Handler):
    """MkDocs logs each problem, then aborts with a generic message: keep the problems."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
