"""Sizes that must not grow with the archive (the 30,000-paper targets, on small archives).

The benchmark (benchmarks/run.py) measures the real thing; these tests pin
what makes it hold: a paper page carries nothing per other paper, listings
are paginated, and each paper adds a bounded number of bytes to the site,
search index included.
"""
import json
import re

import pytest

import synthetic
from conftest import Project

SMALL, LARGE = 10, 200
PAPER_PAGE_LIMIT = 20_000
# A page names each author four times (the list, citation_author, JSON-LD,
# BibTeX): past 20 authors a page may grow by this much an author, never
# with the archive.
AUTHORS_IN_LIMIT, PER_EXTRA_AUTHOR = 20, 250
PER_PAPER_LIMIT = 30_000
LISTING_LIMIT = 500_000


def site_bytes(site) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """The same first papers in a small and a large archive, both built."""
    built = {}
    for count in (SMALL, LARGE):
        project = Project(tmp_path_factory.mktemp(f"archive{count}"))
        synthetic.save(project.content, synthetic.entries(count))
        project.build()
        built[count] = project
    return built


def paper_urls(project) -> list[str]:
    return sorted(str(path.parent.relative_to(project.site)) for path in (project.site / "papers").rglob("index.html"))


def test_a_paper_page_does_not_grow_with_the_archive(archives):
    small, large = archives[SMALL], archives[LARGE]
    for url in paper_urls(small):
        a, b = len(small.page(url).encode()), len(large.page(url).encode())
        assert abs(a - b) < 300, (url, a, b)  # related papers differ; the page's size does not
        assert b <= page_limit(large.page(url)), (url, b)


def page_limit(html: str) -> int:
    authors = len(re.findall(r'<meta name="citation_author"', html))
    return PAPER_PAGE_LIMIT + max(0, authors - AUTHORS_IN_LIMIT) * PER_EXTRA_AUTHOR


def test_every_paper_page_is_within_the_limit(archives):
    pages = {url: archives[LARGE].page(url) for url in paper_urls(archives[LARGE])}
    assert len(pages) == LARGE
    over = {url: (len(html.encode()), page_limit(html)) for url, html in pages.items()
            if len(html.encode()) > page_limit(html)}
    assert not over, over


def test_each_paper_adds_a_bounded_share_of_the_site_search_index_included(archives):
    small, large = archives[SMALL], archives[LARGE]
    per_paper = (site_bytes(large.site) - site_bytes(small.site)) / (LARGE - SMALL)
    assert per_paper <= PER_PAPER_LIMIT, per_paper
    index = site_bytes(large.site / "pagefind") - site_bytes(small.site / "pagefind")
    assert 0 < index / (LARGE - SMALL) < 5_000  # the search index's share of that


def test_month_listings_are_paginated(archives):
    project = archives[LARGE]  # all 200 papers in one month, 100 a page
    first, second = project.page("months/2606"), project.page("months/2606/page-2")
    assert first.count('class="paper-item"') == 100 and second.count('class="paper-item"') == 100
    assert 'href="page-2/"' in first and "Page 1 of 2" in first
    assert not (project.site / "months/2606/page-3").exists()
    for page in project.site.joinpath("months").rglob("index.html"):
        assert page.stat().st_size < LISTING_LIMIT, page


def test_only_paper_pages_are_in_the_search_index(archives):
    project = archives[LARGE]
    entry = json.loads((project.site / "pagefind/pagefind-entry.json").read_text())
    assert [language["page_count"] for language in entry["languages"].values()] == [LARGE]
    home = project.page("")
    assert "data-pagefind-body" not in home and "data-pagefind-body" in project.page(paper_urls(project)[0])


def test_paper_page_markup_carries_no_other_paper_but_its_related_five(archives):
    project = archives[LARGE]
    url = paper_urls(project)[0]
    own = url.rsplit("/", 1)[-1]
    html = project.page(url)
    related = re.search(r'<ol class="paper__related">.*?</ol>', html, re.S).group(0)
    ids = set(re.findall(r"\b26\d\d\.\d{5}\b", html.replace(related, "")))
    assert ids <= {own}, ids  # no navigation listing the archive
    assert len(set(re.findall(r"\b26\d\d\.\d{5}\b", related)) - {own}) == 5


def test_paper_pages_keep_their_front_matter_as_page_meta(project):
    """MkDocs no longer parses a paper's YAML; the hooks hand templates the same keys."""
    synthetic.save(project.content, synthetic.entries(1))
    path = next((project.content / "papers").rglob("*.md"))
    path.write_text(path.read_text().replace("---\n\n", "curation:\n  topics: [raft]\n---\n\n", 1))
    (project.content / "topics").mkdir()
    (project.content / "topics" / "raft.md").write_text("---\ntitle: Raft\ndescription: Consensus.\n---\n\nRaft.\n")
    main = project.root / "overrides" / "main.html"
    main.write_text(main.read_text() + (
        "{% block announce %}{% if page and page.meta.id %}<meta name=test content=\"{{ page.meta.curation.topics | join(',') }}"
        "|{{ page.meta.id }}|{{ page.meta.authors[0].name }}\">{% endif %}{% endblock %}"))
    html = project.build().joinpath(f"papers/{path.parent.name}/{path.stem}/index.html").read_text()
    author = re.search(r'<ul class="paper__authors"[^>]*>\s*<li>([^<]+)<', html).group(1).strip()
    assert f'<meta name=test content="raft|{path.stem}|{author}">' in html
