"""Curation by pull request: `check` names every mistake, and a harvest never touches curation."""
import re

import pytest

from arxiv_feed import Entry
from arxiv_server import ArxivServer
from generator.archive import frontmatter
from generator.archive.store import Archive
from test_store import make_paper

TOPIC = """\
---
title: LLM serving
description: One sentence shown in topic lists.
match:                 # a paper matches if it satisfies every given key
  categories: [cs.DC]  # any of these arXiv categories (primary or cross-list)
  keywords: [KV cache, "prefill", decode]   # any, case-insensitive, whole words, title or abstract
  authors: []          # any of these author names
  mentions: 1          # one abstract mention is enough here (2 by default: tests/curate/test_topic_evidence.py)
include: [2606.00001]  # always listed (bare arXiv ids, no version)
exclude: [2606.00002]  # never listed
---

The curator's own introduction.
"""


def write(project, relative: str, text: str):
    path = project.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_papers(project, *ids):
    archive = Archive(project.content)
    for i, paper_id in enumerate(ids):
        archive.save(make_paper(id=paper_id, published=f"2026-06-0{i + 1}T10:00:00Z"))


def curate(project, paper_id: str, block: str):
    """Add a block of front matter to a paper's file, as a curator would."""
    path = Archive(project.content).path_for(paper_id)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\n" + block + "---\n", 1), encoding="utf-8")
    return path


