"""The search page, /search/: URL state, facets, sorting, author links, arXiv ids, code, in a browser."""
import re
from urllib.parse import quote_plus

import pytest

import synthetic
from arxiv_feed import Entry
from conftest import Project, SiteServer, serve_as_pages, settle
from generator.site.code_links import code_links

RESULTS = "#archive-search-results .paper-item__title"
STATUS = "#archive-search-status"
TOPIC = "---\ntitle: Consensus <b>protocols</b>\ndescription: Agreement.\nmatch:\n  keywords: [consensus]\n---\n\nIntro.\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("search-page"))
    entries = synthetic.entries(60)
    many = [(f"Member {n}", []) for n in range(40)] + [("Quintessa Vandermolen", [])]  # past max_authors
    entries += [
        Entry(id="2606.09001v1", title="Consensus with $O(n^2)$ messages", published="2024-03-01T10:00:00Z",
              summary="A consensus protocol. Code: https://github.com/example/quorum.", authors=[("Quintessa Vandermolen", [])]),
        Entry(id="2606.09002v1", title="Consensus again", published="2025-03-01T10:00:00Z", categories=["cs.DC", "cs.LG"],
              summary="More consensus.", comment="Artifact: 10.5281/zenodo.123456", authors=[("Ivo Quist", [])]),
        Entry(id="2606.09003v1", title="A big collaboration", published="2023-03-01T10:00:00Z",
              summary="Gossip at scale.", authors=many),
        Entry(id="cs/0112017v1", title="An old consensus paper", published="2001-12-10T10:00:00Z",
              summary="Old-style id, with consensus.", authors=[("Ada Old", [])]),
    ]
    synthetic.save(project.content, entries)
    (project.content / "topics").mkdir()
    (project.content / "topics" / "consensus.md").write_text(TOPIC, encoding="utf-8")
    project.build()
    server, url = serve_as_pages(project.site, project.root)  # the site under a path, as on GitHub Pages
    yield project, entries, url
    server.close()


def results(page):
    page.wait_for_function("!/Searching/.test(document.getElementById('archive-search-status').textContent)")
    page.locator(STATUS).filter(has_text=re.compile(r"paper|No matching")).wait_for()
    page.locator("#archive-search[aria-busy=false]").wait_for(state="attached")  # facets and advice too
    return [a.get_attribute("href") for a in page.locator(RESULTS).all()]


def topic_papers(project) -> list[str]:
    html = project.page("topics/consensus/")
    return re.findall(r'class="paper-item__title" href="\.\./\.\./(papers/[^"]+)"', html)


def test_a_url_with_query_topic_and_sort_shows_those_results_newest_first(page, archive):
    project, entries, url = archive
    in_topic = topic_papers(project)
    page.goto(url + "search/?q=messages")
    first = results(page)
    page.goto(url + "search/?q=consensus&topic=consensus&sort=newest")
    found = results(page)
    assert sorted(found) == sorted("/archive/" + p for p in in_topic)  # only the topic's matches
    dates = page.locator("#archive-search-results .paper-item__date").all_inner_texts()
    from datetime import datetime
    parsed = [datetime.strptime(d, "%d %b %Y") for d in dates]
    assert parsed == sorted(parsed, reverse=True)
    assert page.locator("#archive-search-sort").input_value() == "newest"
    count = page.locator('fieldset[data-key=topic] label:has(input[value=consensus]) .archive-search__count').inner_text()
    assert count == f"({len(in_topic)})"  # agrees with the topic page
    assert "Consensus <b>protocols</b>" in page.locator("fieldset[data-key=topic]").inner_text()  # a name is text
    assert page.locator("#archive-search-results math").count() >= 1  # TeX as on the paper page
    assert "$" not in page.locator("#archive-search-results").inner_text()
    page.go_back()
    page.wait_for_url(url + "search/?q=messages")
    assert results(page) == first
    assert page.errors == []


