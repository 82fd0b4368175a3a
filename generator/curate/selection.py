"""The revision's topic selection, recomputed only where the change can move it.

Whether a paper is in a topic, and why, depends on the paper, the topic's
``match``/``include``/``exclude`` and the paper's own ``curation.topics``,
nothing else. So at the revision a topic whose selection rules are unchanged
lists exactly the working tree's entries for the unchanged papers plus its
matches among the changed papers' old versions; only a topic whose rules
differ (or that the working tree lacks) is selected over the whole archive
again. ``tests/curate/test_topics_diff_fast.py`` compares this with the full
selection on random changes.
"""
from __future__ import annotations

from heapq import merge

from generator.archive.models import Paper
from generator.curate.listing import TextIndex, list_topics
from generator.curate.review import Curation
from generator.curate.topics import Topic, TopicListing


def _newest_first(entry) -> tuple:
    return (entry.paper.published, entry.paper.id)


def old_listings(topics: list[Topic], working: list[TopicListing], shared: dict[str, Paper],
                 papers: dict[str, Paper], curations: dict[str, Curation],
                 index: TextIndex | None = None, model=None, same_model: bool = True) -> list[TopicListing]:
    """The listings of ``topics`` over ``papers`` (the revision's), reusing ``working`` where they agree.

    ``shared`` holds the papers (by id) that are the same objects on both sides
    with the same curation; every other paper of ``papers`` is the revision's own.
    ``index``: the working tree's texts and words (the shared papers' are reused).
    ``model``: the revision's topic model; unless it is made from the same examples as the
    working tree's (``same_model``), every topic is selected again.
    """
    now = {l.topic.selection_key(): l for l in working}
    curated = {pid: c.topics for pid, c in curations.items() if c.topics}
    changed = [p for pid, p in papers.items() if shared.get(pid) is not p]
    same = [t for t in topics if t.selection_key() in now and same_model]
    reused = {id(t) for t in same}
    redo = [t for t in topics if id(t) not in reused]
    fresh = {id(l.topic): l for l in list_topics(same, changed, curated, index, model)}
    fresh.update({id(l.topic): l for l in list_topics(redo, list(papers.values()), curated, index, model)})
    result = []
    for topic in topics:
        listing = fresh[id(topic)]
        if id(topic) in reused:
            kept = now[topic.selection_key()]
            listing = TopicListing(topic, _merged(kept.entries, listing.entries, shared),
                                   _merged(kept.excluded, listing.excluded, shared))
        result.append(listing)
    return result


def _merged(kept, changed, shared) -> list:
    """The working tree's entries for shared papers and the changed papers' own, newest first."""
    ours = [e for e in kept if shared.get(e.paper.id) is e.paper]
    return list(merge(ours, changed, key=_newest_first, reverse=True))
