"""Selecting each topic's papers: the rules' evidence, the topic model, and what curators decided.

``list_topics`` weighs every paper against every topic's rules (evidence.py:
from keyword facts worked out once a keyword and paper, and kept), lets the model
veto or add, and applies ``include``, ``exclude`` and a paper's
``curation.topics``, which always win; each listed paper says why.
"""
from __future__ import annotations

import hashlib

from generator.archive.models import Paper
from generator.curate.rules import keyword_pattern, occurs, searchable_text, text_words
from generator.curate.topics import CURATED, INCLUDED, Topic, TopicEntry, TopicListing


class TextIndex:
    """Each paper's searchable text, words and digest, made once for every selection over the same papers.

    ``topics --diff`` selects over the working tree's papers and again over the
    revision's, which are mostly the same objects; a paper is known by identity
    (it is held, so its ``id()`` is never reused) and is not changed meanwhile.
    """

    def __init__(self):
        self._known: dict[int, tuple[Paper, str, set[str]]] = {}
        self._lowered: dict[int, tuple[Paper, tuple[str, str]]] = {}
        self._digests: dict[int, tuple[Paper, bytes]] = {}
        # What a selection worked out that another over the same papers reuses: the topic
        # model's vectors and fits (model.py), by key.
        self.vectors: dict = {}
        # Where keyword facts (evidence.py), fits and probabilities are kept (model_store.py):
        # the project's file between runs (``topics`` sets it), else this process's memory.
        self.store = None
        self.keep_reasons = False  # each listed paper's reasons, for another selection (``topics --diff``)

    def kept(self):
        if self.store is None:
            from generator.curate.model_store import ModelStore

            self.store = ModelStore()
        return self.store

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

    def digests(self, papers: list[Paper]) -> list[bytes]:
        """Each paper's ``text_digest``: what its keyword facts and probabilities are kept by."""
        known, found = self._digests, []
        for p in papers:
            kept = known.get(id(p))
            if kept is None or kept[0] is not p:
                kept = known[id(p)] = (p, text_digest(p))
            found.append(kept[1])
        return found


def text_digest(paper: Paper) -> bytes:
    """The paper's title and abstract (all that evidence and the model read of it), digested."""
    text = f"{len(paper.title)}:{paper.title}\0{paper.abstract}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def list_topics(topics: list[Topic], papers: list[Paper],
                curated: dict[str, list[str]] | None = None, index: TextIndex | None = None,
                model=None) -> list[TopicListing]:
    """Each topic with its papers, newest first, and why each is there.

    ``curated`` maps a paper id to the topic slugs its own ``curation.topics``
    names: those papers are listed whatever the rules say. ``exclude`` wins
    over everything (``check`` reports a paper both included and excluded).
    Each topic's keyword evidence is put together for all papers at once
    (evidence.py: each keyword looked for once a paper, and kept); a topic then
    considers only the papers its rules or the model list, its include list and
    the papers naming it.
    """
    import numpy as np  # here: `check` reads this module, and selects nothing

    from generator.curate.evidence import topic_evidence

    curated = curated or {}
    ordered = sorted(papers, key=lambda p: (p.published, p.id), reverse=True)
    index = index if index is not None else TextIndex()
    position: dict[str, list[int]] = {}  # id → positions (a list: a broken archive may hold an id twice)
    for i, p in enumerate(ordered):
        position.setdefault(p.id, []).append(i)
    # The model weighs every topic's evidence for a paper: topics not asked about here (``topics
    # --diff`` selects some topics over the changed papers only) count as in the full selection.
    asked = {t.slug for t in topics}
    others = [t for t in model.topics.values() if t.slug not in asked] if model is not None and ordered else []
    weighed = topic_evidence([*topics, *others], ordered, index) if ordered else {}
    chosen = _model_choices(model, asked, ordered, weighed)
    listings = []
    for topic in topics:
        include, exclude = set(topic.include), set(topic.exclude)
        found = weighed.get(topic.slug) if topic.rules.has_keywords else None
        holding = set(np.nonzero(found.holds)[0].tolist()) if found is not None else None
        by_model = chosen.get(topic.slug)
        candidates = _candidates(topic, holding, position, include, curated, len(ordered), by_model)
        # A paper's reasons depend on the topic, the paper, the model's word on it (whether it lists
        # it, and why) and its curation alone: the other side of ``topics --diff`` finds most of
        # them worked out already (kept only where there is another side: the build's memory).
        known = index.vectors.setdefault(("reasons", topic.selection_key(), by_model is None), {}) \
            if index.keep_reasons else {}
        reasons_of, pending = {}, []
        for i in candidates:
            paper = ordered[i]
            state = (by_model.get(i) if by_model is not None else None, topic.slug in curated.get(paper.id, ()))
            kept = known.get(id(paper))
            if kept is not None and kept[0] is paper and kept[1] == state:
                reasons_of[i] = kept[2]
            else:
                pending.append((i, state))
        # The explanation in words is made for the papers listed only.
        said = found.evidence([i for i, _ in pending if i in holding and (by_model is None or i in by_model)]) \
            if found is not None else {}
        for i, state in pending:
            paper = ordered[i]
            if by_model is not None and i not in by_model:
                ruled = None  # the model weighs the rules' evidence with the rest: it decides
            elif found is not None:
                ruled = topic.rules.explain(paper, found_evidence=said[i]) if i in said else None
            else:
                ruled = topic.rules.explain(paper)
            if by_model is not None and i in by_model:
                ruled = ruled or by_model[i]
            reasons_of[i] = [r for r in (ruled, INCLUDED if paper.id in include else None,
                                         CURATED if state[1] else None) if r]
            known[id(paper)] = (paper, state, reasons_of[i])
        entries, excluded = [], []
        for i in candidates:
            if reasons_of[i]:
                paper = ordered[i]
                (excluded if paper.id in exclude else entries).append(TopicEntry(paper, list(reasons_of[i])))
        listings.append(TopicListing(topic, entries, excluded))
    return listings


