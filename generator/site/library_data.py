"""What the reader's library (``/library/``, ``content/assets/library.js``) reads: two kinds of JSON.

Everything the library keeps lives in the reader's browser; the build only
publishes data for it, fetched from this site and nowhere else:

- ``library/index.json``: every paper, compactly (id, topics, categories,
  code and withdrawn flags, version, year), for "Following" (which papers
  match a followed topic, author or search, and which of them the reader has
  not seen yet), and for new versions and withdrawals of saved papers;
  ``library/authors.json`` and ``library/titles.json``: two more columns of it
  (each paper's author tokens, its plain title), fetched only by a reader who
  follows an author or a search's words. An author token is a short hash of
  the name as the search page folds it, not the name.
- ``library/m/<YYMM>-<x>.json``: a sixteenth of one month's papers in full (what an export needs:
  the page's own BibTeX entry, plain title and authors, dates, DOI, venue, and
  the related papers' ids for "Papers like your library"). Fetched when a
  reader saves one of its papers, and kept with the saved paper. The entry
  names the title and the authors once: where its title or author field is
  the record's own title or authors, it holds a mark that library.js
  replaces (``MONTH_SCHEMA``; about 180 bytes a paper, a sixth of the
  library's files); the record a reader keeps is whole.

The README gives what these cost at 30,000 papers (benchmarks/library_bytes.py).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from generator.archive.models import Paper, id_month
from generator.archive.tex import plain_text

INDEX_PATH = "library/index.json"
AUTHORS_PATH = "library/authors.json"  # fetched only by a reader who follows an author
TITLES_PATH = "library/titles.json"  # fetched only by a reader who follows a search's words
SCHEMA = 1  # the index's format: library.js refuses another
MONTH_SCHEMA = 2  # the month files': 2, their BibTeX entries marked (_compact); library.js refuses another
# Marks for a record's title and authors in its BibTeX entry: no entry holds
# a control character (bibtex.bibtex_text drops them).
TITLE_MARK, AUTHORS_MARK = "\x00T", "\x00A"


SHARDS = 16  # files a month: a first Save fetches about 60 papers' records of a 1,000-paper month


def shard_path(paper_id: str) -> str:
    """Where a paper's full record is: its month, then its number modulo SHARDS (library.js: shardOf)."""
    month, number = id_month(paper_id), int(re.sub(r"\D", "", paper_id.rsplit("/", 1)[-1].split(".")[-1]) or 0)
    return f"library/m/{month}-{number % SHARDS:x}.json"


def author_token(name: str) -> str:
    """A name's token, as library.js computes it from a search URL's ``author=``: FNV-1a, base 36.

    Folded as the search page folds an author (NFKC, lower case, one space),
    so the link ``?author=Ana Ruiz`` and the paper's author agree."""
    folded = " ".join(unicodedata.normalize("NFKC", plain_text(name)).lower().split())
    value = 0x811C9DC5
    for byte in folded.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return _base36(value)


def _base36(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not value:
            return digits


@dataclass
class PaperFacts:
    """What the build knows of a paper beyond its file: its topics, Code link, BibTeX, related papers."""
    topics: list[str]
    code: bool
    bibtex: str
    related: list[str]
    authors: list  # the authors the page names (pages.max_authors), as its BibTeX does


def library_files(papers: list[Paper], facts: dict[str, PaperFacts], topics: dict[str, str]) -> dict[str, str]:
    """The index, its two columns and the record files (path in the site → JSON text). ``topics``: slug → title."""
    slugs = list(topics)
    position = {slug: i for i, slug in enumerate(slugs)}
    categories = sorted({c for p in papers for c in p.categories or [p.primary_category]})
    category_at = {c: i for i, c in enumerate(categories)}
    rows, authors, titles, records = [], [], [], defaultdict(dict)
    for paper in sorted(papers, key=lambda p: p.id):
        fact = facts[paper.id]
        flags = (1 if fact.code else 0) | (2 if paper.withdrawn else 0)
        rows.append([paper.id, [position[t] for t in fact.topics if t in position],
                     [category_at[c] for c in dict.fromkeys(paper.categories or [paper.primary_category])],
                     flags, paper.version, int(paper.published[:4]) if paper.published[:4].isdigit() else 0])
        authors.append(" ".join(dict.fromkeys(author_token(a.name) for a in paper.authors)))
        titles.append(plain_text(paper.title))
        records[shard_path(paper.id)][paper.id] = _full(paper, fact)
    # The columns name the index they belong to: one cached from an earlier build is refetched.
    build = hashlib.sha256(json.dumps([r[0::4] for r in rows]).encode()).hexdigest()[:16]
    files = {INDEX_PATH: _json({"schema": SCHEMA, "build": build, "topics": [[s, topics[s]] for s in slugs],
                                "categories": categories, "papers": rows}),
             AUTHORS_PATH: _json({"schema": SCHEMA, "build": build, "column": authors}),
             TITLES_PATH: _json({"schema": SCHEMA, "build": build, "column": titles})}
    for path, entries in records.items():
        files[path] = _json({"schema": MONTH_SCHEMA, "papers": entries})
    return files


def _full(paper: Paper, fact: PaperFacts) -> dict:
    record = {"title": plain_text(paper.title), "authors": [plain_text(a.name) for a in fact.authors],
              "more_authors": len(paper.authors) - len(fact.authors),
              "published": paper.published, "updated": paper.updated, "version": paper.version,
              "category": paper.primary_category, "url": paper.url, "bibtex": fact.bibtex,
              "related": fact.related}
    record["bibtex"] = _compact(fact.bibtex, record)
    for key in ("doi", "journal_ref"):
        if getattr(paper, key):
            record[key] = plain_text(getattr(paper, key)) if key == "journal_ref" else getattr(paper, key)
    if paper.withdrawn:
        record["withdrawn"] = True
    return record


def _authors_field(record: dict) -> str:
    return " and ".join(record["authors"] + (["others"] if record["more_authors"] else []))


def whole_bibtex(bibtex: str, record: dict) -> str:
    """A month file's entry with its marks replaced, as library.js does (``whole``): the first of each."""
    return bibtex.replace(TITLE_MARK, record["title"], 1).replace(AUTHORS_MARK, _authors_field(record), 1)


def _compact(bibtex: str, record: dict) -> str:
    """The entry with the record's own title and authors marked; as it is where that would not read back."""
    compact = bibtex.replace("  title = {{" + record["title"] + "}},\n", "  title = {{" + TITLE_MARK + "}},\n", 1)
    compact = compact.replace("  author = {" + _authors_field(record) + "},\n", "  author = {" + AUTHORS_MARK + "},\n", 1)
    return compact if whole_bibtex(compact, record) == bibtex else bibtex


def _json(data) -> str:
    # Served as JSON and parsed with JSON.parse: never read as HTML, so no escaping of "<" is needed.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