def test_changing_a_facet_or_the_sort_updates_the_url_and_back_steps_back(page, archive):
    _, _, url = archive
    page.goto(url + "search/?q=consensus")
    results(page)
    page.locator('fieldset[data-key=year] input[value="2025"]').check()
    page.wait_for_url(re.compile(r"year=2025"))
    assert results(page) == ["/archive/papers/2606/2606.09002/"]
    page.locator("#archive-search-sort").select_option("oldest")
    page.wait_for_url(re.compile(r"sort=oldest"))
    page.go_back()
    page.wait_for_url(re.compile(r"year=2025$"))
    page.go_back()
    page.wait_for_url(url + "search/?q=consensus")
    page.wait_for_function("""!document.querySelector('fieldset[data-key=year] input[value="2025"]').checked""")
    assert results(page) and page.locator("#archive-search-q").input_value() == "consensus"
    assert page.errors == []


def test_an_empty_query_with_a_facet_lists_that_facets_papers(page, archive):
    project, _, url = archive
    page.goto(url + "search/?topic=consensus")
    found = results(page)
    assert sorted(found) == sorted("/archive/" + p for p in topic_papers(project))
    assert page.locator("#archive-search-sort").input_value() == "newest"  # the default without a query


def test_a_facet_with_no_match_is_disabled_and_no_result_says_what_to_drop(page, archive):
    _, _, url = archive
    page.goto(url + "search/?q=gossip&year=2025")
    assert results(page) == []
    advice = page.locator("#archive-search-advice").inner_text()
    assert "Drop Year: 2025" in advice
    disabled = page.locator("fieldset[data-key=category] input:disabled")
    assert disabled.count() >= 1
    assert page.errors == []


def test_clicking_an_author_lists_exactly_their_papers_also_past_max_authors(page, archive):
    _, entries, url = archive
    page.goto(url + "papers/2606/2606.09001/")
    page.locator(".paper__authors a", has_text="Quintessa Vandermolen").click()
    page.wait_for_url(re.compile(r"author=Quintessa"))
    expected = sorted(f"/archive/papers/2606/{e.id[:10]}/" for e in entries
                      if any(name == "Quintessa Vandermolen" for name, _ in e.authors))
    assert sorted(results(page)) == expected and len(expected) == 2  # one names her past its 30 authors
    big = (archive[0].page("papers/2606/2606.09003/"))
    assert "Quintessa" not in big  # not sent in the page
    assert page.locator(".md-content h1").inner_text() == "Papers by Quintessa Vandermolen"
    assert page.errors == []


@pytest.mark.parametrize("form,target", [
    ("2606.09002", "papers/2606/2606.09002/"), ("2606.09002v2", "papers/2606/2606.09002/"),
    ("arXiv:2606.09002", "papers/2606/2606.09002/"), ("https://arxiv.org/abs/2606.09002v1", "papers/2606/2606.09002/"),
    ("cs/0112017", "papers/0112/cs-0112017/"), ("cs.DC/0112017", "papers/0112/cs-0112017/"),
])
def test_each_arxiv_id_form_opens_its_paper(page, archive, form, target):
    _, _, url = archive
    page.goto(url + "search/?q=" + quote_plus(form))
    page.wait_for_url(url + target)
    page.goto(url + "months/")
    page.locator(".paper-search .md-search__input").click()
    page.locator(".paper-search .md-search__input").fill(form)
    first = page.locator(".paper-search .md-search-result__link").first
    first.wait_for()
    assert first.get_attribute("href") == "/archive/" + target


def test_the_code_facet_lists_exactly_the_papers_with_a_code_button(page, archive):
    project, entries, url = archive
    with_button = sorted("/archive/" + str(p.parent.relative_to(project.site)) + "/"
                         for p in (project.site / "papers").rglob("index.html") if 'class="md-button paper__code"' in p.read_text())
    assert len(with_button) >= 2
    page.goto(url + "search/?code=1")
    assert sorted(results(page)) == with_button
    html = project.page("papers/2606/2606.09002/")
    assert 'href="https://doi.org/10.5281/zenodo.123456"' in html


def test_the_header_panel_links_all_results_to_the_search_page(page, archive):
    _, _, url = archive
    page.goto(url)
    page.locator(".paper-search .md-search__input").click()
    page.locator(".paper-search .md-search__input").fill("consensus")
    link = page.locator(".paper-search__all a")
    link.wait_for()
    assert re.match(r"All \d+ results", link.inner_text())
    link.click()
    page.wait_for_url(url + "search/?q=consensus")
    assert len(results(page)) >= 3


