"""A search index built in parts (generator/search/pagefind.py, past PART_PAGES papers): every part answers, in the browser."""

import pytest

import synthetic
from arxiv_feed import Entry
from conftest import Project, serve_as_pages
from test_search_page import results

WORD = "zyxquorum"  # in three papers, one in each part
PARTS = 3


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("search-parts"))
    # Parts are runs of paper pages in path order: a gap in the synthetic ids puts the middle paper in the middle part.
    entries = [e for e in synthetic.entries(60) if not e.id.startswith("2606.0097")] + [
        Entry(id="cs/0112017v1", title="An old quorum paper", published="2001-12-10T10:00:00Z",
              summary=f"Old-style id, with {WORD}.", authors=[("Ada Old", [])]),
        Entry(id="2606.00975v1", title="A middle quorum paper", published="2024-03-01T10:00:00Z",
              summary=f"The {WORD} again.", authors=[("Ivo Quist", [])]),
        Entry(id="2606.09002v1", title="A new quorum paper", published="2026-06-01T10:00:00Z",
              summary=f"A last {WORD}.", authors=[("Quintessa Vandermolen", [])]),
    ]
    synthetic.save(project.content, entries)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.search.pagefind.PART_PAGES", -(-len(entries) // PARTS))
        project.build()
    server, url = serve_as_pages(project.site, project.root)  # the site under a path, as on GitHub Pages
    yield project, entries, url
    server.close()


MINE = {"papers/0112/cs-0112017/", "papers/2606/2606.00975/", "papers/2606/2606.09002/"}


def _papers(hrefs) -> set[str]:
    return {href[href.index("papers/"):] for href in hrefs}


def test_each_part_is_a_bundle_the_pages_name(archive):
    from generator.search.facets import FACETS_FILE, decode

    project, entries, _ = archive
    assert [(project.site / name / "pagefind-entry.json").exists() for name in ("pagefind", "pagefind-1", "pagefind-2")] == [True] * 3
    assert not (project.site / "pagefind-3").exists()
    assert 'data-parts="3"' in project.page("")  # the header's box, on every page
    html = project.page("search/")
    assert html.count('data-parts="3"') == 2  # and the search page's form
    assert '<link rel="preload" href="../pagefind-2/pagefind.' in html and "../pagefind-1/wasm" not in html
    header, hashes, _ = decode((project.site / FACETS_FILE).read_bytes())
    assert header["count"] == len(entries) and header["parts"] == PARTS
    assert sorted(set(header["row_parts"])) == [0, 1, 2]


def test_a_search_finds_the_papers_of_every_part(page, archive):
    _, _, url = archive
    page.goto(url + f"search/?q={WORD}")
    assert _papers(results(page)) == MINE
    page.goto(url + f"search/?q={WORD}&year=2024")  # a facet, on the merged results
    assert _papers(results(page)) == {"papers/2606/2606.00975/"}
    page.goto(url + "search/?year=2001")  # no words: each row's fragment from its part's bundle
    assert _papers(results(page)) == {"papers/0112/cs-0112017/"}
    assert page.errors == []


def test_the_header_box_finds_the_papers_of_every_part(page, archive):
    _, _, url = archive
    page.goto(url)
    box = page.locator(".paper-search .md-search__input")
    box.click()
    box.press_sequentially(WORD)
    links = page.locator(".paper-search .md-search-result__link")
    page.wait_for_function(f"document.querySelectorAll('.paper-search .md-search-result__link[href*=\"papers/\"]').length >= 3")
    assert _papers(a.get_attribute("href") for a in links.all() if "papers/" in a.get_attribute("href")) == MINE
    assert page.errors == []


def test_a_hash_two_parts_share_is_told_apart_by_its_url():
    from generator.search.facets import Row, decode, encode

    rows = [Row("en_abc1234", "/papers/b/", "2026-01-02", {}, part=1), Row("en_1111111", "/papers/c/", "2026-01-01", {}),
            Row("en_abc1234", "/papers/a/", "2025-01-01", {"year": ["2025"]}, part=0)]
    header, hashes, sets = decode(encode(rows, parts=2))
    assert header["shared"] == {"en_abc1234": [[0, "/papers/b/"], [2, "/papers/a/"]]}
    assert hashes == [0, 0x1111111, 0] and header["row_parts"] == [1, 0, 0]
