"""What a reader meets (issue 18): a paper's page on a phone, every version, a withdrawn
paper, listings with arXiv's comment and a PDF link, months by year with their
neighbours, topics with no paper, the footer, the desktop's width, the placeholders."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, Project, SiteServer, offline_context
from generator.archive.models import Author, VersionEntry
from generator.archive.store import Archive
from generator.config import Settings, placeholder_warnings
from generator.site.feeds import Feed, atom_feed
from test_store import make_paper

WITHDRAWN = "The authors have identified issues in Section 4 and request its withdrawal."
KEY_CLAIM = "Our system achieves up to 9.65x speedup over NCCL on 64 GPUs."
# No repo_url, and a site_url of its own: the site a maintainer gets without a repository.
NO_REPO_CONFIG = MINIMAL_CONFIG.replace("repo_url: https://github.com/example/archive\n", "")


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("reader"), NO_REPO_CONFIG)
    archive = Archive(project.content)
    # v3 harvested from the query API: it knows v1 (published) and v3 (updated), not v2's date.
    archive.save(make_paper(id="2606.00003", version=3, title="Three versions", updated="2026-06-20T10:00:00Z",
                            versions=[VersionEntry(3, "2026-06-20T10:00:00Z")],
                            comment="Accepted to OSDI'26, 12 pages, $\\alpha$-fair",
                            journal_ref="Proc.\\ of {\\em SOSP} 2026 & more <b>x</b>"))
    archive.save(make_paper(id="2606.00002", version=2, title="Withdrawn at v2", abstract=KEY_CLAIM,
                            updated="2026-06-10T10:00:00Z", comment=WITHDRAWN,
                            versions=[VersionEntry(1, "2026-06-01T10:00:00Z"), VersionEntry(2, "2026-06-10T10:00:00Z")]))
    archive.save(make_paper(id="2606.00001", version=1, title="Withdrawn at v1", comment="This paper has been withdrawn."))
    archive.save(make_paper(id="2604.00001", title="In April", published="2026-04-02T10:00:00Z",
                            updated="2026-04-02T10:00:00Z"))
    archive.save(make_paper(id="2512.00001", title="In December", published="2025-12-02T10:00:00Z",
                            updated="2025-12-02T10:00:00Z"))
    topics = project.content / "topics"
    topics.mkdir()
    (topics / "three.md").write_text("---\ntitle: Three\ndescription: Has a paper.\ninclude: [2606.00003]\n---\n\nIntro.\n")
    (topics / "nothing.md").write_text("---\ntitle: Nothing yet\ndescription: No paper.\nmatch:\n"
                                       "  keywords: [zyxwvut]\n---\n\nIntro.\n")
    project.build()
    return project


# --- 2. every version ----------------------------------------------------------

def test_a_version_with_no_known_date_is_listed_not_skipped(reader_site):
    html = reader_site.page("papers/2606/2606.00003")
    versions = re.search(r'<ol class="paper__versions">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'href="https://arxiv.org/abs/2606.00003v(\d)"', versions) == ["1", "2", "3"]
    assert re.search(r'v2</a></li>', versions)  # known to exist, its date not known: no date made up
    assert "20 Jun 2026" in versions and "1 Jun 2026" in versions


def test_history_fills_the_versions_between_first_and_latest():
    paper = make_paper(version=4, versions=[VersionEntry(2, "2026-06-03T00:00:00Z"), VersionEntry(4, "2026-06-09T00:00:00Z")])
    assert [(v.version, v.date) for v in paper.history] == [
        (1, paper.published), (2, "2026-06-03T00:00:00Z"), (3, None), (4, "2026-06-09T00:00:00Z")]


# --- 3. a withdrawn paper --------------------------------------------------------

def test_withdrawn_paper_highlights_no_result_and_its_html_is_the_version_before(reader_site):
    html = reader_site.page("papers/2606/2606.00002")
    assert "paper__key-result" not in html
    assert 'href="https://arxiv.org/html/2606.00002v1"' in html and "HTML (v1)" in html
    assert "arxiv.org/html/2606.00002v2" not in html
    html = reader_site.page("papers/2606/2606.00001")  # withdrawn at v1: no version to read
    assert "arxiv.org/html/" not in html
    html = reader_site.page("papers/2604/2604.00001")  # not withdrawn: the latest, as before
    assert 'href="https://arxiv.org/html/2604.00001v1"' in html


def test_a_paper_not_withdrawn_keeps_its_key_result(reader_site):
    project_paper = make_paper(abstract=KEY_CLAIM)
    from generator.site.extras import Extras
    extras = Extras.compute([project_paper], Settings())
    assert extras.paper_context(project_paper)["key_result"]
    withdrawn = make_paper(abstract=KEY_CLAIM, comment=WITHDRAWN)
    assert Extras.compute([withdrawn], Settings()).paper_context(withdrawn)["key_result"] is None


def test_the_feed_says_a_paper_was_withdrawn():
    import feedparser
    papers = [make_paper(id="2606.00002", version=2, comment=WITHDRAWN, title="Fast things"),
              make_paper(id="2606.00004", title="Still here")]
    feed = feedparser.parse(atom_feed(papers, Feed("feeds/papers.xml", "F"), "https://example.org/", "A"))
    entries = {e.id.rsplit("/", 1)[-1]: e for e in feed.entries}
    assert entries["2606.00002"].title == "[Withdrawn] Fast things"
    assert entries["2606.00002"].summary.startswith("Withdrawn by its authors (v2): " + WITHDRAWN)
    assert entries["2606.00004"].title == "Still here" and "Withdrawn" not in entries["2606.00004"].summary


# --- 4. listings -----------------------------------------------------------------

def test_listing_entries_show_the_comment_venue_and_a_pdf_link(reader_site):
    for url in ["", "months/2606", "topics/three"]:
        html = reader_site.page(url)
        item = re.search(r'<li class="paper-item">(?:(?!</li>).)*?Three versions.*?</li>', html, re.S).group(0)
        assert 'href="https://arxiv.org/pdf/2606.00003v3"' in item, url
        assert "Accepted to OSDI'26, 12 pages" in item.replace("&#39;", "'"), url
        assert "<math" in item, url  # TeX through the tex filter: $\alpha$ as MathML
        assert "<em>SOSP</em>" in item and "&lt;b&gt;x&lt;/b&gt;" in item and "<b>" not in item, url


# --- 5. months -------------------------------------------------------------------

def test_month_pages_link_the_months_before_and_after(reader_site):
    html = reader_site.page("months/2604")
    nav = re.search(r'<nav class="month-nav".*?</nav>', html, re.S).group(0)
    assert 'href="../2512/"' in nav and "December 2025" in nav  # the month before (no paper in 2601–2603)
    assert 'href="../2606/"' in nav and "June 2026" in nav
    first = re.search(r'<nav class="month-nav".*?</nav>', reader_site.page("months/2512"), re.S).group(0)
    assert "../2604/" in first and "month-nav__older" not in first  # the oldest has none before


def test_the_months_index_groups_months_by_year(reader_site):
    html = reader_site.page("months")
    assert re.search(r'<h2 id="year-2026">2026.*?</h2>\s*<ul class="month-list">\s*<li><a href="2606/">June 2026</a>'
                     r'.*?<li><a href="2604/">April 2026</a>.*?</ul>', html, re.S)
    assert re.search(r'<h2 id="year-2025">2025.*?</h2>\s*<ul class="month-list">\s*<li><a href="2512/">December 2025</a>',
                     html, re.S)
    assert html.index("year-2026") < html.index("year-2025")


# --- 6. a topic with no paper ------------------------------------------------------

def test_a_topic_with_no_paper_is_named_not_linked_and_its_page_is_built(reader_site):
    html = reader_site.page("topics")
    assert 'href="three/"' in html
    assert 'href="nothing/"' not in html
    assert re.search(r'class="topic-list__empty">No papers yet: Nothing yet\.', html)
    assert "No paper in the archive matches this topic yet." in reader_site.page("topics/nothing")
    # nor is it offered as a search filter (the page's topic names are its filter's values)
    names = re.search(r'<script type="application/json" id="archive-search-topics">(.*?)</script>',
                      reader_site.page("search"), re.S).group(1)
    assert '"three"' in names and '"nothing"' not in names


# --- 7. the footer ------------------------------------------------------------------

def test_the_footer_says_where_the_data_comes_from_and_how_to_contribute(sample_site, reader_site):
    footer = re.search(r'<footer class="md-footer">.*?</footer>', (sample_site / "index.html").read_text(), re.S).group(0)
    assert 'href="https://arxiv.org/help/api/tou"' in footer and "CC0" in footer
    assert 'href="https://github.com/example/arxiv-archive/blob/main/CONTRIBUTING.md"' in footer
    footer = re.search(r'<footer class="md-footer">.*?</footer>', reader_site.page(""), re.S).group(0)
    assert 'href="https://arxiv.org/help/api/tou"' in footer and "CONTRIBUTING" not in footer  # no repository


# --- 9. the placeholders, and a site with no repository --------------------------------

def test_the_shipped_placeholders_are_warned_of():
    from generator.config import load_settings
    from conftest import REPO
    warnings = placeholder_warnings(load_settings(REPO / "archive.yml"))
    assert len(warnings) == 2
    assert re.match(r".*archive\.yml:\d+: site_url: https://example\.github\.io/arxiv-archive/ is the placeholder", warnings[0])
    assert re.match(r".*archive\.yml:\d+: repo_url: https://github\.com/example/arxiv-archive is the placeholder", warnings[1])
    assert placeholder_warnings(Settings(site_url="https://ada.github.io/dc/", repo_url="https://github.com/ada/dc")) == []
    assert placeholder_warnings(Settings()) == []


def test_the_build_prints_the_placeholder_warning(project):
    project.write_config(MINIMAL_CONFIG.replace("https://github.com/example/archive",
                                                "https://github.com/example/arxiv-archive"))
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "repo_url: https://github.com/example/arxiv-archive is the placeholder" in result.output
    assert "site_url" not in result.output  # https://example.org/archive/ is no placeholder


def test_under_github_actions_the_placeholder_is_an_annotation_on_its_line(project, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    project.write_config(MINIMAL_CONFIG.replace("https://example.org/archive/", "https://example.github.io/archive/"))
    result = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert result.exit_code == 0, result.output
    assert re.search(r"^::warning file=.*archive\.yml,line=3::site_url: https://example\.github\.io/archive/ is the placeholder",
                     result.output, re.M), result.output


def test_a_site_with_no_repo_url_has_no_edit_link_and_no_repository_widget(reader_site):
    for url in ["", "months", "papers/2606/2606.00003", "topics/three"]:
        html = reader_site.page(url)
        assert "md-source" not in html and "md-content__button" not in html, url
        assert "github.com" not in html, url


# --- 1 and 8. in the browser ------------------------------------------------------------

def test_on_a_phone_the_abstract_starts_in_the_first_screen(browser, sample_server):
    """The sample's longest title with the most authors (24, with affiliations) and a headline."""
    context = offline_context(browser, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(sample_server.url + "papers/2510/2510.00991/", wait_until="load")
        top = page.locator(".paper__abstract p").first.bounding_box()["y"]
        assert top < 844, f"the abstract starts at {top:.0f} px"
        # The buttons are one row, not a tall block.
        boxes = [b.bounding_box() for b in page.locator(".paper__links .md-button").all()]
        assert len({round(b["y"]) for b in boxes}) == 1, boxes
        # The title: the text's colour, not Material's grey, at a size that reads.
        title = page.locator("h1.paper__title").evaluate(
            "h => [getComputedStyle(h).color, getComputedStyle(document.body).color, parseFloat(getComputedStyle(h).fontSize)]")
        text_colour = page.locator(".paper__abstract p").first.evaluate("p => getComputedStyle(p).color")
        assert title[0] == text_colour and 18 <= title[2] <= 28, title
        # The details flow as text: several fields a line, not one a row.
        rows = page.locator(".paper__meta dt").evaluate_all("ds => ds.map(d => Math.round(d.getBoundingClientRect().top))")
        assert len(set(rows)) < len(rows), rows
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 1100])  # tabs in the header; the drawer, with the contents column beside
def test_on_a_desktop_the_page_takes_the_width(browser, sample_server, width):
    context = offline_context(browser, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for url in ["", "months/2606/", "topics/", "search/?q=consensus"]:
            page.goto(sample_server.url + url, wait_until="load")
            for sidebar in page.locator(".md-sidebar").all():  # none shows empty or with one link
                assert not sidebar.is_visible() or sidebar.locator(".md-nav__link").count() > 1, url
            content = page.locator(".md-content").bounding_box()["width"]
            assert content > 0.8 * min(width, 1220), (url, content)  # Material's grid is 61rem
    finally:
        context.close()


def test_the_listings_pdf_link_is_a_target_a_finger_can_hit(browser, sample_server):
    """WCAG 2.5.8 (Lighthouse's target-size): 24 px each way, though the text is small."""
    context = offline_context(browser, viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(sample_server.url, wait_until="load")
        boxes = page.locator(".paper-item__pdf").evaluate_all(
            "links => links.map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })")
        assert boxes and all(w >= 24 and h >= 24 for w, h in boxes), boxes
    finally:
        context.close()