def test_keyboard_moves_through_results_and_escape_returns(page, archive):
    _, _, url = archive
    page.goto(url + "search/?q=consensus")
    found = results(page)
    page.locator("#archive-search-q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == found[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == found[1]
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "archive-search-q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(found[0]) + "$"))


def test_the_search_page_is_accessible_and_small(page, archive):
    project, _, url = archive
    assert len(project.page("search/").encode()) <= 30_000
    page.goto(url + "search/?q=consensus")
    results(page)
    assert page.locator(STATUS).get_attribute("aria-live") == "polite"
    from axe_playwright_python.sync_playwright import Axe
    settle(page)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


def test_code_links_are_http_and_from_code_hosts():
    assert code_links("see https://github.com/a/b.", "javascript:alert(1) https://example.com/x") == ["https://github.com/a/b"]
    assert code_links("swh:1:dir:" + "a" * 40) == ["https://archive.softwareheritage.org/swh:1:dir:" + "a" * 40]
    assert code_links("(gitlab.com/x/y)") == ["https://gitlab.com/x/y"]


@pytest.mark.parametrize("path,query", [("papers/0112/cs-0112017x/", "cs 0112017x"), ("papers/2606/2606.09002/", "2606.09002"),
                                        ("topics/byzantine-consensus/", "byzantine consensus")])
def test_the_404_page_offers_a_search_for_the_mistyped_address(page, archive, path, query):
    project, _, url = archive
    body = (project.site / "404.html").read_text()
    # GitHub Pages answers a missing address with 404.html: so does this route.
    page.route(url + "missing/" + path, lambda route: route.fulfill(status=404, content_type="text/html", body=body))
    page.goto(url + "missing/" + path)
    link = page.locator("#not-found-search")
    page.wait_for_function("document.getElementById('not-found-search').href.includes('?q=')")
    assert link.get_attribute("href").endswith("/archive/search/?q=" + quote_plus(query))


def test_results_show_before_the_facets_data_loads_and_counts_follow(page, archive):
    """A plain text search waits for no facet: the facet file is held back
    until the results show; the counts come once it arrives, and are announced."""
    project, entries, url = archive
    held = []
    def hold(route):
        held.append(route)
    page.route(re.compile(r"/search/facets\.bin(\?ts=[\w-]+)?$"), hold)
    page.goto(url + "search/?q=consensus")
    page.locator(RESULTS).first.wait_for()
    assert page.locator(STATUS).inner_text().endswith("by relevance.")
    assert page.locator("#archive-search").get_attribute("aria-busy") == "true"
    assert page.locator("fieldset[data-key=year] input").count() == 0  # no counts yet
    page.wait_for_function("document.getElementById('archive-search-facets-status').textContent.includes('Counting')")
    assert held, "the facets' data was not asked for after the results"
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/search/facets\.bin(\?ts=[\w-]+)?$"), hold)
    page.locator("#archive-search[aria-busy=false]").wait_for(state="attached")
    assert page.locator('fieldset[data-key=year] input[value="2025"]').count() == 1
    assert page.get_by_role("status").filter(has_text="Filter counts are for these results").count() == 1


def test_the_facet_file_agrees_with_the_topic_page_and_the_papers(archive):
    """search/facets.bin, read back: one row a paper, newest first, and the topic's rows are its page's papers."""
    import gzip
    from generator.search.facets import FACETS_FILE, decode, read_fragment

    project, entries, _ = archive
    header, hashes, sets = decode((project.site / FACETS_FILE).read_bytes())
    assert header["count"] == len(entries) == len(hashes)
    bundle = project.site / "pagefind" / "fragment"
    ids = [header["prefix"] + format(h, "0{}x".format(header["width"])) for h in hashes]
    for odd, row in header["ids"].items():
        ids[row] = odd
    fragments = [read_fragment(bundle / f"{i}.pf_fragment") for i in ids]
    published = [f["meta"]["published"] for f in fragments]
    assert published == sorted(published, reverse=True)  # rows are newest first
    urls = [f["url"].lstrip("/") for f in fragments]
    assert sorted(urls[r] for r in sets["topic"]["consensus"]) == sorted(topic_papers(project))
    assert [urls[r] for r in sets["code"]["1"]] and all(
        "paper__code" in project.page(urls[r]) for r in sets["code"]["1"])
    assert gzip.decompress((project.site / FACETS_FILE).read_bytes())[:4] == b"AFC1"


def test_a_page_hash_of_another_shape_is_named_in_the_header():
    """Pagefind lengthens a hash that would collide (8 hex digits): the row is found by its name."""
    from generator.search.facets import Row, decode, encode

    rows = [Row("en_0000000", "/b/", "2026-01-02", {"year": ["2026"]}), Row("en_1234abcd", "/a/", "2026-01-01", {}),
            Row("en_abc1234", "/c/", "2025-01-01", {"year": ["2025"], "topic": ["x"]})]
    header, hashes, sets = decode(encode(rows))
    assert header["ids"] == {"en_0000000": 0, "en_1234abcd": 1}
    assert hashes == [0, 0, 0xabc1234]
    assert sets["year"] == {"2026": [0], "2025": [2]} and sets["topic"] == {"x": [2]}


def test_the_search_page_preloads_what_pagefind_asks_for_first(page, archive):
    """Pagefind's metadata and WebAssembly are named in the built page and fetched once, with it; its
    entry is asked for fresh (a search page cached from the build before still finds today's index)."""
    import json

    project, _, url = archive
    html = project.page("search/")
    entry = json.loads((project.site / "pagefind" / "pagefind-entry.json").read_text())
    tag = entry["languages"]["en"]["hash"]
    for name in (f"pagefind.{tag}.pf_meta", "wasm.en.pagefind"):
        assert f'<link rel="preload" href="../pagefind/{name}" as="fetch" crossorigin="anonymous">' in html
    assert "pagefind-entry.json" not in html
    # the facet file is asked for by the index's hash: one cached from the build before is not used
    assert f'data-facets="facets.bin?ts={tag}"' in html
    assert "facets.bin" not in html.replace(f'data-facets="facets.bin?ts={tag}"', "")  # not preloaded: see below
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(url + "search/?q=consensus")
    assert results(page)
    assert len([u for u in asked if "pagefind-entry.json" in u]) == 1
    for name in (f"pagefind.{tag}.pf_meta", "wasm.en.pagefind"):
        assert [u for u in asked if u.endswith(name)] == [url + "pagefind/" + name]  # the preload, not a second
    assert not [u for u in asked if "pagefind-worker" in u or "/pagefind/filter/" in u]
    assert [u for u in asked if "facets.bin" in u] == [url + f"search/facets.bin?ts={tag}"]  # once, for the counts
    assert page.errors == []


@pytest.mark.parametrize("name", ["truncated", "corrupt deflate", "a JSON list"])
def test_a_broken_fragment_is_a_build_error_naming_it(tmp_path, name):
    """Truncated gzip (EOFError) and corrupt deflate (zlib.error) are neither OSError nor ValueError."""
    import gzip
    from generator.errors import BuildError
    from generator.search.facets import read_rows

    good = gzip.compress(b'pagefind_dcd{"url": "/a/", "meta": {"published": "2026-01-01"}}')
    data = {"truncated": good[:-6], "corrupt deflate": good[:12] + b"\xff\xff\xff" + good[15:],
            "a JSON list": gzip.compress(b"pagefind_dcd[1, 2]")}[name]
    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "en_1234567.pf_fragment").write_bytes(data)
    with pytest.raises(BuildError, match=r"en_1234567\.pf_fragment: cannot read"):
        read_rows(tmp_path)


