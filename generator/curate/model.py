"""What curators decided, learnt: one linear model a topic, over the words of a paper's title and abstract.

The labelled examples are the gold set (``gold/topics.yml``: real papers and
the topics a curator chose), each topic's ``include`` and ``exclude`` lists
and the papers whose ``curation.topics`` name it. Each topic's model is a
logistic regression (scikit-learn, liblinear: the same examples give the
same model) over the TF-IDF of the title (twice) and abstract, plus two
features from the topic's own rules: a keyword in the title, and how often
its keywords occur in the abstract. So the curator's rules count, and so does
everything else the examples teach (a keyword in a paper about another
subject, a paper that names no keyword).

A paper the topic's rules match is listed when the topic's probability is at
least ``LISTED`` (the model vetoes a keyword in another sense), one they do not
match when it is at least ``ALONE``; at most ``MOST`` topics a paper (its
likeliest); a paper no topic reaches gets its likeliest one if that is at
least ``FALLBACK``. The thresholds were chosen by
cross-validation on the gold set's tune part (``topics --evaluate --part tune``).
Without a gold set there is no model, and the rules alone decide.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from generator.archive.models import Paper

# Chosen by 5-fold cross-validation on the gold set's tune part (`topics --evaluate --part tune`):
# with the rules' evidence the model need only not disagree (a veto: precision 0.89, recall 0.89,
# against 0.81 and 0.87 when it decided alone at 0.5); without it, it must be all but sure.
LISTED = 0.15  # a paper the topic's rules match
ALONE = 0.95  # a paper they do not
FALLBACK = 0.4  # a paper no topic lists gets its likeliest one at this
MOST = 4
MODEL_REASON = "resembles papers curators chose"  # how a listing by the model alone begins
NEIGHBOURS = 10  # how many of the closest examples a listing's explanation counts from
_C = 10.0  # inverse regularization: chosen by cross-validation on the tune part


def example_text(paper: Paper) -> str:
    # The title twice: its words say more about the subject than most of the abstract's.
    return f"{paper.title}\n{paper.title}\n{paper.abstract}"


@dataclass
class Example:
    """A labelled paper: the topics it belongs to, and for which topics that is known (None: all)."""

    paper: Paper
    topics: set[str]
    known: set[str] | None = None  # an include or exclude says nothing of the other topics

    def labelled(self, slug: str) -> bool:
        return self.known is None or slug in self.known


def rule_features(topic, paper: Paper) -> tuple[float, float]:
    """(a keyword in the title, log(1 + keyword mentions)) by ``topic``'s rules (``topics.Evidence``)."""
    rules = topic.rules
    if not rules.has_keywords:
        return 0.0, 0.0
    hits = rules._keyword_hits(paper, None, None)
    return rules.evidence(paper, hits).features() if hits else (0.0, 0.0)


class _Vectors:
    """The papers a vectorizer has turned into vectors, by identity.

    ``topics --diff`` selects over the working tree's papers and the revision's, mostly the
    same objects, with models of the same examples (the same vocabulary): each paper is
    turned into a vector once. Kept in the selection's ``topics.TextIndex``, so it lives
    as long as the review it serves (a paper is held, so its id is not reused).
    """

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self._papers: list[Paper] = []
        self._matrix = None
        self._row: dict[int, int] = {}

    def of(self, papers: list[Paper]):
        known = [self._row.get(id(p)) for p in papers]
        known = [r if r is not None and self._papers[r] is p else None for r, p in zip(known, papers)]
        fresh = [p for p, r in zip(papers, known) if r is None]
        if fresh:
            added = self.vectorizer.transform([example_text(p) for p in fresh])
            start = len(self._papers)
            self._matrix = added if self._matrix is None else sparse.vstack([self._matrix, added], format="csr")
            for offset, paper in enumerate(fresh):
                self._row[id(paper)] = start + offset
            self._papers.extend(fresh)
        return self._matrix[[self._row[id(p)] for p in papers]]


