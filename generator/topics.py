"""Topics: one file a topic, ``content/topics/<slug>.md``, written by people.

The front matter says which papers belong (``match`` rules, ``include``,
``exclude``); the body is the curator's introduction, which MkDocs renders
as Markdown. ``list_topics`` selects each topic's papers, newest first, and
records for each paper why it is listed.
"""
from __future__ import annotations

import os
import re
from itertools import filterfalse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import frontmatter, introduction
from generator.errors import PaperFileError
from generator.latex import plain_text
from generator.models import Paper, is_arxiv_id, split_version
from generator.yamlcheck import Problem, Reader, display_path

TOPICS_DIR = "topics"
TOPIC_KEYS = ("title", "description", "match", "include", "exclude")
MATCH_KEYS = ("categories", "keywords", "authors")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Why a paper is listed, each read after "Listed because it ...".
INCLUDED = "is on the topic's include list"
CURATED = "names this topic in its curation block"


def _name_key(name: str) -> str:
    """Author names compare as people read them: TeX accents resolved, case and spacing ignored."""
    return " ".join(plain_text(name).split()).casefold()


def _keyword_pattern(keyword: str) -> str:
    """Whole words, any case: ``KV cache`` matches "kv cache" and "KV-cache", not "KV caches"."""
    return r"(?<!\w)" + r"[\s-]+".join(re.escape(word) for word in keyword.split()) + r"(?!\w)"


@dataclass
class MatchRules:
    """A paper matches when it satisfies every rule given; each rule is any-of."""

    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def __post_init__(self):
        # (keyword, a substring every match contains, its pattern): the substring test
        # is a fast C-level scan that spares most abstracts the regex.
        # ``runs``, the keyword's runs of word characters, are whole words of any text it
        # matches: a paper's set of words rules out most keywords without a scan.
        self._keywords = [(k, k.split()[0].lower(), re.compile(_keyword_pattern(k.lower())),
                           frozenset(_WORD.findall(k.lower())))
                          for k in self.keywords if k.split()]
        # Each keyword under its longest word (likely its rarest): one C-level set intersection
        # with a paper's words picks the few keywords worth testing.
        self._anchors: dict[str, list[int]] = {}
        self._unanchored = []  # keywords with no word characters: always tested
        for index, (_, _, _, runs) in enumerate(self._keywords):
            if runs:
                self._anchors.setdefault(max(sorted(runs), key=len), []).append(index)
            else:
                self._unanchored.append(index)
        self._authors = {_name_key(a): a for a in self.authors}

    @property
    def empty(self) -> bool:
        return not (self.categories or self.keywords or self.authors)

    def explain(self, paper: Paper, text: str | None = None, words: set[str] | None = None) -> str | None:
        """Why ``paper`` matches (which values of which rules), or None when it does not.

        ``text`` is ``searchable_text(paper)`` and ``words`` is ``text_words(text)``,
        when the caller has them already (``list_topics`` does, for every topic).
        """
        if self.empty:
            return None
        reasons = []
        if self.categories:
            held = {paper.primary_category, *paper.categories}
            hits = [c for c in self.categories if c in held]
            if not hits:
                return None
            reasons.append(_said("category", hits))
        if self.keywords:
            text = searchable_text(paper) if text is None else text
            words = text_words(text) if words is None else words
            candidates = sorted([i for word in self._anchors.keys() & words for i in self._anchors[word]]
                                + self._unanchored)  # in the file's order, as the reasons list them
            hits = [k for k, part, pattern, runs in map(self._keywords.__getitem__, candidates)
                    if runs <= words and _occurs(part, pattern, text)]
            if not hits:
                return None
            reasons.append(_said("keyword", [f"“{k}”" for k in hits]))
        if self.authors:
            hits = [self._authors[key] for key in dict.fromkeys(_name_key(a.name) for a in paper.authors)
                    if key in self._authors]
            if not hits:
                return None
            reasons.append(_said("author", hits))
        return "matches " + " and ".join(reasons)


