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
from arxiv_feed import Entry
from conftest import Project

SMALL, LARGE = 10, 200
PAPER_PAGE_LIMIT = 20_000  # whatever the archive's size (pages.max_authors bounds a long author list)
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
        # Related papers differ (a small archive has fewer close enough to list: at most 5 either way); the rest does not.
        a, b = (len(re.sub(r'<h2 id="related">.*?</section>', "", page, flags=re.S).encode())
                for page in (small.page(url), large.page(url)))
        assert abs(a - b) < 300, (url, a, b)
        assert len(large.page(url).encode()) <= PAPER_PAGE_LIMIT, (url, b)


def heavy_page(project, title: str, authors: int, affiliated: int) -> bytes:
    """The page of a paper with arXiv's longest abstract (1,920 characters,
    with some math), every optional field, and ``authors`` authors of whom
    the first ``affiliated`` have an affiliation (pages.max_authors are named)."""
    entries = synthetic.entries(30)
    first = entries[0]
    sentence = "Adaptive sharding of the expert layers reduces tail latency across heterogeneous GPU clusters. "
    math = "We prove $O(n \\log n)$ messages, $p_{99}$ under $10^{6}$ requests and a $3.2\\times$ speedup. "
    entries[0] = Entry(
        id=first.id.replace("v1", "v3"), title=title, summary=(math + sentence * 30)[:1920],
        published=first.published, updated=first.updated,
        authors=[(f"Giulia Kowalski {i}", ["Argonne National Laboratory"] if i < affiliated else [])
                 for i in range(authors)],
        categories=["cs.DC", "cs.LG", "cs.NI", "math.OC"], comment="29 pages, 14 figures, accepted at SOSP 2026",
        journal_ref="Proceedings of the ACM Symposium on Operating Systems Principles (SOSP '26), pp. 1-17",
        doi="10.1145/3600006.3613175")
    synthetic.save(project.content, entries)
    bare = entries[0].id.rsplit("v", 1)[0]
    html = project.build().joinpath(f"papers/{bare[:4]}/{bare}/index.html").read_bytes()
    assert b"<math" in html
    return html


def test_a_paper_at_arxivs_limits_stays_bounded(project):
    # Everything at once: a 260-character title (a page carries it five
    # times: title, heading, citation, OpenGraph, BibTeX),
    # and every named author with an affiliation. The benchmark's papers stay
    # within 20 KB (as real ones do); this, the largest a page can be, within 25
    # (each of its 30 named authors is a link to the search page: 1.7 KB).
    from generator.config import Settings

    title = (("Elastic Byzantine Fault Tolerance for Mixture-of-Experts Training and Inference on "
              "Heterogeneous Clusters ") * 3)[:260].strip()
    assert len(title) >= 259
    html = heavy_page(project, title, authors=3000, affiliated=3000)
    assert len(html) <= 25_000 and html.count(b"Argonne") == Settings().max_authors


def test_every_paper_page_is_within_the_limit(archives):
    pages = {url: archives[LARGE].page(url) for url in paper_urls(archives[LARGE])}
    assert len(pages) == LARGE
    over = {url: len(html.encode()) for url, html in pages.items() if len(html.encode()) > PAPER_PAGE_LIMIT}
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
    # Pagefind reads each paper's index copy (it alone carries data-pagefind-body), not the served pages
    assert "data-pagefind-body" not in project.page("") and "data-pagefind-body" not in project.page(paper_urls(project)[0])


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
    author = re.search(r'<ul class="paper__authors"[^>]*>\s*<li><a [^>]*>([^<]+)<', html).group(1).strip()
    assert f'<meta name=test content="raft|{path.stem}|{author}">' in html
