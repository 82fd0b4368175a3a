"""The shipped taxonomy (content/topics) covers cs.DC: the issue's coverage aims, on two sets of papers.

The sample archive (content/papers) and the 80 papers of the pith cs.DC
listing (``../shared/reference``, beside the clone in CI; skipped where it
is absent) go through the same matching code the build uses. The figures:
``python tests/test_taxonomy.py``.
"""
import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from conftest import REPO  # noqa: E402
from generator.store import Archive, paper_from_text  # noqa: E402
from generator.topics import list_topics, load_topics  # noqa: E402
from pith import LISTING, pith_papers  # noqa: E402

COVERED = 0.90  # at least this share of papers is in some topic
LARGEST = 1 / 3  # no topic lists more than this share of the papers


def shipped_topics():
    topics, problems = load_topics(REPO / "content")
    assert problems == []
    return topics


def sample_papers():
    return [paper_from_text(p.read_text(encoding="utf-8"), str(p)) for p in Archive(REPO / "content").paths()]


def coverage(papers):
    """(share of papers in some topic, {slug: share of papers it lists})."""
    listings = list_topics(shipped_topics(), papers)
    listed = {entry.paper.id for listing in listings for entry in listing.entries}
    return len(listed) / len(papers), {l.slug: len(l.entries) / len(papers) for l in listings}


def papers_of(which):
    if which == "pith":
        if not LISTING.exists():
            pytest.skip(f"{LISTING} is not here (CI has ../shared beside the clone)")
        return pith_papers()
    return sample_papers()


def test_the_taxonomy_has_15_to_25_topics_each_with_an_introduction():
    topics = shipped_topics()
    assert 15 <= len(topics) <= 25
    for topic in topics:
        body = (REPO / "content" / topic.src_uri).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert len(body.split()) >= 40, topic.slug  # a paragraph for readers, not a stub
        assert topic.description and topic.rules.keywords, topic.slug


def test_the_worked_example_topic_exists():
    assert "collective-communication" in {t.slug for t in shipped_topics()}


@pytest.mark.parametrize("which", ["sample", "pith"])
def test_most_papers_are_in_some_topic_and_no_topic_lists_a_third(which):
    papers = papers_of(which)
    if which == "pith":
        assert len(papers) == 80
    covered, shares = coverage(papers)
    assert covered >= COVERED
    assert {slug: share for slug, share in shares.items() if share > LARGEST} == {}


def main():
    for which in ("sample", "pith"):
        papers = sample_papers() if which == "sample" else pith_papers()
        covered, shares = coverage(papers)
        largest = max(shares, key=shares.get)
        print(f"{which}: {len(papers)} papers, {covered:.0%} in some topic; largest topic {largest} "
              f"lists {shares[largest]:.0%}")


if __name__ == "__main__":
    main()
