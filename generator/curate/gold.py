"""The topics gold set: real papers labelled by curators with the topics whose pages should list them.

``gold/topics.yml`` beside ``archive.yml`` holds one entry a paper: its arXiv
id, the topics (0 to 4) a curator chose by the standard in CONTRIBUTING.md,
its title and abstract (arXiv's metadata is CC0). Curators extend it by pull
request like any other curation. It is read for two things:

- measuring the topics (``topics --evaluate``): precision and recall on the
  *held-out* part, which nothing is tuned on;
- learning from it: the topic model (``topic_model.py``) trains on the
  *tune* part when measuring, on all of it when building the site.

Which part a paper is in depends on its id alone (a hash), so adding papers
never moves another paper between the parts.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.archive.frontmatter import refusal
from generator.archive.models import Paper, is_arxiv_id
from generator.archive.yamlcheck import Problem, display_path
from generator.errors import CurationError

GOLD_FILE = Path("gold") / "topics.yml"
MAX_GOLD = 32 << 20  # characters: 570 papers are 0.9 MB
HELD_OUT = "held-out"
TUNE = "tune"
HELD_OUT_SHARE = 3  # in 10: 30% of the papers are held out


@dataclass
class GoldPaper:
    id: str
    title: str
    abstract: str
    topics: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def part(self) -> str:
        return part_of(self.id)

    def paper(self) -> Paper:
        """The paper as the archive would hold it (only what selection reads): the same object each
        time, so what a selection works out about it is found again (``listing.TextIndex``)."""
        made = self.__dict__.get("_paper")
        if made is None or (made.title, made.abstract) != (self.title, self.abstract):
            made = self.__dict__["_paper"] = self._made()
        return made

    def _made(self) -> Paper:
        return Paper(id=self.id, version=1, title=self.title, authors=[], published="", updated="",
                     primary_category="cs.DC", categories=["cs.DC"], abstract=self.abstract)


def part_of(bare_id: str) -> str:
    """``held-out`` or ``tune``, from the id alone: stable whatever else the set holds."""
    return HELD_OUT if hashlib.blake2b(bare_id.encode(), digest_size=2).digest()[0] % 10 < HELD_OUT_SHARE else TUNE


def gold_beside(docs_dir: Path) -> Path:
    """The gold set's file: beside the archive's folder, as archive.yml is."""
    return Path(docs_dir).parent / GOLD_FILE


def load_gold(path: Path, known_topics: set[str] | None = None) -> list[GoldPaper]:
    """Every labelled paper in ``path`` (none when there is no file); CurationError lists every problem."""
    path = Path(path)
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CurationError([Problem(display_path(path), 1, f"not UTF-8: {error}")]) from None
    return parse_gold(text, display_path(path), known_topics)


def parse_gold(text: str, shown: str, known_topics: set[str] | None = None) -> list[GoldPaper]:
    """The gold set in ``text`` (the file ``shown``); CurationError lists every problem.

    The same text gives the same papers wherever it was read (``topics --diff`` reads the
    working tree's file and the revision's, whose topics may differ): parsed once.
    """
    try:
        if known_topics is not None:  # the same papers as without known topics when every label is one
            try:
                papers = _parsed(text, None)
                if all(t in known_topics for g in papers for t in g.topics):
                    return list(papers)
            except CurationError:
                pass  # the problems as they are found with the known topics, below
        return list(_parsed(text, frozenset(known_topics) if known_topics is not None else None))
    except CurationError as error:  # the problems are found without a name: they get the file's
        raise CurationError([Problem(shown, p.line, p.message) for p in error.problems]) from None


@lru_cache(maxsize=4)
def _parsed(text: str, known_topics: frozenset | None) -> tuple[GoldPaper, ...]:
    shown = ""  # parse_gold names the file
    refused = refusal(text, MAX_GOLD, "the gold set")  # curators extend it by pull request: no alias bomb, no depth
    if refused:
        raise CurationError([Problem(shown, refused[0] + 1, refused[1])])
    try:
        root = yaml.compose(text, Loader=_LOADER)  # checked for bombs above: libyaml's speed is safe here
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise CurationError([Problem(shown, line, f"not a readable gold set: {error}".splitlines()[0])]) from None
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode):
        raise CurationError([Problem(shown, 1, "the gold set is a list of papers (- id: ...)")])
    papers, problems, seen = [], [], set()
    for node in root.value:
        paper = _entry(node, shown, problems, known_topics)
        if paper is None:
            continue
        if paper.id in seen:
            problems.append(Problem(shown, paper.line, f"{paper.id} is labelled twice"))
            continue
        seen.add(paper.id)
        papers.append(paper)
    if problems:
        raise CurationError(problems)
    return tuple(papers)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _entry(node, shown: str, problems: list, known_topics: set[str] | None) -> GoldPaper | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(shown, line, "each entry is a mapping: id, topics, title, abstract"))
        return None
    values = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
    texts = {key: values[key].value for key in ("id", "title", "abstract")
             if isinstance(values.get(key), yaml.ScalarNode)}
    if not is_arxiv_id(texts.get("id", "")):
        problems.append(Problem(shown, line, f"id: '{texts.get('id', '')}' is not an arXiv id such as 2606.01839"))
        return None
    topics_node = values.get("topics")
    if not isinstance(topics_node, yaml.SequenceNode) or not all(
            isinstance(t, yaml.ScalarNode) for t in topics_node.value):
        problems.append(Problem(shown, line, f"{texts['id']}: topics: a list of topic names, [] for none"))
        return None
    topics = [t.value for t in topics_node.value]
    for item, topic in zip(topics_node.value, topics):
        if known_topics is not None and topic not in known_topics:
            problems.append(Problem(shown, item.start_mark.line + 1, f"{texts['id']}: no topic '{topic}'"))
    if len(topics) > 4 or len(set(topics)) != len(topics):
        problems.append(Problem(shown, topics_node.start_mark.line + 1,
                                f"{texts['id']}: topics: at most 4, each once"))
    return GoldPaper(texts["id"], texts.get("title", ""), texts.get("abstract", ""), topics, line)


def dump_gold(papers: list[GoldPaper]) -> str:
    """The file's text, sorted by id: the topics first (what a curator edits), then the paper's text."""
    # Whitespace as one space: one paragraph reads (and diffs) best, and selection ignores line breaks.
    entries = [{"id": p.id, "topics": list(p.topics), "title": " ".join(p.title.split()),
                "abstract": " ".join(p.abstract.split())}
               for p in sorted(papers, key=lambda p: p.id)]
    return HEADER + yaml.safe_dump(entries, sort_keys=False, width=100, allow_unicode=True, default_flow_style=None)


HEADER = """\
# The topics gold set: real cs.DC papers and the topics (0 to 4) whose pages should list each,
# labelled by the standard in CONTRIBUTING.md ("The topics gold set"). Edit `topics:` by pull
# request; `python -m generator topics --evaluate` measures the topics against this file.
"""
