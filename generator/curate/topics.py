"""Topics: one file a topic, ``content/topics/<slug>.md``, written by people.

The front matter says which papers belong (``match`` rules, ``include``,
``exclude``); the body is the curator's introduction, which MkDocs renders
as Markdown. ``list_topics`` selects each topic's papers, newest first, and
records for each paper why it is listed.
"""
from __future__ import annotations

import math
import os
import re
from itertools import filterfalse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.archive import frontmatter

from generator.archive.models import Paper, is_arxiv_id, split_version
from generator.archive.tex import plain_text
from generator.archive.yamlcheck import Problem, Reader, display_path, name_problem
from generator.curate import introduction
from generator.errors import PaperFileError
from generator.fileio import read_utf8

TOPICS_DIR = "topics"
TOPIC_KEYS = ("title", "description", "match", "include", "exclude")
MATCH_KEYS = ("categories", "keywords", "authors", "title", "weak", "unless", "mentions")
MENTIONS = 2  # abstract mentions a paper needs when no keyword is in its title: one is a passing mention
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# Why a paper is listed, each read after "Listed because it ...".
INCLUDED = "is on the topic's include list"
CURATED = "names this topic in its curation block"


def _name_key(name: str) -> str:
    """Author names compare as people read them: TeX accents resolved, case and spacing ignored."""
    return " ".join(plain_text(name).split()).casefold()


def _keyword_pattern(keyword: str) -> str:
    """Whole words, any case: ``KV cache`` matches "kv cache" and "KV-cache", not "KV caches"."""
    return r"(?<!\w)" + r"[\s-]+".join(re.escape(word) for word in keyword.split()) + r"(?!\w)"


@dataclass(frozen=True)
class Evidence:
    """A paper's keywords for one topic: in the title, counted in the abstract, weak ones anywhere."""

    in_title: tuple = ()
    counted: dict = field(default_factory=dict)
    weak: dict = field(default_factory=dict)
    ruled_out: bool = False  # an ``unless`` phrase occurs

    def features(self) -> tuple[float, float]:
        """What the topic model reads of it: a keyword in the title, log(1 + mentions)."""
        if self.ruled_out:
            return 0.0, 0.0
        return float(bool(self.in_title)), math.log1p(sum(self.counted.values()) + sum(self.weak.values()))


