"""The search page, ``/search/``: a generated page whose state lives in its URL.

The page is a plain GET form (``?q=…&topic=…&year=…&category=…&code=1&sort=…``)
that ``content/assets/search-page.js`` drives with Pagefind: it reads the
URL, searches, fills in the facets and results, and pushes each new search
onto the history. Only the topics' names are sent with the page (the facets'
other values and counts come from the index, per search).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from generator.curate.review import Review
from generator.fileio import write_atomic
from generator.site.pages import GeneratedPage
from generator.site.render import Renderer

SEARCH_URL = "search/"


def search_page(review: Review, renderer: Renderer, parts: int = 1) -> GeneratedPage:
    return GeneratedPage(f"{SEARCH_URL}index.md", "Search",
                         renderer.render("search.html", SEARCH_URL, topics=review.listed_titles(), parts=parts))


_FORM = 'id="archive-search"'  # the search page's form (templates/search.html), not the header's
_FACETS = re.compile(r'((?:data-facets|href)="[^"?]*facets\.bin)"')  # the form's and the preload's
_MODULE = re.compile(r'<link rel="modulepreload" href="([^"]*)pagefind\.js">')


def add_preloads(site_dir: Path, bundles: list[Path]) -> None:
    """Let the search page fetch Pagefind's metadata and WebAssembly with its HTML.

    Pagefind asks for them after its script and its entry (one round trip
    each); their names are known once the index is built, so the built page
    gets a preload for each (those of the newest part, in an index in parts). The entry itself is not preloaded: Pagefind asks
    for it with the time in its URL, so that a search page cached from the
    build before (GitHub Pages: 10 minutes) still finds the index that is
    there now (a preloaded entry would name metadata the deploy removed).
    The facet file's URL carries the index's hash."""
    page = Path(site_dir) / SEARCH_URL / "index.html"
    try:
        entries = [json.loads((Path(bundle) / "pagefind-entry.json").read_text(encoding="utf-8")) for bundle in bundles]
        html = page.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return  # no search page, or no index: nothing to hurry
    match = _MODULE.search(html)
    if not match or _FORM not in html:
        return
    base = match.group(1)[:-len(Path(bundles[0]).name) - 1]  # "../pagefind/" → "../"
    links, tags = [], []
    for part, (bundle, entry) in enumerate(zip(bundles, entries)):
        languages = [lang for lang in entry.get("languages", {}).values()
                     if re.fullmatch(r"[\w-]+", str(lang.get("hash", ""))) and re.fullmatch(r"[\w-]+", str(lang.get("wasm", "")))]
        if not languages:
            return
        prefix = f"{base}{Path(bundle).name}/"
        tags += [lang["hash"] for lang in languages]
        # The newest part is searched first, alone (content/assets/search.js, pagefindParts): its
        # metadata and WebAssembly are preloaded; the other parts' load once its results show.
        if part == len(bundles) - 1:
            links += [f'<link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">'
                      for lang in languages for name in (f"pagefind.{lang['hash']}.pf_meta", f"wasm.{lang['wasm']}.pagefind")]
    html = html[:match.end()] + "".join(links) + html[match.end():]
    # The facet file names the index's pages by hash: one cached from the build before
    # (GitHub Pages: 10 minutes) would hide every page changed since. Its URL changes with the index.
    tag = "-".join(tags)
    html = _FACETS.sub(lambda m: f'{m.group(1)}?ts={tag}"', html)
    write_atomic(page, html)
    page.chmod(0o644)
