"""Search: the Pagefind index of paper pages, and the header's search box in a browser."""
import re

import pytest

import synthetic
from arxiv_feed import Entry
from conftest import Project, serve_as_pages
from generator.search import pagefind as search
from generator.site.compact import compact_html

NASTY_TITLE = "Zorblax <img src=x onerror=alert(1)> {{ config.site_name }} & <b>bold</b>"
NASTY_ABSTRACT = 'Quxbarnacle keeps <b>bold</b> & <img src=x onerror=alert(1)> and "quotes" as typed.'
NASTY_AUTHOR = '<i>Ivy</i> & "Bo"'
BOX = ".paper-search .md-search__input"
RESULT = ".paper-search .md-search-result__link"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """40 synthetic papers and one with markup in its title, built; served under /archive/."""
    project = Project(tmp_path_factory.mktemp("search"))
    entries = synthetic.entries(40)
    entries.append(Entry(id="2606.09999v1", title=NASTY_TITLE, summary="An abstract about gossip.",
                         published="2026-06-28T10:00:00Z", authors=[("Quintessa Vandermolen", [])]))
    entries.append(Entry(id="2606.09998v1", title="Quxbarnacle excerpts", summary=NASTY_ABSTRACT,
                         published="2026-06-27T10:00:00Z", authors=[(NASTY_AUTHOR, [])]))
    synthetic.save(project.content, entries)
    project.build()
    server, url = serve_as_pages(project.site, project.root)  # the site under a path, as on GitHub Pages
    yield project, entries, url
    server.close()


def url_of(entry: Entry) -> str:
    bare = entry.id.rsplit("v", 1)[0]
    return f"papers/{bare[:4]}/{bare}/"


def named_entry(entries) -> Entry:
    """A paper whose title starts with a made-up system name, a word no other title has."""
    for entry in entries:
        name = entry.title.split(":")[0]
        if ":" in entry.title and " " not in name and sum(name in e.title for e in entries) == 1:
            return entry
    raise AssertionError("no uniquely named paper")


def search_for(page, query: str):
    page.locator(BOX).click()
    page.locator(BOX).fill(query)
    page.locator(RESULT).first.wait_for()
    return page.locator(RESULT)


# --- the index ---------------------------------------------------------------

def test_the_index_is_built_with_the_site_and_holds_only_papers(archive):
    project, entries, _ = archive
    bundle = project.site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and list((bundle / "fragment").iterdir())
    entry = (bundle / "pagefind-entry.json").read_text()
    assert f'"page_count":{len(entries)}' in entry.replace(" ", "")


def test_every_page_has_the_search_box_pointing_at_the_bundle(archive):
    project, entries, _ = archive
    for url, depth in [("", 0), ("months/2606/", 2), (url_of(entries[0]), 3)]:
        html = project.page(url)
        bundle = "../" * depth + "pagefind/" if depth else "pagefind/"
        assert f'data-bundle="{bundle}"' in html, url
        assert 'class="md-search paper-search"' in html
        assert 'data-md-component="search"' not in html  # Material's own search stays asleep


def test_a_failing_indexer_fails_the_build_with_a_clear_error(project, monkeypatch, tmp_path):
    synthetic.save(project.content, synthetic.entries(2))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of disk' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: broken)
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 4
    assert "search indexer (Pagefind) failed: Error: out of disk" in result.output


def test_compacting_keeps_pre_and_scripts_as_written():
    html = "<div>\n    <p>a</p>\n\n    <pre>  x\n    y</pre>\n  <script>\n  var a = 1\n  </script>\n</div>"
    assert compact_html(html) == "<div>\n<p>a</p>\n<pre>  x\n    y</pre>\n<script>\n  var a = 1\n  </script>\n</div>"


# --- in the browser ----------------------------------------------------------

def test_typing_a_title_word_in_the_header_finds_the_paper(page, archive):
    _, entries, url = archive
    wanted = named_entry(entries)
    page.goto(url + url_of(entries[0]))  # a paper page, three levels down
    results = search_for(page, wanted.title.split(":")[0])
    assert results.first.locator("h1").inner_text() == wanted.title
    assert wanted.id.rsplit("v", 1)[0] in results.first.inner_text()  # the result line shows the id
    results.first.click()
    page.wait_for_url(url + url_of(wanted))
    assert page.locator("h1").first.inner_text() == wanted.title
    assert page.errors == []


def test_an_arxiv_id_finds_its_paper(page, archive):
    _, entries, url = archive
    wanted = entries[17]
    page.goto(url)
    results = search_for(page, wanted.id.rsplit("v", 1)[0])
    assert results.count() == 1
    assert results.first.get_attribute("href") == "/archive/" + url_of(wanted)
    assert page.errors == []


def test_an_author_name_finds_the_paper(page, archive):
    _, _, url = archive
    page.goto(url + "months/")
    results = search_for(page, "Vandermolen")
    assert results.count() == 1 and results.first.get_attribute("href") == "/archive/papers/2606/2606.09999/"
    assert page.errors == []


