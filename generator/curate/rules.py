"""A topic's ``match`` rules and the evidence they find in a paper.

Where a keyword stands (the title says more than one sentence of the
abstract), how often it occurs (one mention is a passing one), words that
must not be the only evidence (``weak``) and terms that rule a paper out
(``unless``): ``MatchRules`` weighs them into an ``Evidence`` a curator can read.
"""
from __future__ import annotations

import math
import re
from itertools import filterfalse
from dataclasses import dataclass, field

from generator.archive.models import Paper
from generator.archive.tex import plain_text


MATCH_KEYS = ("categories", "keywords", "authors", "title", "weak", "unless", "mentions")
MENTIONS = 2  # abstract mentions a paper needs when no keyword is in its title: one is a passing mention


def _name_key(name: str) -> str:
    """Author names compare as people read them: TeX accents resolved, case and spacing ignored."""
    return " ".join(plain_text(name).split()).casefold()


def keyword_pattern(keyword: str) -> str:
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
            ruled_out = any(occurs(part, pattern, title) or occurs(part, pattern, abstract)
                            for _, part, pattern, _ in self._unless)
        if ruled_out:
            return Evidence((), {}, {}, ruled_out=True)
        tests = self._tests
        in_title = tuple(k for k in hits if kinds.get(k) != "weak" and occurs(*tests[k], title))
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
        return [k for k, part, pattern, runs in self._keywords if runs <= words and occurs(part, pattern, text)]


class _Pattern:
    """A keyword's pattern, compiled when first matched: a warm ``topics`` run finds every keyword's
    facts kept (evidence.py) and matches none. After that ``match`` is the compiled pattern's own."""

    def __init__(self, source: str):
        self.pattern = source

    def __getattr__(self, name: str):  # only for what is not set yet: ``match``, before the first match
        if name == "pattern" or name.startswith("__"):  # a copy being made: no pattern yet
            raise AttributeError(name)
        compiled = re.compile(self.pattern)
        self.match = compiled.match
        return getattr(compiled, name)


def _keyword_test(keyword: str) -> tuple[str, str, _Pattern, frozenset]:
    return (keyword, keyword.split()[0].lower(), _Pattern(keyword_pattern(keyword.lower())),
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


def occurs(part: str, pattern: re.Pattern, text: str) -> bool:
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