def line_of(path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def error_lines(result) -> list[str]:
    """The problems a run reports; a build's warnings (the fixture's repo_url is a placeholder) are none."""
    return [line.removeprefix("error: ") for line in result.output.strip().splitlines()
            if not line.startswith("warning: ")]


def test_a_clean_archive_passes(project):
    add_papers(project, "2606.00001", "2606.00002")
    write(project, "topics/llm-serving.md", TOPIC)
    curate(project, "2606.00001", "curation:\n  headline: A claim\n  topics: [llm-serving]\n  featured: yes\n")
    result = project.run("check")
    assert result.exit_code == 0, result.output
    assert "1 topics and 1 curated papers, no problems" in result.output


@pytest.fixture
def mistakes(project):
    """An archive with many mistakes in several files; → (project, {path: [(needle, message part)]})."""
    add_papers(project, "2606.00001", "2606.00002", "2606.00003")
    bad_topic = write(project, "topics/bad.md", """\
---
title: LLM serving
matchh: {keywords: [x]}
match:
  keywords: KV cache
include: [2606.99999, 2606.00003, 2606.00001v2]
exclude: [2606.00003, 2606.00002]
---
""")
    twin = write(project, "topics/twin.md", "---\ntitle: llm  Serving\ndescription: [not, text]\n---\n")
    broken = write(project, "topics/broken.md", "---\ntitle: Broken\nmatch: {keywords: [a, b}\n---\n")
    paper = curate(project, "2606.00002", """\
curaton: {}
curation:
  headlin: typo
  summary: |
    two
    lines
  featured: maybe
  topics: [nope, bad]
""")
    paper3 = curate(project, "2606.00003", "curation:\n  topics: [bad]\n  topics: [twin]\n")
    expected = {
        bad_topic: [("matchh:", "matchh: unknown key"),
                    ("keywords: KV cache", "match.keywords: must be a list"),
                    ("include:", "include: 2606.99999 is not in the archive"),
                    ("include:", "write the bare id '2606.00001'"),
                    ("exclude:", "exclude: 2606.00003 is both included (line 6) and excluded")],
        twin: [("title:", "title: 'llm  Serving' is already the title of"),
               ("description:", "description: must be text")],
        broken: [("match:", "malformed YAML")],
        paper: [("curaton:", "curaton: unknown key"),
                ("headlin:", "curation.headlin: unknown key"),
                ("summary:", "curation.summary: must be one line"),
                ("featured:", "curation.featured: must be true or false, got 'maybe'"),
                ("topics: [nope", "curation.topics: no topic 'nope'"),
                ("topics: [nope", "curation.topics: 2606.00002 is both included in 'bad' here and excluded by")],
        paper3: [("topics: [twin]", "curation.topics: repeated key (first on line")],
    }
    return project, expected


def test_check_names_the_file_and_line_of_every_mistake_in_one_run(mistakes):
    project, expected = mistakes
    result = project.run("check")
    assert result.exit_code == 5
    lines = error_lines(result)
    for path, problems in expected.items():
        for needle, message in problems:
            prefix = f"{path}:{line_of(path, needle)}: "
            assert any(line.startswith(prefix) and message in line for line in lines), (prefix, message, lines)
    assert len(lines) == sum(len(p) for p in expected.values()), lines
    assert all(re.match(r"^/\S+\.md:\d+: \S", line) for line in lines), lines


def test_the_build_runs_the_same_checks_and_fails_with_the_same_messages(mistakes):
    project, _ = mistakes
    checked = error_lines(project.run("check"))
    built = project.run("build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert built.exit_code != 0
    assert error_lines(built) == checked
    assert not (project.site / "index.html").exists()


def test_a_broken_paper_file_is_reported_with_the_curation_mistakes(project):
    add_papers(project, "2606.00001")
    broken = write(project, "papers/2606/2606.00009.md", "---\nid: '2606.00009'\ntitle: [unclosed\n---\n")
    write(project, "topics/t.md", "---\ntitle: T\ninclude: [2606.00404]\n---\n")
    lines = error_lines(project.run("check"))
    assert any(line.startswith(f"{broken}:4: malformed YAML") for line in lines), lines
    assert any(line.startswith(f"{project.content / 'topics/t.md'}:3: include: 2606.00404") for line in lines)


@pytest.mark.parametrize("name", ["LLM_Serving.md", "index.md", "two--dashes.md"])
def test_a_topic_file_name_must_be_a_slug(project, name):
    path = write(project, f"topics/{name}", "---\ntitle: A topic\n---\n")
    [line] = error_lines(project.run("check"))
    assert line.startswith(f"{path}:1: ") and "lower-case words joined by hyphens" in line


@pytest.mark.parametrize("text, message", [
    ("no front matter\n", "no YAML front matter"),
    ("---\n---\n", "the front matter is empty"),
    ("---\n- a list\n---\n", "must be a mapping"),
    ("---\ndescription: no title\n---\n", "title: missing"),
])
def test_a_topic_without_usable_front_matter_is_reported(project, text, message):
    path = write(project, "topics/t.md", text)
    [line] = error_lines(project.run("check"))
    assert line.startswith(f"{path}:") and message in line


def test_unquoted_ids_are_read_as_written_not_as_numbers(project):
    # YAML reads 2606.01840 as the float 2606.0184: the id must come from the text.
    Archive(project.content).save(make_paper(id="2606.01840"))
    write(project, "topics/t.md", "---\ntitle: T\ninclude: [2606.01840]\n---\n")
    result = project.run("check")
    assert result.exit_code == 0, result.output
    html = project.build().joinpath("topics/t/index.html").read_text()
    assert 'href="../../papers/2606/2606.01840/"' in html


from test_store import CURATION  # noqa: E402  (the same block a person wrote, shared)


def curation_block(path) -> str:
    front, _ = frontmatter.split(path.read_text(encoding="utf-8"), path)
    blocks = [text for key, text in frontmatter.top_level_blocks(front) if key == "curation"]
    return blocks[0]


def test_harvesting_a_newer_version_keeps_the_curation_block_byte_for_byte(project):
    write(project, "topics/llm-serving.md", TOPIC.replace("include: [2606.00001]", "include: []")
          .replace("exclude: [2606.00002]", "exclude: []"))
    v1 = Entry(id="2606.00001v1", title="Old title", published="2026-06-01T10:00:00Z")
    with ArxivServer([v1]) as server:
        args = ("harvest", "--api-url", server.url, "--category", "cs.DC", "--delay", "0")
        assert project.run(*args).exit_code == 0
        path = curate(project, "2606.00001", CURATION)
        before = curation_block(path)
        assert before.encode() == CURATION.encode()

        server.entries = [Entry(id="2606.00001v2", title="New title", published=v1.published,
                                updated="2026-06-08T10:00:00Z", doi="10.1145/1.2", summary="A new abstract.")]
        result = project.run(*args)
    assert "1 updated" in result.output, result.output
    text = path.read_text(encoding="utf-8")
    assert "version: 2" in text and "New title" in text and "10.1145/1.2" in text and "A new abstract." in text
    assert curation_block(path).encode() == before.encode()
    assert project.run("check").exit_code == 0
    html = project.build().joinpath("papers/2606/2606.00001/index.html").read_text()
    assert "Decoupled compression speeds GPU collectives up to 9.65x" in html and "New title" in html


def test_files_saved_with_a_byte_order_mark_are_read_like_any_other(project):
    # Some Windows editors start a UTF-8 file with a BOM; MkDocs reads past it, and so must we.
    add_papers(project, "2606.00001")
    write(project, "topics/t.md", "\ufeff---\ntitle: T\ninclude: [2606.00001]\n---\n\nIntro.\n")
    path = curate(project, "2606.00001", "curation:\n  headline: A claim with a BOM\n")
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = project.run("check")
    assert result.exit_code == 0, result.output
    site = project.build()
    assert "A claim with a BOM" in (site / "topics/t/index.html").read_text()
    assert Archive(project.content).save(make_paper(id="2606.00001", version=2, updated="2026-06-09T10:00:00Z"))
    assert "curation:\n  headline: A claim with a BOM\n" in path.read_text(encoding="utf-8")
    assert Archive(project.content).load("2606.00001").version == 2


@pytest.mark.parametrize("twin", [
    "LLM ѕеrving",  # Cyrillic dze and ie
    "LLМ serving",  # Cyrillic capital em
    "ᏞᏞM serving",  # Cherokee tle
    "ꮮꮮm serving",  # its small letter
    "LLΜ serving",  # Greek capital mu
    "ＬＬＭ ｓｅｒｖｉｎｇ",  # full-width
    "𝐋𝐋𝐌 𝐬𝐞𝐫𝐯𝐢𝐧𝐠",  # mathematical bold
    "LLM s\u200berving",  # a zero-width space
    "\u200fLLM serving\u200e",  # direction marks
    "LLM\u00a0serving",  # a no-break space
    "ⅬⅬⅯ serving",  # Roman numerals fifty and thousand
    "llm SERVİNG".replace("İ", "ı"),  # a dotless i
])
def test_a_title_that_only_looks_like_another_topics_is_a_repeated_title(project, twin):
    write(project, "topics/llm-serving.md", "---\ntitle: LLM serving\n---\n")
    path = write(project, "topics/twin.md", f"---\ntitle: {twin}\n---\n")
    [line] = error_lines(project.run("check"))
    assert line.startswith(f"{path}:2: title: ") and "is already the title of" in line, line


@pytest.mark.parametrize("other", ["LLM servings", "LLM serving systems", "Распределённые системы", "LLM sərving"])
def test_titles_that_look_different_are_not_repeats(project, other):
    write(project, "topics/llm-serving.md", "---\ntitle: LLM serving\n---\n")
    write(project, "topics/other.md", f"---\ntitle: {other}\n---\n")
    result = project.run("check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\r"])
def test_problems_name_the_files_lines_whatever_breaks_yaml_also_reads(project, odd):
    # YAML 1.1 breaks lines at CR, NEL and U+2028/9 too; git, GitHub and an editor's line numbers do not.
    add_papers(project, "2606.00001")
    topic = write(project, "topics/t.md", f"---\ntitle: T\ndescription: \"one{odd}two{odd}three\"\n"
                                          "include: [2606.00404]\n---\n")
    paper = curate(project, "2606.00001", f"curation:\n  note: \"a{odd}b\"\n  topics: [nope]\n")
    def feed_line(path, needle):  # read as bytes: Python's text mode and splitlines break lines at CR too
        return next(i for i, line in enumerate(path.read_bytes().split(b"\n"), 1) if needle in line)

    lines = error_lines(project.run("check"))
    assert f"{topic}:{feed_line(topic, b'include:')}: include: 2606.00404 is not in the archive" in lines, lines
    assert any(line.startswith(f"{paper}:{feed_line(paper, b'topics: [nope]')}: curation.topics: no topic 'nope'")
               for line in lines), lines