def test_an_unwritable_facet_file_is_a_build_error_naming_it(tmp_path):
    from generator.errors import BuildError
    from generator.search.facets import write_facets

    (tmp_path / "bundle" / "fragment").mkdir(parents=True)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "search").write_text("a file where the folder goes")
    with pytest.raises(BuildError, match=r"search/facets\.bin: cannot write"):
        write_facets(tmp_path / "site", tmp_path / "bundle")


def test_without_the_facet_file_a_plain_search_still_shows_its_results_and_says_so(page, archive):
    """facets.bin missing (a failed deploy, a proxy): words by relevance still work; the rest says why not, never 'Searching…'."""
    _, _, url = archive
    missing = re.compile(r"/search/facets\.bin(\?ts=[\w-]+)?$")
    page.route(missing, lambda route: route.fulfill(status=404, body="not found"))
    page.goto(url + "search/?q=consensus")
    found = results(page)
    assert len(found) >= 3 and page.locator(STATUS).inner_text().endswith("by relevance.")
    assert "The filters could not be loaded" in page.locator("#archive-search-facets-status").inner_text()
    page.goto(url + "search/?q=consensus&year=2025")
    page.locator("#archive-search[aria-busy=false]").wait_for(state="attached")
    assert "The filters could not be loaded" in page.locator(STATUS).inner_text()
    assert page.locator(RESULTS).count() == 0
    page.unroute(missing)
    page.locator("#archive-search-sort").select_option("newest")  # the next search asks again
    assert results(page) == ["/archive/papers/2606/2606.09002/"]


