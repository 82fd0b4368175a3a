"""The reader's library in a browser: damaged or foreign storage, two tabs, thousands of
papers, offline once loaded, the Library tab, COinS, suggestions, published records, axe."""
import json
import re

import pytest

from conftest import offline_context, settle
from generator.site.library_data import AUTHORS_MARK, MONTH_SCHEMA, TITLE_MARK, shard_path, whole_record
from library_site import HOSTILE, KEY, SAVE, archive, download, library_titles, press, watched  # noqa: F401


@pytest.mark.parametrize("stored", ["{not json", '{"schema": 99, "papers": {}}', '["someone else\'s"]',
                                    '{"schema": 1, "papers": {"2606.09002": {"id": "2606.09002", "saved": 7}}, "follows": {}}'])
def test_damaged_or_foreign_storage_is_reported_and_kept_aside(browser, archive, stored):
    project, url = archive
    context = watched(offline_context(browser), [])
    page = context.new_page()
    page.goto(url + "papers/2606/2606.09001/")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, stored])
    page.reload()
    assert page.locator(f".paper__links {SAVE}").get_attribute("aria-pressed") == "false"
    page.goto(url + "library/")
    status = page.locator("#archive-library-status")
    page.get_by_text("No saved papers yet").wait_for()
    assert "could not be read" in status.inner_text()
    page.goto(url + "papers/2606/2606.09001/")
    press(page, page.locator(f".paper__links {SAVE}"))
    assert page.evaluate("key => localStorage.getItem(key + ':unreadable')", KEY) == stored  # never lost
    assert json.loads(page.evaluate("key => localStorage.getItem(key)", KEY))["schema"] == 1
    assert page.errors == []
    context.close()


def test_two_tabs_agree(browser, archive):
    project, url = archive
    context = watched(offline_context(browser), [])
    one, two = context.new_page(), context.new_page()
    one.goto(url + "months/2606/")
    two.goto(url + "papers/2606/2606.09002/")
    item = one.locator(".paper-item", has=one.locator(".paper-item__meta", has_text="2606.09002")).locator(SAVE)
    press(one, item)
    two.wait_for_function("() => document.querySelector('.paper__links .archive-toggle').getAttribute('aria-pressed') === 'true'")
    two.goto(url + "library/")
    assert len(library_titles(two)) == 1
    one.bring_to_front()
    item.click()  # removed in one tab: gone from the other's library
    two.get_by_text("No saved papers yet").wait_for()
    context.close()


def test_the_library_and_a_paper_page_have_no_axe_violation(browser, archive):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    project, url = archive
    context = offline_context(browser)
    page = context.new_page()
    page.goto(url + "papers/2606/2606.09001/")
    press(page, page.locator(f".paper__links {SAVE}"))
    page.goto(url + "topics/consensus/")
    press(page, page.get_by_role("button", name="Follow this topic"))
    problems = {}
    for path in ["library/", "papers/2606/2606.09001/", "topics/consensus/", "months/2606/"]:
        page.goto(url + path, wait_until="networkidle")
        settle(page)
        violations = axe.run(page).response["violations"]
        if violations:
            problems[path] = [f"{v['id']}: " + "; ".join(n["html"][:100] for n in v["nodes"][:2]) for v in violations]
    assert not problems, problems
    context.close()


def test_a_paper_page_costs_a_few_hundred_bytes_more(archive):
    project, url = archive
    html = project.page("papers/2606/2606.09001/")
    assert html.count("library") <= 2  # the loader's script tag: the buttons are the loader's
    assert "library.js" not in html


