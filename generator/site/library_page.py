"""The reader's library, ``/library/``: a generated page, and the data the build publishes for it.

The page is a skeleton that ``content/assets/library.js`` fills from the
reader's own browser storage; nothing about a reader reaches the site.
``generator/site/library_data.py`` says what the JSON files hold.
"""
from __future__ import annotations

from typing import Callable

from generator.archive.models import Paper
from generator.curate.review import Review
from generator.site.bibtex import bibtex_entry
from generator.site.extras import Extras
from generator.site.library_data import PaperFacts, library_files
from generator.site.pages import GeneratedPage
from generator.site.render import Renderer

LIBRARY_URL = "library/"


def library_page(renderer: Renderer) -> GeneratedPage:
    return GeneratedPage(f"{LIBRARY_URL}index.md", "Your library", renderer.render("library.html", LIBRARY_URL))


def library_data(papers: list[Paper], extras: Extras, review: Review,
                 code_of: Callable[[Paper], str | None]) -> dict[str, str]:
    """The library's JSON files: ``library/index.json`` and a file a month."""
    max_authors = extras.settings.max_authors
    facts = {p.id: PaperFacts(topics=[t.slug for t in review.topics_of(p)], code=bool(code_of(p)),
                              # The entry the paper's page shows, key and all (Extras.paper_context).
                              bibtex=bibtex_entry(p, extras.bib_keys.get(p.id), max_authors=max_authors),
                              related=[r.id for r in extras.related.get(p.id, [])],
                              authors=extras.named_authors(p))
             for p in papers}
    return library_files(papers, facts, review.listed_titles())
