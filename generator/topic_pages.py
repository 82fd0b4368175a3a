"""The topic pages made at build time.

A topic's own page is its file in ``content/topics/``: MkDocs renders the
curator's introduction, and the hooks append the first page of its papers.
Further pages of a large topic (``topics/<slug>/page-N/``) and the topics
index are generated pages, like the month listings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.config import Settings
from generator.curation import Review
from generator.pages import GeneratedPage, paginate
from generator.render import Renderer
from generator.topics import TOPICS_DIR


@dataclass
class TopicPages:
    generated: list[GeneratedPage] = field(default_factory=list)  # the index, pages 2+ of each topic
    listings: dict[str, str] = field(default_factory=dict)  # a topic file's src_uri → HTML after its intro


def topic_pages(review: Review, settings: Settings, renderer: Renderer) -> TopicPages:
    listings = sorted(review.listings(), key=lambda t: t.title.casefold())
    pages = TopicPages([GeneratedPage(f"{TOPICS_DIR}/index.md", "Topics", renderer.render(
        "topics.html", f"{TOPICS_DIR}/", listings=listings, settings=settings))])
    for listing in listings:
        topic = listing.topic
        for url, chunk, pagination in paginate(topic.url, listing.entries, settings.per_page):
            html = renderer.render("topic.html", url, topic=topic, entries=chunk,
                                   total=len(listing.entries), pagination=pagination)
            if pagination.number == 1:
                pages.listings[topic.src_uri] = html
            else:
                pages.generated.append(GeneratedPage(f"{url}index.md", f"{topic.title} (page {pagination.number})", html))
    return pages