@dataclass
class MatchRules:
    """A paper matches when it satisfies every rule given; each rule is any-of.

    Keywords weigh where they stand and how often: one in the title is enough,
    in the abstract alone they need ``mentions`` occurrences in all (a passing
    mention is not a subject). ``title`` keywords count in the title only;
    ``weak`` ones never match alone (a word with other meanings adds to other
    evidence); any ``unless`` phrase in the title or abstract rules the paper out.
    """

    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)
    mentions: int = MENTIONS

    def __post_init__(self):
        # (keyword, a substring every match contains, its pattern, its words): the substring test
        # is a fast C-level scan that spares most abstracts the regex.
        # ``runs``, the keyword's runs of word characters, are whole words of any text it
        # matches: a paper's set of words rules out most keywords without a scan.
        # Every kind of keyword finds candidates; ``_kinds`` says how each counts.
        self._kinds = {}
        for kind in ("keywords", "title", "weak", "unless"):
            for k in getattr(self, kind):
                if k.split():
                    self._kinds.setdefault(k, kind)
        self._keywords = [_keyword_test(k) for k, kind in self._kinds.items() if kind != "unless"]
        self._unless = [_keyword_test(k) for k, kind in self._kinds.items() if kind == "unless"]
        self._tests = {k: (part, pattern) for k, part, pattern, _ in self._keywords}
        self._authors = {_name_key(a): a for a in self.authors}

    @property
    def empty(self) -> bool:
        return not (self.categories or self.keywords or self.authors or self.title or self.weak)

    @property
    def has_keywords(self) -> bool:
        return bool(self._keywords)

    def explain(self, paper: Paper, text: str | None = None, words: set[str] | None = None,
                keyword_hits: list[str] | None = None, found_evidence: Evidence | None = None) -> str | None:
        """Why ``paper`` matches (which values of which rules), or None when it does not.

        ``text`` is ``searchable_text(paper)`` and ``words`` is ``text_words(text)``,
        when the caller has them already; ``keyword_hits``, the keywords the paper
        holds somewhere in the file's order, when the caller has found them (``list_topics``
        does, once a keyword for the whole archive).
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
        if self._keywords:
            if found_evidence is not None:
                said = self.said(found_evidence)
            else:
                hits = keyword_hits if keyword_hits is not None else self._keyword_hits(paper, text, words)
                said = self.weigh(paper, hits) if hits else None
            if said is None:
                return None
            reasons.append(said)
        if self.authors:
            hits = [self._authors[key] for key in dict.fromkeys(_name_key(a.name) for a in paper.authors)
                    if key in self._authors]
            if not hits:
                return None
            reasons.append(_said("author", hits))
        return "matches " + " and ".join(reasons)

    def holds(self, paper: Paper, found: Evidence) -> bool:
        """Whether ``explain(paper, found_evidence=found)`` is not None, without its words."""
        if self.empty:
            return False
        if self.categories and not {paper.primary_category, *paper.categories} & set(self.categories):
            return False
        if self._keywords and not self.enough(found):
            return False
        return not self.authors or any(_name_key(a.name) in self._authors for a in paper.authors)

    def enough(self, found: Evidence) -> bool:
        """Whether the keyword evidence is enough (``said`` words it then)."""
        if found.ruled_out or not (found.in_title or found.counted):
            return False
        return bool(found.in_title) or sum(found.counted.values()) + sum(found.weak.values()) >= self.mentions

    def weigh(self, paper: Paper, hits: list[str]) -> str | None:
        """The keyword evidence in words (``title “Raft”; abstract “consensus” ×3``), or None when too little."""
        return self.said(self.evidence(paper, hits))

    def evidence(self, paper: Paper, hits: list[str], ruled_out: bool | None = None,
                 lowered: tuple[str, str] | None = None) -> Evidence:
        """Where the keywords ``hits`` (those the paper holds somewhere) stand in it, and how often.

        ``ruled_out``: whether an ``unless`` phrase occurs, when the caller knows (``list_topics`` does);
        ``lowered``: the paper's title and abstract in lower case, when the caller has them (``TextIndex``).
        """
        kinds = self._kinds
        if all(kinds.get(k) == "weak" for k in hits):
            return Evidence()  # weak words alone are no evidence (and need no counting)
        title, abstract = lowered or (paper.title.lower(), paper.abstract.lower())
        if ruled_out is None:
            ruled_out = any(_occurs(part, pattern, title) or _occurs(part, pattern, abstract)
                            for _, part, pattern, _ in self._unless)
        if ruled_out:
            return Evidence((), {}, {}, ruled_out=True)
        tests = self._tests
        in_title = tuple(k for k in hits if kinds.get(k) != "weak" and _occurs(*tests[k], title))
        counted = {k: n for k in hits if kinds.get(k) == "keywords" and (n := _count(*tests[k], abstract))}
        # Weak words (another meaning elsewhere) add to other evidence, never make it alone.
        weak = {k: n for k in hits if kinds.get(k) == "weak" and (n := _count(*tests[k], f"{title}\n{abstract}"))}
        return Evidence(in_title, counted, weak)

    def said(self, found: Evidence) -> str | None:
        """The evidence in words, or None when it is too little (nothing in the title, too few mentions)."""
        if not self.enough(found):
            return None
        parts = []
        if found.in_title:
            parts.append("title " + ", ".join(f"“{k}”" for k in found.in_title))
        if found.counted:
            parts.append("abstract " + ", ".join(f"“{k}”" + (f" ×{n}" if n > 1 else "") for k, n in found.counted.items()))
        if found.weak:
            parts.append("with " + ", ".join(f"“{k}”" + (f" ×{n}" if n > 1 else "") for k, n in found.weak.items()))
        return "; ".join(parts)

    def key(self) -> tuple:
        """What a paper's evidence and the explanation of it depend on, besides the paper."""
        return (tuple(self.categories), tuple(self.keywords), tuple(self.authors), tuple(self.title),
                tuple(self.weak), tuple(self.unless), self.mentions)

    def _keyword_hits(self, paper: Paper, text: str | None, words: set[str] | None) -> list[str]:
        text = searchable_text(paper) if text is None else text
        words = text_words(text) if words is None else words
        # One paper (list_topics finds each keyword once for the whole archive instead).
        return [k for k, part, pattern, runs in self._keywords if runs <= words and _occurs(part, pattern, text)]


