"""Reading one page of the arXiv API's Atom into Papers.

feedparser does the parsing; the raw XML is read again only for what
feedparser loses: it keeps just the last ``arxiv:affiliation`` of an entry,
not each author's own list.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

import feedparser

from generator.archive.models import Author, Paper, classify_terms, is_arxiv_id, split_version
from generator.errors import ArxivAPIError, FeedError
from generator.harvest.checks import check_record, now_utc

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ERROR_ID_PREFIX = "https://arxiv.org/api/errors"
# C0 control characters that XML 1.0 cannot carry at all. A stray one in a
# title would make the page unreadable on every try, forever; it means
# nothing, so it is dropped. (In UTF-8 these bytes are never part of another
# character, and dropping them cannot hide a truncated page.)
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(data: bytes) -> bytes:
    return _XML_ILLEGAL.sub(b"", data)


@dataclass(frozen=True)
class RecordProblem:
    """One record that could not be read or was refused: which one, and what was wrong with it."""

    url: str
    identifier: str
    message: str

    @property
    def key(self) -> tuple[str, str]:  # the same record read again from another URL is the same problem
        return self.identifier, self.message

    def __str__(self) -> str:
        return f"{self.url}: record {self.identifier}: {self.message}"


@dataclass
class FeedPage:
    papers: list[Paper]
    total_results: int | None
    start_index: int | None
    updated: str | None = None  # when arXiv answered (the feed's <updated>)
    problems: list[RecordProblem] = field(default_factory=list)  # entries refused: not stored


def one_line(text: str | None) -> str | None:
    """arXiv wraps titles and comments over lines; a line break there means nothing."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_page(data: bytes, source: str, now: datetime | None = None) -> FeedPage:
    """Parse one API response. ``source`` (URL or file) names it in errors.

    An entry with a bad id or date, or an over-long field, is a problem
    naming it, and is not stored; the rest of the page is. ``now``: the time of the run.
    """
    # feedparser recovers what it can from a truncated page or an HTML error
    # page, often with no bozo flag: a page must first be well-formed XML
    # with an Atom <feed> root, or nothing of it is used.
    data = xml_safe(data)
    root = _atom_root(data, source)
    parsed = feedparser.parse(data)
    _raise_on_error_feed(parsed, source)
    affiliations = _affiliations_by_entry(root)
    now = now or now_utc()
    papers, problems = [], []
    for entry in parsed.entries:
        try:
            paper = _paper(entry, affiliations, source)
            check_record(paper, now)
        except FeedError as problem:
            problems.append(RecordProblem(source, entry.get("id", ""), problem.message))
        else:
            papers.append(paper)
    feed = parsed.feed
    return FeedPage(papers, _int_or_none(feed.get("opensearch_totalresults")),
                    _int_or_none(feed.get("opensearch_startindex")), feed.get("updated") or None, problems)


def _raise_on_error_feed(parsed, source: str) -> None:
    for entry in parsed.entries:
        if entry.get("id", "").startswith(ERROR_ID_PREFIX):
            raise ArxivAPIError(source, f"arXiv API error: {entry.get('summary') or entry['id']}")


def _atom_root(data: bytes, source: str) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise FeedError(source, f"not a valid Atom page: {error}") from None
    if root.tag != f"{ATOM}feed":
        raise FeedError(source, f"not a valid Atom page: the root element is <{root.tag}>, not an Atom <feed>")
    return root


def _affiliations_by_entry(root: ET.Element) -> dict[str, list[list[str]]]:
    """entry id → one affiliation list per author, in author order."""
    result = {}
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        result[entry_id] = [
            [one_line(a.text) for a in author.findall(f"{ARXIV}affiliation") if one_line(a.text)]
            for author in entry.findall(f"{ATOM}author")
        ]
    return result


def _paper(entry, affiliations: dict, source: str) -> Paper:
    raw_id = entry.get("id", "")
    if "/abs/" not in raw_id:
        raise FeedError(source, f"entry without an arXiv abs id: {raw_id!r}")
    bare_id, version = split_version(raw_id.split("/abs/", 1)[1])
    if not is_arxiv_id(bare_id):  # it names the paper's file: never store one under it
        raise FeedError(source, f"entry whose id is not an arXiv id: {bare_id!r}")
    author_affs = affiliations.get(raw_id, [])
    authors = [
        Author(name=one_line(a.get("name")) or "", affiliations=author_affs[i] if i < len(author_affs) else [])
        for i, a in enumerate(entry.get("authors", []))
    ]
    links = {}
    for link in entry.get("links", []):
        if link.get("rel") == "alternate":
            links["abs"] = link["href"]
        elif link.get("title") == "pdf" or link.get("type") == "application/pdf":
            links["pdf"] = link["href"]
    classes = classify_terms(t["term"] for t in entry.get("tags", []) if t.get("term"))
    primary = (entry.get("arxiv_primary_category") or {}).get("term") or (classes.categories[:1] or [""])[0]
    return Paper(
        id=bare_id, version=version or 1, title=one_line(entry.get("title")) or "",
        authors=authors, published=entry.get("published", ""), updated=entry.get("updated", ""),
        primary_category=primary, categories=classes.categories,
        msc_class=classes.msc_class, acm_class=classes.acm_class,
        abstract=(entry.get("summary") or "").strip(),
        comment=one_line(entry.get("arxiv_comment")), journal_ref=one_line(entry.get("arxiv_journal_ref")),
        doi=one_line(entry.get("arxiv_doi")), links=links,
    )
