"""What the site offers beyond each paper's own text, worked out once a build.

Citation metadata in each page's head, a BibTeX entry on each paper's page
and a ``.bib`` file a month, the Atom feed of the newest papers, the related
papers, and the abstract's key result. The MkDocs hooks call into this;
everything else lives in its own module (bibtex, feeds, related, keyresult).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from generator.archive.models import Paper
from generator.archive.tex import plain_text
from generator.config import Settings
from generator.site.abstracts import paragraphs
from generator.site.bibtex import bib_file, bibtex_entry, bibtex_keys, month_bib_path
from generator.site.feeds import ARCHIVE_FEED, FEEDS_SITEMAP, Feed, atom_feed, collection_feed_path
from generator.site.keyresult import key_result
from generator.site.related import related_papers
from generator.site.render import Renderer

DESCRIPTION_LENGTH = 200  # characters of the abstract in link previews


@dataclass
class Extras:
    settings: Settings
    papers: list[Paper]
    related: dict[str, list[Paper]]
    bib_keys: dict[str, str]  # id → BibTeX key, unique across the archive

    @classmethod
    def compute(cls, papers: list[Paper], settings: Settings) -> "Extras":
        return cls(settings, papers, related_papers(papers), bibtex_keys(papers))

    @property
    def feeds(self) -> list[Feed]:
        """The feeds every page's head links to."""
        return [Feed(ARCHIVE_FEED, f"{self.settings.name}: newest papers")]

    def files(self) -> dict[str, bytes | str]:
        """Build output beside the pages (path in the site → content): feeds and .bib files."""
        files: dict[str, bytes | str] = {
            feed.path: atom_feed(self.papers, feed, self.settings.site_url, self.settings.name)
            for feed in self.feeds}
        files[FEEDS_SITEMAP[0]] = FEEDS_SITEMAP[1]
        by_month: dict[str, list[Paper]] = defaultdict(list)
        for paper in self.papers:
            by_month[paper.month].append(paper)
        for month, papers in by_month.items():
            files[month_bib_path(month)] = bib_file(papers, self.bib_keys)
        return files

    def collection(self, base: str, title: str, papers: list[Paper]) -> tuple[Feed, dict[str, bytes | str]]:
        """A feed and a .bib file for any collection of papers, such as a topic.

        ``collection("topics/llm-serving/", "LLM serving", papers)`` gives the
        Feed (for ``head(..., feeds=[feed])`` on the topic's pages) and the files
        ``feeds/topics-llm-serving.xml`` and ``topics/llm-serving/llm-serving.bib``.
        """
        feed = Feed(collection_feed_path(base), f"{self.settings.name}: {title}")
        name = base.rstrip("/").rsplit("/", 1)[-1] or "papers"
        return feed, {feed.path: atom_feed(papers, feed, self.settings.site_url, self.settings.name),
                      f"{base}{name}.bib": bib_file(papers, self.bib_keys)}

    def paper_context(self, paper: Paper, curated_headline: str | None = None) -> dict:
        """What paper.html shows beyond the paper's own fields.

        ``curated_headline`` is the checked curation's (``Review.curation_of``):
        a paper with one gets no extracted key result.
        """
        authors = self.named_authors(paper)
        return dict(
            related=self.related.get(paper.id, []),
            # A withdrawn paper's claims are the authors' no more: no result is highlighted.
            key_result=None if curated_headline or paper.withdrawn else key_result(paper.abstract),
            bibtex=bibtex_entry(paper, self.bib_keys.get(paper.id), max_authors=self.settings.max_authors),
            authors=authors,
            more_authors=len(paper.authors) - len(authors),
        )

    def named_authors(self, paper: Paper) -> list:
        """The authors a paper's page names (``pages.max_authors``), in its body and its head."""
        return paper.authors[:self.settings.max_authors]

    def page_url(self, url: str) -> str | None:
        site = self.settings.site_url
        return site.rstrip("/") + "/" + url if site else None

    def head(self, renderer: Renderer, page_url: str, paper: Paper | None = None,
             feeds: list[Feed] = ()) -> Markup:
        """The HTML a page adds to its <head>, from an autoescaped template.

        ``feeds`` are linked besides the archive's (a topic page's own feed).
        """
        context = dict(feeds=self.feeds + list(feeds), paper=paper)
        if paper:
            authors = self.named_authors(paper)
            # citation_author (what Google Scholar and Zotero read) names all the page does.
            context.update(page_address=self.page_url(page_url), authors=authors)
        return Markup(renderer.render("head.html", page_url, **context))


def description(paper: Paper, limit: int = DESCRIPTION_LENGTH) -> str:
    """The abstract's opening, cut at a word, as plain text."""
    text = " ".join(plain_text(" ".join(paragraphs(paper.abstract))).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