def test_the_library_is_in_the_navigation_and_works_offline_once_loaded(browser, archive):
    project, url = archive
    context = watched(offline_context(browser, accept_downloads=True, viewport={"width": 1350, "height": 940}), [])
    page = context.new_page()
    page.goto(url + "papers/2606/2606.09001/")
    press(page, page.locator(f".paper__links {SAVE}"))
    page.locator(".md-tabs__list").get_by_role("link", name="Library").click()
    page.wait_for_url(url + "library/")
    page.wait_for_load_state("networkidle")  # loaded: the index, the record files, the suggestions' titles
    assert len(library_titles(page)) == 1
    assert page.locator(".md-tabs__list a[aria-current=page]").inner_text().strip() == "Library"
    context.set_offline(True)  # the page keeps working: export, note, remove
    assert "2606.09001" in download(page, "bib")
    page.fill("#note-2606\\.09001", "read on the train")
    page.keyboard.press("Tab")  # to the tags: the note is kept, and focus stays where the reader moved it
    page.get_by_text("Note and tags kept.").wait_for()
    assert page.evaluate("document.activeElement.id") == "tags-2606.09001"
    page.keyboard.type("commute, later")
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelectorAll('#archive-library-tag option').length === 3")
    page.get_by_role("button", name=re.compile("^Remove Consensus")).click()
    page.get_by_text("No saved papers yet").wait_for()
    assert page.errors == []
    context.close()


def test_a_listing_carries_coins_for_zotero(page, archive):
    from urllib.parse import parse_qs
    project, url = archive
    page.goto(url + "months/2606/")
    item = page.locator(".paper-item", has=page.locator(".paper-item__meta", has_text="2606.09001"))
    fields = parse_qs(item.locator("span.Z3988").get_attribute("title"))
    assert fields["rft_id"] == ["info:arxiv/2606.09001", "https://arxiv.org/abs/2606.09001"]
    assert fields["rft.au"] == ["Quintessa Vandermolen", "Ivo Quist"] and fields["rft.date"] == ["2026"]
    assert fields["rft.atitle"][0].startswith("Consensus with")
    assert page.locator("span.Z3988").count() == page.locator(".paper-item").count()
    assert "Z3988" not in project.page("months/2606/")  # not in the HTML sent


def test_author_tokens_agree_with_the_build(page, archive):
    from generator.site.library_data import author_token
    project, url = archive
    page.goto(url + "library/")
    names = ["Quintessa Vandermolen", "José  Müller-Łukasiewicz", "ＡＢＣ Wide", "Zoë O'Brien", "李 小龙"]
    assert page.evaluate("names => names.map(window.archiveLibrary.authorToken)", names) == [author_token(n) for n in names]


def test_suggestions_are_scored_as_the_benchmark_scores_them(browser, archive):
    import sys
    sys.path.insert(0, str(project_root()))
    from benchmarks.library_suggest import suggest
    project, url = archive
    records = {}
    for path in (project.site / "library" / "m").glob("*.json"):
        records.update(json.loads(path.read_text(encoding="utf-8"))["papers"])
    related = {pid: r["related"] for pid, r in records.items()}
    saved = sorted((pid for pid in related if related[pid]), key=lambda pid: -len(related[pid]))[:4]
    assert saved, "the test archive has no related papers"
    expected = suggest(saved, related)
    context = offline_context(browser)
    page = context.new_page()
    page.goto(url + "library/")
    stored = {"schema": 1, "follows": {}, "papers": {pid: {"id": pid, "saved": "2026-06-01T00:00:00Z", "note": "", "tags": [],
                                                          "record": records[pid]} for pid in saved}}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, json.dumps(stored)])
    page.reload()
    page.locator("#archive-library-suggested .archive-library__near").first.wait_for()
    shown = [a.split("/")[-2] for a in page.locator("#archive-library-suggested .paper-item__title").evaluate_all("as => as.map(a => a.pathname)")]
    assert shown == expected
    first = page.locator("#archive-library-suggested .archive-toggle").first
    first.click()  # saved from the suggestions: it joins the library
    page.wait_for_function(f"() => document.querySelectorAll('#archive-library-papers .paper-item').length === {len(saved) + 1}")
    context.close()