def test_the_keyboard_opens_moves_and_follows(page, archive):
    _, entries, url = archive
    wanted = named_entry(entries)
    page.goto(url + "months/2606/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type(wanted.title.split(":")[0])
    page.locator(RESULT).first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/archive/" + url_of(wanted)
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.locator(BOX).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url + url_of(wanted))
    assert page.errors == []


def test_feed_markup_in_a_result_shows_as_text(page, archive):
    _, _, url = archive
    page.goto(url)
    results = search_for(page, "Zorblax")
    # Markup shows as typed; the TeX groups ({{ }}) show their content, as on the paper page.
    assert results.first.locator("h1").inner_text() == NASTY_TITLE.replace("{{ config.site_name }}", "config.site_name")
    assert page.locator(".paper-search img, .paper-search b").count() == 0
    assert page.errors == []


def test_feed_markup_in_an_excerpt_and_an_author_shows_as_text(page, archive):
    _, _, url = archive
    page.goto(url)
    result = search_for(page, "Quxbarnacle").first
    assert NASTY_AUTHOR in result.locator(".paper-search__meta").inner_text()
    assert "<b>bold</b> & <img src=x onerror=alert(1)>" in result.locator("p:not(.paper-search__meta)").inner_text()
    assert page.locator(".paper-search img, .paper-search b, .paper-search i").count() == 0
    assert page.errors == []


def test_on_a_phone_the_search_button_opens_a_full_screen_box(browser, archive):
    _, entries, url = archive
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.fulfill(status=200, body="{}"))
    phone = context.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(url + url_of(entries[3]))
    dialog = phone.locator(".paper-search .md-search__inner")
    assert dialog.bounding_box()["width"] == 0  # closed: only the header's button shows
    phone.locator("label.md-header__button[for=__search]").tap()
    phone.wait_for_function("document.activeElement && document.activeElement.name === 'q'")
    phone.wait_for_function("document.querySelector('.paper-search .md-search__inner').offsetWidth === 390")
    results = search_for(phone, "gossip")
    box = results.first.bounding_box()
    assert box and box["width"] > 300  # the results fill the screen's width
    context.close()
    assert errors == []


def test_a_search_transfers_only_part_of_the_index(page, archive):
    project, _, url = archive
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(url)
    search_for(page, "scheduling")
    fragments = [u for u in loaded if "/pagefind/fragment/" in u]
    total = len(list((project.site / "pagefind/fragment").iterdir()))
    assert 0 < len(fragments) <= 10 < total  # only the shown results' fragments
    assert not any(re.search(r"search_index\.json", u) for u in loaded)


def test_the_box_is_in_the_header_without_a_repository_link_too(project):
    project.write_config("name: No repo\nsite_url: https://example.org/\n")
    synthetic.save(project.content, synthetic.entries(1))
    html = project.build().joinpath("index.html").read_text()
    header = html[html.index("<header"):html.index("</header>")]
    assert 'class="md-search paper-search"' in header and "md-header__source" not in header


def test_many_results_come_ten_at_a_time(page, archive):
    _, entries, url = archive
    page.goto(url)
    results = search_for(page, "the")  # in most abstracts
    assert results.count() == 10
    found = int(page.locator(".paper-search .md-search-result__meta").inner_text().split()[0])
    assert 20 < found <= len(entries)
    assert page.locator(".paper-search__more button").inner_text() == "Show 10 more"
    page.locator(".paper-search__more button").click()
    page.wait_for_function("document.querySelectorAll('.paper-search .md-search-result__link').length === 20")
    assert page.evaluate("document.activeElement.getAttribute('href')") == results.nth(10).get_attribute("href")
    assert page.errors == []


def test_npm_pagefind_is_preferred_when_make_venv_installed_it(archive):
    """`make venv` installs Pagefind 1.6 from npm (faster search); the PyPI wheel is the fallback."""
    import json
    project, _, _ = archive
    version = json.loads((project.site / "pagefind" / "pagefind-entry.json").read_text())["version"]
    if search.npm_pagefind() is None:
        pytest.skip("npm's Pagefind is not installed (no npm here): the build used the PyPI wheel's")
    assert version == "1.6.0"
    assert search.pagefind_executable() == search.npm_pagefind()


def test_without_npm_the_wheel_binary_builds_the_index(project, monkeypatch):
    monkeypatch.setattr(search, "npm_pagefind", lambda: None)
    synthetic.save(project.content, synthetic.entries(3))
    site = project.build()
    import json
    assert json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["version"] == "1.5.2"


def test_an_empty_archive_builds_with_a_search_bundle(project):
    """A fresh archive before its first harvest has no paper pages for Pagefind's --glob."""
    assert not project.paper_files()
    site = project.build()
    assert (site / "index.html").exists() and (site / "pagefind" / "pagefind.js").exists()
