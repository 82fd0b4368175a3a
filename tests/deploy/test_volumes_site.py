"""A small archive built, split with a tiny limit, and served as GitHub Pages serves several sites
of one owner (/archive/ and /vol-1/, /vol-2/ of one origin): what a reader gets in Chromium."""
from __future__ import annotations

import re

import pytest

import synthetic
from conftest import Project, offline_context, settle
from generator.deploy.plan import MB, PLAN_FILL, month_costs
from generator.site.budget import artifact_size
from pages_origin import PagesOrigin

TOPIC = "---\ntitle: Consensus\nmatch: {keywords: [consensus], mentions: 1}\n---\n\nAgreement.\n"


@pytest.fixture(scope="module")
def split_archive(tmp_path_factory):
    """24 papers over 6 months (2601 to 2606), built; the limit set so the two oldest months must move."""
    project = Project(tmp_path_factory.mktemp("volumes"))
    entries = synthetic.entries(24, per_month=4)
    synthetic.save(project.content, entries)
    (project.content / "topics").mkdir()
    (project.content / "topics" / "consensus.md").write_text(TOPIC, encoding="utf-8")
    project.build()
    total, _assets, months = month_costs(project.site)
    target = artifact_size(total - months["2601"] - months["2602"])
    limit = (target + 1) / PLAN_FILL / MB
    config = (project.root / "archive.yml").read_text(encoding="utf-8")
    project.write_config(config + f"deploy:\n  volumes: [vol-1, vol-2]\n  limit_mb: {limit:.6f}\n")
    result = project.run("volumes", "-d", str(project.site), "--out", str(project.root / "volumes"))
    assert result.exit_code == 0, result.output
    volumes = project.root / "volumes"
    origin = PagesOrigin(project.root, {"archive": project.site, "vol-1": volumes / "vol-1",
                                        "vol-2": volumes / "vol-2"})
    yield project, entries, origin.url, result.output
    origin.close()


def paper_url(entry) -> str:
    bare = entry.id.rsplit("v", 1)[0]
    return f"papers/{bare[:4]}/{bare}/"


def moved(entries):
    return [e for e in entries if e.id.startswith("2601.")]


