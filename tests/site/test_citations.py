"""What citation managers, search engines and feed readers get from the built site."""
import json
import posixpath
from xml.etree import ElementTree
from html.parser import HTMLParser

import feedparser
import pybtex.errors
import pytest
from pybtex.database import parse_string

from conftest import REPO, Project
from generator.archive.models import Author
from generator.archive.store import Archive
from generator.archive.tex import plain_text
from generator.config import Settings
from generator.site.bibtex import bibtex_key, bibtex_keys, bibtex_text, bib_file
from generator.site.feeds import Feed, atom_feed
from nasty import NASTY
from test_store import make_paper

SAMPLE = Archive(REPO / "content")
pybtex.errors.set_strict_mode(True)  # an unbalanced brace or a broken entry fails the test


class Head(HTMLParser):
    """The parts of a page these tests read: head tags, scripts, the BibTeX block."""

    def __init__(self, html: str):
        super().__init__()
        self.meta, self.links, self.scripts, self.bibtex = [], [], [], None
        self._script, self._code, self._in_bibtex = None, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self._script = [attrs.get("type"), ""]
        elif tag == "div" and "paper__bibtex" in (attrs.get("class") or ""):
            self._in_bibtex = True
        elif tag == "code" and self._in_bibtex:
            self._code = ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append(tuple(self._script))
            self._script = None
        elif tag == "code" and self._code is not None:
            self.bibtex, self._code, self._in_bibtex = self._code, None, False

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        if self._code is not None:
            self._code += data

    def content(self, key: str, attr: str = "name") -> list[str]:
        return [m["content"] for m in self.meta if m.get(attr) == key]

    def json_ld(self) -> list:
        return [json.loads(body) for kind, body in self.scripts if kind == "application/ld+json"]


def page_of(site, paper) -> Head:
    return Head((site / paper.url / "index.html").read_text(encoding="utf-8"))


def test_paper_page_carries_highwire_citation_tags(sample_site):
    paper = SAMPLE.load("2510.00991")
    head = page_of(sample_site, paper)
    assert head.content("citation_title") == ["An Efficient, Reliable and Observable Collective Communication "
                                              "Library in Large-scale GPU Training Clusters"]
    assert head.content("citation_author") == [a.name for a in paper.authors]
    assert head.content("citation_publication_date") == [paper.published[:10].replace("-", "/")]
    assert head.content("citation_arxiv_id") == ["2510.00991"]
    assert head.content("citation_pdf_url") == ["https://arxiv.org/pdf/2510.00991v2"]


def test_journal_ref_and_doi_are_in_the_head_where_present(project):
    Archive(project.content).save(make_paper(doi="10.1145/3600006.3613175", journal_ref="Proc. SOSP '26, pp. 1-15"))
    head = Head(project.build().joinpath("papers/2606/2606.01839/index.html").read_text())
    assert head.content("citation_doi") == ["10.1145/3600006.3613175"]
    assert head.content("dcterms.bibliographicCitation") == ["Proc. SOSP '26, pp. 1-15"]


def test_paper_page_has_opengraph_and_arxiv_canonical_and_each_field_once(sample_site):
    # Link previews read og:title, og:url and the description; Scholar and Zotero
    # read citation_*; no JSON-LD repeats them (docs/performance.md, "Size on real papers").
    paper = SAMPLE.load("2606.04101")
    head = page_of(sample_site, paper)
    assert head.json_ld() == [] and head.content("og:type", "property") == []
    (title,) = head.content("og:title", "property")
    assert title.startswith("UltraEP: Unleash MoE Training") and head.content("citation_title") == [title]
    assert head.content("og:url", "property") == ["https://example.github.io/arxiv-archive/papers/2606/2606.04101/"]
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == ["https://arxiv.org/abs/2606.04101"]
    (description,) = head.content("description")
    assert description.startswith("Large-scale expert parallelism (EP) is becoming pivotal") and len(description) <= 201


