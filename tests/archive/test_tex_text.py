"""arXiv's TeX outside math, read right: each quirk in a fixture written in the form it arrives in.

Old papers (the API's 2016 layout: a title wrapped with an indent, a summary
hard-wrapped with a leading indent) use font switches such as ``{\\em ...}``;
newer ones ``\\textit{...}``; titles carry math (``$\\omega$Test``). On the page
math is MathML and font commands are emphasis; in text-only places (the
``<title>``, citation tags, OpenGraph, feeds) the text a reader sees.
"""
from __future__ import annotations


import pytest
import re
from html import unescape

from generator.archive.tex import plain_text, tex_html

LEGACY_2016 = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dcat%3Acs.DC" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=cat:cs.DC</title>
  <id>http://arxiv.org/api/legacy</id>
  <updated>2016-10-09T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/cs/0112017v1</id>
    <updated>2001-12-14T10:00:00Z</updated>
    <published>2001-12-14T10:00:00Z</published>
    <title>{\\em Fast} Agreement: {\\bf Wait-Free} Consensus for {\\it Many} Processes
  in 50% Fewer Steps</title>
    <summary>  We give a {\\em wait-free} consensus protocol for $n$ processes that
finishes in {\\bf half} the steps of the best known one, using \\textit{only}
registers and \\textbf{no} locks. G\\"otte's bound \\&amp; ours meet at ~10 steps.
</summary>
    <author>
      <name>Thorsten G\\"otte</name>
    </author>
    <link href="http://arxiv.org/abs/cs/0112017v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/cs/0112017v1" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/1605.00001v2</id>
    <updated>2016-05-03T10:00:00Z</updated>
    <published>2016-05-01T10:00:00Z</published>
    <title>$\\omega$Test: Testing Distributed Systems in $O(n^2)$ Time</title>
    <summary>  $\\omega$Test explores the schedules of a distributed system. See
https://github.com/example/~omega_test for the code.
</summary>
    <author>
      <name>Ada Lovelace</name>
    </author>
    <link href="http://arxiv.org/abs/1605.00001v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/1605.00001v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The 2016 feed harvested and built once; the tests below only read the site."""
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("tex-site"))
    feed = project.root / "legacy-2016.xml"
    feed.write_text(LEGACY_2016, encoding="utf-8")
    result = project.run("harvest", "--from-file", str(feed))
    assert result.exit_code == 0, result.output
    project.build()
    return project


def _paper_page(project, arxiv_id: str) -> str:
    # An old-style id's page: papers/0112/cs-0112017/.
    return project.page(f"papers/{arxiv_id.split('/')[-1][:4]}/{arxiv_id.replace('/', '-')}")


def _meta(html: str, attr: str, name: str) -> str:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, name
    return unescape(match.group(1))


def test_em_bf_it_font_switches_in_a_2016_title_show_as_emphasis_cs_0112017(built):
    html = _paper_page(built, "cs/0112017")
    title = re.search(r'<h1 class="paper__title">(.*?)</h1>', html, re.S).group(1)
    assert "<em>Fast</em>" in title and "<strong>Wait-Free</strong>" in title and "<em>Many</em>" in title
    shown = html[:html.index('id="cite"')]  # the BibTeX below keeps the TeX that LaTeX reads
    assert "\\em" not in shown and "\\bf" not in shown and "{\\it" not in shown
    assert "50% Fewer Steps" in title  # a bare % is a percentage, not a TeX comment


def test_textit_and_textbf_in_a_wrapped_2016_abstract_show_as_emphasis_cs_0112017(built):
    html = _paper_page(built, "cs/0112017")
    body = html[html.index('id="abstract"'):]
    assert "<em>wait-free</em>" in body and "<strong>half</strong>" in body
    assert "<em>only</em>" in body and "<strong>no</strong>" in body
    assert "\\textit" not in body and "\\textbf" not in body
    assert "Götte&#39;s bound &amp; ours meet at ~10 steps" in body