def _occurs(part: str, pattern: re.Pattern, text: str) -> bool:
    """``pattern`` matches in ``text`` somewhere ``part`` starts.

    ``str.find`` jumps to each candidate; a pattern that opens with a
    lookbehind would otherwise be tried at every position of the abstract.
    """
    start = text.find(part)
    while start != -1:
        if pattern.match(text, start):
            return True
        start = text.find(part, start + 1)
    return False


_WORD = re.compile(r"\w+")


# ASCII punctuation becomes spaces (one C-level pass); what is left of a token that is not
# all letters and digits (an underscore, a Unicode dash or quote) goes through the regex.
_PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"})


def text_words(text: str) -> set[str]:
    """The whole words (``\\w+`` runs) of a searchable text: a keyword with a word not here cannot match."""
    words = set(text.translate(_PUNCTUATION).split())
    odd = list(filterfalse(str.isalnum, words))
    words.difference_update(odd)
    for token in odd:
        words.update(_WORD.findall(token))
    return words


def searchable_text(paper: Paper) -> str:
    """What keywords are searched in: the title and the abstract, lower-cased."""
    return f"{paper.title}\n{paper.abstract}".lower()


def _said(what: str, values: list[str]) -> str:
    return f"{what}{'s' if len(values) > 1 else ''} {', '.join(values)}"


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
    # since the page is safe without it (generator/introduction.py).
    removals: list[Problem] = field(default_factory=list)

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
    return sorted(Path(e.path) for e in os.scandir(directory)
                  if e.is_file() and e.name.endswith(".md") and not e.name.startswith("."))


def load_topics(docs_dir: Path) -> tuple[list[Topic], list[Problem]]:
    topics, problems = [], []
    for path in topic_files(docs_dir):
        topic, found = read_topic(path.read_text(encoding="utf-8"), path)
        problems.extend(found)
        if topic is not None:
            topics.append(topic)
    return topics, problems


def read_topic(text: str, path: Path) -> tuple[Topic | None, list[Problem]]:
    """Parse one topic file, reporting every problem in it; None if it cannot be used at all."""
    shown = display_path(path)
    reader = Reader(shown, first_line=2)  # the YAML starts after the opening '---'
    slug = Path(path).stem
    if not _SLUG.match(slug) or slug == "index":
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
    topic.removals = introduction.problems(body, text.count("\n", 0, len(text) - len(body)) + 1, shown)
    if "title" in items:
        key, value = items["title"]
        topic.title = reader.text(value, "title", one_line=True) or ""
        topic.lines["title"] = reader.first_line + key.start_mark.line
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


def _read_rules(reader: Reader, node) -> MatchRules:
    items = reader.mapping(node, "match", MATCH_KEYS)
    values = {key: [v for v, _ in reader.text_list(items[key][1], f"match.{key}")] for key in items}
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
            ids[bare] = reader.first_line + item.start_mark.line
    return ids


def list_topics(topics: list[Topic], papers: list[Paper],
                curated: dict[str, list[str]] | None = None) -> list[TopicListing]:
    """Each topic with its papers, newest first, and why each is there.

    ``curated`` maps a paper id to the topic slugs its own ``curation.topics``
    names: those papers are listed whatever the rules say. ``exclude`` wins
    over everything (``check`` reports a paper both included and excluded).
    """
    curated = curated or {}
    ordered = sorted(papers, key=lambda p: (p.published, p.id), reverse=True)
    if any(t.rules.keywords for t in topics):
        texts = [searchable_text(p) for p in ordered]
        words = [text_words(text) for text in texts]
    else:
        texts = words = [None] * len(ordered)
    listings = []
    for topic in topics:
        include, exclude = set(topic.include), set(topic.exclude)
        entries, excluded = [], []
        for paper, text, paper_words in zip(ordered, texts, words):
            reasons = [r for r in (topic.rules.explain(paper, text, paper_words),
                                   INCLUDED if paper.id in include else None,
                                   CURATED if topic.slug in curated.get(paper.id, ()) else None) if r]
            if reasons:
                (excluded if paper.id in exclude else entries).append(TopicEntry(paper, reasons))
        listings.append(TopicListing(topic, entries, excluded))
    return listings
