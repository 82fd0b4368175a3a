"""Atom feeds of the newest papers: the whole archive's, or any list's (a topic's).

Written with ElementTree: feed text is only ever element text or attribute
values, escaped by the XML library, never pasted into markup. (feedgen 1.0.0
drops the ``rel`` and ``type`` of an entry's links, which leaves an entry
with two "alternate" links: RFC 4287 forbids that.) A feed is build output,
added to the site as a generated file.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone

from generator.archive.models import Paper
from generator.archive.tex import plain_text
from generator.site.abstracts import paragraphs

FEED_SIZE = 50  # entries in a feed: the newest papers, with their abstracts
# Feeds live in feeds/, beside an empty sitemap: Material's JavaScript takes
# every <link rel="alternate"> for a translation of the site and fetches
# "sitemap.xml" next to it. Beside the archive's feed that would be the whole
# site's sitemap (megabytes at 30,000 papers) on every page view; beside a
# topic's, a 404. The stub answers in a few bytes, and feed readers still
# find the feeds the standard way.
FEEDS_DIR = "feeds"
ARCHIVE_FEED = f"{FEEDS_DIR}/papers.xml"
FEEDS_SITEMAP = (f"{FEEDS_DIR}/sitemap.xml",
                 '<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
ATOM = "http://www.w3.org/2005/Atom"
# XML 1.0 cannot hold most control characters, not even escaped: they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Feed:
    """A feed of the site: where it is (relative to the site root) and what it is called."""

    path: str
    title: str


def collection_feed_path(base: str) -> str:
    """Where the feed of the pages under ``base`` lives: ``topics/gpu/`` → ``feeds/topics-gpu.xml``."""
    return f"{FEEDS_DIR}/{base.strip('/').replace('/', '-') or 'papers'}.xml"


def _text(text: str | None) -> str:
    return _NOT_XML.sub("", plain_text(text or ""))


def _when(iso: str) -> datetime:
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return _EPOCH  # a malformed date sorts last rather than failing the build
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def newest(papers: list[Paper], limit: int = FEED_SIZE) -> list[Paper]:
    return sorted(papers, key=lambda p: (_when(p.published), p.id), reverse=True)[:limit]


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _NOT_XML.sub("", v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def atom_feed(papers: list[Paper], feed: Feed, site_url: str | None, site_name: str,
              limit: int = FEED_SIZE) -> bytes:
    """The Atom document for the ``limit`` newest of ``papers`` (UTF-8 bytes).

    With no ``site_url`` the feed cannot name its own address: entries then
    link to arXiv, and the feed's id is a ``tag:`` URI made from its path.
    """
    base = site_url.rstrip("/") + "/" if site_url else None
    entries = newest(papers, limit)
    root = ET.Element("feed", xmlns=ATOM)
    _add(root, "id", base + feed.path if base else f"tag:arxiv-archive,2026:{feed.path}")
    _add(root, "title", _text(feed.title))
    _add(root, "updated", _stamp(max((_when(p.updated) for p in entries), default=_EPOCH)))
    _add(_add(root, "author"), "name", _text(site_name))  # for entries with no author of their own
    if base:
        _add(root, "link", rel="self", type="application/atom+xml", href=base + feed.path)
        _add(root, "link", rel="alternate", type="text/html", href=base)
    for paper in entries:
        _entry(_add(root, "entry"), paper, base)
    ET.indent(root, space="")  # an element a line, no indentation: 3% of a feed that is all entries
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(entry: ET.Element, paper: Paper, base: str | None) -> None:
    _add(entry, "id", f"https://arxiv.org/abs/{paper.id}")  # the paper's lasting name, wherever the site moves
    # A feed reader shows the title and the summary: both say the paper was withdrawn.
    _add(entry, "title", ("[Withdrawn] " if paper.withdrawn else "") + _text(paper.title))
    _add(entry, "updated", _stamp(_when(paper.updated)))
    _add(entry, "published", _stamp(_when(paper.published)))
    for author in paper.authors:
        if _text(author.name).strip():
            _add(_add(entry, "author"), "name", _text(author.name))
    _add(entry, "link", rel="alternate", type="text/html", href=base + paper.url if base else paper.abs_url)
    _add(entry, "link", rel="related", type="application/pdf", title="PDF", href=paper.pdf_url)
    for category in paper.categories:
        _add(entry, "category", term=category, scheme="http://arxiv.org/schemas/atom")
    summary = [_text(p) for p in paragraphs(paper.abstract)]
    if paper.withdrawn:
        summary.insert(0, f"Withdrawn by its authors (v{paper.version}): {_text(paper.comment)}")
    _add(entry, "summary", "\n\n".join(summary), type="text")
