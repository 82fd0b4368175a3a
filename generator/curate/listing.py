"""Selecting each topic's papers: the rules' evidence, the topic model, and what curators decided.

``list_topics`` weighs every paper against every topic's rules once
(``TextIndex`` keeps the words and the weighed evidence), lets the model
veto or add, and applies ``include``, ``exclude`` and a paper's
``curation.topics``, which always win; each listed paper says why.
"""
from __future__ import annotations

import re

from generator.archive.models import Paper
from generator.curate.rules import Evidence, MatchRules, keyword_pattern, occurs, searchable_text, text_words
from generator.curate.topics import CURATED, INCLUDED, Topic, TopicEntry, TopicListing


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

    Exactly ``runs <= words and occurs(part, pattern, text)``, paper by paper,
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
        if len(runs) == 1 and part in runs and pattern.pattern == keyword_pattern(part):
            matches[key] = list(candidates)  # one whole word: holding it is matching it
        else:
            matches[key] = [i for i in candidates if occurs(part, pattern, texts[i])]
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
