"""The site's search index: Pagefind, run over the built HTML.

Pagefind splits its index into small chunks that a browser fetches on
demand, so a query costs the same few hundred kilobytes whether the archive
holds 300 papers or 30,000 (Material's own search ships one JSON file of
every page, which grows with the archive). Only paper pages are indexed:
``paper.html`` marks its ``<article>`` with ``data-pagefind-body``, and
Pagefind then leaves every page without one (listings, home) out.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import BuildError

BUNDLE_DIR = "pagefind"  # where the index and pagefind.js land, under the site


def pagefind_executable() -> Path:
    """The Pagefind binary that the pinned ``pagefind[bin]`` wheel ships."""
    try:
        from pagefind_bin import get_executable
        return get_executable()
    except (ImportError, FileNotFoundError) as error:
        raise BuildError(f"the search indexer is missing ({error}): pip install -r requirements.txt") from None


def index_site(site_dir: Path) -> Path:
    """Index the built site in place; returns the bundle's directory."""
    command = [str(pagefind_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BuildError(f"{command[0]}: cannot run the search indexer: {error}") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError(f"{site_dir}: the search indexer (Pagefind) failed: "
                         + (output[-1] if output else f"exit code {result.returncode}"))
    return Path(site_dir) / BUNDLE_DIR