def test_a_library_of_thousands_of_papers(browser, archive):
    project, url = archive
    record = whole_record("2606.09001", json.loads((project.site / shard_path("2606.09001")).read_text())["papers"]["2606.09001"])
    context = offline_context(browser)
    page = context.new_page()
    page.goto(url + "months/2606/")
    size = page.evaluate("""([key, record]) => {
        const papers = {};
        for (let i = 0; i < 3000; i++) {
          const id = `2501.${String(i).padStart(5, "0")}`;
          papers[id] = { id, saved: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), note: "", tags: [], record };
        }
        const value = JSON.stringify({ schema: 1, papers, follows: {} });
        localStorage.setItem(key, value);
        return value.length;
      }""", [KEY, record])
    assert size > 2_000_000
    page.reload()
    press(page, page.locator(".paper-item", has=page.locator(".paper-item__meta", has_text="2606.09002")).locator(SAVE))
    page.goto(url + "library/")
    page.wait_for_function("() => document.querySelectorAll('#archive-library-papers > li').length === 3001")
    assert page.locator("#archive-library-papers .paper-item__id").first.inner_text() == "2606.09002"
    context.close()


def project_root():
    from pathlib import Path
    return Path(__file__).resolve().parents[2]


def test_the_published_records_are_the_pages_own(archive):
    project, url = archive
    index = json.loads((project.site / "library/index.json").read_text())
    titles = json.loads((project.site / "library/titles.json").read_text())
    assert titles["build"] == index["build"] and len(titles["column"]) == len(index["papers"])
    assert HOSTILE in titles["column"]  # data, read as text
    marked = 0
    for row in index["papers"]:
        paper_id = row[0]
        month = json.loads((project.site / shard_path(paper_id)).read_text())
        assert month["schema"] == MONTH_SCHEMA
        served = month["papers"][paper_id]
        record = whole_record(paper_id, served)
        html = project.page(record["url"])
        entry = re.search(r'id="bibtex"><pre><code>(.*?)</code>', html, re.S).group(1)
        import html as html_module
        assert record["bibtex"].strip() == html_module.unescape(entry).strip()
        # Each thing is said once, where the entry's fields are the record's.
        marked += TITLE_MARK in served["bibtex"] and AUTHORS_MARK in served["bibtex"] and "url" not in served
    assert marked >= len(index["papers"]) // 2
    assert shard_path("cs/0112017") == "library/m/0112-1.json"  # 112017 % 16


def test_an_old_style_id_is_saved_from_its_page(page, archive):
    project, url = archive
    page.goto(url + "papers/0112/cs-0112017/")
    press(page, page.locator(f".paper__links {SAVE}"))
    page.goto(url + "library/")
    assert library_titles(page) == ["An old-style identifier"]
    link = page.locator("#archive-library-papers .paper-item__title").get_attribute("href")
    assert link == "/archive/papers/0112/cs-0112017/"
    assert page.errors == []


def test_a_month_files_record_says_each_thing_once_and_reads_back_whole():
    from generator.archive.models import Author
    from generator.site.bibtex import bibtex_entry
    from generator.site.library_data import FIELDS_MARK, URL_MARK, PaperFacts, _full
    from test_store import make_paper

    plain = make_paper(title="Plain words", authors=[Author("Ana Ruiz"), Author("Bo Li")])
    tex = make_paper(title="Fast 50% of $x_1$ & {GPU}s", authors=[Author("Smith and Sons Lab"), Author("G\\\"otte")])
    many = make_paper(authors=[Author(f"Member {i}") for i in range(40)], doi="10.1145/1", journal_ref="Proc. X")
    odd = make_paper(title="A title holding \x00A and \x00Y, the marks")
    old = make_paper(id="cs/0112017", published="2001-12-05T00:00:00Z", updated="2002-01-01T00:00:00Z")
    for paper, marked in ((plain, True), (tex, False), (many, True), (odd, False), (old, True)):
        authors = paper.authors[:30]
        entry = bibtex_entry(paper, "key", max_authors=30)
        served = _full(paper, PaperFacts([], False, entry, [], authors))
        record = whole_record(paper.id, served)  # library.js's whole() does the same
        assert record["bibtex"] == entry and record["url"] == paper.url and record["updated"] == paper.updated
        assert record["more_authors"] == len(paper.authors) - len(authors)
        assert (TITLE_MARK in served["bibtex"] and AUTHORS_MARK in served["bibtex"]) == marked, paper.title
        assert FIELDS_MARK in served["bibtex"] and URL_MARK in served["bibtex"] and "url" not in served
