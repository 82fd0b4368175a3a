"""`topics --diff`'s shortcuts give the full selection's answer.

The revision's listings reuse the working tree's entries for unchanged papers
and unchanged topics (generator/curate/selection.py), and ``list_topics``
tests only papers holding a topic's anchor words: random archives and random
changes, compared with a plain loop over every paper and topic.
"""
from __future__ import annotations

import random

import pytest

from generator.archive.models import Author
from generator.curate.listing import list_topics
from generator.curate.review import Curation
from generator.curate.rules import MatchRules
from generator.curate.selection import old_listings
from generator.curate.topics import CURATED, INCLUDED, Topic
from test_store import make_paper

WORDS = ["gossip", "raft", "consensus", "gpu", "kv", "cache", "serving", "edge", "mpi", "rdma", "ai", "stream"]
KEYWORDS = ["gossip", "raft", "kv cache", "gpu", "mpi", "edge ai", "rdma", "stream", "serving", "c++", "--"]
AUTHORS = ["Ada", "Bob", "Cy"]


def _paper(rng, n):
    text = " ".join(rng.choice(WORDS + ["kv-cache", "GPU,", "the"]) for _ in range(rng.randint(0, 8)))
    return make_paper(id=f"2606.{n:05d}", published=f"2026-06-{rng.randint(1, 28):02d}T10:00:00Z",
                      title=f"Paper {n} {rng.choice(WORDS)}", abstract=text,
                      authors=[Author(a, []) for a in rng.sample(AUTHORS, rng.randint(1, 2))],
                      categories=rng.sample(["cs.DC", "cs.LG", "cs.NI"], rng.randint(1, 2)))


def _topic(rng, slug, ids):
    rules = MatchRules(keywords=rng.sample(KEYWORDS, rng.randint(0, 3)),
                       categories=rng.sample(["cs.LG", "cs.NI"], rng.randint(0, 1)),
                       authors=rng.sample(AUTHORS, rng.randint(0, 1)))
    return Topic(slug, slug.title(), rules=rules, include=rng.sample(ids, min(len(ids), rng.randint(0, 2))),
                 exclude=rng.sample(ids, min(len(ids), rng.randint(0, 2))))


def _curations(rng, papers, slugs):
    return {p.id: Curation(topics=rng.sample(slugs, rng.randint(1, 2))) for p in papers if rng.random() < 0.2}


def _plain(topics, papers, curations):
    """Every topic against every paper, no shortcut: what the listings must equal."""
    result = []
    for topic in topics:
        rows = []
        for p in sorted(papers, key=lambda p: (p.published, p.id), reverse=True):
            reasons = [r for r in (topic.rules.explain(p), INCLUDED if p.id in topic.include else None,
                                   CURATED if topic.slug in curations.get(p.id, Curation()).topics else None) if r]
            if reasons:
                rows.append((p.id in topic.exclude, p.id, reasons))
        result.append((topic.slug, [r[1:] for r in rows if not r[0]], [r[1:] for r in rows if r[0]]))
    return result


def _shape(listings):
    return [(l.slug, [(e.paper.id, e.reasons) for e in l.entries], [(e.paper.id, e.reasons) for e in l.excluded])
            for l in listings]


@pytest.mark.parametrize("seed", range(40))
def test_revision_listings_reused_from_the_working_tree_equal_a_full_selection(seed):
    rng = random.Random(seed)
    papers = [_paper(rng, n) for n in range(rng.randint(0, 40))]
    ids = [p.id for p in papers] + ["2606.99999"]
    slugs = ["alpha", "beta", "gamma", "delta"]
    topics = [_topic(rng, s, ids) for s in slugs]
    curations = _curations(rng, papers, slugs)
    working = list_topics(topics, papers, {pid: c.topics for pid, c in curations.items()})
    assert _shape(working) == _plain(topics, papers, curations)

    # The revision: some papers differ (edited, absent, only there), some topics' rules differ.
    old_papers, shared = {}, {}
    for p in papers:
        roll = rng.random()
        if roll < 0.15:
            old_papers[p.id] = _paper(rng, int(p.id.split(".")[1]))  # edited since
        elif roll > 0.1 + 0.85:
            continue  # added since
        else:
            old_papers[p.id] = shared[p.id] = p
    for n in range(100, 100 + rng.randint(0, 4)):  # deleted since
        old_papers[f"2606.{n:05d}"] = _paper(rng, n)
    old_topics = [t if rng.random() < 0.6 else _topic(rng, t.slug, ids) for t in topics if rng.random() < 0.9]
    if rng.random() < 0.5:
        old_topics.append(_topic(rng, "epsilon", ids))
    old_curations = {pid: c for pid, c in curations.items() if pid in shared}
    old_curations.update(_curations(rng, [p for pid, p in old_papers.items() if pid not in shared],
                                    [t.slug for t in old_topics] + ["zeta"]))

    fast = old_listings(old_topics, working, shared, old_papers, old_curations)
    assert _shape(fast) == _plain(old_topics, list(old_papers.values()), old_curations)


# Keywords that take every path of listing._keyword_matches_of: one whole word, several words,
# punctuation, no word characters, blank, an underscore, non-ASCII, repeated, any case.
ODD_KEYWORDS = ["gossip", "GPU", "kv cache", "kv-cache", "c++", "--", "", "  ", "edge  ai", "kv_cache",
                "façade", "naïve gossip", "gpu", "Raft", "ai.", "rdma/mpi"]
ODD_WORDS = ["gossip", "GPU,", "kv", "cache", "kv-cache", "kv_cache", "c++", "--", "edge", "AI", "ai.",
             "façade", "Façade-x", "naïve", "raft", "rdma/mpi", "mpi", "the", "gossips"]


@pytest.mark.parametrize("seed", range(60))
def test_the_keyword_index_selects_exactly_what_explain_says_paper_by_paper(seed):
    rng = random.Random(1000 + seed)
    papers = []
    for n in range(rng.randint(0, 40)):
        paper = _paper(rng, n)
        paper.abstract = " ".join(rng.choice(ODD_WORDS) for _ in range(rng.randint(0, 10)))
        papers.append(paper)
    ids = [p.id for p in papers]
    topics = []
    for slug in ["alpha", "beta", "gamma", "delta", "epsilon"]:
        topic = _topic(rng, slug, ids)
        topic.rules = MatchRules(keywords=rng.sample(ODD_KEYWORDS, rng.randint(0, 4)) * rng.randint(1, 2),
                                 categories=topic.rules.categories, authors=topic.rules.authors)
        topics.append(topic)
    curations = _curations(rng, papers, [t.slug for t in topics])
    assert _shape(list_topics(topics, papers, {pid: c.topics for pid, c in curations.items()})) == \
        _plain(topics, papers, curations)
