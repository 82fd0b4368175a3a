"""The reader's library (/library/), in a real browser on a built archive: save from
three kinds of page, export (parsed by real BibTeX and RIS parsers), import into a
fresh browser, follow a topic, an author and a search across a rebuild.
tests/site/test_library_storage.py: storage, tabs, offline, navigation, COinS, axe."""
import csv
import io
import json
import re

import synthetic
from arxiv_feed import Entry
from conftest import SiteServer, offline_context
from generator.site.library_data import shard_path
from library_site import (FIRST, HOSTILE, KEY, NEW, SAVE, archive, download, library_titles, make_archive,  # noqa: F401
                          page_bibtex, press, publish, watched)


def test_save_from_three_kinds_of_page_export_and_import(browser, archive, tmp_path):
    project, url = archive
    hosts = []
    context = watched(offline_context(browser, accept_downloads=True), hosts)
    page = context.new_page()
    page.goto(url + "papers/2606/2606.09001/")
    button = page.locator(f".paper__links {SAVE}")
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_function("() => document.querySelector('.paper__links .archive-toggle').getAttribute('aria-pressed') === 'true'")
    assert "Saved" in page.locator("#archive-library-status").inner_text()

    page.goto(url + "months/2606/")  # a listing
    item = page.locator(".paper-item", has=page.locator(".paper-item__meta", has_text="2606.09002"))
    press(page, item.locator(SAVE))
    # The first paper shows as saved in the listing too.
    saved_item = page.locator(".paper-item", has=page.locator(".paper-item__meta", has_text="2606.09001"))
    assert saved_item.locator(SAVE).first.get_attribute("aria-pressed") == "true"

    page.goto(url + "search/?q=Paxos")  # a search result
    result = page.locator("#archive-search-results .paper-item", has=page.locator(".paper-item__id", has_text="2606.09003"))
    result.locator(SAVE).wait_for()
    press(page, result.locator(SAVE))
    assert page.evaluate("window.pwned") is None

    page.goto(url + "library/")
    titles = library_titles(page)
    assert len(titles) == 3 and titles[0].startswith("<img src=x")  # newest saved first; a title is text
    assert page.locator("#archive-library-papers img").count() == 0 and page.evaluate("window.pwned") is None

    ids = ["2606.09001", "2606.09002", "2606.09003"]
    from pybtex.database import parse_string
    bib_text = download(page, "bib")
    bib = parse_string(bib_text, "bibtex")
    assert len(bib.entries) == 3
    for paper_id in ids:  # each entry is the paper page's own, key and fields
        assert page_bibtex(project, paper_id) in bib_text
        assert any(e.fields["eprint"] == paper_id for e in bib.entries.values())
    first = next(e for e in bib.entries.values() if e.fields["eprint"] == "2606.09001")
    assert [str(p) for p in first.persons["author"]] == ["Vandermolen, Quintessa", "Quist, Ivo"]
    assert first.fields["doi"] == "10.1145/1234567"

    import rispy
    ris = {e["accession_number"]: e for e in rispy.loads(download(page, "ris"))}
    assert sorted(ris) == [f"arXiv:{i}" for i in ids]
    assert ris["arXiv:2606.09001"]["title"] == json.loads((project.site / shard_path("2606.09001")).read_text())["papers"]["2606.09001"]["title"]
    assert ris["arXiv:2606.09001"]["authors"] == ["Quintessa Vandermolen", "Ivo Quist"]
    assert ris["arXiv:2606.09001"]["doi"] == "10.1145/1234567"
    assert ris["arXiv:2606.09003"]["title"] == HOSTILE.replace("\n", " ")

    rows = list(csv.DictReader(io.StringIO(download(page, "csv"))))
    assert sorted(r["arxiv_id"] for r in rows) == ids

    page.fill("#tags-2606\\.09002", "to read, gossip")  # a tag of the library, exported alone
    page.keyboard.press("Tab")
    page.wait_for_function("() => [...document.querySelectorAll('#archive-library-tag option')].some(o => o.value === 'gossip')")
    page.select_option("#archive-library-tag", "gossip")
    assert len(library_titles(page)) == 1
    tagged = parse_string(download(page, "bib"), "bibtex")
    assert [e.fields["eprint"] for e in tagged.entries.values()] == ["2606.09002"]
    page.select_option("#archive-library-tag", "")
    assert context.cookies() == []  # nothing but localStorage
    exported = download(page, "json")
    (tmp_path / "library.json").write_text(exported, encoding="utf-8")
    assert page.errors == []
    context.close()

    fresh = watched(offline_context(browser), hosts)  # another browser profile: nothing stored
    other = fresh.new_page()
    other.goto(url + "library/")
    other.get_by_text("No saved papers yet").wait_for()
    other.set_input_files("#archive-library-import", str(tmp_path / "library.json"))
    other.get_by_text("Imported: 3 new papers").wait_for()
    assert sorted(library_titles(other)) == sorted(titles)
    assert other.locator("#tags-2606\\.09002").input_value() == "to read, gossip"  # tags travel too
    other.set_input_files("#archive-library-import", str(tmp_path / "library.json"))  # again: merged, not doubled
    other.get_by_text("3 already here").wait_for()
    assert len(library_titles(other)) == 3
    assert other.errors == []
    fresh.close()
    assert hosts and all(h.startswith("http://127.0.0.1") or h.startswith("blob:") for h in hosts), \
        [h for h in hosts if not h.startswith("http://127.0.0.1")]


