"""The search page, ``/search/``: a generated page whose state lives in its URL.

The page is a plain GET form (``?q=…&topic=…&year=…&category=…&code=1&sort=…``)
that ``content/assets/search-page.js`` drives with Pagefind: it reads the
URL, searches, fills in the facets and results, and pushes each new search
onto the history. Only the topics' names are sent with the page (the facets'
other values and counts come from the index, per search).
"""
from __future__ import annotations

from generator.curation import Review
from generator.pages import GeneratedPage
from generator.render import Renderer

SEARCH_URL = "search/"


def search_page(review: Review, renderer: Renderer) -> GeneratedPage:
    topics = {t.slug: t.title for t in sorted(review.topics, key=lambda t: t.title.casefold())}
    return GeneratedPage(f"{SEARCH_URL}index.md", "Search", renderer.render("search.html", SEARCH_URL, topics=topics))