def test_the_two_oldest_months_moved_to_the_first_volume(split_archive):
    project, _, _, output = split_archive
    assert "volume vol-1 (/vol-1/)" in output and "2 month(s), papers/2601/ to papers/2602/" in output
    assert "volume vol-2 (/vol-2/)" in output and "0 month(s)" in output
    assert sorted(p.name for p in (project.site / "papers").iterdir()) == ["2603", "2604", "2605", "2606"]
    assert sorted(p.name for p in (project.root / "volumes" / "vol-1" / "papers").iterdir()) == ["2601", "2602"]
    for kept in ("index.html", "months/2601/index.html", "topics/consensus/index.html", "pagefind/pagefind.js",
                 "feeds/papers.xml", "search/index.html"):
        assert (project.site / kept).exists(), f"the main site keeps {kept}"
    sitemap = (project.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/archive/months/2601/</loc>" in sitemap  # the listings stay on the main site
    assert "/papers/" not in sitemap and "vol-1" not in sitemap  # no paper page, moved or not, and no other site


def test_a_moved_papers_old_address_lands_on_its_volume(page, split_archive):
    _, entries, url, _ = split_archive
    wanted = moved(entries)[0]
    page.goto(url + "archive/" + paper_url(wanted))
    page.wait_for_url(url + "vol-1/" + paper_url(wanted))
    assert page.locator("h1").first.inner_text() == wanted.title
    # The volume's own copy of the stylesheets is drawn: the header is Material's indigo, not unstyled.
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.errors == [] or all("404" in e for e in page.errors), page.errors


@pytest.mark.parametrize("link, lands", [
    (".md-tabs__link >> text=Home", "archive/"),
    (".md-tabs__link >> text=Months", "archive/months/"),
    ("a[href$='/topics/consensus/']", "archive/topics/consensus/"),
    ("a[href$='/months/2601/']", "archive/months/2601/"),
])
def test_from_a_volume_page_the_links_land_on_the_main_site(page, split_archive, link, lands):
    _, entries, url, _ = split_archive
    wanted = next(e for e in moved(entries) if "consensus" in (e.title + e.summary).lower())
    page.goto(url + "vol-1/" + paper_url(wanted))
    page.locator(link).first.click()
    page.wait_for_url(url + lands)
    assert page.locator("h1").first.is_visible()


def test_the_main_sites_search_finds_a_moved_paper_and_its_result_opens(page, split_archive):
    _, entries, url, _ = split_archive
    wanted = moved(entries)[1]
    bare = wanted.id.rsplit("v", 1)[0]
    page.goto(url + "archive/months/")
    page.locator(".paper-search .md-search__input").click()
    page.locator(".paper-search .md-search__input").fill(bare)
    # Results arrive as the index parts answer: wait for the paper's own (its main-site address).
    result = page.locator(f".paper-search .md-search-result__link[href='/archive/{paper_url(wanted)}']")
    result.wait_for()
    result.click()
    page.wait_for_url(url + "vol-1/" + paper_url(wanted))
    assert page.locator("h1").first.inner_text() == wanted.title


def test_the_search_box_on_a_volume_page_searches_the_whole_archive(page, split_archive):
    _, entries, url, _ = split_archive
    newest = entries[0]
    page.goto(url + "vol-1/" + paper_url(moved(entries)[0]))
    page.locator(".paper-search .md-search__input").click()
    page.locator(".paper-search .md-search__input").fill(newest.id.rsplit("v", 1)[0])
    result = page.locator(f".paper-search .md-search-result__link[href='/archive/{paper_url(newest)}']")
    result.wait_for()
    result.click()
    page.wait_for_url(url + "archive/" + paper_url(newest))


@pytest.mark.parametrize("start, ends", [
    ("archive/papers/2601/2601.09999/", "vol-1/papers/2601/2601.09999/"),  # a missing paper of a moved month
    ("archive/nowhere/", "archive/nowhere/"),                              # an address nowhere
    ("vol-1/nowhere/", "archive/nowhere/"),                                # … asked of a volume
    ("vol-2/papers/2601/2601.09999/", "vol-1/papers/2601/2601.09999/"),    # the other volume's month
    ("archive/papers/2606/2606.09999/", "archive/papers/2606/2606.09999/"),  # a month the main site holds
])
def test_a_missing_address_ends_at_one_real_404_without_looping(page, split_archive, start, ends):
    _, _, url, _ = split_archive
    statuses = []
    page.on("response", lambda r: r.request.resource_type == "document" and statuses.append(r.status))
    page.goto(url + start)
    page.wait_for_url(url + ends)
    page.wait_for_timeout(600)  # time for another redirect, were there one
    assert page.url == url + ends
    assert page.locator("h1").first.inner_text() == "Page not found"
    assert statuses[-1] == 404 and len(statuses) <= 3, statuses


def test_an_address_a_volume_does_not_hold_reaches_the_main_site(page, split_archive):
    _, _, url, _ = split_archive
    page.goto(url + "vol-2/topics/consensus/")
    page.wait_for_url(url + "archive/topics/consensus/")
    assert page.locator("h1").first.inner_text() == "Consensus"


def test_no_axe_violation_on_a_volume_page(browser, split_archive):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    _, entries, url, _ = split_archive
    context = offline_context(browser)
    try:
        tab = context.new_page()
        tab.goto(url + "vol-1/" + paper_url(moved(entries)[0]), wait_until="networkidle")
        settle(tab)
        violations = axe.run(tab).response["violations"]
        assert not violations, [v["id"] for v in violations]
    finally:
        context.close()


def test_a_moved_page_names_the_main_site_for_all_but_its_assets(split_archive):
    project, entries, _, _ = split_archive
    html = (project.root / "volumes" / "vol-1" / paper_url(moved(entries)[0]) / "index.html").read_text()
    relative = set(re.findall(r'(?:href|src|data-root|data-bundle)="(\.\.[^"]*)"', html))
    # Its assets (the volume's copy) and papers of the volume's own months stay relative; nothing else.
    assert any(value.startswith("../../../assets/") for value in relative)
    assert all(re.match(r"\.\./\.\./\.\./assets/|\.\./(\.\./260[12]/)?260[12]\.\d{5}/$", v) for v in relative), relative
    assert re.search(r'href="/archive/topics/consensus/"', html) or "consensus" not in html.lower()
    assert 'data-bundle="/archive/pagefind/"' in html and 'data-root="/archive/"' in html


def test_the_main_sites_listings_link_a_moved_paper_where_it_is(page, split_archive):
    project, entries, url, _ = split_archive
    wanted = moved(entries)[2]
    listing = (project.site / "months" / "2601" / "index.html").read_text(encoding="utf-8")
    assert f'href="/vol-1/{paper_url(wanted)}"' in listing
    assert "../../papers/2601/" not in listing
    assert 'href="../2602/"' in listing and 'href="../../topics/"' in listing  # the rest as it was
    page.goto(url + "archive/months/2601/")
    page.locator(f"a[href='/vol-1/{paper_url(wanted)}']").first.click()
    page.wait_for_url(url + "vol-1/" + paper_url(wanted))
    assert page.locator("h1").first.inner_text() == wanted.title


def test_a_moved_papers_old_address_keeps_its_query_and_fragment(page, split_archive):
    _, entries, url, _ = split_archive
    wanted = moved(entries)[0]
    page.goto(url + "archive/" + paper_url(wanted) + "?from=feed#abstract")
    page.wait_for_url(url + "vol-1/" + paper_url(wanted) + "?from=feed#abstract")


def test_one_tab_follows_many_moved_addresses_in_a_row(page, split_archive):
    """The loop guard (generator/deploy/volumes.js) does not stop a reader who follows links quickly."""
    _, entries, url, _ = split_archive
    for wanted in moved(entries) * 2:  # each paper twice, the same address again too
        page.goto(url + "archive/" + paper_url(wanted))
        page.wait_for_url(url + "vol-1/" + paper_url(wanted))


def test_sites_deployed_with_different_maps_do_not_loop_forever(page, split_archive):
    """A volume still carrying an older map (it thinks the main site holds 2601) and the main site
    sending 2601 to it: the redirects stop after a few hops, at a "Page not found"."""
    project, _, url, _ = split_archive
    not_found = project.root / "www" / "vol-1" / "404.html"
    current = not_found.read_text(encoding="utf-8")
    assert '"2601": "/vol-1/", ' in current
    not_found.write_text(current.replace('"2601": "/vol-1/", ', ""), encoding="utf-8")
    try:
        documents = []
        page.on("response", lambda r: r.request.resource_type == "document" and documents.append(r.url))
        page.goto(url + "archive/papers/2601/2601.09999/")
        page.wait_for_timeout(2000)
        assert 2 <= len(documents) <= 6, documents
        assert page.locator("h1").first.inner_text() == "Page not found"
    finally:
        not_found.write_text(current, encoding="utf-8")