def test_follow_a_topic_an_author_and_a_search_across_a_rebuild(browser, tmp_path):
    (tmp_path / "project").mkdir()
    project = make_archive(tmp_path / "project")
    www = tmp_path / "www"
    publish(project, www)
    server = SiteServer(www)
    url = server.url + "archive/"
    context = watched(offline_context(browser), [])
    try:
        page = context.new_page()
        page.goto(url + "papers/2606/2606.09002/")
        press(page, page.locator(f".paper__links {SAVE}"))  # saved, then gone from the archive
        page.goto(url + "papers/2606/2606.09001/")
        press(page, page.locator(f".paper__links {SAVE}"))  # saved, then a new version
        page.goto(url + "topics/consensus/")
        press(page, page.get_by_role("button", name="Follow this topic"))
        page.goto(url + "search/?author=Quintessa+Vandermolen")  # where an author's link leads
        press(page, page.get_by_role("button", name="Follow this author"))
        page.goto(url + "search/?q=gossip")
        press(page, page.get_by_role("button", name="Follow this search"))
        page.goto(url + "library/")
        following = page.locator("#archive-library-following")
        following.locator("h3").nth(2).wait_for()
        assert following.locator("h3").all_inner_texts() == [
            "Topic: Consensus <b>protocols</b> — nothing new", "by Quintessa Vandermolen — nothing new", "“gossip” — nothing new"]
        page.goto(url)
        assert page.locator(".archive-library__news").count() == 0

        v2 = Entry(**{**FIRST[0].__dict__, "id": "2606.09001v2", "updated": "2026-06-06T10:00:00Z",
                      "comment": "This paper has been withdrawn by the authors.", "doi": "10.1000/later"})
        synthetic.save(project.content, NEW + [v2])
        (project.content / "papers" / "2606" / "2606.09002.md").unlink()  # gone after the rebuild
        project.build()
        publish(project, www)

        page.goto(url)
        page.locator(".archive-library__news").wait_for()
        assert page.locator(".archive-library__news").inner_text() == "4 new in what you follow"  # 3 papers, 1 version
        page.goto(url + "library/")
        following.locator("h3").nth(2).wait_for()
        found = {}
        for part in following.locator(".archive-library__follow").all()[:3]:
            found[part.locator("h3").inner_text().split(" — ")[0]] = sorted(
                re.search(r"\((\d{4}\.\d{5})\)", li).group(1) for li in part.locator("li").all_inner_texts())
        versions = following.locator(".archive-library__follow").nth(3)
        assert versions.locator("h3").inner_text() == "New versions of saved papers"
        [line] = versions.locator("li").all_inner_texts()
        assert line.startswith("Consensus with") and line.endswith(" is now v2")
        assert found == {"Topic: Consensus <b>protocols</b>": ["2606.09101"],
                         "by Quintessa Vandermolen": ["2606.09102"], "“gossip”": ["2301.09103"]}
        page.wait_for_function(f"() => JSON.parse(localStorage.getItem('{KEY}')).build")
        stored = json.loads(page.evaluate(f"() => localStorage.getItem('{KEY}')"))
        assert page_bibtex(project, "2606.09001") == stored["papers"]["2606.09001"]["record"]["bibtex"].strip()
        assert "10.1000/later" in stored["papers"]["2606.09001"]["record"]["bibtex"]  # the record of this build
        assert stored["papers"]["2606.09002"]["record"]["title"] == "Gossip membership at scale"  # gone: kept
        press(page, following.locator("li", has_text="2606.09101").get_by_role("button"))  # saved from Following
        page.locator("#archive-library-papers .paper-item__id", has_text="2606.09101").wait_for()
        saved_list = page.locator("#archive-library-papers").inner_text()
        assert "No longer in this archive" in saved_list and "Withdrawn by its authors." in saved_list
        page.reload()  # seen once: nothing is new any more
        following.locator("h3").nth(2).wait_for()
        assert following.locator("li").count() == 0 and following.locator("h3").count() == 3
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator(".archive-library__news").count() == 0
        assert page.errors == []
    finally:
        context.close()
        server.close()