def _keyword_test(keyword: str) -> tuple[str, str, re.Pattern, frozenset]:
    return (keyword, keyword.split()[0].lower(), re.compile(_keyword_pattern(keyword.lower())),
            frozenset(_WORD.findall(keyword.lower())))


def _count(part: str, pattern: re.Pattern, text: str) -> int:
    """How often ``pattern`` matches in ``text`` (each occurrence once)."""
    count, start = 0, text.find(part)
    while start != -1:
        found = pattern.match(text, start)
        if found:
            count += 1
            start = text.find(part, max(found.end(), start + 1))
        else:
            start = text.find(part, start + 1)
    return count


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


class TextIndex:
    """Each paper's searchable text and words, made once for every selection over the same papers.

    ``topics --diff`` selects over the working tree's papers and again over the
    revision's, which are mostly the same objects; a paper is known by identity
    (it is held, so its ``id()`` is never reused) and is not changed meanwhile.
    """

    def __init__(self):
        self._known: dict[int, tuple[Paper, str, set[str]]] = {}
        self._lowered: dict[int, tuple[Paper, tuple[str, str]]] = {}
        # What a selection worked out that another over the same papers reuses: each rules' evidence
        # (``weighed``) and the topic model's vectors, fits and probabilities (topic_model.py), by key.
        self.vectors: dict = {}
        self.store = None  # where the topic model keeps fits and probabilities between runs (topic_model_store.py)

    def get(self, paper: Paper) -> tuple[str, set[str]]:
        found = self._known.get(id(paper))
        if found is None or found[0] is not paper:
            text = searchable_text(paper)
            found = self._known[id(paper)] = (paper, text, text_words(text))
        return found[1], found[2]

    def lowered(self, paper: Paper) -> tuple[str, str]:
        """The title and the abstract in lower case (every topic's evidence reads them)."""
        found = self._lowered.get(id(paper))
        if found is None or found[0] is not paper:
            found = self._lowered[id(paper)] = (paper, (paper.title.lower(), paper.abstract.lower()))
        return found[1]

    def weighed(self, rules: MatchRules) -> dict[int, tuple[Paper, Evidence, bool]]:
        """id(paper) → (the paper, its evidence for ``rules``, whether they hold): rules alike share it."""
        return self.vectors.setdefault(("evidence", rules.key()), {})


