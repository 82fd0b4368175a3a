"""A topic's introduction: the build removes what could run, and check names each line of it."""
import re

import pytest
import yaml

from conftest import REPO, Project
from generator.archive.store import Archive
from generator.curate import introduction
from test_curation import line_of, write
from test_store import make_paper

HOSTILE = """\
---
title: Hostile introduction
description: One sentence.
match:
  keywords: [consensus]
  mentions: 1
---

An introduction with **bold**, a [fine link](https://example.org/) and
a table:

| protocol | year |
| :-- | --: |
| Raft | 2014 |

<script>alert("script")</script>

<img src="https://example.org/fig.png" alt="a figure" onerror="alert('handler')">

A [bad link](javascript:alert(1)) and <a href=" JavaScript:alert(2)">another</a>.

Some <span style="color: red" onclick="alert('span')">red</span> text and math:
<math><mi>x</mi><mo>=</mo><mn>2</mn></math>.
{: onmouseover="alert('attr_list')" }
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("intro"))
    Archive(project.content).save(make_paper(id="2606.00001", abstract="Consensus for all."))
    path = write(project, "topics/hostile.md", HOSTILE)
    return project, path


def test_a_hostile_introduction_builds_to_a_page_with_none_of_it(hostile):
    project, _ = hostile
    html = project.build() and project.page("topics/hostile")
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    for gone in ["<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "color: red"]:
        assert gone.lower() not in article.lower(), gone
    # what the allow-list keeps, as written
    assert "<strong>bold</strong>" in article
    assert re.search(r'<a href="https://example.org/" rel="nofollow noopener noreferrer">fine link</a>', article)
    assert re.search(r'<img src="https://example.org/fig.png" alt="a figure"\s*/?>', article)
    assert re.search(r'<td style="text-align: ?left;?">Raft</td>', article)
    assert "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>" in article
    assert "bad link" in article and "another" in article  # the link text stays, the link goes
    assert 'class="paper-list"' in html  # and the topic's papers follow


def test_check_names_each_line_of_what_the_build_removes(hostile):
    project, path = hostile
    result = project.run("check")
    assert result.exit_code == 0, result.output  # warnings: the page is safe without them
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]

    def at(needle):
        return f"{path}:{line_of(path, needle)}: introduction: "

    expected = [
        at("<script") + "<script> is removed with its content: it is not allowed in an introduction",
        at("onerror") + "the onerror attribute of <img> is removed (event handlers never run on the site)",
        at("[bad link]") + "the link 'javascript:alert(1)' is removed (only http(s), mailto and relative "
                           "addresses are kept)",
        at(" JavaScript:") + "the link ' JavaScript:alert(2)' is removed (only http(s), mailto and relative "
                             "addresses are kept)",
        at("onclick") + "the style attribute of <span> is removed (it is not allowed)",
        at("onclick") + "the onclick attribute of <span> is removed (event handlers never run on the site)",
        at("onmouseover") + "the onmouseover attribute of <p> is removed (event handlers never run on the site)",
    ]
    assert sorted(w.removeprefix("warning: ") for w in warnings) == sorted(expected)
    assert "check: 1 topics and 0 curated papers, no problems, 7 warnings" in result.output


def test_warnings_are_shown_beside_errors(project):
    Archive(project.content).save(make_paper(id="2606.00001"))
    write(project, "topics/bad.md", HOSTILE.replace("description: One sentence.", "descripton: typo"))
    result = project.run("check")
    assert result.exit_code != 0
    assert "descripton" in result.output and "warning: " in result.output and "<script>" in result.output


def test_a_plain_introduction_has_no_warnings():
    body = ("# Heading\n\nText with *em*, `<code>`, a [link](../other/) and\n\n```html\n<script>x</script>\n```\n\n"
            "!!! note \"Reading order\"\n    Start with the survey.\n")
    assert introduction.problems(body, 7, "t.md") == []
    clean = introduction.sanitize(introduction.render(body))
    assert "&lt;script&gt;" in clean and 'class="admonition note"' in clean and 'id="heading"' in clean


def test_the_check_renders_with_the_extensions_mkdocs_uses():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert set(names) <= set(introduction.EXTENSIONS)


def test_every_shipped_introduction_is_clean():
    from generator.curate.topics import load_topics
    topics, problems = load_topics(REPO / "content")
    assert problems == [] and [w for t in topics for w in t.removals] == []


@pytest.mark.parametrize("body, lines", [
    # Line breaks the file does not have: a form feed, U+2028/9, NEL, a vertical tab, a lone CR in a line.
    ("A line\u2028with a separator.\n\n<script>x</script>\n", [3]),
    ("A\x0cB\n\n<img src=x onerror=y>\n", [3]),
    ("A\x85B\u2029C\x0bD\x1cE\n\n<img src=x onerror=y>\n", [3]),
    ("line1\r\n\r\n<script>x</script>\r\n", [3]),
    # The same text earlier, as a word in a sentence, in code, in a comment: not where it was written.
    ("The onerror attribute is bad.\n\n<img src=x onerror=y>\n", [3]),
    ("```html\n<script>\n```\n\n<script>x</script>\n", [5]),
    ("~~~~\n<img onerror=x>\n~~~~\n\n<img src=x onerror=y>\n", [5]),
    ("Text with `<script>` in it.\n\n<script>x</script>\n", [3]),
    ("<!-- <img onerror=x> -->\n\n<img src=x onerror=y>\n", [3]),
    ("javascript:alert(1) is text\n\n[a](javascript:alert(1))\n", [3]),
    ("# Heading {: .evil }\n\nthe evil class, .evilness\n\npara\n{: .evil }\n", [1, 6]),
    ("Use style well.\n\n<span style=\"color:red\">x</span>\n", [3]),
    # Found in order, each at its own line.
    ("<img src=x onerror=y>\n\n<img src=x onerror=y>\n", [1, 3]),
    ("[a][r]\n\nmore\n\n[r]: javascript:alert(1)\n", [5]),
    ("<img\n  src=\"x\"\n  onerror=\"y\">\n", [3]),
])
def test_each_removal_is_placed_on_the_line_it_was_written_on(body, lines):
    assert [p.line for p in introduction.problems(body, 1, "t.md")] == lines


def test_a_line_separator_in_an_introduction_does_not_shift_the_warnings_of_check(project):
    path = write(project, "topics/t.md", "---\ntitle: T\n---\n\nFirst\u2028paragraph.\n\n<script>x</script>\n")
    result = project.run("check")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:7: introduction: <script> is removed" in result.output
