"""Curator files written to hang or crash the tools: each is one ``path:line: message``, from
``check`` and from the build alike, in bounded time and memory (issue 16).

Every run is a subprocess with an address-space limit, a file-size limit and a
timeout, so a regression (an alias bomb expanding, a recursion overflowing the
C stack) fails its test instead of taking the test run down with it. The
timeout is a safety net, not a measure of speed.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from generator.archive.frontmatter import MAX_DEPTH, MAX_FRONT_MATTER
from generator.logsafe import log_line
from conftest import REPO
from test_curation import add_papers, write

MEMORY = 2 << 30  # bytes of address space: a nine-level alias bomb took 21.6 GB
WRITTEN = 64 << 20  # bytes any one file may grow to: the bomb wrote a 914 MB cache file
TIMEOUT = 300  # seconds, a safety net far above any honest run


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (WRITTEN, WRITTEN))


def run(project, *args: str) -> tuple[int, list[str]]:
    """The CLI on ``project`` in a bounded subprocess → (exit status, its error lines)."""
    done = subprocess.run([sys.executable, "-m", "generator", "--config", str(project.root / "archive.yml"),
                           "--content", str(project.content), *args],
                          # from elsewhere: messages name files by their absolute paths
                          cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=_limits, env={**os.environ, "PYTHONFAULTHANDLER": "1", "PYTHONPATH": str(REPO)})
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    lines = [line.removeprefix("error: ") for line in done.stderr.splitlines() if line.startswith("error: ")]
    return done.returncode, lines


def check(project) -> list[str]:
    status, lines = run(project, "check")
    assert status == 5, lines
    return lines


def build(project) -> list[str]:
    status, lines = run(project, "build", "-f", str(project.root / "mkdocs.yml"), "-d", str(project.site))
    assert status != 0 and lines, lines
    assert not (project.site / "index.html").exists()
    return lines


def paper_text(front: str, paper_id: str = "2606.00001") -> str:
    return (f"---\nid: '{paper_id}'\nversion: 1\ntitle: A title\npublished: '2026-06-01T10:00:00Z'\n"
            f"updated: '2026-06-01T10:00:00Z'\nprimary_category: cs.DC\n{front}---\n\nAn abstract.\n")


def bomb(levels: int = 9) -> str:
    """The "billion laughs": each level a list of nine aliases of the one before (9**levels leaves)."""
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def curation_note(text: str) -> str:
    """A curation block whose note is ``text``, a literal block (``note: |``) from the line after."""
    return "curation:\n  note: |\n" + "".join(f"    {line}\n" for line in text.splitlines())


N = 30_000
# (name, front matter after the harvested keys (on the file's lines 2-7), the file line the problem
# is reported on, what the message says). Lines are the file's, counted at line feeds (YAML also
# breaks at a lone CR); a value PyYAML's constructor cannot make (an integer of 5,000 digits) has no
# line: the front matter's first.
HOSTILE_FRONT = [
    ("alias bomb", bomb(9), 8, "anchors and aliases are not allowed"),
    ("alias bomb in a curation block", "curation:\n" + "".join(f"  {line}\n" for line in bomb(10).splitlines()),
     9, "anchors and aliases are not allowed"),
    ("merge-key bomb", "base: &b {x: 1}\nmore:\n  <<: *b\n", 8, "anchor '&b'"),
    ("a list holding itself", "x: &n [*n]\n", 8, "anchor '&n'"),
    ("a mapping holding itself", "x: &m {a: *m}\n", 8, "anchor '&m'"),
    ("an alias of a scalar", "x: &s text\ny: *s\n", 8, "anchor '&s'"),
    ("an anchor on a key", "&k x: 1\n", 8, "anchor '&k'"),
    ("an alias with no anchor", "x: *nothing\n", 8, "alias '*nothing'"),
    ("30,000 nested brackets", "x: " + "[" * N + "]" * N + "\n", 8, f"nested more than {MAX_DEPTH} deep"),
    ("30,000 unclosed brackets", "x: " + "[" * N + "\n", 8, f"nested more than {MAX_DEPTH} deep"),
    ("nested braces", "x: " + "{a: " * N + "1" + "}" * N + "\n", 8, f"nested more than {MAX_DEPTH} deep"),
    ("brackets over lines", "x:\n" + "  [\n" * 200 + "  ]\n" * 200, 58, f"nested more than {MAX_DEPTH} deep"),
    ("a block sequence of sequences", "x:\n  " + "- " * N + "x\n", 9, f"nested more than {MAX_DEPTH} deep"),
    ("complex keys", "? " * 2000 + "x\n", 8, f"nested more than {MAX_DEPTH} deep"),
    ("an indentation staircase", "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v\n",
     58, f"nested more than {MAX_DEPTH} deep"),
    ("a staircase of carriage returns", "x:\r" + "".join(" " * (i + 1) + f"k{i}:\r" for i in range(300))
     + " " * 301 + "v\n", 8, f"nested more than {MAX_DEPTH} deep"),
    ("a staircase in a curation note's sibling", curation_note("text") + "  topics:\n"
     + "".join("  " + " " * i + "-\n" for i in range(1, 200)), 60, f"nested more than {MAX_DEPTH} deep"),
    ("front matter over the bound", curation_note("x" * (MAX_FRONT_MATTER + 1)), 2, "characters long, more than"),
    ("a 5,000-digit integer", "version_note: " + "9" * 5000 + "\n", 2, "a value cannot be read"),
    ("a date with a 13th month", "when: 2026-13-45\n", 2, "a value cannot be read"),
]


def _check_one(project, front: str) -> tuple[str, list[str]]:
    add_papers(project, "2606.00002")  # a good paper beside it: the hostile one must not stop the rest
    path = write(project, "papers/2606/2606.00001.md", paper_text(front))
    return str(path), check(project)


@pytest.mark.parametrize("front, line, message", [case[1:] for case in HOSTILE_FRONT],
                         ids=[case[0] for case in HOSTILE_FRONT])
def test_hostile_front_matter_is_one_problem_with_its_line(project, front, line, message):
    path, lines = _check_one(project, front)
    ours = [entry for entry in lines if entry.startswith(f"{path}:")]
    assert len(ours) == 1, lines
    assert ours[0].startswith(f"{path}:{line}: ") and message in ours[0], ours
    assert not (project.root / ".cache" / "generator" / "front-matter.json").exists() or \
        (project.root / ".cache" / "generator" / "front-matter.json").stat().st_size < 1 << 20


@pytest.mark.parametrize("front, line, message", [
    (bomb(9), 3, "anchors and aliases are not allowed"),
    ("x: &n [*n]\n", 3, "anchors and aliases are not allowed"),
    ("match: " + "[" * N + "]" * N + "\n", 3, f"nested more than {MAX_DEPTH} deep"),
    ("match:\n  keywords:\n    " + "- " * N + "x\n", 5, f"nested more than {MAX_DEPTH} deep"),
    ("description: " + "x" * (MAX_FRONT_MATTER + 1) + "\n", 2, "characters long"),
], ids=["alias bomb", "self-holding list", "brackets", "block sequences", "too long"])
def test_hostile_topic_front_matter_is_one_problem(project, front, line, message):
    path = write(project, "topics/hostile.md", f"---\ntitle: Hostile\n{front}---\n\nIntroduction.\n")
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:{line}: ") and message in lines[0], lines


@pytest.mark.parametrize("data, line, column, byte", [
    ("Latin-1 title: caf\xe9".encode("latin-1"), 5, 19, 0xE9),
    (b"\xff at the start of a line", 5, 1, 0xFF),
    ("caf\u00e9 then \xe9".encode("utf-8")[:-2] + b"\xe9", 5, 11, 0xE9),  # after a good two-byte character
    (b"a truncated sequence \xe2\x82", 5, 22, 0xE2),
    (b"an encoded surrogate \xed\xa0\x80", 5, 22, 0xED),
    (b"an overlong slash \xc0\xaf", 5, 19, 0xC0),
])
def test_a_file_that_is_not_utf8_is_named_with_line_and_column(project, data, line, column, byte):
    add_papers(project, "2606.00001")
    paper = project.content / "papers/2606/2606.00001.md"
    lines = paper.read_bytes().split(b"\n")
    lines.insert(4, data)
    paper.write_bytes(b"\n".join(lines))
    topic = project.content / "topics/t.md"
    topic.parent.mkdir()
    topic.write_bytes(b"---\ntitle: T\n---\n\n" + data + b"\n")
    found = check(project)
    assert found == sorted([f"{paper}:{line}: not UTF-8 (byte 0x{byte:02X} at column {column}): save the file as UTF-8",
                            f"{topic}:5: not UTF-8 (byte 0x{byte:02X} at column {column}): save the file as UTF-8"]), found


@pytest.mark.parametrize("value, message", [
    ("'../../../x'", "is not an arXiv id"),
    ("'2606.00001/../../../../x'", "is not an arXiv id"),
    ("'cs/../../0112017'", "is not an arXiv id"),
    ('"2606.00001\\n"', "is not an arXiv id"),
    ("'２６０６.００００１'", "is not an arXiv id"),  # full-width digits
    ("'\u0662\u0666\u0660\u0666.\u0660\u0660\u0660\u0660\u0661'", "is not an arXiv id"),  # Arabic-Indic digits
    ("2606.00001", "quote it"),  # a float to YAML
    ("[2606.00001]", "is not an arXiv id"),
    ("~", "is not an arXiv id"),
    ("'2606.00003'", "belongs in papers/2606/2606.00003.md"),
    ("'2607.00001'", "belongs in papers/2607/2607.00001.md"),
    ("'cs/0112017'", "belongs in papers/0112/cs-0112017.md"),
])
def test_a_paper_id_must_be_an_arxiv_id_naming_its_own_file(project, value, message):
    add_papers(project, "2606.00001", "2606.00002")
    path = project.content / "papers/2606/2606.00001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("id: '2606.00001'", f"id: {value}", 1), encoding="utf-8")
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:2: id: ") and message in lines[0], lines


@pytest.mark.parametrize("name, shown", [
    ("2606.00001\n.md", "U+000A"),
    ("\n2606.00001.md", "U+000A"),
    ("2606.00001\r.md", "U+000D"),
    ("\x1b[31m2606.00001.md", "U+001B"),
    ("2606.00001\u202e.md", "U+202E"),
    ("2606.00001\u2028.md", "U+2028"),
])
def test_a_control_character_in_a_paper_file_name_is_a_problem_naming_it_escaped(project, name, shown):
    add_papers(project, "2606.00001")
    original = project.content / "papers/2606/2606.00001.md"
    hostile = original.with_name(name)
    original.rename(hostile)
    lines = check(project)  # generator/archive/published.py names it (no paper file is so named); printed escaped
    assert len(lines) == 1 and lines[0].startswith(log_line(f"{hostile}:1: ")), lines
    assert "a file the site does not publish" in lines[0] and "\n" not in lines[0]
    if shown != "U+202E":  # a control character, shown escaped (a direction override is printed as it is)
        assert f"{hostile.name}" not in lines[0]


@pytest.mark.parametrize("name", ["a\nb.md", "llm\n.md", "x\x1b[2J.md", "t\u202egpj.md", "t\x7f.md"])
def test_a_control_character_in_a_topic_file_name_is_a_problem_naming_it(project, name):
    path = write(project, f"topics/{name}", "---\ntitle: T\n---\n")
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(log_line(f"{path}:1: the name ")), lines
    assert "holds the character U+" in lines[0]


@pytest.mark.parametrize("make, message", [
    (lambda path: path.symlink_to("/dev/zero"), "a symbolic link"),  # endless; published.py: never followed
    (lambda path: os.mkfifo(path), "not a regular file"),  # never answers
    (lambda path: path.symlink_to("/dev/stdin"), "a symbolic link"),
    (lambda path: path.write_bytes(b"---\nid: '2606.00001'\n---\n" + b"x" * (5 << 20)), "bytes long"),
], ids=["link to /dev/zero", "a named pipe", "link to stdin", "5 MiB"])
@pytest.mark.parametrize("where", ["papers/2606/2606.00001.md", "topics/t.md"])
def test_a_file_that_never_ends_or_never_answers_is_a_problem(project, make, message, where):
    add_papers(project, "2606.00001")
    path = project.content / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    make(path)
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:1: ") and message in lines[0], lines


@pytest.mark.parametrize("line, message", [
    ("comment: {a: b}", "comment: must be text, got a mapping"),  # the build died in a template: TypeError
    ("journal_ref: [1]", "journal_ref: must be text, got a list"),
    ("doi: [x]", "doi: must be text, got a list"),
    ("msc_class: {x: 1}", "msc_class: must be text, got a mapping"),
    ("title: [a, b]", "title: must be text, got a list"),
    ("published: {a: 1}", "published: must be text, got a mapping"),
    ("updated: ~", "updated: must be text, got nothing"),
    ("primary_category: [cs.DC]", "primary_category: must be text, got a list"),
    ("version: [1]", "version: must be a whole number, got a list"),
    ("version: 1.5", "version: must be a whole number, got 1.5"),
    ("categories: cs.DC", "categories: must be a list of categories, got 'cs.DC'"),
    ("categories: [[a]]", "categories: must be a list of categories, got a list"),
    ("authors: [x]", "authors: must be a list of authors"),
    ("authors: [{name: [a]}]", "authors: must be a list of authors"),
    ("authors: [{name: a, affiliations: x}]", "authors: must be a list of authors"),
    ("links: [a]", "links: must be a mapping of names to addresses, got a list"),
    ("links: {abs: [1]}", "links: must be a mapping of names to addresses, got a mapping"),
    ("versions: [x]", "versions: must be a list of versions"),
    ("versions: [{version: 1, date: [x]}]", "versions: must be a list of versions"),
])
def test_a_harvested_key_holding_the_wrong_shape_is_one_problem_at_its_line(project, line, message):
    add_papers(project, "2606.00002")
    path = write(project, "papers/2606/2606.00001.md", paper_text(line + "\n"))
    result = project.run("check")  # in-process: nothing here can hang
    assert result.exit_code == 5
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}:8: ") and message in lines[0], lines


def test_the_build_reports_every_hostile_file_as_check_does(project):
    """One archive holding one of each: the build fails with check's lines, no traceback, no segfault.

    (A link, or a paper file not named as an arXiv id, is generator/archive/published.py's: the build refuses
    those first, alone.)"""
    add_papers(project, "2606.00001", "2606.00002", "2606.00003", "2606.00004", "2606.00005", "2606.00006")
    papers = project.content / "papers/2606"
    (papers / "2606.00001.md").write_text(paper_text(bomb(9), "2606.00001"), encoding="utf-8")
    (papers / "2606.00002.md").write_text(paper_text("x: &n [*n]\n", "2606.00002"), encoding="utf-8")
    (papers / "2606.00003.md").write_text(paper_text("x: " + "[" * N + "]" * N + "\n", "2606.00003"), encoding="utf-8")
    (papers / "2606.00004.md").write_bytes(paper_text("x: caf\xe9\n", "2606.00004").encode("latin-1"))
    (papers / "2606.00005.md").write_text(paper_text("", "2606.00005").replace("'2606.00005'", "'../../../x'"),
                                          encoding="utf-8")
    write(project, "topics/deep.md", "---\ntitle: Deep\nmatch:\n  keywords:\n    " + "- " * N + "x\n---\n")
    write(project, "topics/bomb.md", "---\ntitle: Bomb\n" + bomb(9) + "---\n")
    write(project, "topics/a\nb.md", "---\ntitle: Newline\n---\n")
    (project.content / "topics/latin.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    os.mkfifo(project.content / "topics/pipe.md")
    add_papers(project, "2606.00007")
    (papers / "2606.00007.md").write_text(paper_text("comment: {a: b}\n", "2606.00007"), encoding="utf-8")
    checked = check(project)
    assert len(checked) == 11, checked
    assert sorted(build(project)) == checked


# Markdown a curator writes (a topic's introduction, a paper's curation.note): Python-Markdown recursed
# into a RecursionError on a few thousand nested lists and took minutes on 60 kB of nested brackets.
HOSTILE_MARKDOWN = [
    ("nested lists", "".join("  " * i + "- x\n" for i in range(120)), "lists or quotes nested more than"),
    ("list markers on one line", "* " * 20_000 + "x\n", "lists or quotes nested more than"),
    ("ordered markers on one line", "1. " * 20_000 + "x\n", "lists or quotes nested more than"),
    ("nested quotes", "> " * 20_000 + "x\n", "lists or quotes nested more than"),
    ("nested brackets", "[" * N + "x" + "](y)" + "\n", "brackets nested more than"),
    ("nested HTML blocks", "<div markdown>\n" * 1000 + "x\n" + "</div>\n" * 1000, "HTML elements nested more than"),
    ("unclosed tags", "<a " * 4000, "never close it"),  # Python-Markdown took 4 s for these, a minute for 20,000
    ("a run of emphasis", "*" * N + "x" + "*" * N + "\n", "a run of more than"),
    ("emphasis in emphasis", "*a " * 10_000 + " a*" * 10_000 + "\n", "nested too deeply to render"),
    ("too long", "word " * 20_000, "characters long, more than"),
]


@pytest.mark.parametrize("body, message", [case[1:] for case in HOSTILE_MARKDOWN],
                         ids=[case[0] for case in HOSTILE_MARKDOWN])
def test_hostile_markdown_in_an_introduction_is_a_problem_not_a_crash(project, body, message):
    path = write(project, "topics/deep.md", "---\ntitle: Deep\n---\n\n" + body)
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and "introduction: " in lines[0], lines
    assert message in lines[0], lines


# A note's raw HTML is text, and its renderer (no attr_list, no md_in_html) renders emphasis in emphasis.
NOTE_CASES = [case for case in HOSTILE_MARKDOWN if case[0] not in ("nested HTML blocks", "emphasis in emphasis")]


@pytest.mark.parametrize("body, message", [case[1:] for case in NOTE_CASES], ids=[case[0] for case in NOTE_CASES])
def test_hostile_markdown_in_a_curation_note_is_a_problem_not_a_crash(project, body, message):
    add_papers(project, "2606.00002")
    path = write(project, "papers/2606/2606.00001.md", paper_text(curation_note(body)))
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:9: curation.note: ") and message in lines[0], lines


def test_the_build_stops_on_hostile_markdown_as_check_does(project):
    add_papers(project, "2606.00001", "2606.00002")
    write(project, "topics/deep.md", "---\ntitle: Deep\n---\n\n" + "".join("  " * i + "- x\n" for i in range(120)))
    write(project, "topics/emphasis.md", "---\ntitle: Emphasis\n---\n\n" + "*a " * 10_000 + " a*" * 10_000 + "\n")
    path = project.content / "papers/2606/2606.00001.md"
    path.write_text(paper_text(curation_note("> " * 20_000 + "x"), "2606.00001"), encoding="utf-8")
    checked = check(project)
    assert len(checked) == 3, checked
    assert sorted(build(project)) == checked


def test_front_matter_the_fast_path_skips_is_never_deep():
    # refusal walks only front matter that _maybe_deep flags; what it lets through unwalked must be
    # shallow: random YAML from its indicators, brackets, indentation and line breaks.
    import random

    import yaml

    from generator.archive.frontmatter import SafeLoader, _maybe_deep
    tokens = ["- ", "? ", ": ", "[", "]", "{", "}", "\n", " ", "  ", "     ", "a", ", ", "\r", "-\n", "a:\n", "\t",
              "\u2028", "\x85"]
    rng = random.Random(16)
    deepest = 0
    for _ in range(20_000):
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 80)))
        if _maybe_deep(text):
            continue
        depth = 0
        try:
            for event in yaml.parse(text, Loader=SafeLoader):
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth += 1
                    deepest = max(deepest, depth)
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    depth -= 1
        except yaml.YAMLError:
            pass
    assert deepest <= MAX_DEPTH // 4, deepest


@pytest.mark.parametrize("body, count, last", [
    ("<!--a" * 12_000 + "\n\n<script>x</script>\n", 1, 7),  # an unclosed comment on every start: no quadratic scan
    ("`" + "`a" * 30_000 + "\n\n<script>x</script>\n", 1, 7),
    ("".join("`" * k + "a" for k in range(1, 350)) + "\n\n<script>x</script>\n", 1, 7),
    ("[a](&#106;avascript:x)\n\n" * 2500, 2500, 4),  # no line holds it as rendered: one search, not 5,000
    ("<img src=x onerror=y>\n\n" * 2500, 2500, 5003),
])
def test_an_introduction_built_to_slow_the_warnings_down_is_still_warned_about(project, body, count, last):
    # The body starts on the file's line 4 (the blank line after the front matter).
    path = write(project, "topics/t.md", "---\ntitle: T\n---\n\n" + body)
    done = subprocess.run([sys.executable, "-m", "generator", "--config", str(project.root / "archive.yml"),
                           "--content", str(project.content), "check"], cwd=REPO, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_limits, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == count and warnings[-1].startswith(f"warning: {path}:{last}: introduction: ")


@pytest.mark.parametrize("text, line, message", [
    ("- &p {id: '2606.00001', topics: [], title: T, abstract: A}\n" + "- *p\n" * 9, 1, "anchor '&p'"),
    (bomb(9).replace("a0: ", "- a0: ", 1), 1, "anchor '&a0'"),
    ("- id: '2606.00001'\n  topics: " + "[" * N + "]" * N + "\n", 2, f"nested more than {MAX_DEPTH} deep"),
    ("- " * N + "x\n", 1, f"nested more than {MAX_DEPTH} deep"),  # the pure-Python composer's RecursionError
])
def test_a_hostile_gold_set_is_one_problem(project, text, line, message):
    # The gold set (gold/topics.yml beside archive.yml) is extended by pull request like any curation.
    gold = project.root / "gold" / "topics.yml"
    gold.parent.mkdir()
    gold.write_text(text, encoding="utf-8")
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{gold}:{line}: ") and message in lines[0], lines


@pytest.mark.parametrize("rules, line, message", [
    ("match:\n  keywords: [" + ", ".join(f"k{i}" for i in range(100_000)) + "]\n", 4, "more than 500 values"),
    ("match:\n  authors:\n" + "".join(f"  - A{i}\n" for i in range(600)) + "", 505, "more than 500 values"),
    ("match:\n  keywords: [" + "x" * 10_000 + "]\n", 4, "a value over 200 characters"),
])
def test_a_topic_whose_rules_would_take_hours_is_one_problem(project, rules, line, message):
    # Every paper is tried against every keyword: 100,000 of them (1 MB) would not finish a build.
    add_papers(project, "2606.00001")
    path = write(project, "topics/huge.md", "---\ntitle: Huge\n" + rules + "---\n")
    lines = check(project)
    assert len(lines) == 1 and lines[0].startswith(f"{path}:{line}: ") and message in lines[0], lines
