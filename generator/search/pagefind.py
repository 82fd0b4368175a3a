"""The site's search index: Pagefind, run over the built HTML.

Pagefind splits its index into small chunks that a browser fetches on
demand, so a query costs the same few hundred kilobytes whether the archive
holds 300 papers or 30,000 (Material's own search ships one JSON file of
every page, which grows with the archive). Only paper pages are indexed:
Pagefind reads their index copies (``generator/search/records.py``), whose
``<article>`` alone carries ``data-pagefind-body``.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.errors import BuildError

BUNDLE_DIR = "pagefind"  # where the index and pagefind.js land, under the site
# Only paper pages carry data-pagefind-body, but Pagefind reads and keeps
# every page it is given until the end: with topics, their listing pages
# (thousands at 30,000 papers) cost it more memory than they are worth.
INDEXED_PAGES = "papers/**/*.html"
# An archive before its first harvest has no paper page, and Pagefind fails on a glob
# that matches nothing: then it reads every page, as it did before --glob.
ALL_PAGES = "**/*.html"


# `make venv` installs Pagefind from npm too (package.json): 1.6 searches a
# common word in a 30,000-paper index 3 times faster than the 1.5.2 that PyPI
# has. Without npm, the PyPI wheel's binary still builds a working index.
NPM_PAGEFIND = Path(__file__).resolve().parents[2] / "node_modules" / "@pagefind"


def npm_pagefind() -> Path | None:
    """The binary of npm's platform package (``@pagefind/linux-x64/bin/pagefind_extended``), if installed."""
    for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
        for candidate in sorted(NPM_PAGEFIND.glob(f"*/bin/{name}")):
            if os.access(candidate, os.X_OK):
                return candidate
    return None


def pagefind_executable() -> Path:
    """Pagefind from npm when `make venv` could install it, else the pinned ``pagefind[bin]`` wheel's."""
    found = npm_pagefind()
    if found:
        return found
    try:
        from pagefind_bin import get_executable
        return get_executable()
    except (ImportError, FileNotFoundError) as error:
        raise BuildError(f"the search indexer is missing ({error}): pip install -r requirements.txt") from None


# Pagefind holds what it indexes in memory until it writes the index: ~125-160 KB a
# paper page (10.3 GB at 83,240 real papers), more than a runner has. An archive
# past PART_PAGES papers is indexed in parts of at most that many, one Pagefind run
# after another, each its own bundle (pagefind/, pagefind-1/, ...): the search
# scripts ask every part and merge the results by score (content/assets/search.js).
PART_PAGES = 25_000


def part_count(papers: int) -> int:
    """How many parts an index of ``papers`` paper pages is built in."""
    return max(1, -(-papers // PART_PAGES))


def bundle_name(part: int) -> str:
    """The directory of part ``part``'s bundle, under the site: the first is ``pagefind``."""
    return BUNDLE_DIR if part == 0 else f"{BUNDLE_DIR}-{part}"


def index_site(site_dir: Path, source_dir: Path | None = None, parts: int = 1) -> list[Path]:
    """Index the built site; returns the bundles' directories (``pagefind/``, then any other part's).

    ``source_dir`` holds the paper pages' index copies (``generator.search.records``),
    laid out as in the site: Pagefind reads those instead of the served pages,
    ``parts`` runs of it over as many groups of them (in path order: by month)."""
    site_dir = Path(site_dir)
    copies = sorted(Path(source_dir or site_dir).glob(INDEXED_PAGES))
    if not copies:  # no paper yet: every page of the site
        _pagefind(["--site", str(site_dir), "--output-subdir", BUNDLE_DIR], ALL_PAGES, site_dir)
        return [site_dir / BUNDLE_DIR]
    if not source_dir:
        _pagefind(["--site", str(site_dir), "--output-subdir", BUNDLE_DIR], INDEXED_PAGES, site_dir)
        return [site_dir / BUNDLE_DIR]
    size = -(-len(copies) // max(1, parts))
    bundles = []
    for part in range(max(1, parts)):
        group = copies[part * size:(part + 1) * size]
        source = Path(source_dir) / f"part-{part}"  # Pagefind reads a directory: each part gets its own
        for path in group:
            target = source / path.relative_to(source_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
        bundle = site_dir / bundle_name(part)
        if group:  # an empty last part (fewer copies than pages announced) still answers, from nothing
            _pagefind(["--site", str(source), "--output-path", str(bundle)], INDEXED_PAGES, site_dir)
        bundles.append(bundle)
    return bundles


def _pagefind(source: list[str], pages: str, site_dir: Path) -> None:
    command = [str(pagefind_executable()), *source, "--glob", pages, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"{command[0]}: cannot run the search indexer: {error}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError(f"{site_dir}: the search indexer (Pagefind) failed: "
                         + (output[-1] if output else f"exit code {result.returncode}"))