def _model_choices(model, asked: set[str], ordered: list[Paper], weighed) -> dict[str, dict[int, str]]:
    """Each topic the model knows → {position of a paper it lists: why, in words}."""
    if model is None or not ordered:
        return {}
    import numpy as np

    probabilities, words = model.probabilities(ordered, {slug: e.features for slug, e in weighed.items()})
    ruled = {slug: np.nonzero(e.holds)[0] for slug, e in weighed.items()}
    listed = model.decide(probabilities, len(ordered), ruled)
    # The rules' own words explain what they matched; the model says why it lists what they did not.
    chosen = {}
    for slug, positions in listed.items():
        if slug in asked:
            holds = weighed[slug].holds if slug in weighed else None
            alone = sorted(i for i in positions if holds is None or not holds[i])
            chosen[slug] = {**{i: "" for i in positions}, **model.why(slug, words, alone, probabilities[slug])}
    return chosen


def _keyword_matches_of(tests: dict, texts, words) -> dict:
    r"""For each keyword test (key → (part, pattern, runs)), the positions of the papers it matches, in order.

    Exactly ``runs <= words and occurs(part, pattern, text)``, paper by paper,
    found faster: the papers holding every word of a keyword are the
    intersection of those words' posting lists (C-level set operations), and a
    keyword that is one whole word matches exactly the papers holding that word
    (the words are the text's maximal ``\w+`` runs, the pattern's boundaries
    ``(?<!\w)`` and ``(?!\w)``), so only keywords of several words or with
    punctuation are searched for in the texts.
    """
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


def _candidates(topic: Topic, holding, position, include, curated, count: int, by_model=None):
    """The positions of the papers that could be listed in ``topic``, in order.

    A topic with keywords matches by its rules only a paper they hold for
    (``holding``; ``explain`` returns None for any other); with a model, the papers
    it lists; its include list and papers naming it in their curation come in
    whatever their words.
    """
    if holding is None and by_model is None:
        return range(count)
    found = set(holding or ()) if by_model is None else set(by_model)
    for pid in [*include, *(pid for pid, slugs in curated.items() if topic.slug in slugs)]:
        found.update(position.get(pid, ()))
    return sorted(found)
