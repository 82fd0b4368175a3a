"""Topic pages and curated papers, as a reader gets them in the built site."""
import re
from html import unescape

import pytest

from conftest import MINIMAL_CONFIG, REPO, Project
from generator.archive.models import Author
from generator.archive.store import Archive
from generator.curate.rules import MatchRules
from test_curation import TOPIC, curate, write
from test_store import make_paper

EDIT = "https://github.com/example/archive/edit/main/content/"


def listed_ids(html: str) -> list[str]:
    return re.findall(r'<div class="paper-item__meta">([^ <]+) · ', html)


def all_papers(html: str) -> str:
    """A topic page's full list, without the chosen papers it leads with."""
    return html.split('id="topic-papers"', 1)[1]


def why(html: str) -> list[str]:
    return [unescape(w) for w in re.findall(r'<div class="paper-item__why">Listed because it ([^<]+)\.</div>', html)]


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Papers chosen to test each rule of the issue's example topic, and curated papers."""
    project = Project(tmp_path_factory.mktemp("topics"))
    archive = Archive(project.content)

    def paper(n, day, **fields):
        fields.setdefault("abstract", "Nothing relevant.")
        archive.save(make_paper(id=f"2606.0000{n}", published=f"2026-06-{day:02d}T10:00:00Z",
                                title=fields.pop("title", f"Paper {n}"), **fields))

    paper(1, 1, categories=["cs.DC"], abstract="Nothing to match, but on the include list.")
    paper(2, 2, categories=["cs.DC"], abstract="Prefill everywhere, but excluded.")
    paper(3, 3, categories=["cs.DC"], abstract="We manage the kv-cache of a model.")
    paper(4, 4, categories=["cs.DC"], title="Faster PREFILL and decode")
    paper(5, 5, categories=["cs.LG"], primary_category="cs.LG", abstract="KV cache, but not in cs.DC.")
    paper(6, 6, categories=["cs.DC"], abstract="KV caches and decoders and prefilling: no whole word.")
    paper(7, 7, categories=["cs.LG", "cs.DC"], primary_category="cs.LG", abstract="Cross-listed; we decode.")
    paper(8, 8, categories=["cs.LG"], primary_category="cs.LG", abstract="Curated into the topic by its own file.")
    write(project, "topics/llm-serving.md", TOPIC.replace("2606.00001]", "2606.00001]", 1)
          .replace("The curator's own introduction.", "The curator's **own** introduction, [kept](https://example.org/) as written."))
    write(project, "topics/by-author.md", "---\ntitle: 'Götte <script>alert(1)</script>'\n"
                                          "description: Papers by one author.\nmatch:\n  authors: [thorsten götte]\n---\n")
    archive.save(make_paper(id="2605.00001", published="2026-05-01T10:00:00Z",
                            authors=[Author('Thorsten G\\"otte')]))
    curate(project, "2606.00008", """\
curation:
  headline: "A <b>bold</b> claim, up to 9.65x"
  summary: One sentence {{ config.site_name }}.
  note: |
    Free **Markdown** <script>alert(1)</script> and [a bad link](javascript:alert(1)).
  topics: [llm-serving]
  featured: true
""")
    project.build()
    return project


def test_topic_page_lists_exactly_what_the_rules_include_and_exclude_select(site):
    html = all_papers(site.page("topics/llm-serving"))
    # newest first: 8 (curation), 7 (cross-listed), 4 (title), 3 (hyphenated phrase), 1 (include)
    assert listed_ids(html) == ["2606.00008", "2606.00007", "2606.00004", "2606.00003", "2606.00001"]
    assert "5 papers, newest first" in html
    assert why(html) == [
        "names this topic in its curation block",
        "matches category cs.DC and abstract “decode”",
        "matches category cs.DC and title “prefill”, “decode”",
        "matches category cs.DC and abstract “KV cache”",
        "is on the topic's include list",
    ]


def test_topic_page_shows_the_introduction_first_rendered_as_markdown(site):
    html = site.page("topics/llm-serving")
    intro = html.index("<strong>own</strong> introduction")
    assert '<a href="https://example.org/" rel="nofollow noopener noreferrer">kept</a>' in html
    assert intro < html.index('class="paper-list"')
    assert "<h1>LLM serving</h1>" in html


def test_topic_page_shows_title_authors_date_and_headline(site):
    html = site.page("topics/llm-serving")
    assert 'href="../../papers/2606/2606.00008/">Paper 8</a>' in html
    assert "A &lt;b&gt;bold&lt;/b&gt; claim, up to 9.65x" in html
    assert re.search(r'<div class="paper-item__meta">2606\.\d{5} · 8 Jun 2026 · cs\.[A-Z]{2} · <a class="paper-item__pdf"', html)
    assert '<div class="paper-item__authors"><span>Ada</span></div>' in html  # assets/search.js links it


