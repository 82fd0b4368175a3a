"""Related papers: the most similar papers in the archive by title and abstract.

TF-IDF vectors (scikit-learn) compared by cosine similarity, computed once
per build. The rows are L2-normalised, so a similarity is a dot product of
two rows. Every pair is compared (an exact answer, no approximate index), by
sparse-dot-topn, which keeps only each row's best scores while it
multiplies: scipy's own product would first build the whole dense-ish
papers x papers matrix, about three times slower at 30,000 papers (see
benchmarks/related.py).
"""
from __future__ import annotations

import os

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

from generator.latex import plain_text
from generator.models import Paper

RELATED_COUNT = 5


def paper_text(paper: Paper) -> str:
    # The title twice: its words say more about the paper than most of the abstract's.
    title = plain_text(paper.title)
    return f"{title}\n{title}\n{paper.abstract}"


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words="english", sublinear_tf=True, dtype=np.float32,
        # Words in over half the archive ("distributed", "system") tell papers apart poorly.
        max_df=0.5,
        # Words of letters (digits allowed after the first): numbers alone are noise here.
        token_pattern=r"(?u)\b[^\W\d_][\w-]*[^\W_]\b",
    )


def related_papers(papers: list[Paper], count: int = RELATED_COUNT) -> dict[str, list[Paper]]:
    """Each paper's id → the ``count`` most similar other papers, most similar first.

    Papers that share no significant word are never listed as related; equal
    scores are listed by arXiv id, and the same archive gives the same lists.
    """
    ordered = sorted(papers, key=lambda p: p.id)
    result: dict[str, list[Paper]] = {p.id: [] for p in ordered}
    if len(ordered) < 2:
        return result
    try:
        # In a handful of papers, a word two of them share is in "half the archive".
        vectorizer = _vectorizer().set_params(max_df=0.5 if len(ordered) >= 10 else 1.0)
        matrix = vectorizer.fit_transform(paper_text(p) for p in ordered)
    except ValueError:  # no word of any paper is left (empty, or only stop words)
        return result
    # One more than asked: a paper is its own best match.
    scores = sp_matmul_topn(matrix, matrix.T.tocsr(), top_n=count + 1, threshold=0.0,
                            n_threads=os.cpu_count() or 1).tocsr()
    for row, paper in enumerate(ordered):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        ranked = sorted(((-float(s), int(c)) for s, c in zip(scores.data[start:end], scores.indices[start:end])
                         if c != row))
        result[paper.id] = [ordered[c] for _, c in ranked[:count]]
    return result
