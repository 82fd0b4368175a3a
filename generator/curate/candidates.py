"""Candidates: the papers most like a topic's own that it does not list.

Each paper is a TF-IDF vector (the related-papers vectoriser); a topic's
centroid is the mean of its papers' rows, and the candidates are the unlisted
papers nearest to it by cosine. One fit serves every topic.
"""
from __future__ import annotations

import numpy as np

from generator.archive.models import Paper
from generator.archive.vectors import paper_text, vectorizer
from generator.curate.topics import TopicListing


class CandidateFinder:
    def __init__(self, papers: list[Paper]):
        self.papers = sorted(papers, key=lambda p: p.id)
        self.row = {p.id: i for i, p in enumerate(self.papers)}
        self.matrix = None
        if len(self.papers) >= 2:
            try:
                fitted = vectorizer().set_params(max_df=0.5 if len(self.papers) >= 10 else 1.0)
                self.matrix = fitted.fit_transform(paper_text(p) for p in self.papers).tocsr()
            except ValueError:  # no word left in any paper
                self.matrix = None

    def for_listing(self, listing: TopicListing, count: int) -> list[tuple[Paper, float]]:
        """Up to ``count`` (paper, similarity) pairs, most similar first; excluded papers are never suggested."""
        if self.matrix is None or not listing.entries or count <= 0:
            return []
        rows = [self.row[e.paper.id] for e in listing.entries if e.paper.id in self.row]
        centroid = np.asarray(self.matrix[rows].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if not norm:
            return []
        scores = self.matrix @ (centroid / norm)
        skip = set(rows) | {self.row[i] for i in listing.topic.exclude if i in self.row}
        scores[list(skip)] = -1.0
        best = np.argsort(-scores, kind="stable")[:count + len(skip)]
        return [(self.papers[i], float(scores[i])) for i in best if scores[i] > 0][:count]
