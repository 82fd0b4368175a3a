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
  reader saves one of its papers, and kept with the saved paper. A record
  says each thing once: its BibTeX entry holds marks for what the record
  says elsewhere (title, authors, year, month, id, category), and the page's
  address, ``updated`` (when it is ``published``) and ``more_authors`` (when
  0) are left out; library.js makes it whole before it keeps it
  (``MONTH_SCHEMA``; about 380 bytes a paper, nearly half the month files).

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
MONTH_SCHEMA = 2  # the month files': 2, their records compact (_compact); library.js refuses another


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
    for key in ("doi", "journal_ref"):
        if getattr(paper, key):
            record[key] = plain_text(getattr(paper, key)) if key == "journal_ref" else getattr(paper, key)
    if paper.withdrawn:
        record["withdrawn"] = True
    return _compact(paper.id, record)


# --- a record, as a month file holds it and as library.js makes it whole -------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Marks in a record's BibTeX entry for what the record says elsewhere: no entry
# holds a control character (bibtex.bibtex_text drops them).
TITLE_MARK, AUTHORS_MARK, FIELDS_MARK, URL_MARK = "\x00T", "\x00A", "\x00Y", "\x00U"


def _paper_url(paper_id: str) -> str:
    """library.js's paper address: the month, then the id with "/" as "-"."""
    month = paper_id.split("/")[1][:4] if "/" in paper_id else paper_id[:4]
    return f"papers/{month}/{paper_id.replace('/', '-')}/"


def _marked(paper_id: str, record: dict) -> dict:
    """What each mark stands for, from the record whole (library.js: whole)."""
    published = record["published"]
    month = published[5:7]
    fields = f"  year = {{{published[:4]}}},\n"
    if re.fullmatch(r"[0-9]{2}", month) and 1 <= int(month) <= 12:
        fields += f"  month = {_MONTHS[int(month) - 1]},\n"
    fields += f"  eprint = {{{paper_id}}},\n  archivePrefix = {{arXiv}},\n  primaryClass = {{{record['category']}}},\n"
    return {TITLE_MARK: record["title"],
            AUTHORS_MARK: " and ".join(record["authors"] + (["others"] if record["more_authors"] else [])),
            FIELDS_MARK: fields, URL_MARK: f"  url = {{https://arxiv.org/abs/{paper_id}}},\n"}


def whole_record(paper_id: str, record: dict) -> dict:
    """A month file's record made whole, as library.js does (``whole``): what it left out, its marks replaced."""
    record = {"url": _paper_url(paper_id), "more_authors": 0, **record}
    record.setdefault("updated", record["published"])
    bibtex = record["bibtex"]
    for mark, text in _marked(paper_id, record).items():
        bibtex = bibtex.replace(mark, text, 1)  # the first, as JavaScript's String.replace
    return {**record, "bibtex": bibtex}


def _compact(paper_id: str, record: dict) -> dict:
    """The record as a month file holds it: the BibTeX entry with what the record says elsewhere
    marked, and the url, ``updated`` and ``more_authors`` that whole_record() would write as
    they are, left out; the record whole where that would not read back exactly."""
    marked = _marked(paper_id, record)
    bibtex = record["bibtex"]
    bibtex = bibtex.replace("  title = {{" + marked[TITLE_MARK] + "}},\n", "  title = {{" + TITLE_MARK + "}},\n", 1)
    bibtex = bibtex.replace("  author = {" + marked[AUTHORS_MARK] + "},\n", "  author = {" + AUTHORS_MARK + "},\n", 1)
    bibtex = bibtex.replace(marked[FIELDS_MARK], FIELDS_MARK, 1).replace(marked[URL_MARK], URL_MARK, 1)
    compact = {**record, "bibtex": bibtex}
    if compact["url"] == _paper_url(paper_id):
        del compact["url"]
    if compact["updated"] == compact["published"]:
        del compact["updated"]
    if compact["more_authors"] == 0:
        del compact["more_authors"]
    return compact if whole_record(paper_id, compact) == record else record


def _json(data) -> str:
    # Served as JSON and parsed with JSON.parse: never read as HTML, so no escaping of "<" is needed.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