def test_author_rule_matches_names_as_people_write_them(site):
    html = site.page("topics/by-author")
    assert listed_ids(html) == ["2605.00001"]
    assert why(html) == ["matches author thorsten götte"]
    assert "<script>alert" not in html and "Götte &lt;script&gt;" in html


def test_topics_index_lists_every_topic_with_count_and_description(site):
    html = site.page("topics")
    assert re.search(r'href="llm-serving/">LLM serving</a> <span class="topic-list__count">5 papers</span>', html)
    assert re.search(r'href="by-author/">Götte &lt;script&gt;alert\(1\)&lt;/script&gt;</a> '
                     r'<span class="topic-list__count">1 paper</span>', html)
    assert "One sentence shown in topic lists." in html and "Papers by one author." in html
    home = (site.site / "index.html").read_text()
    assert re.search(r'<a href="topics/" class="md-tabs__link">\s*Topics', home)


def test_paper_page_shows_curation_and_links_to_its_topics(site):
    html = site.page("papers/2606/2606.00008")
    title, headline = html.index('class="paper__title"'), html.index('class="paper__headline"')
    assert title < headline < html.index('class="paper__authors"')
    assert "A &lt;b&gt;bold&lt;/b&gt; claim, up to 9.65x" in html
    assert "One sentence {{ config.site_name }}." in html
    assert 'Topics: <a href="../../../topics/llm-serving/">LLM serving</a>.' in html
    plain = site.page("papers/2606/2606.00006")
    assert "paper__topics" not in plain and "paper__headline" not in plain


def test_a_note_is_markdown_with_raw_html_escaped_and_unsafe_links_dropped(site):
    html = site.page("papers/2606/2606.00008")
    note = html.split('<div class="paper__note">', 1)[1].split("</div>", 1)[0]
    assert "<strong>Markdown</strong>" in note
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note and "<script" not in note
    assert "javascript:" not in note and "a bad link" in note


def test_headline_and_summary_show_in_month_listings_and_featured_on_home(site):
    month = site.page("months/2606")
    item = month.split('href="../../papers/2606/2606.00008/"', 1)[1].split("</li>", 1)[0]
    assert "paper-item__headline" in item and "paper-item__summary" in item
    home = (site.site / "index.html").read_text()
    featured = home.split('id="featured"', 1)[1].split('id="latest"', 1)[0]
    assert listed_ids(featured) == ["2606.00008"]


def test_edit_links_open_the_source_file_and_only_where_there_is_one(site):
    def edit(url):
        return re.findall(r'<a href="([^"]+)" title="Edit this page"', site.page(url))
    assert edit("papers/2606/2606.00008") == [EDIT + "papers/2606/2606.00008.md"]
    assert edit("topics/llm-serving") == [EDIT + "topics/llm-serving.md"]
    for generated in ("", "months", "months/2606", "topics"):
        assert edit(generated) == [], generated


def test_a_large_topic_is_paginated_like_the_months(tmp_path):
    project = Project(tmp_path, MINIMAL_CONFIG + "pages:\n  per_page: 2\n")
    archive = Archive(project.content)
    for i in range(1, 6):
        archive.save(make_paper(id=f"2606.0000{i}", published=f"2026-06-0{i}T10:00:00Z"))
    write(project, "topics/all.md", "---\ntitle: Everything\nmatch: {categories: [cs.DC]}\n---\n\nAll of it.\n")
    project.build()
    pages = [project.page("topics/all"), project.page("topics/all/page-2"), project.page("topics/all/page-3")]
    assert [listed_ids(p) for p in pages] == [["2606.00005", "2606.00004"], ["2606.00003", "2606.00002"], ["2606.00001"]]
    assert "All of it." in pages[0] and "All of it." not in pages[1]
    assert 'rel="next" href="page-2/"' in pages[0] and 'rel="prev" href="../"' in pages[1]
    assert "5 papers, newest first; papers 3–4" in pages[1]
    assert all(len(p.encode()) < 500_000 for p in pages)
    assert not (project.site / "topics/all/page-4").exists()


def test_a_topic_with_no_rules_lists_only_what_people_chose(project):
    Archive(project.content).save(make_paper())
    write(project, "topics/empty.md", "---\ntitle: Empty\nmatch:\n  keywords: []\n---\n")
    project.build()
    assert "No paper in the archive matches this topic yet." in project.page("topics/empty")


@pytest.mark.parametrize("keyword, text, hit", [
    ("KV cache", "the KV cache grows", True),
    ("KV cache", "the kv\ncache grows", True),
    ("KV cache", "the KV-cache grows", True),
    ("KV cache", "KV caches grow", False),
    ("decode", "decoder", False),
    ("C++", "written in C++ today", True),
    ("all-to-all", "an All-to-All exchange", True),
    ("a.b", "axb", False),
])
def test_keywords_are_whole_words_in_any_case(keyword, text, hit):
    rules = MatchRules(keywords=[keyword], mentions=1)  # the word rules, one mention (test_topic_evidence weighs)
    assert (rules.explain(make_paper(title="T", abstract=text)) is not None) == hit