def test_an_arxiv_id_looked_up_after_the_reader_moved_on_changes_nothing(page, archive):
    """Back/Forward or a new search while an id's HEAD request is out: its late answer neither advises nor stalls the status."""
    _, _, url = archive
    held = []
    page.route(re.compile(r"/papers/2401/2401\.99999/$"), lambda route: held.append(route))
    page.goto(url + "search/?q=2401.99999")
    page.wait_for_function("document.getElementById('archive-search').getAttribute('aria-busy') === 'true'")
    while not held:
        page.wait_for_timeout(20)
    page.locator("#archive-search-q").fill("consensus")
    page.locator("#archive-search-q").press("Enter")
    found = results(page)
    with page.expect_response(re.compile(r"2401\.99999/$")):
        held[0].continue_()
    page.wait_for_timeout(300)
    assert "not in this archive" not in page.locator("#archive-search-advice").inner_text()
    assert page.locator(STATUS).inner_text().endswith("by relevance.")
    assert [a.get_attribute("href") for a in page.locator(RESULTS).all()] == found


def test_a_server_that_sends_the_files_decompressed_is_read_as_pagefind_reads_it(page, archive):
    """Pagefind accepts a fragment already decompressed (a host that sets Content-Encoding: gzip); so does the page."""
    import gzip

    project, _, url = archive

    def decompressed(route):
        response = route.fetch()
        route.fulfill(response=response, body=gzip.decompress(response.body()))
    page.route(re.compile(r"/search/facets\.bin(\?ts=[\w-]+)?$|/pagefind/fragment/"), decompressed)
    page.goto(url + "search/?topic=consensus")
    assert sorted(results(page)) == sorted("/archive/" + p for p in topic_papers(project))
    assert page.errors == []


def test_an_empty_archive_says_it_has_no_papers_whatever_the_filters(page, tmp_path):
    """Before the first harvest the facet file has no row: a filter in the URL is not a reason to 'try other words'."""
    project = Project(tmp_path)
    project.build()
    server = SiteServer(project.site)
    try:
        for query in ("", "?topic=consensus&year=2025"):
            page.goto(server.url + "search/" + query)
            assert results(page) == []
            assert page.locator("#archive-search-advice").inner_text() == "The archive has no papers yet."
        assert page.errors == []
    finally:
        server.close()


def test_a_word_no_paper_holds_finds_nothing_and_the_excerpt_is_the_abstracts(page, archive):
    """Without ../shared too (tests/search/test_search_words.py has real papers): Pagefind's shorter prefix is no match."""
    _, _, url = archive
    page.goto(url + "search/?q=marmalade")
    assert results(page) == []
    assert page.locator(STATUS).inner_text() == "No paper mentions marmalade."
    page.goto(url + "search/?q=gossip")
    assert results(page)
    for text in page.locator("#archive-search-results .archive-search__excerpt").all_inner_texts():
        assert not re.search(r"zq[bcdfghjklmnpqrtvwxz]{16}", text) and "Topics:" not in text


def test_a_result_shows_the_comment_and_a_pdf_link_as_a_listing_does(page, archive):
    project, entries, url = archive
    page.goto(url + "search/?q=" + quote_plus("consensus again"))
    results(page)
    item = page.locator("#archive-search-results .paper-item", has=page.locator('a[href$="/2606.09002/"]'))
    assert item.locator(".paper-item__comment").inner_text() == "Artifact: 10.5281/zenodo.123456"
    assert item.locator(".paper-item__pdf").get_attribute("href").startswith("https://arxiv.org/pdf/2606.09002")
    listing = project.page("papers/2606/2606.09002")  # the paper page's own record agrees
    assert "Artifact: 10.5281/zenodo.123456" in listing
