"""Topics: one file a topic, ``content/topics/<slug>.md``, written by people.

The front matter says which papers belong (``match`` rules: ``rules.py``,
``include``, ``exclude``); the body is the curator's introduction, which
MkDocs renders as Markdown. This module reads and checks the files;
``listing.py`` selects each topic's papers.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.archive import frontmatter
from generator.archive.models import Paper, is_arxiv_id, split_version
from generator.archive.yamlcheck import Problem, Reader, display_path, name_problem
from generator.curate import introduction
from generator.curate.rules import MATCH_KEYS, MENTIONS, MatchRules
from generator.errors import PaperFileError
from generator.fileio import read_utf8


TOPICS_DIR = "topics"
TOPIC_KEYS = ("title", "description", "match", "include", "exclude")


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# Why a paper is listed, each read after "Listed because it ...".
INCLUDED = "is on the topic's include list"
CURATED = "names this topic in its curation block"


@dataclass
class Topic:
    slug: str
    title: str
    description: str = ""
    rules: MatchRules = field(default_factory=MatchRules)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    path: str = ""  # the file, as shown in messages
    lines: dict[str, int] = field(default_factory=dict)  # "title", "include:<id>", "exclude:<id>" → line
    # What the build removes from the introduction, each at its line: warnings, not errors,
    # since the page is safe without it (generator/curate/introduction.py).
    removals: list[Problem] = field(default_factory=list)

    def selection_key(self) -> tuple:
        """What the topic's selection depends on (keyword and author order shape the reasons' wording)."""
        return (self.slug, *self.rules.key(), frozenset(self.include), frozenset(self.exclude))

    @property
    def src_uri(self) -> str:
        return f"{TOPICS_DIR}/{self.slug}.md"

    @property
    def url(self) -> str:
        return f"{TOPICS_DIR}/{self.slug}/"


@dataclass
class TopicEntry:
    paper: Paper
    reasons: list[str]  # why it is listed, in words: the rules it matched, the include list, its curation


@dataclass
class TopicListing:
    """One topic and its papers, newest first: what topic pages (and feeds) are made from."""

    topic: Topic
    entries: list[TopicEntry]
    # Papers that would be listed but the topic's ``exclude`` removes (for the topics report).
    excluded: list[TopicEntry] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.topic.slug

    @property
    def title(self) -> str:
        return self.topic.title

    @property
    def papers(self) -> list[Paper]:
        return [entry.paper for entry in self.entries]


def topic_files(docs_dir: Path) -> list[Path]:
    """The topic files: the ``.md`` files directly in ``<docs dir>/topics``, sorted."""
    directory = Path(docs_dir) / TOPICS_DIR
    if not directory.is_dir():
        return []
    # not only regular files: a link to a device or a pipe named *.md is reported (reading refuses it), not skipped
    return sorted(Path(e.path) for e in os.scandir(directory)
                  if not e.is_dir(follow_symlinks=False) and not e.is_symlink()
                  and e.name.endswith(".md") and not e.name.startswith("."))


def load_topics(docs_dir: Path) -> tuple[list[Topic], list[Problem]]:
    topics, problems = [], []
    for path in topic_files(docs_dir):
        try:
            text = read_utf8(path, display_path(path))
        except PaperFileError as error:
            problems.append(Problem(error.path, error.line or 1, error.message))
            continue
        topic, found = read_topic(text, path)
        problems.extend(found)
        if topic is not None:
            topics.append(topic)
    return topics, problems


def read_topic(text: str, path: Path) -> tuple[Topic | None, list[Problem]]:
    """Parse one topic file, reporting every problem in it; None if it cannot be used at all."""
    shown = display_path(path)
    reader = Reader(shown, first_line=2)  # the YAML starts after the opening '---'
    slug = Path(path).stem
    named = name_problem(path)
    if named:
        reader.problems.append(Problem(shown, 1, named))
    elif not _SLUG.match(slug) or slug == "index":
        reader.problems.append(Problem(shown, 1, f"'{slug}' is not a usable topic name: name the file "
                                                 "in lower-case words joined by hyphens, e.g. llm-serving.md"))
    try:
        front, body = frontmatter.split(text, path)
    except PaperFileError as error:
        return None, [*reader.problems, Problem(shown, error.line or 1, error.message)]
    root = reader.compose(front)
    if root is None:
        if not reader.problems:
            reader.problems.append(Problem(shown, 1, "the front matter is empty: a topic needs at least a title"))
        return None, reader.problems
    items = reader.mapping(root, "", TOPIC_KEYS)
    topic = Topic(slug=slug, title="", path=shown)
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    refused = introduction.refusal(body)
    if refused:  # a problem, not a warning: the build never renders it
        reader.problems.append(Problem(shown, body_line + refused[0], refused[1]))
    else:
        try:
            topic.removals = introduction.problems(body, body_line, shown)
        except RecursionError:  # nesting the bounds do not see (emphasis in emphasis...): the build would fail too
            reader.problems.append(Problem(shown, body_line, "introduction: nested too deeply to render"))
    if "title" in items:
        key, value = items["title"]
        topic.title = reader.text(value, "title", one_line=True) or ""
        topic.lines["title"] = reader.line(key)
    elif isinstance(root, yaml.MappingNode):
        reader.report(root, "title: missing (every topic needs a title)")
    if "description" in items:
        topic.description = reader.text(items["description"][1], "description", one_line=True) or ""
    if "match" in items:
        topic.rules = _read_rules(reader, items["match"][1])
    for key in ("include", "exclude"):
        if key in items:
            ids = _read_ids(reader, items[key][1], key)
            setattr(topic, key, list(ids))
            topic.lines.update({f"{key}:{bare}": line for bare, line in ids.items()})
    return (topic if _SLUG.match(slug) else None), reader.problems


MAX_RULES = 500  # values in one match list: every paper of the archive is tried against each
MAX_RULE = 200  # characters in one value


def _read_rules(reader: Reader, node) -> MatchRules:
    items = reader.mapping(node, "match", MATCH_KEYS)
    values = {}
    for key in items:
        if key == "mentions":
            continue
        found = reader.text_list(items[key][1], f"match.{key}")
        if len(found) > MAX_RULES:
            reader.report(found[MAX_RULES][1], f"match.{key}: more than {MAX_RULES} values (the rest are not used)")
        kept = []
        for value, item in found[:MAX_RULES]:
            if len(value) > MAX_RULE:
                reader.report(item, f"match.{key}: a value over {MAX_RULE} characters")
            else:
                kept.append(value)
        values[key] = kept
    if "mentions" in items:
        mentions = items["mentions"][1]
        text = mentions.value if isinstance(mentions, yaml.ScalarNode) else ""
        if text.isdigit() and 1 <= int(text) <= 20:
            values["mentions"] = int(text)
        else:
            reader.report(mentions, "match.mentions: a whole number from 1 to 20 (abstract mentions a paper "
                                    f"needs without a keyword in its title; default {MENTIONS})")
    return MatchRules(**values)


def _read_ids(reader: Reader, node, key: str) -> dict[str, int]:
    """Bare arXiv ids → line, from the text as written (an unquoted id is not a number here)."""
    ids: dict[str, int] = {}
    for value, item in reader.text_list(node, key):
        bare, version = split_version(value)
        if not is_arxiv_id(bare):
            reader.report(item, f"{key}: '{value}' is not an arXiv id such as 2606.01839")
        elif version is not None:
            reader.report(item, f"{key}: write the bare id '{bare}', without the version")
        elif bare in ids:
            reader.report(item, f"{key}: {bare} is listed twice")
        else:
            ids[bare] = reader.line(item)
    return ids
