"""What the search index knows of a paper beyond what its page shows.

The build writes each paper page twice: the page readers get, and a small
*index copy* (just the page's ``<article>``) that only Pagefind reads
(``generator.search.pagefind.index_site``). The copy adds, without a byte on the
served page:

- **every author**, also those past ``pages.max_authors``, as names (found by
  a text search) and as one *author token* each: ``zq`` and 16 letters, a hash
  of the normalized name. The search page's author links (``?author=NAME``)
  search for that one token, so they list exactly that author's papers;
  ``content/assets/search-page.js`` computes the same hash (keep the two in step);
- **metadata** a result shows: primary category, topic slugs, withdrawn,
  curated headline, the first authors' names, the title as HTML when it has TeX;
  and what the search page's facets are made of: the first version's date
  (``published``, ISO 8601), every category (primary and cross-lists) and the
  topic slugs and Code link above. The build reads these back from Pagefind's
  fragments into the facet file (``generator/search/facets.py``), which
  filters, sorts and counts: Pagefind's own filters and sort are not used, so
  none are built.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

from generator.archive.mathml import mathml_text
from generator.archive.models import Paper
from generator.archive.tex import plain_text, tex_html
from generator.site.render import AUTHORS_IN_LISTINGS, display_date

_FNV_PRIME = 0x01000193


def normalize_name(name: str) -> str:
    """The form two spellings of one name share: NFKC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).lower().split())


def _fnv1a(data: bytes, seed: int) -> int:
    value = seed
    for byte in data:
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


ALPHABET = "bcdfghjklmnpqrtvwxz"  # consonants but s and y: no stemmer's suffix rule touches them


def _letters(value: int) -> str:
    """A 32-bit number as 8 letters of ``ALPHABET`` (19**8 > 2**32)."""
    out = []
    for _ in range(8):
        value, digit = divmod(value, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def author_token(name: str) -> str:
    """``Leslie Lamport`` → ``zq`` + 16 letters: two 32-bit FNV-1a hashes of the normalized name.

    64 bits: among 100,000 names the chance that two share a token is one in
    three million. Letters only (Pagefind splits words where digits meet
    letters), no vowel, s or y (so no stemmer shortens one), one length (so
    no token is the prefix of another: Pagefind matches prefixes)."""
    data = normalize_name(name).encode("utf-8")
    return "zq" + _letters(_fnv1a(data, 0x811C9DC5)) + _letters(_fnv1a(data, 0x050C5D1F))


def index_extras(paper: Paper, named: int, topics: list[str], headline: str | None,
                 code: str | None) -> tuple[Markup, Markup]:
    """HTML for the index copy: (text added at the end of its ``<article>``, data after it).

    ``named`` is how many authors the page itself names; the rest are added as text."""
    names = [plain_text(a.name) for a in paper.authors if a.name.strip()]
    categories = dict.fromkeys(c for c in [paper.primary_category, *paper.categories] if c)
    # What a result shows is here, not on the served page; its authors as listings name them.
    meta = {"id": paper.id, "date": display_date(paper.published), "published": paper.published,
            "category": paper.primary_category, "categories": " ".join(categories), "topics": " ".join(topics),
            "names": "; ".join(names[:AUTHORS_IN_LISTINGS]),
            "more": str(len(names) - AUTHORS_IN_LISTINGS) if len(names) > AUTHORS_IN_LISTINGS else "",
            "withdrawn": "1" if paper.withdrawn else "", "headline": headline or "", "code": code or "",
            # What a listing entry shows beside the authors (the venue, the comment) and its PDF link.
            "journal": _clip(plain_text(paper.journal_ref or "")), "comment": _clip(plain_text(paper.comment or "")),
            "pdf": paper.pdf_url}
    if "$" in paper.title:
        meta["title_html"] = str(tex_html(paper.title))
    text = [Markup('<div data-pagefind-weight="5">{}</div>').format("; ".join(names[named:]))] if len(names) > named else []
    text.append(Markup("<p>{}</p>").format(" ".join(dict.fromkeys(author_token(n) for n in names))))
    # One element a value: Pagefind takes an element's text as its value (no escaping needed).
    spans = [Markup('<span data-pagefind-meta="{}">{}</span>').format(k, v) for k, v in meta.items() if v]
    data = Markup("<div>{}</div>").format(Markup("").join(spans))
    return Markup("").join(text), data


def _clip(text: str, limit: int = 300) -> str:
    """One line of at most ``limit`` characters: what a result has room for."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


_MATH_ELEMENT = re.compile(r"<math\b[^>]*>.*?</math>", re.S)


def _math_as_text(match: re.Match) -> str:
    """A formula as the text a reader reads (ρ≤√n), not its elements' letters run together (ρ≤n)."""
    try:
        return str(escape(mathml_text(ET.fromstring(match.group(0)))))
    except (ET.ParseError, ValueError):  # only mathml.mathml's own output is expected here
        return str(escape(re.sub(r"<[^>]*>", "", match.group(0))))


ABSTRACT_ANCHOR = "pf-abstract"  # the index copy's abstract: content/assets/search.js reads these two
AFTER_ANCHOR = "pf-after"  # what follows it (topics, more authors, author tokens)


def index_copy(page_html: str, inside: str, after: str) -> str | None:
    """The index copy of a paper page: its <article>, with ``inside`` added at its end and ``after`` after it.

    Its math is text (``generator.archive.tex.mathml_text``): Pagefind's excerpts
    take an element's letters as they come, so MathML's √n would read "n"."""
    start = page_html.find('<article class="paper"')
    end = page_html.find("</article>", start)
    if start < 0 or end < 0:
        return None
    opening = '<article class="paper" data-pagefind-body'  # only the copy is indexed
    body = _MATH_ELEMENT.sub(_math_as_text, page_html[start + len('<article class="paper"'):end])
    # Anchors Pagefind records with their word positions: where the abstract starts and
    # where it ends, so that a result's excerpt is the abstract's words (search.js).
    body = body.replace('<div class="paper__abstract">', f'<div class="paper__abstract" id="{ABSTRACT_ANCHOR}">', 1)
    body = body.replace('<p class="paper__topics">', f'<p class="paper__topics" id="{AFTER_ANCHOR}">', 1)
    rest = Markup('<div id="{}-extra">{}</div>').format(AFTER_ANCHOR, inside)
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>' + opening
            + body + str(rest) + "</article>" + str(after) + "</body></html>")

