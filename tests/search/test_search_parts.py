"""A search index built in parts (generator/search/pagefind.py, past PART_PAGES papers): every part answers, in the browser."""

import re

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
    page.wait_for_function("document.querySelectorAll('.paper-search .md-search-result__link[href*=\"papers/\"]').length >= 3")
    assert _papers(a.get_attribute("href") for a in links.all() if "papers/" in a.get_attribute("href")) == MINE
    assert page.errors == []


def test_a_hash_two_parts_share_is_told_apart_by_its_url():
    from generator.search.facets import Row, decode, encode

    rows = [Row("en_abc1234", "/papers/b/", "2026-01-02", {}, part=1), Row("en_1111111", "/papers/c/", "2026-01-01", {}),
            Row("en_abc1234", "/papers/a/", "2025-01-01", {"year": ["2025"]}, part=0)]
    header, hashes, sets = decode(encode(rows, parts=2))
    assert header["shared"] == {"en_abc1234": [[0, "/papers/b/"], [2, "/papers/a/"]]}
    assert hashes == [0, 0x1111111, 0] and header["row_parts"] == [1, 0, 0]


# The newest part is searched first, alone (content/assets/search.js, pagefindParts): holding
# the older parts' metadata back shows what a reader sees while they load.
OLDER_META = re.compile(r"/pagefind(?:-1)?/pagefind\.[^/]*\.pf_meta")
NEWEST = "papers/2606/2606.09002/"
BOX_LINKS = ".paper-search .md-search-result__link[href*='papers/']"


def _hold_older_parts(page) -> list:
    held = []
    page.route(OLDER_META, lambda route: route.continue_() if held and held[0] is None else held.append(route))
    return held


def _release(page, held) -> None:
    """Let the older parts' metadata through: those asked for already, and any asked for later."""
    waiting = list(held)
    held[:] = [None]
    for route in waiting:
        route.continue_()


def _box_papers(page) -> set[str]:
    return _papers(a.get_attribute("href") for a in page.locator(BOX_LINKS).all())


def _type_with_older_parts_held(page, url):
    """The header box, WORD typed into it and the newest part's results shown; the older parts held."""
    held = _hold_older_parts(page)
    page.goto(url)
    box = page.locator(".paper-search .md-search__input")
    box.click()
    box.press_sequentially(WORD)
    page.locator(BOX_LINKS).first.wait_for()
    return box, held


def test_the_header_box_shows_the_newest_part_first_then_every_part(page, archive):
    _, _, url = archive
    box, held = _type_with_older_parts_held(page, url)
    assert _box_papers(page) == {NEWEST}
    status = page.locator(".paper-search .md-search-result__meta")
    assert status.text_content() == "Searching…"  # announced once, when every part has answered
    assert page.locator("#paper-search-results[aria-busy=true]").count() == 1
    _release(page, held)
    page.wait_for_function("document.querySelectorAll(\"" + BOX_LINKS + "\").length === 3")
    assert _box_papers(page) == MINE
    assert status.text_content() == "3 matching papers"
    assert page.locator("#paper-search-results[aria-busy]").count() == 0
    assert page.errors == []


def test_the_box_keeps_the_list_under_a_readers_focus_when_the_other_parts_answer(page, archive):
    _, _, url = archive
    box, held = _type_with_older_parts_held(page, url)
    box.press("ArrowDown")  # onto the newest paper's result
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert NEWEST in focused
    _release(page, held)
    status = page.locator(".paper-search .md-search-result__meta")
    page.wait_for_function("document.querySelector('.paper-search .md-search-result__meta').textContent === '3 matching papers'")
    assert page.evaluate("document.activeElement.getAttribute('href')") == focused
    assert _box_papers(page) == {NEWEST}  # the list did not change under focus ...
    all_link = page.locator(".paper-search .paper-search__all a")
    assert all_link.text_content() == "All 3 results, with filters and sorting"  # ... its link counts every part
    assert status.text_content() == "3 matching papers"
    assert page.errors == []


def _open_with_older_parts_held(page, address):
    """The search page at ``address``, the older parts held, once the newest part's papers show."""
    held = _hold_older_parts(page)
    page.goto(address)
    page.locator("#archive-search-results a.paper-item__title").first.wait_for()
    return held