class TopicModel:
    """The trained models; ``decide`` lists papers, ``why`` says what a listing rests on."""

    def __init__(self, topics, examples: list[Example], trained_on: str):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.topics = {t.slug: t for t in topics}
        self.trained_on = trained_on
        texts = [example_text(e.paper) for e in examples]
        # The same examples give the same vocabulary, so the same vectors: papers' vectors are kept by it.
        self._vocabulary = hashlib.blake2b("\0".join(texts).encode(), digest_size=16).digest()
        self._vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2, dtype=np.float64)
        words = self._examples = self._vectorizer.fit_transform(texts)
        self._positives: dict[str, np.ndarray] = {}
        self._models = {}
        for slug, topic in self.topics.items():
            rows = [i for i, e in enumerate(examples) if e.labelled(slug)]
            labels = np.array([slug in examples[i].topics for i in rows], dtype=int)
            self._positives[slug] = np.array([slug in e.topics for e in examples])
            if labels.sum() < 2 or labels.sum() == len(labels):
                continue  # too few examples to learn from: the rules alone decide
            features = self._features(words[rows], topic, [examples[i].paper for i in rows])
            model = LogisticRegression(C=_C, class_weight="balanced", solver="liblinear")
            self._models[slug] = model.fit(features, labels)

    @staticmethod
    def _features(words, topic, papers: list[Paper], candidates=None):
        """The words, and the topic's rule features (zero for a paper no keyword of it is in).

        ``candidates``: position → that paper's ``topics.Evidence`` (None: every paper, weighed here).
        """
        values = np.zeros((len(papers), 2))
        if candidates is None:
            for i, paper in enumerate(papers):
                values[i] = rule_features(topic, paper)
        else:
            for i, found in candidates.items():
                values[i] = found.features()
        return sparse.hstack([words, sparse.csr_matrix(values)], format="csr")

    def probabilities(self, papers: list[Paper], candidates: dict[str, object] | None = None,
                      kept: dict | None = None) -> tuple[dict[str, np.ndarray], object]:
        """Each modelled topic's probability for each paper, in order, and the papers' word vectors.

        ``candidates``: for each topic, position → the ``topics.Evidence`` of the papers holding
        one of its keywords (``list_topics`` weighs it): the rule features of the others are zero.
        ``kept``: where papers' vectors are kept between selections (``topics.TextIndex.vectors``).
        """
        vectors = (kept if kept is not None else {}).setdefault(self._vocabulary, _Vectors(self._vectorizer))
        words = vectors.of(papers)
        found = {}
        for slug, model in self._models.items():
            chosen = None if candidates is None else (candidates.get(slug) or {})
            found[slug] = model.predict_proba(self._features(words, self.topics[slug], papers, chosen))[:, 1]
        return found, words

    def decide(self, probabilities: dict[str, np.ndarray], count: int,
               ruled: dict[str, set[int]] | None = None) -> dict[str, set[int]]:
        """Each modelled topic → the positions of the papers it lists (at most ``MOST`` topics a paper).

        ``ruled``: for each topic, the positions its rules match: those need ``LISTED``, others ``ALONE``.
        """
        ruled = ruled or {}
        slugs = sorted(probabilities)
        listed: dict[str, set[int]] = {slug: set() for slug in slugs}
        if not slugs or not count:
            return listed
        table = np.vstack([probabilities[slug] for slug in slugs]).T  # papers × topics
        for i, row in enumerate(table):
            order = sorted(range(len(slugs)), key=lambda j: (-row[j], slugs[j]))
            chosen = [j for j in order if row[j] >= (LISTED if i in ruled.get(slugs[j], ()) else ALONE)][:MOST]
            if not chosen and row[order[0]] >= FALLBACK:
                chosen = order[:1]
            for j in chosen:
                listed[slugs[j]].add(i)
        return listed

    def why(self, slug: str, words, positions: list[int], probabilities: np.ndarray) -> dict[int, str]:
        """Position → ``resembles papers curators chose for it (4 of the 10 closest; model 0.97)``."""
        if not positions:
            return {}
        similar = (words[positions] @ self._examples.T).toarray()  # one product for all of them
        said = {}
        for row, position in zip(similar, positions):
            closest = np.argsort(-row, kind="stable")[:NEIGHBOURS]
            chosen = int(self._positives[slug][closest].sum())
            said[position] = (f"{MODEL_REASON} for it ({chosen} of the {NEIGHBOURS} closest; "
                              f"model {float(probabilities[position]):.2f})")
        return said


def gold_examples(gold) -> list[Example]:
    return [Example(g.paper(), set(g.topics)) for g in gold]


def curated_examples(topics, papers: list[Paper], curated: dict[str, list[str]]) -> list[Example]:
    """Include, exclude and ``curation.topics``: examples for the topics they name only."""
    by_id = {p.id: p for p in papers}
    found: dict[str, Example] = {}
    for topic in topics:
        for pid, belongs in [*((i, True) for i in topic.include), *((i, False) for i in topic.exclude)]:
            if pid in by_id:
                example = found.setdefault(pid, Example(by_id[pid], set(), set()))
                example.known.add(topic.slug)
                if belongs:
                    example.topics.add(topic.slug)
    for pid, slugs in curated.items():
        if pid in by_id:
            example = found.setdefault(pid, Example(by_id[pid], set(), set()))
            example.known.update(slugs)
            example.topics.update(slugs)
    return [found[pid] for pid in sorted(found)]


def train(topics, gold, papers: list[Paper] = (), curated: dict[str, list[str]] | None = None,
          trained_on: str = "") -> TopicModel | None:
    """The model of the gold set and the curators' choices in the archive; None without a gold set."""
    if not gold:
        return None
    gold_ids = {g.id for g in gold}
    extra = [e for e in curated_examples(topics, list(papers), curated or {}) if e.paper.id not in gold_ids]
    described = trained_on or f"trained on {len(gold)} gold papers and {len(extra)} curator choices"
    return TopicModel(topics, gold_examples(gold) + extra, described)
