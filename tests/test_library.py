"""The reader's library (/library/), in a real browser on a built archive: save from
three kinds of page, export (parsed by real BibTeX and RIS parsers), import into a
fresh browser, follow a topic, an author and a search across a rebuild, storage that
is damaged or changed in another tab, hostile titles, and axe."""
import csv
import io
import json
import re
import shutil

import pytest

import synthetic
from arxiv_feed import Entry
from generator.library_data import shard_path
from conftest import MINIMAL_CONFIG, Project, SiteServer, offline_context, settle

TOPIC = "---\ntitle: Consensus <b>protocols</b>\ndescription: Agreement.\nmatch:\n  keywords: [consensus]\n---\n\nIntro.\n"
HOSTILE = '<img src=x onerror="window.pwned=1">Paxos </script><script>window.pwned=1</script>'
KEY = "archive-library:/archive/"
SAVE = ".archive-toggle"

FIRST = [
    Entry(id="2606.09001v1", title="Consensus with $O(n^2)$ messages", published="2026-06-02T10:00:00Z",
          summary="A consensus protocol.", authors=[("Quintessa Vandermolen", []), ("Ivo Quist", [])],
          doi="10.1145/1234567", journal_ref="PODC 2026"),
    Entry(id="2606.09002v1", title="Gossip membership at scale", published="2026-06-03T10:00:00Z",
          summary="Epidemic dissemination.", authors=[("Ada Old", [])]),
    Entry(id="2606.09003v1", title=HOSTILE, published="2026-06-04T10:00:00Z",
          summary="Hostile title, plain abstract.", authors=[("Mallory <b>Evil</b>", [])]),
    Entry(id="cs/0112017v2", title="An old-style identifier", published="2001-12-10T10:00:00Z",
          summary="From before 2007.", authors=[("Ada Old", [])]),
]
# After the rebuild: one new paper in each follow, one backfilled from years ago, one in none.
NEW = [
    Entry(id="2606.09101v1", title="Byzantine consensus, faster", published="2026-06-05T10:00:00Z",
          summary="Another consensus protocol.", authors=[("Zed Nobody", [])]),
    Entry(id="2606.09102v1", title="Stream processing, by Quintessa", published="2026-06-05T11:00:00Z",
          summary="Streams.", authors=[("Quintessa Vandermolen", [])]),
    Entry(id="2301.09103v1", title="Gossip, backfilled", published="2023-01-05T10:00:00Z",
          summary="An old paper the harvest found late.", authors=[("Old Timer", [])]),
    Entry(id="2606.09104v1", title="Unrelated storage engines", published="2026-06-05T12:00:00Z",
          summary="Disks.", authors=[("Nobody Else", [])]),
]


def make_archive(root):
    # No repository: Material's widget would ask GitHub's API, and the test shows no request leaves.
    project = Project(root, MINIMAL_CONFIG.replace("repo_url: https://github.com/example/archive\n", ""))
    synthetic.save(project.content, synthetic.entries(30) + FIRST)
    (project.content / "topics").mkdir()
    (project.content / "topics" / "consensus.md").write_text(TOPIC, encoding="utf-8")
    project.build()
    return project


def publish(project, www):
    shutil.rmtree(www / "archive", ignore_errors=True)
    shutil.copytree(project.site, www / "archive")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    project = make_archive(tmp_path_factory.mktemp("library"))
    www = project.root / "www"
    publish(project, www)
    server = SiteServer(www)
    yield project, server.url + "archive/"
    server.close()


def watched(context, hosts):
    """Every request's URL, and every page error, of a context's pages."""
    def on_page(tab):
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
        tab.on("request", lambda request: hosts.append(request.url))
    context.on("page", on_page)
    return context


def library_titles(page):
    page.locator("#archive-library-papers .paper-item__title").first.wait_for()
    return page.locator("#archive-library-papers .paper-item__title").all_inner_texts()


def press(page, button):
    button.click()
    page.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=button.element_handle())


def download(page, kind) -> str:
    with page.expect_download() as info:
        page.click(f"[data-export={kind}]")
    return open(info.value.path(), encoding="utf-8").read()


def page_bibtex(project, paper_id) -> str:
    html = project.page(f"papers/{paper_id[:4]}/{paper_id}/")
    entry = re.search(r'id="bibtex"><pre><code>(.*?)</code>', html, re.S).group(1)
    import html as html_module
    return html_module.unescape(entry).strip()


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
    item = page.locator(".paper-item", has=page.locator(".paper-item__id", has_text="2606.09002"))
    press(page, item.locator(SAVE))
    # The first paper shows as saved in the listing too.
    saved_item = page.locator(".paper-item", has=page.locator(".paper-item__id", has_text="2606.09001"))
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
                      "comment": "This paper has been withdrawn by the authors."})
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
                re.search(r"\((.*)\)$", li).group(1) for li in part.locator("li").all_inner_texts())
        versions = following.locator(".archive-library__follow").nth(3)
        assert versions.locator("h3").inner_text() == "New versions of saved papers"
        [line] = versions.locator("li").all_inner_texts()
        assert line.startswith("Consensus with") and line.endswith(" is now v2")
        assert found == {"Topic: Consensus <b>protocols</b>": ["2606.09101"],
                         "by Quintessa Vandermolen": ["2606.09102"], "“gossip”": ["2301.09103"]}
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
    item = one.locator(".paper-item", has=one.locator(".paper-item__id", has_text="2606.09002")).locator(SAVE)
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
    assert library_titles(page) == ["Consensus with O(n^2) messages"] or len(library_titles(page)) == 1
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
    item = page.locator(".paper-item", has=page.locator(".paper-item__id", has_text="2606.09001"))
    fields = parse_qs(item.locator("span.Z3988").get_attribute("title"))
    assert fields["rft_id"] == ["info:arxiv/2606.09001", "https://arxiv.org/abs/2606.09001"]
    assert fields["rft.au"] == ["Quintessa Vandermolen", "Ivo Quist"] and fields["rft.date"] == ["2026"]
    assert fields["rft.atitle"][0].startswith("Consensus with")
    assert page.locator("span.Z3988").count() == page.locator(".paper-item").count()
    assert "Z3988" not in project.page("months/2606/")  # not in the HTML sent


def test_author_tokens_agree_with_the_build(page, archive):
    from generator.library_data import author_token
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
    record = json.loads((project.site / shard_path("2606.09001")).read_text())["papers"]["2606.09001"]
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
    press(page, page.locator(".paper-item", has=page.locator(".paper-item__id", has_text="2606.09002")).locator(SAVE))
    page.goto(url + "library/")
    page.wait_for_function("() => document.querySelectorAll('#archive-library-papers > li').length === 3001")
    assert page.locator("#archive-library-papers .paper-item__id").first.inner_text() == "2606.09002"
    context.close()


def project_root():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent


def test_the_published_records_are_the_pages_own(archive):
    project, url = archive
    index = json.loads((project.site / "library/index.json").read_text())
    titles = json.loads((project.site / "library/titles.json").read_text())
    assert titles["build"] == index["build"] and len(titles["column"]) == len(index["papers"])
    assert HOSTILE in titles["column"]  # data, read as text
    for row in index["papers"]:
        paper_id = row[0]
        record = json.loads((project.site / shard_path(paper_id)).read_text())["papers"][paper_id]
        html = project.page(record["url"])
        entry = re.search(r'id="bibtex"><pre><code>(.*?)</code>', html, re.S).group(1)
        import html as html_module
        assert record["bibtex"].strip() == html_module.unescape(entry).strip()
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