def test_the_search_page_shows_the_newest_part_first_then_every_part(page, archive):
    _, _, url = archive
    held = _open_with_older_parts_held(page, url + f"search/?q={WORD}")
    assert _papers(a.get_attribute("href") for a in page.locator("#archive-search-results a.paper-item__title").all()) == {NEWEST}
    assert page.locator("#archive-search-status").text_content() == "Searching…"
    assert page.locator("#archive-search[aria-busy=true]").count() == 1
    _release(page, held)
    assert _papers(results(page)) == MINE
    assert page.locator("#archive-search-status").text_content() == "3 papers, by relevance."
    assert page.errors == []


def test_the_box_searches_once_typing_pauses_and_keeps_the_last_key(page, archive):
    _, _, url = archive
    page.goto(url)
    box = page.locator(".paper-search .md-search__input")
    box.click()
    box.press_sequentially("z")
    status = page.locator(".paper-search .md-search-result__meta")
    page.wait_for_function("document.querySelector('.paper-search .md-search-result__meta').textContent === 'Type at least 2 characters'")
    box.press_sequentially(WORD[1:] + "q", delay=20)  # a word no paper holds, then its last letter taken back at once
    box.press("Backspace")
    page.wait_for_function("document.querySelector('.paper-search .md-search-result__meta').textContent === '3 matching papers'")
    assert _box_papers(page) == MINE
    assert status.text_content() == "3 matching papers"
    assert page.errors == []


def test_an_authors_link_shows_their_newest_papers_before_the_older_parts_answer(page, archive):
    _, _, url = archive
    held = _open_with_older_parts_held(page, url + "search/?author=Quintessa+Vandermolen")  # newest first, a page of papers at most: in date order
    assert _papers(a.get_attribute("href") for a in page.locator("#archive-search-results a.paper-item__title").all()) == {NEWEST}
    assert page.locator("#archive-search-status").text_content() == "Searching…"
    _release(page, held)
    assert _papers(results(page)) == {NEWEST}
    assert page.locator("#archive-search-status").text_content() == "1 paper, newest first."
    assert page.errors == []


def test_focus_on_the_newest_parts_result_stays_on_that_paper_once_every_part_answers(page, archive):
    _, _, url = archive
    held = _open_with_older_parts_held(page, url + f"search/?q={WORD}")
    page.locator("#archive-search-q").press("ArrowDown")
    assert NEWEST in page.evaluate("document.activeElement.getAttribute('href')")
    _release(page, held)
    assert _papers(results(page)) == MINE
    assert NEWEST in page.evaluate("document.activeElement.getAttribute('href')")
    assert page.evaluate("document.getElementById('archive-search-results').contains(document.activeElement)")


def test_a_search_with_a_facet_shows_the_newest_parts_matches_first(page, archive):
    _, _, url = archive
    held = _open_with_older_parts_held(page, url + f"search/?q={WORD}&sort=newest")  # newest first: the facet file's order
    assert _papers(a.get_attribute("href") for a in page.locator("#archive-search-results a.paper-item__title").all()) == {NEWEST}
    assert page.locator("#archive-search-status").text_content() == "Searching…"
    _release(page, held)
    hrefs = results(page)
    assert [h[h.index("papers/"):] for h in hrefs] == [NEWEST, "papers/2606/2606.00975/", "papers/0112/cs-0112017/"]
    assert page.locator("#archive-search-status").text_content() == "3 papers, newest first."
    page.goto(url + f"search/?q={WORD}&year=2001")  # a facet no newest paper has: nothing early, then the old paper
    assert _papers(results(page)) == {"papers/0112/cs-0112017/"}
    assert page.errors == []


def test_while_a_reader_types_the_box_asks_the_newest_part_alone(page, archive):
    _, _, url = archive
    asked = []
    page.on("request", lambda request: OLDER_META.search(request.url) and asked.append(request.url))
    page.goto(url)
    box = page.locator(".paper-search .md-search__input")
    box.click()
    box.press_sequentially(WORD, delay=300)  # a search after each key from the third letter: the newest part's
    assert _box_papers(page) == {NEWEST}
    assert asked == []  # the other parts wait for typing to pause (search.js, MERGE_PAUSE_MS)
    page.wait_for_function("document.querySelector('.paper-search .md-search-result__meta').textContent === '3 matching papers'")
    assert len(asked) == 2 and _box_papers(page) == MINE
    assert page.errors == []
