"""Atom feeds of the newest papers: the whole archive's, or any list's (a topic's).

Written with feedgen (lxml underneath): feed text is only ever element text
or attribute values, escaped by the XML library, never pasted into markup.
A feed is build output, added to the site as a generated file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator

from generator.latex import paragraphs, plain_text
from generator.models import Paper

FEED_SIZE = 50  # entries in a feed: the newest papers, with their abstracts
ARCHIVE_FEED = "feed.xml"
# XML 1.0 cannot hold most control characters, not even escaped: they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Feed:
    """A feed of the site: where it is (relative to the site root) and what it is called."""

    path: str
    title: str


def _text(text: str) -> str:
    return _NOT_XML.sub("", plain_text(text or ""))


def _when(iso: str) -> datetime:
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return _EPOCH  # a malformed date sorts last rather than failing the build
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def newest(papers: list[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    return sorted(papers, key=lambda p: (_when(p.published), p.id), reverse=True)[:limit]


def atom_feed(papers: list[Paper], feed: Feed, site_url: str | None, site_name: str,
              limit: int = FEED_SIZE) -> bytes:
    """The Atom document for the ``limit`` newest of ``papers`` (UTF-8 bytes).

    With no ``site_url`` the feed cannot name its own address: entries then
    link to arXiv, and the feed's id is a ``tag:`` URI made from its path.
    """
    base = site_url.rstrip("/") + "/" if site_url else None
    entries = newest(papers, limit)
    generator = FeedGenerator()
    generator.id(base + feed.path if base else f"tag:arxiv-archive,2026:{feed.path}")
    generator.title(_text(feed.title))
    generator.author({"name": _text(site_name)})  # Atom needs an author for entries with none
    if base:
        generator.link(href=base + feed.path, rel="self", type="application/atom+xml")
        generator.link(href=base, rel="alternate", type="text/html")
    generator.updated(max((_when(p.updated) for p in entries), default=_EPOCH))
    for paper in entries:
        _add_entry(generator, paper, base)
    return generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _add_entry(generator: FeedGenerator, paper: Paper, base: str | None) -> None:
    entry = generator.add_entry(order="append")
    entry.id(f"https://arxiv.org/abs/{paper.id}")  # the paper's lasting name, wherever this site moves
    entry.title(_text(paper.title))
    entry.link(href=base + paper.url if base else paper.abs_url, rel="alternate", type="text/html")
    entry.link(href=paper.pdf_url, rel="related", type="application/pdf", title="PDF")
    for author in paper.authors:
        if _text(author.name).strip():
            entry.author({"name": _text(author.name)})
    entry.published(_when(paper.published))
    entry.updated(_when(paper.updated))
    for category in paper.categories:
        entry.category(term=_text(category), scheme="http://arxiv.org/schemas/atom")
    entry.summary("\n\n".join(_text(p) for p in paragraphs(paper.abstract)) or None, type="text")