def test_title_math_is_text_in_every_text_only_place_1605_00001(built):
    html = _paper_page(built, "1605.00001")
    seen = "ωTest: Testing Distributed Systems in O(n²) Time"  # a power reads as one
    assert unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).startswith(seen)
    assert _meta(html, "name", "citation_title") == seen
    assert _meta(html, "property", "og:title") == seen
    assert "application/ld+json" not in html  # no JSON-LD: it repeated citation_* (docs/reading.md)
    assert "$" not in _meta(html, "name", "description")
    feed = (built.site / "feeds/papers.xml").read_text(encoding="utf-8")
    assert f"<title>{seen}</title>" in feed or f'<title type="text">{seen}</title>' in feed
    assert "$\\omega$" not in feed
    assert "<math" in html  # the page itself still renders the math


def test_a_url_with_a_tilde_in_an_abstract_is_kept_as_written_1605_00001(built):
    html = _paper_page(built, "1605.00001")
    assert "https://github.com/example/~omega_test" in html


def test_bibtex_keeps_the_tex_that_latex_reads_1605_00001(built):
    html = _paper_page(built, "1605.00001")
    bibtex = unescape(re.search(r'<div class="paper__bibtex.*?<code>(.*?)</code>', html, re.S).group(1))
    assert "$\\omega$Test" in bibtex


def test_plain_text_of_tex_that_pylatexenc_cannot_read_whole_loses_nothing():
    # An unpaired brace or dollar: the accents-only conversion, every character kept.
    assert plain_text("unbalanced { brace and G\\\"odel") == "unbalanced { brace and Gödel"
    assert plain_text("costs $5 a month") == "costs $5 a month"


def test_feed_text_inside_font_commands_stays_text():
    html = str(tex_html("{\\em <script>alert(1)</script>} and \\textbf{<b>x</b>}"))
    assert html == "<em>&lt;script&gt;alert(1)&lt;/script&gt;</em> and <strong>&lt;b&gt;x&lt;/b&gt;</strong>"


# Quirks a second reading found in pylatexenc's defaults (each would lose or garble arXiv's text).

def test_a_papers_own_macro_stays_as_written():
    assert str(tex_html("\\sysname{} is fast")) == "\\sysname is fast"
    assert plain_text("\\sysname{} is fast") == "\\sysname is fast"


def test_cite_and_ref_stay_as_written_not_a_placeholder():
    assert plain_text("as in \\cite{lamport98} and \\ref{fig:1}") == "as in \\cite{lamport98} and \\ref{fig:1}"


def test_url_and_href_commands_show_their_address():
    assert str(tex_html("\\url{http://x.org/~a}")) == "http://x.org/~a"
    assert plain_text("see \\href{https://x.org}{the site}") == "see the site (https://x.org)"


def test_an_em_group_around_math_is_emphasis_around_the_math():
    html = str(tex_html("the $k$-set {\\em with $x$ math} here"))
    assert html.startswith("the <math>") and "<em>with <math>" in html and "</math> math</em> here" in html
    assert plain_text("the $k$-set {\\em with $x$ math} here") == "the k-set with x math here"


def test_latex_and_tex_logos_are_words():
    assert plain_text("\\LaTeX\\ and \\TeX") == "LaTeX and TeX"


# TeX that pylatexenc's defaults drop whole (no text spec for the macro): the words
# were the author's, so the reader still gets them.
@pytest.mark.parametrize("tex, html, text", [
    (r"the \mbox{fast} path", "the fast path", "the fast path"),
    (r"\texttt{MPI\_Allreduce} at scale", "<code>MPI_Allreduce</code> at scale", "MPI_Allreduce at scale"),
    (r"a \textsf{Raft} log", "a Raft log", "a Raft log"),
    (r"\ensuremath{n} nodes", "n nodes", "n nodes"),
    (r"code at \url{https://example.org/x}.", "code at https://example.org/x.", "code at https://example.org/x."),
    (r"the \verb|--fast| flag", "the --fast flag", "the --fast flag"),
    (r"in \S 3, a \textless{} b", "in §3, a &lt; b", "in §3, a < b"),
], ids=["mbox", "texttt", "textsf", "ensuremath", "url", "verb", "S-textless"])
def test_tex_pylatexenc_drops_keeps_its_words(tex, html, text):
    assert str(tex_html(tex)) == html
    assert plain_text(tex) == text
