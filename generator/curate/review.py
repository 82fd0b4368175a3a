"""Curation: what people add to the archive, and the checks a pull request must pass.

A paper's own file may carry a ``curation:`` block (headline, summary, note,
topics, featured); topics live in ``content/topics/``. ``review`` reads both
and reports every mistake as ``path:line: message``: ``python -m generator
check`` and the build run the same review, so a pull request that passes
``check`` builds.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from generator.archive import frontmatter

from generator.archive.models import HARVESTED_FIELDS, Paper
from generator.archive.parse_cache import prefetch_files
from generator.archive.published import STATE_FILE
from generator.archive.published import unpublishable
from generator.archive.store import Archive, paper_from_text
from generator.archive.yamlcheck import Problem, Reader, display_path
from generator.curate import introduction
from generator.curate.gold import gold_beside, load_gold
from generator.curate.listing import TextIndex, list_topics
from generator.curate.notes import render_note
from generator.curate.topics import Topic, TopicListing, load_topics
from generator.errors import ArchiveError, CurationError
from generator.fileio import read_utf8
from generator.harvest.checks import validate_state

CURATION_KEYS = ("headline", "summary", "note", "topics", "featured")
PAPER_KEYS = (*HARVESTED_FIELDS, "curation")


@dataclass
class Curation:
    """A paper's ``curation:`` block, as a curator wrote it."""

    headline: str | None = None  # one line: the paper's claim
    summary: str | None = None  # one sentence
    note: str | None = None  # free Markdown (rendered with raw HTML escaped)
    topics: list[str] = field(default_factory=list)  # slugs: listed there whatever the rules say
    featured: bool = False  # shown on the home page
    path: str = ""
    topic_lines: dict[str, int] = field(default_factory=dict)  # slug → line, for messages


NO_CURATION = Curation()


def read_curation(text: str, path) -> tuple[Curation, list[Problem]]:
    """The curation in a paper file's text, and every problem with its keys."""
    shown = display_path(path)
    reader = Reader(shown, first_line=2)
    curation = Curation(path=shown)
    root = reader.compose(frontmatter.split(text, path)[0])
    if root is None:
        return curation, reader.problems
    items = reader.mapping(root, "", PAPER_KEYS)
    if "curation" not in items:
        return curation, reader.problems
    block = reader.mapping(items["curation"][1], "curation", CURATION_KEYS)
    for key in ("headline", "summary"):
        if key in block:
            setattr(curation, key, reader.text(block[key][1], f"curation.{key}", one_line=True))
    if "note" in block:
        curation.note = reader.text(block["note"][1], "curation.note")
        refused = introduction.refusal(curation.note, "curation.note") if curation.note else None
        if not refused and curation.note:
            try:  # rendered here as on the paper's page: what the bounds do not see fails here, not there
                render_note(curation.note)
            except RecursionError:
                refused = (0, "curation.note: nested too deeply to render")
        if refused:
            reader.report(block["note"][1], refused[1])
            curation.note = None
    if "featured" in block:
        curation.featured = bool(reader.flag(block["featured"][1], "curation.featured"))
    if "topics" in block:
        for slug, node in reader.text_list(block["topics"][1], "curation.topics"):
            curation.topics.append(slug)
            curation.topic_lines[slug] = reader.line(node)
    return curation, reader.problems


