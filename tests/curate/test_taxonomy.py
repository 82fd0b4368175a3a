"""The shipped taxonomy (content/topics) and its model: how right it is, and how it spreads papers.

Quality is measured on the gold set's held-out part (``gold/topics.yml``,
which the repository keeps): the rules were tuned on the other part and the
model learns from it alone there. Spread is measured on the sample archive,
the 80 pith papers and the 2,872 real cs.DC papers of ``../shared/real``
(beside the clone in CI; skipped where absent): papers in some topic, topics
a paper. The figures: ``python tests/curate/test_taxonomy.py``.
"""
import gzip
import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from conftest import REPO  # noqa: E402
from generator.archive.models import Paper  # noqa: E402
from generator.archive.store import Archive, paper_from_text  # noqa: E402
from generator.curate.evaluate import measure  # noqa: E402
from generator.curate.gold import GOLD_FILE, load_gold  # noqa: E402
from generator.curate.listing import list_topics  # noqa: E402
from generator.curate.model import train  # noqa: E402
from generator.curate.topics import load_topics  # noqa: E402
from pith import LISTING, pith_papers  # noqa: E402

DEV = REPO.parent / "shared" / "real" / "csdc-dev.jsonl.gz"
COVERED = 0.90  # at least this share of papers is in some topic
PER_PAPER = 2.0  # topics a paper, on average, at most (the 2,872 dev papers; 2.5 on the small sets)
MOST = 4  # topics any one paper is in, at most
# The held-out figures the shipped taxonomy keeps (docs/curating.md); a change that loses them fails.
PRECISION, RECALL = 0.80, 0.76  # now 0.84 and 0.81 on 892 papers (docs/curating.md, "How right the topics are")


def shipped_topics():
    topics, problems = load_topics(REPO / "content")
    assert problems == []
    return topics


def sample_papers():
    return [paper_from_text(p.read_text(encoding="utf-8"), str(p)) for p in Archive(REPO / "content").paths()]


@lru_cache(maxsize=1)
def shipped_model():
    return train(shipped_topics(), load_gold(REPO / GOLD_FILE))


def spread(papers):
    """(share of papers in some topic, topics a paper on average, the most topics of one paper)."""
    listings = list_topics(shipped_topics(), papers, model=shipped_model())
    counts = {p.id: 0 for p in papers}
    for listing in listings:
        for entry in listing.entries:
            counts[entry.paper.id] += 1
    return (sum(1 for c in counts.values() if c) / len(papers), sum(counts.values()) / len(papers),
            max(counts.values()))


def dev_papers() -> list[Paper]:
    papers = []
    with gzip.open(DEV, "rt", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            papers.append(Paper(id=r["id"], version=r.get("version", 1), title=r["title"], authors=[],
                                published=r.get("published") or r.get("listed") or "", updated="",
                                primary_category=r["categories"][0], categories=r["categories"],
                                abstract=r["abstract"]))
    return papers


def papers_of(which):
    if which in ("pith", "dev"):
        path = LISTING if which == "pith" else DEV
        if not path.exists():
            pytest.skip(f"{path} is not here (CI has ../shared beside the clone)")
        return pith_papers() if which == "pith" else dev_papers()
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


@pytest.mark.parametrize("which", ["sample", "pith", "dev"])
def test_most_papers_are_in_some_topic_few_in_many(which):
    papers = papers_of(which)
    covered, per_paper, most = spread(papers)
    assert covered >= COVERED
    assert per_paper <= (PER_PAPER if which == "dev" else 2.5)
    assert most <= MOST


def test_the_held_out_figures_hold():
    measured = measure(shipped_topics(), load_gold(REPO / GOLD_FILE))
    assert measured.papers >= 150
    assert measured.overall.precision >= PRECISION and measured.overall.recall >= RECALL


def test_the_gold_set_spans_every_topic_and_papers_in_none():
    gold = load_gold(REPO / GOLD_FILE, {t.slug for t in shipped_topics()})
    assert len(gold) >= 500
    assert {slug for g in gold for slug in g.topics} == {t.slug for t in shipped_topics()}
    assert sum(1 for g in gold if not g.topics) >= 20


def main():
    for which in ("sample", "pith", "dev"):
        papers = {"sample": sample_papers, "pith": pith_papers, "dev": dev_papers}[which]()
        covered, per_paper, most = spread(papers)
        print(f"{which}: {len(papers)} papers, {covered:.0%} in some topic, {per_paper:.2f} topics a paper, "
              f"at most {most}")


if __name__ == "__main__":
    main()


def test_the_second_opinion_labels_gold_papers_with_known_topics_and_agreement_is_scored():
    from benchmarks.gold_agreement import agreement, second_opinion

    gold = {g.id: set(g.topics) for g in load_gold(REPO / "gold" / "topics.yml")}
    second = second_opinion()
    slugs = {t.slug for t in shipped_topics()}
    assert len(second) >= 200 and set(second) <= set(gold)
    assert set().union(*second.values()) <= slugs
    both, second_only, gold_only = agreement(gold, second)["overall"]
    assert both > 4 * (second_only + gold_only)  # two curators by one standard agree far more than not
    assert agreement({"1": {"a", "b"}}, {"1": {"b", "c"}})["overall"] == [1, 1, 1]


def test_gold_views_read_the_listings_back_from_an_evaluation_and_score_them_against_another_curator():
    from types import SimpleNamespace as NS

    from benchmarks.gold_views import listings, scored

    gold = {"1": {"a", "b"}, "2": {"c"}, "3": set()}
    evaluation = NS(missed=[NS(id="1", slug="b")], wrong=[NS(id="2", slug="a"), NS(id="3", slug="c")])
    listed = listings(evaluation, gold)
    assert listed == {"1": {"a"}, "2": {"a", "c"}, "3": {"c"}}
    assert gold["1"] == {"a", "b"}  # the gold set itself is left alone
    p, r, f1, per, labels = scored(listed, gold)
    assert (round(p, 2), round(r, 2), per, labels) == (0.5, 0.67, 4 / 3, 1.0)
    generous = {"1": {"a", "b"}, "2": {"a", "c"}}  # another curator, on two of the papers
    assert scored(listed, generous)[:2] == (1.0, 0.75)


def test_the_third_opinion_labels_held_out_gold_papers_none_of_the_second_opinions():
    from benchmarks.gold_agreement import agreement, second_opinion
    from benchmarks.gold_views import THIRD

    gold = {g.id: g for g in load_gold(REPO / "gold" / "topics.yml")}
    third = second_opinion(THIRD)
    assert len(third) == 300 and set(third) <= set(gold)
    assert {gold[pid].part for pid in third} == {"held-out"}  # the tune part's model never saw them
    assert not set(third) & set(second_opinion())
    assert set().union(*third.values()) <= {t.slug for t in shipped_topics()}
    both, third_only, gold_only = agreement({pid: set(g.topics) for pid, g in gold.items()}, third)["overall"]
    assert both > 4 * (third_only + gold_only)
