"""Related papers: the most similar papers in the archive by title and abstract.

TF-IDF vectors (scikit-learn) compared by cosine similarity, computed once
per build. The rows are L2-normalised, so a similarity is a dot product of
two rows. Every pair is compared (an exact answer, no approximate index), by
sparse-dot-topn, which keeps only each row's best scores while it
multiplies: scipy's own product would first build the whole dense-ish
papers x papers matrix, about three times slower at 30,000 papers (see
benchmarks/related.py). Only papers at least ``RELATED_FLOOR`` similar are
listed (benchmarks/related_floor.py measures where it sits).
"""
from __future__ import annotations

import os

from sparse_dot_topn import sp_matmul_topn

from generator.archive.models import Paper
from generator.archive.vectors import paper_text, vectorizer

RELATED_COUNT = 5
# The least cosine similarity at which a paper is listed as related: below it,
# a page says that no paper is close yet (on a small archive most are not).
# Measured on the 2,872 real cs.DC dev papers, 570 of them in the topics gold
# set, by `.venv/bin/python benchmarks/related_floor.py`: of the top-5 related
# pairs whose two papers are labelled, the share sharing a gold topic is 28% at
# 0.05-0.08, 53% at 0.08-0.10, 62% at 0.10-0.12, then 78% at 0.12-0.14, 86% at
# 0.14-0.16 and 90%+ above (two labelled papers at random: 14%). Read, the
# pairs under 0.12 are mostly loose (a blockchain framework beside private
# federated learning), those above mostly one subject. At 0.12, 13% of the dev
# papers list none (median best match 0.170), and 87% of the kept judged pairs
# share a topic. Scores on a small archive run lower (its words' weights come
# from fewer papers): its pages list fewer, which is the intent.
RELATED_FLOOR = 0.12


def related_papers(papers: list[Paper], count: int = RELATED_COUNT,
                   floor: float = RELATED_FLOOR) -> dict[str, list[Paper]]:
    """Each paper's id → the ``count`` most similar other papers, most similar first.

    Only papers at least ``floor`` similar are listed, so a paper may have
    none; equal scores are listed by arXiv id, and the same archive gives the same lists.
    """
    return {paper_id: [other for score, other in ranked if score >= floor]
            for paper_id, ranked in related_scores(papers, count).items()}


def related_scores(papers: list[Paper], count: int = RELATED_COUNT) -> dict[str, list[tuple[float, Paper]]]:
    """Each paper's id → its ``count`` most similar other papers with their cosine similarity, no floor.

    Papers that share no significant word are never listed."""
    ordered = sorted(papers, key=lambda p: p.id)
    result: dict[str, list[tuple[float, Paper]]] = {p.id: [] for p in ordered}
    if len(ordered) < 2:
        return result
    try:
        # In a handful of papers, a word two of them share is in "half the archive".
        fitted = vectorizer().set_params(max_df=0.5 if len(ordered) >= 10 else 1.0)
        matrix = fitted.fit_transform(paper_text(p) for p in ordered)
    except ValueError:  # no word of any paper is left (empty, or only stop words)
        return result
    # One more than asked: a paper is its own best match.
    scores = sp_matmul_topn(matrix, matrix.T.tocsr(), top_n=count + 1, threshold=0.0,
                            n_threads=os.cpu_count() or 1).tocsr()
    for row, paper in enumerate(ordered):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        ranked = sorted(((-float(s), int(c)) for s, c in zip(scores.data[start:end], scores.indices[start:end])
                         if c != row))
        result[paper.id] = [(-score, ordered[c]) for score, c in ranked[:count]]
    return result