@dataclass
class Review:
    """Everything people curated, checked: what the build renders from."""

    topics: list[Topic]
    curations: dict[str, Curation]  # paper id → its curation (curated papers only)
    papers: list[Paper]
    problems: list[Problem]
    _listings: list[TopicListing] | None = field(default=None, repr=False)
    _by_paper: dict[str, list[Topic]] | None = field(default=None, repr=False)
    # The papers' searchable texts and words, made once (topics --diff selects over them again).
    texts: TextIndex = field(default_factory=TextIndex, repr=False)
    gold: list = field(default_factory=list, repr=False)  # the gold set (curate/gold.py): the model learns from it
    _model: object = field(default=None, repr=False)

    @property
    def curated(self) -> dict[str, list[str]]:
        return {pid: c.topics for pid, c in self.curations.items() if c.topics}

    def model(self):
        """The topic model of the gold set and the curators' choices (None without a gold set)."""
        if self._model is None and self.gold:
            from generator.curate.model import train

            self._model = train(self.topics, self.gold, self.papers, self.curated, index=self.texts)
        return self._model

    def model_key(self) -> tuple:
        """What the model is made from: two reviews with the same key select alike paper by paper."""
        return (tuple((g.id, tuple(g.topics), g.title, g.abstract) for g in self.gold),
                tuple(sorted(self.curated.items())), tuple(t.selection_key() for t in self.topics))

    def listings(self) -> list[TopicListing]:
        """Each topic with its papers, newest first (slug, title, papers): for pages and feeds."""
        if self._listings is None:
            self._listings = list_topics(self.topics, self.papers, self.curated, self.texts, self.model())
        return self._listings

    def listed_titles(self) -> dict[str, str]:
        """slug → title of each topic that lists a paper, by title: a topic with no paper yet is no
        filter to offer (its page says so; the topics index names it)."""
        listed = {listing.slug for listing in self.listings() if listing.entries}
        return {t.slug: t.title for t in sorted(self.topics, key=lambda t: t.title.casefold()) if t.slug in listed}

    @property
    def warnings(self) -> list[Problem]:
        """What the build removes from topics' introductions: reported, but no reason to stop."""
        return [problem for topic in self.topics for problem in topic.removals]

    def curation_of(self, paper: Paper) -> Curation:
        return self.curations.get(paper.id, NO_CURATION)

    def topics_of(self, paper: Paper) -> list[Topic]:
        if self._by_paper is None:
            self._by_paper = {}
            for listing in self.listings():
                for entry in listing.entries:
                    self._by_paper.setdefault(entry.paper.id, []).append(listing.topic)
        return self._by_paper.get(paper.id, [])

    def featured(self) -> list[Paper]:
        featured = [p for p in self.papers if self.curation_of(p).featured]
        return sorted(featured, key=lambda p: (p.published, p.id), reverse=True)

    def template_globals(self, featured_limit: int) -> dict:
        """What the templates call: ``curation_of(paper)``, ``topics_of(paper)``, ``featured_papers``."""
        return {"curation_of": self.curation_of, "topics_of": self.topics_of,
                "featured_papers": self.featured()[:featured_limit]}


def review(docs_dir: Path, papers: Iterable[tuple[Path, Paper]]) -> Review:
    """Read the topics and the curation blocks of ``papers`` (path, paper); check them all."""
    topics, problems = load_topics(docs_dir)
    curations, loaded = {}, []
    for path, paper in papers:
        loaded.append(paper)
        if paper.extra:  # only a file with keys beyond the harvest's is read again
            curation, found = read_curation(read_utf8(path), path)  # bytes as they are: no newline translated
            problems.extend(found)
            curations[paper.id] = curation
    problems.extend(cross_check(topics, curations, {p.id for p in loaded}))
    gold = []
    try:
        gold = load_gold(gold_beside(docs_dir), {t.slug for t in topics})
    except CurationError as error:
        problems.extend(error.problems)
    return Review(topics, curations, loaded, sorted(set(problems)), gold=gold)