def test_the_sample_archive_has_topics_and_curated_papers(sample_site):
    topics = (sample_site / "topics/index.html").read_text()
    assert "LLM serving" in topics and "Collective communication" in topics
    for path in (REPO / "content/topics").glob("*.md"):
        assert (sample_site / "topics" / path.stem / "index.html").exists()
    home = (sample_site / "index.html").read_text()
    assert 'id="featured"' in home


def test_topic_page_in_a_browser(page, sample_server):
    page.goto(sample_server.url + "topics/collective-communication/")
    assert page.locator("h1").first.inner_text() == "Collective communication"
    assert page.locator(".paper-list .paper-item").count() >= 2
    assert page.locator("a[rel=edit]").get_attribute("href").endswith("/content/topics/collective-communication.md")
    page.locator(".paper-item__title", has_text="AllReduce").first.click()
    page.wait_for_url("**/papers/2606/2606.01680/")
    assert page.locator(".paper__headline").is_visible()
    assert page.errors == []


def test_topic_feed_and_bib_links_resolve(sample_site):
    import re
    import feedparser
    html = (sample_site / "topics/llm-serving/index.html").read_text()
    feed_href = re.search(r'<a href="([^"]+)" type="application/atom\+xml">Atom feed</a>', html).group(1)
    bib_href = re.search(r'<a href="([^"]+)">BibTeX</a>', html).group(1)
    base = sample_site / "topics/llm-serving"
    feed = feedparser.parse((base / feed_href).resolve().read_bytes())
    assert not feed.bozo and feed.entries
    assert "@article{" in (base / bib_href).resolve().read_text() or "@misc{" in (base / bib_href).resolve().read_text()
    assert f'href="{feed_href}"' in html.split("</head>")[0]  # the topic's feed in its head too


def test_topic_page_leads_with_what_people_chose(project):
    """Featured, then included, then headlined papers, before all papers by the rules (page 1 only)."""
    archive = Archive(project.content)
    for n in range(1, 7):
        archive.save(make_paper(id=f"2606.0000{n}", published=f"2026-06-0{n}T10:00:00Z", title=f"Paper {n}",
                                abstract="About consensus." if n != 2 else "Nothing to match."))
    write(project, "topics/consensus.md", "---\ntitle: Consensus\nmatch:\n  keywords: [consensus]\n"
                                          "  mentions: 1\ninclude: [2606.00002]\n---\n\nAgreement.\n")
    curate(project, "2606.00001", "curation:\n  featured: true\n")
    curate(project, "2606.00005", "curation:\n  headline: Agreement in one round\n")
    project.write_config(MINIMAL_CONFIG + "pages:\n  per_page: 4\n")
    project.build()
    html = project.page("topics/consensus")
    chosen, everything = html.split('<h2 id="topic-chosen">Chosen by curators</h2>', 1)[1].split('id="topic-papers"', 1)
    assert listed_ids(chosen) == ["2606.00001", "2606.00002", "2606.00005"]
    assert re.findall(r'<div class="paper-item__chosen">([^<]+)</div>', chosen) == [
        "Featured on the home page", "Included by a curator", "Headline by a curator"]
    assert "3 papers that people featured, included or wrote a headline for; all 6 are in the list below." in visible(chosen)
    assert ">All papers</h2>" in everything
    assert listed_ids(everything) == ["2606.00006", "2606.00005", "2606.00004", "2606.00003"]  # newest first, page 1
    assert html.index("Agreement.") < html.index("topic-chosen")  # after the introduction
    assert "topic-chosen" not in project.page("topics/consensus/page-2")


def test_a_topic_nobody_curated_has_no_chosen_section(site):
    assert "topic-chosen" not in site.page("topics/by-author")


@pytest.mark.parametrize("keyword, text, hit", [
    ("I/O", "Fast i/o paths", True), ("TLA+", "Checked in TLA+ today", True), ("on-chain", "On-chain state", True), ("on-chain", "On chain state", False),
    ("KV cache", "the kv\u2013cache", False),  # an en dash is not a hyphen
    ("KV cache", "“KV cache” reuse", True), ("snake_case", "a snake_case name", True),
    ("GPU-accelerated", "GPU-Accelerated solvers", True), ("edge computing", "edge-computing, again", True),
    ("x²", "we minimise x² here", True), ("gossip", "gossiping nodes", False),
])
def test_the_word_prefilter_never_hides_a_match(keyword, text, hit):
    """list_topics rules keywords out by a paper's set of words before any regex: it must agree with the regex."""
    from generator.curate.listing import list_topics
    from generator.curate.topics import Topic
    paper = make_paper(title="T", abstract=text)
    listed = list_topics([Topic("t", "T", rules=MatchRules(keywords=[keyword], mentions=1))], [paper])[0].entries
    assert bool(listed) == hit == (MatchRules(keywords=[keyword], mentions=1).explain(paper) is not None)
