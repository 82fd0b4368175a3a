"""A hostile feed through the whole pipeline: harvested over HTTP, stored exactly,
built, and shown as text in a real browser with no script run and no console error."""
import re
from html import unescape

import pytest

from arxiv_feed import Entry
from arxiv_server import ArxivServer
from conftest import Project, SiteServer
from generator.archive.store import Archive
from nasty import NASTY, is_tex
from test_faults import config

# What the harvest does to feed text, and all it does: XML 1.0 cannot carry
# C0 controls (dropped), and arXiv wraps one-line fields over lines
# (whitespace runs become one space); an abstract keeps its lines.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def harvested(text: str, field: str = "line") -> str:
    text = _ILLEGAL.sub("", text)
    return text.strip() if field == "abstract" else " ".join(text.split())


def paper_id(i: int) -> str:
    return f"2606.{i + 1:05d}"


@pytest.fixture(scope="module")
def nasty_project(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("nasty-harvest"), config())
    feed_entries = [Entry(id=f"{paper_id(i)}v1", title=text, summary=text, comment=text, journal_ref=text,
                          authors=[(text, [text]), ("Second Author", ["Second Lab"])],
                          published=f"2026-06-{1 + i // 24:02d}T{i % 24:02d}:00:00Z")
                    for i, text in enumerate(NASTY)]
    with ArxivServer(list(reversed(feed_entries))) as server:
        result = project.run("harvest", "--api-url", server.url, "--page-size", "100")
    assert result.exit_code == 0, result.output
    assert f"{len(NASTY)} new" in result.stdout
    project.build()
    return project


@pytest.mark.parametrize("i", range(len(NASTY)))
def test_the_harvest_stores_feed_text_exactly(nasty_project, i):
    text = NASTY[i]
    paper = Archive(nasty_project.content).load(paper_id(i))
    line = harvested(text)
    assert paper.title == line
    assert paper.abstract == harvested(text, "abstract")
    assert paper.comment == (line or None) and paper.journal_ref == (line or None)
    assert [(a.name, a.affiliations) for a in paper.authors] == [
        (line, [line] if line else []), ("Second Author", ["Second Lab"])]


@pytest.mark.parametrize("i", range(len(NASTY)))
def test_the_built_page_shows_feed_text_as_text(nasty_project, i):
    text = NASTY[i]
    html = nasty_project.page(f"papers/2606/{paper_id(i)}")
    for markup in ("window.__xss=1</script>", "<svg onload", "<img src=x", 'href="javascript:',
                   "<textarea", "<!-- comment -->", "<![CDATA["):
        assert markup not in html
    body = html[html.index('<article class="paper"'):html.index("</article>")]
    visible = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
    if not is_tex(text):  # TeX is shown rendered, checked elsewhere
        assert " ".join(harvested(text).split())[:200] in visible


def test_listings_show_feed_text_as_text(nasty_project):
    html = (nasty_project.site / "months/2606/index.html").read_text()
    assert html.count('class="paper-item"') == len(NASTY)
    assert "window.__xss=1</script>" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_no_script_runs_and_no_console_error_in_a_browser(nasty_project, page):
    server = SiteServer(nasty_project.site)
    try:
        urls = ["", "months/2606/"] + [f"papers/2606/{paper_id(i)}/" for i in range(len(NASTY))]
        for url in urls:
            page.goto(server.url + url)
            assert page.evaluate("typeof window.__xss") == "undefined", url
            assert page.errors == [], (url, page.errors)
        page.goto(server.url + f"papers/2606/{paper_id(NASTY.index('<script>alert(' + chr(39) + 'x' + chr(39) + ')</script>'))}/")
        assert page.locator("h1.paper__title").inner_text() == "<script>alert('x')</script>"
    finally:
        server.close()