def cross_check(topics: list[Topic], curations: dict[str, Curation], ids: set[str]) -> list[Problem]:
    """What no single file shows: unknown slugs and ids, conflicts, repeated titles."""
    problems = []
    by_slug = {t.slug: t for t in topics}
    known = ", ".join(sorted(by_slug)) or "none yet"
    for paper_id, curation in curations.items():
        for slug in curation.topics:
            line = curation.topic_lines[slug]
            if slug not in by_slug:
                close = difflib.get_close_matches(slug, by_slug, n=1)  # 21 topics are too many to read through
                hint = f"did you mean '{close[0]}'? " if close else f"topics: {known}; "
                problems.append(Problem(curation.path, line, f"curation.topics: no topic '{slug}' "
                                        f"({hint}a topic is a file content/topics/<name>.md)"))
            elif paper_id in by_slug[slug].exclude:
                topic = by_slug[slug]
                problems.append(Problem(curation.path, line, f"curation.topics: {paper_id} is both included in "
                                        f"'{slug}' here and excluded by {topic.path}:{topic.lines[f'exclude:{paper_id}']}"))
    titles: dict[str, Topic] = {}
    for topic in topics:
        for key in ("include", "exclude"):
            for paper_id in getattr(topic, key):
                if paper_id not in ids:
                    problems.append(Problem(topic.path, topic.lines[f"{key}:{paper_id}"],
                                            f"{key}: {paper_id} is not in the archive"))
        for paper_id in set(topic.include) & set(topic.exclude):
            problems.append(Problem(topic.path, topic.lines[f"exclude:{paper_id}"],
                                    f"exclude: {paper_id} is both included (line "
                                    f"{topic.lines[f'include:{paper_id}']}) and excluded"))
        title = title_key(topic.title)
        if title and title in titles:
            first = titles[title]
            alike = "" if _plain_key(topic.title) == _plain_key(first.title) else \
                " (it looks the same: look-alike letters from another script, or invisible characters)"
            problems.append(Problem(topic.path, topic.lines["title"], f"title: '{topic.title}' is already the "
                                    f"title of {first.path}:{first.lines['title']}{alike}"))
        elif title:
            titles[title] = topic
    return problems


# Letters of other scripts that look like Latin ones (Unicode's confusables.txt, the common ones),
# upper and lower case apart: Greek capital eta is an H, its small letter is not.
_LOOK_ALIKES = str.maketrans({
    **dict(zip("АВЕЅІЈКМНОРСТУХҮӀԚԜ", "ABESIJKMHOPCTYXYIQW")),  # Cyrillic capitals
    **dict(zip("аеѕіјһԁкорсухӏԛԝ", "aesijhdkopcyxlqw")),  # Cyrillic small letters
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),  # Greek capitals
    **dict(zip("αικνορυχϲϳ", "aikvopuxcj")),  # Greek small letters
    **dict(zip("ıɑɡօսᴠ", "iagouv")),  # dotless i, Latin alpha and script g, Armenian o and u, small capital v
    **dict(zip("ᎪᏴᏟᎬᎻᎫᏦᏞᎷᏢᏚᎢᏙᏔᏃ", "ABCEHJKLMPSTVWZ")),  # Cherokee (its small letters case-fold to these)
})


def _plain_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def title_key(title: str) -> str:
    """What a title looks like, for the repeated-title check: two titles a reader cannot tell apart share it.

    NFKC (full-width and mathematical letters become plain ones), invisible
    format characters (a zero-width space, a direction mark) dropped, look-alike
    Cyrillic and Greek letters read as the Latin ones, then case and spacing ignored.
    """
    text = unicodedata.normalize("NFKC", title)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.translate(_LOOK_ALIKES).casefold().translate(_LOOK_ALIKES).casefold().split())


def check_archive(docs_dir: Path, cache=None) -> Review:
    """Read the whole archive and its curation; raise CurationError listing every problem.

    ``cache``: a ``parse_cache.FrontMatterCache`` (the same papers, parsed faster).
    """
    published = unpublishable(docs_dir)  # links are reported here and never read below
    reported = {problem.path for problem in published}  # nor is a file it names (one problem a file)
    files, problems = [], []
    for path in Archive(docs_dir).paths():
        if display_path(path) in reported:
            continue
        try:
            files.append((path, read_utf8(path, display_path(path))))
        except ArchiveError as error:
            problems.append(as_problem(error, path))
    prefetch_files(cache, (text for _, text in files))
    papers = []
    for path, text in files:
        try:
            papers.append((path, paper_from_text(text, display_path(path), cache)))
        except ArchiveError as error:
            problems.append(as_problem(error, path))
    result = review(docs_dir, papers)
    problems += validate_state(Path(docs_dir) / STATE_FILE)  # a hand-edited harvest state: a pull request's
    problems = sorted(set(problems + result.problems + published))
    if problems:
        raise CurationError(problems, result.warnings)  # Problems: path and line kept for annotations
    return result


def as_problem(error: ArchiveError, path) -> Problem:
    """A file's error as ``check`` and the build report it (its path not run into one line: printing escapes it)."""
    line = getattr(error, "line", None) or 1
    return Problem(display_path(path), line, getattr(error, "message", str(error)))