def test_listing_pages_keep_their_own_canonical_and_the_sitemap_lists_them_not_the_papers(sample_site):
    head = Head((sample_site / "months/2606/index.html").read_text())
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [
        "https://example.github.io/arxiv-archive/months/2606/"]
    # A paper page's canonical is arXiv's: a sitemap lists what this site asks to be indexed.
    sitemap = ElementTree.fromstring((sample_site / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.github.io/arxiv-archive/months/2606/" in locs
    assert "https://example.github.io/arxiv-archive/topics/" in locs
    assert not [loc for loc in locs if "/papers/" in loc or "arxiv.org" in loc]


def test_bibtex_entry_on_the_page_parses_and_matches_the_paper(sample_site):
    paper = SAMPLE.load("2606.04101")
    head = page_of(sample_site, paper)
    entries = parse_string(head.bibtex, "bibtex").entries
    (key,) = entries
    entry = entries[key]
    assert key == "wei2026ultraep"
    assert entry.type == "misc" and entry.fields["eprint"] == "2606.04101"
    assert entry.fields["archivePrefix"] == "arXiv" and entry.fields["primaryClass"] == "cs.DC"
    assert entry.fields["title"] == "{" + paper.title + "}" and entry.fields["year"] == "2026"
    assert [str(p) for p in entry.persons["author"]][:2] == ["Wei, Xinming", "Jin, Chao"]
    assert len(entry.persons["author"]) == len(paper.authors)


def test_every_month_has_a_bib_file_with_its_papers_under_the_pages_keys(sample_site):
    months = {}
    for paper in SAMPLE.iter_papers():
        months.setdefault(paper.month, []).append(paper)
    for month, papers in months.items():
        entries = parse_string((sample_site / f"months/{month}/{month}.bib").read_text(), "bibtex").entries
        assert sorted(e.fields["eprint"] for e in entries.values()) == sorted(p.id for p in papers)
        for paper in papers:
            (key,) = parse_string(page_of(sample_site, paper).bibtex, "bibtex").entries
            assert entries[key].fields["eprint"] == paper.id
        listing = (sample_site / f"months/{month}/index.html").read_text()
        assert f'href="{month}.bib"' in listing


def test_bib_keys_are_unique_and_stable():
    same = [make_paper(id=f"2606.0{i}000", authors=[Author("Ada Lovelace")], title="Engines") for i in range(1, 4)]
    keys = bibtex_keys(same)
    assert [keys[p.id] for p in same] == ["lovelace2026engines", "lovelace2026enginesb", "lovelace2026enginesc"]
    assert bibtex_key(make_paper(authors=[Author('Thorsten G\\"otte')], title="On the $n$-body problem")) \
        == "gotte2026body"
    assert bibtex_key(make_paper(authors=[], title="数据")) == "arxiv2026"
    entries = parse_string(bib_file(same), "bibtex").entries
    assert list(entries) == ["lovelace2026engines", "lovelace2026enginesb", "lovelace2026enginesc"]


@pytest.mark.parametrize("text, escaped", [
    ("50% of R&D_x #1", r"50\% of R\&D\_x \#1"),
    (r"already \& escaped \% fine", r"already \& escaped \% fine"),
    (r"$7$--$173\times$ faster", r"$7$--$173\times$ faster"),  # math is TeX already
    ("math $a_1 % b^2$ and ^caret", r"math $a_1 \% b^2$ and \^{}caret"),
    ("{unbalanced", r"\textbraceleft{}unbalanced"),
    (r"}{ reversed \{ escaped", r"\textbraceright{}\textbraceleft{} reversed \textbraceleft{} escaped"),
    ("{{ kept }} groups", "{{ kept }} groups"),
    ("trailing backslash \\", r"trailing backslash \textbackslash{}"),
    ("a control \x07 bell\nand a line", "a control  bell and a line"),
])
def test_bibtex_escapes_what_would_break_latex_or_the_bib_file(text, escaped):
    assert bibtex_text(text) == escaped


@pytest.mark.parametrize("text", NASTY)
def test_feed_text_makes_a_bib_entry_that_parses(text):
    paper = make_paper(title=text, authors=[Author(text), Author("Ada Lovelace")], journal_ref=text)
    (entry,) = parse_string(bib_file([paper]), "bibtex").entries.values()
    named = 2 if text.strip() else 1  # a nameless author is left out
    assert entry.fields["eprint"] == "2606.01839" and len(entry.persons["author"]) == named


def test_an_author_named_with_and_stays_one_author():
    paper = make_paper(authors=[Author("Smith and Sons Lab"), Author("Ada Lovelace")])
    (entry,) = parse_string(bib_file([paper]), "bibtex").entries.values()
    assert len(entry.persons["author"]) == 2


# --- feeds -------------------------------------------------------------------

def test_archive_feed_is_valid_atom_of_the_newest_papers(sample_site):
    feed = feedparser.parse((sample_site / "feeds/papers.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    papers = sorted(SAMPLE.iter_papers(), key=lambda p: (p.published, p.id), reverse=True)
    assert [e.id for e in feed.entries] == [f"https://arxiv.org/abs/{p.id}" for p in papers[:50]]
    first, newest = feed.entries[0], papers[0]
    assert first.link == "https://example.github.io/arxiv-archive/" + newest.url
    assert first.title == newest.title and first.authors[0]["name"] == newest.authors[0].name
    assert first.summary.startswith(newest.abstract[:40])
    assert feed.feed.links[0]["href"] == "https://example.github.io/arxiv-archive/feeds/papers.xml"


def test_every_page_links_the_feed_from_its_head_and_the_link_resolves(sample_site):
    for url in ["", "months/", "months/2606/", "papers/2606/2606.04101/"]:
        head = Head((sample_site / url / "index.html").read_text())
        (href,) = [link["href"] for link in head.links
                   if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
        assert (sample_site / posixpath.normpath(posixpath.join(url, href))).is_file(), (url, href)


def test_a_feed_of_any_list_of_papers_for_topics():
    papers = [make_paper(id=f"2606.0000{i}", published=f"2026-06-0{i}T00:00:00Z", title=f"Paper {i}")
              for i in range(1, 5)]
    xml = atom_feed(papers, Feed("topics/gpu/feed.xml", "GPU papers"), "https://example.org/a/", "Archive", limit=3)
    feed = feedparser.parse(xml)
    assert not feed.bozo and feed.feed.title == "GPU papers"
    assert [e.title for e in feed.entries] == ["Paper 4", "Paper 3", "Paper 2"]
    assert feed.feed.id == "https://example.org/a/topics/gpu/feed.xml"


def test_a_feed_without_site_url_links_entries_to_arxiv():
    feed = feedparser.parse(atom_feed([make_paper()], Feed("feed.xml", "All"), None, "Archive"))
    assert not feed.bozo and feed.entries[0].link == "https://arxiv.org/abs/2606.01839v1"


# --- nasty feed text in the head and the feed ---------------------------------

@pytest.fixture(scope="module")
def nasty_project(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("nasty-head"))
    archive = Archive(project.content)
    for i, text in enumerate(NASTY + BREAKOUTS, 1):
        archive.save(make_paper(id=f"2606.{i:05d}", title=text, authors=[Author(text)], abstract=text,
                                journal_ref=text))
    project.build()
    return project


BREAKOUTS = ["</script><script>alert(1)</script>", '"><meta name="x" content="']


def test_feed_text_never_breaks_out_of_the_head(nasty_project):
    plain = Head(nasty_project.page("papers/2606/2606.00003"))  # "--- a YAML document marker"
    for i, text in enumerate(NASTY + BREAKOUTS, 1):
        head = Head(nasty_project.page(f"papers/2606/2606.{i:05d}"))
        assert len(head.scripts) == len(plain.scripts)  # Material's and the archive's only
        empty_journal_ref = not text  # no journal ref, no meta tag for it
        assert len(head.meta) == len(plain.meta) - empty_journal_ref and not head.content("x")
        assert head.content("og:title", "property") == [plain_text(text)]
        assert head.content("citation_title") == [plain_text(text)]
        assert head.content("citation_author") == [plain_text(text)]


def test_feed_of_nasty_text_is_valid(nasty_project):
    feed = feedparser.parse((nasty_project.site / "feeds/papers.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = {e.title for e in feed.entries}
    assert "</script><script>alert(1)</script>" in titles and "<script>alert('x')</script>" in titles
    assert "a\ttab and a control  bell" in titles  # XML cannot hold the bell: dropped, nothing else


def test_a_collection_such_as_a_topic_gets_a_feed_a_bib_file_and_a_head_link():
    from generator.config import Settings
    from generator.site.extras import Extras
    from generator.site.render import Renderer

    papers = [make_paper(id=f"2606.0000{i}", title=f"Paper {i}") for i in range(1, 4)]
    extras = Extras.compute(papers, Settings(name="Archive", site_url="https://example.org/a/"))
    feed, files = extras.collection("topics/llm-serving/", "LLM serving", papers[:2])
    assert sorted(files) == ["feeds/topics-llm-serving.xml", "topics/llm-serving/llm-serving.bib"]
    parsed = feedparser.parse(files[feed.path])
    assert not parsed.bozo and parsed.feed.title == "Archive: LLM serving" and len(parsed.entries) == 2
    assert len(parse_string(files["topics/llm-serving/llm-serving.bib"], "bibtex").entries) == 2
    head = Head(extras.head(Renderer(), "topics/llm-serving/", feeds=[feed]))
    assert [link["href"] for link in head.links] == ["../../feeds/papers.xml", "../../feeds/topics-llm-serving.xml"]


def test_home_page_links_the_feed(sample_site):
    assert '<a href="feeds/papers.xml" type="application/atom+xml">Atom feed</a>' in (sample_site / "index.html").read_text()


def test_a_collaboration_paper_names_its_first_authors_and_links_to_the_rest(project):
    # Large collaborations (thousands of authors) are cross-listed to cs.DC:
    # each name four times on the page would make it hundreds of kilobytes.
    limit = Settings().max_authors
    authors = [Author(f"Member{i:04d} Collaborator", ["Some National Laboratory"]) for i in range(3000)]
    Archive(project.content).save(make_paper(authors=authors))
    site = project.build()
    html = site.joinpath("papers/2606/2606.01839/index.html").read_text()
    head = Head(html)
    first = [a.name for a in authors[:limit]]
    assert head.content("citation_author") == first
    (key,) = entries = parse_string(head.bibtex, "bibtex").entries
    assert [str(p) for p in entries[key].persons["author"]][-1] == "others"  # "et al." in every style
    assert len(entries[key].persons["author"]) == limit + 1
    # list (twice: the name and its search link), citation_author, BibTeX
    # (a search result's names are in the index copy, not the page)
    assert html.count("Member") == limit * 4
    more = f'{3000 - limit:,} more'
    assert f'<li class="paper__more-authors">and <a href="https://arxiv.org/abs/2606.01839v1">{more}</a></li>' in html
    assert len(html.encode()) < 20_000
    month = parse_string(site.joinpath("months/2606/2606.bib").read_text(), "bibtex").entries
    assert len(month[key].persons["author"]) == 3000  # a .bib file names everyone


def test_max_authors_from_the_config_is_the_page_s_limit(project):
    project.write_config(project.root.joinpath("archive.yml").read_text() + "pages:\n  max_authors: 3\n")
    archive = Archive(project.content)
    archive.save(make_paper(authors=[Author(n, []) for n in ("Ada", "Bo", "Cy")]))
    archive.save(make_paper(id="2606.01840", authors=[Author(n, []) for n in ("Ada", "Bo", "Cy", "Di")]))
    site = project.build()
    html = site.joinpath("papers/2606/2606.01839/index.html").read_text()
    head = Head(html)
    assert head.content("citation_author") == ["Ada", "Bo", "Cy"] and "paper__more-authors" not in html
    assert "others" not in head.bibtex
    html = site.joinpath("papers/2606/2606.01840/index.html").read_text()
    head = Head(html)
    assert head.content("citation_author") == ["Ada", "Bo", "Cy"] and ">1 more</a>" in html
    assert head.bibtex.count("Ada and Bo and Cy and others") == 1 and "Di" not in head.bibtex
