"""Every relative link in the README, CONTRIBUTING.md and docs/ leads somewhere: a file that exists,
and for a `#anchor` a heading of that file, slugged as GitHub slugs it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

# [text](target) and ![alt](target), with an optional "title"; [name]: target definitions.
INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def documents() -> list[Path]:
    return [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The text without code: fenced blocks and code spans hold examples, not links or headings."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text as rendered, lower-cased, punctuation dropped
    (hyphens and underscores stay), each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = text.replace("`", "")
    text = re.sub(r"(\*\*|__|\*)(.+?)\1", r"\2", text)  # emphasis markers (an underscore inside a word stays)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)  # \w keeps letters, digits and "_" in any script
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading's anchor in a Markdown file; a repeated heading gets -1, -2… as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for match in HEADING.finditer(prose(path.read_text(encoding="utf-8"))):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    text = CODE_SPAN.sub("", prose(path.read_text(encoding="utf-8")))
    return [m.group(1) for m in INLINE.finditer(text)] + [m.group(1) for m in DEFINITION.finditer(text)]


def problems(path: Path, root: Path = REPO) -> list[str]:
    """Each relative link of ``path`` that leads nowhere, as `file: link: why`."""
    found = []
    for link in links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", link, re.I) or link.startswith("//"):
            continue  # http(s), mailto: not this test's business (no network here)
        target, _, anchor = link.partition("#")
        where = (path.parent / target).resolve() if target else path
        name = path.relative_to(root)
        if not where.exists():
            found.append(f"{name}: {link}: no such file")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            found.append(f"{name}: {link}: no heading #{anchor} in {where.relative_to(root)}")
        elif anchor and where.suffix != ".md":
            found.append(f"{name}: {link}: an anchor into a file that is not Markdown")
    return found


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_and_heading(path):
    assert path.exists()
    assert not problems(path), "\n".join(problems(path))


def test_the_docs_link_to_one_another():
    """The README reaches every page of docs/, so none is an orphan."""
    readme = set(links(REPO / "README.md"))
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{page.name}" in {link.partition("#")[0] for link in readme}, f"README does not link {page.name}"


def test_a_broken_link_and_a_missing_anchor_are_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(
        "# A page\n\n## Configuration: `archive.yml`\n\n## What a paper's page offers\n\n## Notes\n\n## Notes\n"
        "\n```sh\n# not a heading\n```\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "[ok](docs/a.md#configurationarchiveyml) [ok](docs/a.md#configuration-archiveyml)\n"
        "[ok](docs/a.md#what-a-papers-page-offers) [ok](docs/a.md#notes-1) [ok](#top)\n"
        "[gone](docs/b.md) ![gone](docs/images/none.png) [bad anchor](docs/a.md#not-a-heading)\n"
        "`[in code](nowhere.md)` [web](https://example.org/x.md) [mail](mailto:a@b.c)\n\n"
        "```markdown\n[in a block](nowhere.md)\n```\n\n# Top\n\n[ref]: docs/c.md\n", encoding="utf-8")
    assert problems(readme, tmp_path) == [
        "README.md: docs/a.md#configurationarchiveyml: no heading #configurationarchiveyml in docs/a.md",
        "README.md: docs/b.md: no such file",
        "README.md: docs/images/none.png: no such file",
        "README.md: docs/a.md#not-a-heading: no heading #not-a-heading in docs/a.md",
        "README.md: docs/c.md: no such file",
    ]


@pytest.mark.parametrize("heading, anchor", [
    ("Configuration: `archive.yml`", "configuration-archiveyml"),
    ("What a paper's page offers", "what-a-papers-page-offers"),
    ("Backfills: `--since`", "backfills---since"),
    ("Completeness: OAI-PMH past the API's 30,000", "completeness-oai-pmh-past-the-apis-30000"),
    ("The **gold** set", "the-gold-set"),
    ("A [linked](x.md) heading", "a-linked-heading"),
    ("snake_case stays", "snake_case-stays"),
])
def test_slugs_follow_github(heading, anchor):
    assert slug(heading) == anchor


def test_the_readme_stays_short():
    """The README says what the archive is and where to read on; the rest lives in docs/."""
    lines = len((REPO / "README.md").read_text(encoding="utf-8").splitlines())
    assert lines <= 200, f"README.md has {lines} lines: move the detail to a page of docs/"