def list_topics(topics: list[Topic], papers: list[Paper],
                curated: dict[str, list[str]] | None = None, index: TextIndex | None = None,
                model=None) -> list[TopicListing]:
    """Each topic with its papers, newest first, and why each is there.

    ``curated`` maps a paper id to the topic slugs its own ``curation.topics``
    names: those papers are listed whatever the rules say. ``exclude`` wins
    over everything (``check`` reports a paper both included and excluded).
    Each distinct keyword is looked for once in the whole archive (``_keyword_matches``),
    whichever topics share it; a topic then considers only the papers its keywords
    matched, its include list and the papers naming it.
    """
    curated = curated or {}
    ordered = sorted(papers, key=lambda p: (p.published, p.id), reverse=True)
    if any(t.rules.has_keywords for t in topics):
        index = index if index is not None else TextIndex()
        texts, words = zip(*map(index.get, ordered)) if ordered else ((), ())
    else:
        texts = words = [None] * len(ordered)
    matches = _keyword_matches(topics, texts, words)
    position: dict[str, list[int]] = {}  # id → positions (a list: a broken archive may hold an id twice)
    for i, p in enumerate(ordered):
        position.setdefault(p.id, []).append(i)
    hits_of = {topic.slug: _keyword_hits(topic.rules, matches) for topic in topics}
    evidence, explained = _weigh(topics, ordered, hits_of, matches, index)
    chosen = _model_choices(model, topics, ordered, evidence, explained, index)
    listings = []
    for topic in topics:
        include, exclude = set(topic.include), set(topic.exclude)
        hits = hits_of[topic.slug]
        by_model = chosen.get(topic.slug)
        entries, excluded = [], []
        for i in _candidates(topic, hits, position, include, curated, len(ordered), by_model):
            paper = ordered[i]
            found = None if hits is None else hits.get(i, [])
            if by_model is not None and i not in by_model:
                ruled = None  # the model weighs the rules' evidence with the rest: it decides
            elif found:  # worded for the papers listed only
                ruled = topic.rules.explain(paper, found_evidence=evidence[topic.slug][i]) \
                    if explained[topic.slug][i] else None
            else:
                ruled = topic.rules.explain(paper, keyword_hits=found)
            if by_model is not None and i in by_model:
                ruled = ruled or by_model[i]
            reasons = [r for r in (ruled, INCLUDED if paper.id in include else None,
                                   CURATED if topic.slug in curated.get(paper.id, ()) else None) if r]
            if reasons:
                (excluded if paper.id in exclude else entries).append(TopicEntry(paper, reasons))
        listings.append(TopicListing(topic, entries, excluded))
    return listings


def weigh(topics: list[Topic], papers: list[Paper], index: TextIndex) -> tuple[dict, dict]:
    """Each topic with keywords → {position in ``papers`` of a paper holding one: its evidence},
    and → {that position: whether the rules hold for it}."""
    texts, words = zip(*map(index.get, papers)) if papers else ((), ())
    matches = _keyword_matches(topics, texts, words)
    return _weigh(topics, papers, {t.slug: _keyword_hits(t.rules, matches) for t in topics}, matches, index)


def _weigh(topics, ordered, hits_of, matches, index) -> tuple[dict, dict]:
    """Each candidate's keyword evidence and whether the rules hold for it, weighed once: the reasons
    and the model both read it, and another selection over the same papers with the same rules (the
    other side of ``topics --diff``, the model's examples) finds it in ``index``. The explanation in
    words is made for the papers listed only (``list_topics``)."""
    evidence, explained = {}, {}
    for t in topics:
        if hits_of[t.slug] is None:
            continue
        known, found, said = index.weighed(t.rules), {}, {}
        out = None
        for i, hits in hits_of[t.slug].items():
            paper = ordered[i]
            kept = known.get(id(paper))
            if kept is None or kept[0] is not paper:
                if out is None:
                    out = set().union(*(matches[_test_key(part, pattern)] for _, part, pattern, _ in t.rules._unless))
                e = t.rules.evidence(paper, hits, i in out, index.lowered(paper))
                kept = known[id(paper)] = (paper, e, t.rules.holds(paper, e))
            found[i], said[i] = kept[1], kept[2]
        evidence[t.slug], explained[t.slug] = found, said
    return evidence, explained


