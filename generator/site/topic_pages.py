"""The topic pages made at build time.

A topic's own page is its file in ``content/topics/``: MkDocs renders the
curator's introduction, and the hooks append what people chose for the
topic (its featured papers, those included by hand, those with a curated
headline) and then the first page of all its papers.
Further pages of a large topic (``topics/<slug>/page-N/``) and the topics
index are generated pages, like the month listings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.config import Settings
from generator.curate.review import Review
from generator.curate.topics import CURATED, INCLUDED, TOPICS_DIR, TopicEntry, TopicListing
from generator.site.pages import GeneratedPage, paginate
from generator.site.render import Renderer

CHOSEN_LIMIT = 20  # a topic page leads with at most this many chosen papers; all are in the full list


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
            html = renderer.render("topic.html", url, topic=topic, entries=chunk, total=len(listing.entries),
                                   pagination=pagination, chosen=chosen(listing, review) if pagination.number == 1 else [])
            if pagination.number == 1:
                pages.listings[topic.src_uri] = html
            else:
                pages.generated.append(GeneratedPage(f"{url}index.md", f"{topic.title} (page {pagination.number})", html))
    return pages


@dataclass
class ChosenEntry:
    entry: TopicEntry
    why: str  # what people did: featured it, included it, wrote its headline


def chosen(listing: TopicListing, review: Review) -> list[ChosenEntry]:
    """The papers people chose for this topic: featured first, then included by hand, then
    those with a curated headline; newest first within each, as the listing is."""
    ranked = []
    for entry in listing.entries:
        curation = review.curation_of(entry.paper)
        by_hand = INCLUDED in entry.reasons or CURATED in entry.reasons
        if curation.featured:
            ranked.append((0, ChosenEntry(entry, "Featured on the home page")))
        elif by_hand:
            ranked.append((1, ChosenEntry(entry, "Included by a curator")))
        elif curation.headline:
            ranked.append((2, ChosenEntry(entry, "Headline by a curator")))
    ranked.sort(key=lambda pair: pair[0])  # stable: newest first within each rank
    return [item for _, item in ranked[:CHOSEN_LIMIT]]
