"""HTML for the archive's pages, from jinja2 templates with autoescaping on.

Everything from the feed reaches a template as data: autoescaping makes a
``<script>`` in a title show as text, and ``{{ }}`` in an abstract is never
evaluated because feed text is only ever a template *value*.
"""
from __future__ import annotations

import posixpath
from datetime import datetime
from urllib.parse import quote_plus

import jinja2

from generator.archive.models import month_label
from generator.archive.tex import plain_text, tex_html
from generator.curate.notes import render_note
from generator.curate.review import NO_CURATION
from generator.site.abstracts import paragraphs
from generator.site.bibtex import month_bib_path
from generator.site.feeds import ARCHIVE_FEED, collection_feed_path

AUTHORS_IN_LISTINGS = 8


def display_date(iso: str | None) -> str:
    """``2026-06-02T18:07:51Z`` → ``2 Jun 2026``; anything unparsable is shown as given."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{when.day} {when:%b %Y}"


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.site", "templates"),
        autoescape=True,  # feed text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(tex=tex_html, plain=plain_text, date=display_date,
                       paragraphs=paragraphs, month_label=month_label, note=render_note,
                       query=lambda value: quote_plus(str(value), safe=""))  # a URL's query value
    env.globals.update(AUTHORS_IN_LISTINGS=AUTHORS_IN_LISTINGS, month_bib=month_bib_path,
                       ARCHIVE_FEED=ARCHIVE_FEED, feed_path=collection_feed_path)
    # Curation, until a build's review replaces these (curation.Review.template_globals).
    env.globals.update(curation_of=lambda paper: NO_CURATION, topics_of=lambda paper: [], featured_papers=[])
    return env


def relative_url(url: str, page_url: str) -> str:
    """``url`` (site-relative) as a link from the page at ``page_url``, as MkDocs writes links.

    A page URL naming a file ("404.html") links from its folder; one ending in "/" from itself.
    """
    folder, name = posixpath.split(page_url)
    base = folder if "." in name else page_url
    link = posixpath.relpath("/" + url, "/" + base)
    return link + "/" if url.endswith("/") and not link.endswith("/") else link


class Renderer:
    """Renders a template for the page at ``page_url`` (relative links need it)."""

    def __init__(self):
        self.env = make_environment()

    def render(self, template: str, page_url: str, **context) -> str:
        def rel(target: str) -> str:
            return relative_url(target, page_url) if target else "./"
        return self.env.get_template(template).render(rel=rel, **context)