def _model_choices(model, topics: list[Topic], ordered: list[Paper], evidence, explained,
                   index: TextIndex | None) -> dict[str, dict[int, str]]:
    """Each topic the model knows → {position of a paper it lists: why, in words}."""
    if model is None or not ordered:
        return {}
    # The model weighs every topic's evidence for a paper: topics not asked about here (``topics
    # --diff`` selects some topics over the changed papers only) count as in the full selection.
    asked = {t.slug for t in topics}
    others = [t for t in model.topics.values() if t.slug not in asked and t.rules.has_keywords]
    if others:
        more = weigh(others, ordered, index if index is not None else TextIndex())
        evidence, explained = {**evidence, **more[0]}, {**explained, **more[1]}
    probabilities, words = model.probabilities(ordered, evidence)
    ruled = {slug: {i for i, holds in found.items() if holds} for slug, found in explained.items()}
    listed = model.decide(probabilities, len(ordered), ruled)
    # The rules' own words explain what they matched; the model says why it lists what they did not.
    chosen = {}
    for slug, positions in listed.items():
        if slug in asked:
            alone = sorted(i for i in positions if i not in ruled.get(slug, ()))
            chosen[slug] = {**{i: "" for i in positions}, **model.why(slug, words, alone, probabilities[slug])}
    return chosen


def _test_key(part: str, pattern: re.Pattern) -> tuple[str, str]:
    return part, pattern.pattern


def _keyword_matches(topics: list[Topic], texts, words) -> dict[tuple[str, str], list[int]]:
    r"""For each distinct keyword test (MatchRules._keywords), the positions of the papers it matches, in order.

    Exactly ``runs <= words and _occurs(part, pattern, text)``, paper by paper,
    found faster: the papers holding every word of a keyword are the
    intersection of those words' posting lists (C-level set operations), and a
    keyword that is one whole word matches exactly the papers holding that word
    (the words are the text's maximal ``\w+`` runs, the pattern's boundaries
    ``(?<!\w)`` and ``(?!\w)``), so only keywords of several words or with
    punctuation are searched for in the texts.
    """
    tests = {}
    for topic in topics:
        for _, part, pattern, runs in topic.rules._keywords + topic.rules._unless:
            tests.setdefault(_test_key(part, pattern), (part, pattern, runs))
    needed = frozenset(word for _, _, runs in tests.values() for word in runs)
    postings: dict[str, list[int]] = {}
    if needed:
        for i, paper_words in enumerate(words):
            for word in needed & paper_words:
                postings.setdefault(word, []).append(i)
    matches = {}
    for key, (part, pattern, runs) in tests.items():
        lists = sorted((postings.get(word, []) for word in runs), key=len)
        if not lists:  # no word characters at all: every text is searched
            candidates = range(len(texts))
        elif len(lists) == 1:
            candidates = lists[0]
        else:
            candidates = sorted(set(lists[0]).intersection(*lists[1:]))
        if len(runs) == 1 and part in runs and pattern.pattern == _keyword_pattern(part):
            matches[key] = list(candidates)  # one whole word: holding it is matching it
        else:
            matches[key] = [i for i in candidates if _occurs(part, pattern, texts[i])]
    return matches


def _keyword_hits(rules: MatchRules, matches) -> dict[int, list[str]] | None:
    """Position → the keywords of ``rules`` that paper matches, in the file's order; None without keywords."""
    if not rules.has_keywords:
        return None
    hits: dict[int, list[str]] = {}
    for keyword, part, pattern, _ in rules._keywords:
        for i in matches[_test_key(part, pattern)]:
            hits.setdefault(i, []).append(keyword)
    return hits


def _candidates(topic: Topic, hits, position, include, curated, count: int, by_model=None):
    """The positions of the papers that could be listed in ``topic``, in order.

    A topic with keywords matches by its rules only a paper one of its keywords
    matched (``explain`` returns None for any other); with a model, the papers
    it lists; its include list and papers naming it in their curation come in
    whatever their words.
    """
    if hits is None and by_model is None:
        return range(count)
    found = set(hits or ()) if by_model is None else set(by_model)
    for pid in [*include, *(pid for pid, slugs in curated.items() if topic.slug in slugs)]:
        found.update(position.get(pid, ()))
    return sorted(found)
