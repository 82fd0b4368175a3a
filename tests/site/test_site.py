"""The built site: what a reader gets, checked on the HTML."""
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, REPO
from generator.archive.models import Author
from generator.archive.store import Archive
from nasty import NASTY, is_tex
from test_store import make_paper

SAMPLE = Archive(REPO / "content")


def test_every_paper_in_content_has_a_page(sample_site):
    papers = list(SAMPLE.iter_papers())
    assert len(papers) >= 30
    for paper in papers:
        page = sample_site / paper.url / "index.html"
        assert page.exists(), paper.id


def test_paper_page_shows_every_field(sample_site):
    html = (sample_site / "papers/2510/2510.00991/index.html").read_text()
    assert "An Efficient, Reliable and Observable Collective Communication Library" in html
    assert ">Xiaohe Hu</a> <small>(Infrawaves; Shanghai Innovation Institute)</small>" in html
    assert '<a href="../../../search/?author=Xiaohe+Hu">' in html  # each author opens their papers
    assert "to v2 on <time" in html and "1 Jun 2026" in html
    assert 'href="https://arxiv.org/abs/2510.00991v2"' in html
    assert 'href="https://arxiv.org/pdf/2510.00991v2"' in html
    assert 'href="https://arxiv.org/html/2510.00991v2"' in html
    assert "19 pages, 21 figures" in html
    assert "<title>An Efficient, Reliable" in html


def test_latex_in_abstracts_is_mathml_with_no_script(sample_site):
    html = (sample_site / "papers/2606/2606.04101/index.html").read_text()
    assert "<math" in html and "<mo>×</mo>" in html  # 1.49$\times$
    assert "$\\times$" not in html
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), scripts


def test_withdrawn_comment_is_shown(sample_site):
    html = (sample_site / "papers/2606/2606.04101/index.html").read_text()
    assert "request its withdrawal" in html


def test_home_page_lists_latest_papers_with_counts(sample_site):
    html = (sample_site / "index.html").read_text()
    total = len(SAMPLE.paths())
    assert f"<strong>{total}</strong> papers" in html
    newest = max(SAMPLE.iter_papers(), key=lambda p: (p.published, p.id))
    assert f'href="{newest.url}"' in html


def test_month_pages_newest_month_first(sample_site):
    html = (sample_site / "months/index.html").read_text()
    months = re.findall(r'href="(\d{4})/"', html)
    assert months[0] == "2606" and months == sorted(months, reverse=True)
    month = (sample_site / "months/2606/index.html").read_text()
    assert month.count('class="paper-item"') == sum(1 for p in SAMPLE.iter_papers() if p.month == "2606")


def test_navigation_does_not_list_papers(sample_site):
    html = (sample_site / "papers/2606/2606.04101/index.html").read_text()
    assert "2606.06910" not in html  # another paper's id: not in this page's nav
    assert len(html) < 20_000


def test_generated_pages_are_not_written_to_content(sample_site):
    assert not (REPO / "content" / "index.md").exists()
    assert not (REPO / "content" / "months").exists()


def test_tex_accents_in_names_become_unicode(project):
    Archive(project.content).save(make_paper(authors=[Author('Thorsten G\\"otte', ["Universit\\'e de Paris"])]))
    html = project.build().joinpath("papers/2606/2606.01839/index.html").read_text()
    assert "Thorsten Götte" in html and "Université de Paris" in html


@pytest.fixture(scope="module")
def nasty_site(tmp_path_factory):
    from conftest import Project
    project = Project(tmp_path_factory.mktemp("nasty"))
    archive = Archive(project.content)
    for i, text in enumerate(NASTY):
        archive.save(make_paper(id=f"2606.{i + 1:05d}", title=text, comment=text, journal_ref=text,
                                authors=[Author(text, [text])], abstract=text))
    project.build()
    return project


@pytest.mark.parametrize("i", range(len(NASTY)))
def test_feed_text_shows_as_text_never_markup(nasty_site, i):
    text = NASTY[i]
    html = nasty_site.page(f"papers/2606/2606.{i + 1:05d}")
    assert "<script>alert" not in html and "<img src=x" not in html
    visible = unescape(re.sub(r"<[^>]+>", "", html))
    if not is_tex(text):  # TeX shows rendered (groups as their content), checked in test_latex
        assert " ".join(text.split())[:60] in " ".join(visible.split())
    assert "{{ config.site_name }}" not in html or "{{ config.site_name }}" in text


def test_links_from_the_feed_are_only_ever_web_addresses(project):
    # A link's href is feed text too: a javascript: URL must not become a button that runs it.
    Archive(project.content).save(make_paper(links={"abs": "javascript:window.__xss=1",
                                                    "pdf": " JavaScript:window.__xss=2"}))
    site = project.build()
    html = project.page("papers/2606/2606.01839")
    assert "javascript:" not in html.lower()
    assert 'href="https://arxiv.org/abs/2606.01839"' in html and 'href="https://arxiv.org/pdf/2606.01839v1"' in html
    assert "javascript:" not in (site / "feeds/papers.xml").read_text().lower()


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def meta(self, name: str) -> list[str]:
        return [attrs.get("content") for tag, attrs in self.tags if tag == "meta" and attrs.get("name") == name]


def test_names_and_descriptions_people_write_show_as_text_in_materials_templates(project):
    # Material prints the site's name and a page's description unescaped: a quote in
    # them must not end an attribute, nor a tag in them become one.
    name, description = 'Ada\'s "DC" <archive>', 'Papers on "LLM" serving & <b>more</b>'
    topic_description = 'Caches "KV" & <i>friends</i>'
    project.write_config(MINIMAL_CONFIG.replace("name: Test archive", f"name: {name}")
                         .replace("description: A tiny archive for tests.", f"description: {description}"))
    Archive(project.content).save(make_paper())
    topic = project.content / "topics" / "kv.md"
    topic.parent.mkdir()
    topic.write_text(f"---\ntitle: KV\ndescription: {topic_description}\ninclude: [2606.01839]\n---\n\nIntro.\n")
    site = project.build()
    for url, wanted in [("", description), ("months/", description), ("topics/kv/", topic_description)]:
        html = (site / url / "index.html").read_text()
        tags = _Tags(html)
        assert tags.meta("description") == [wanted], url
        assert not [tag for tag, _ in tags.tags if tag in ("archive", "b", "i")], url
        assert any(attrs.get("aria-label") == name for _, attrs in tags.tags), url  # the logo's
