"""The topics as other curators would judge them: the shipped model's cross-validated listings
scored against the gold set, a blind second opinion, both together, and any other labels.

Curators differ in how readily they add a topic a paper is also about (its problem setting,
the system it studies): the gold set gives 1.64 topics a paper, its second opinion 1.47, the
third 1.68, and the issue that asked for the gold set found 1.7. A selection tuned to one curator can look
worse to another, so this scores one set of listings (``topics --evaluate --part all``: each
gold paper listed by a model of the other four fifths) against each view:

- the gold set itself (``gold/topics.yml``);
- the second opinion (``gold/second-opinion.tsv``), on the papers it covers;
- the union of the two on those papers, a more generous curator;
- the third opinion (``gold/third-opinion.tsv``): 300 held-out papers labelled blind by the
  standard as it reads now;
- ``--against FILE``: another labelling of the same papers, e.g. the gold set of an earlier
  commit (``git show REV:gold/topics.yml > /tmp/gold.yml``).

    .venv/bin/python benchmarks/gold_views.py [--part held-out] [--against FILE]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.gold_agreement import second_opinion  # noqa: E402
from generator.curate.evaluate import TopicScore, measure  # noqa: E402
from generator.curate.gold import load_gold  # noqa: E402
from generator.curate.topics import load_topics  # noqa: E402

THIRD = REPO / "gold" / "third-opinion.tsv"


def listings(evaluation, gold: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each paper's listed topics, read back from an evaluation: its gold topics less those
    missed, plus those listed wrongly."""
    listed = {pid: set(topics) for pid, topics in gold.items()}
    for m in evaluation.missed:
        listed[m.id].discard(m.slug)
    for w in evaluation.wrong:
        listed[w.id].add(w.slug)
    return listed


def scored(listed: dict[str, set[str]], truth: dict[str, set[str]]) -> tuple[float, float, float, float, float]:
    """Precision, recall, F1, topics listed a paper and labelled a paper, over ``truth``'s papers."""
    score = TopicScore("overall", "", sum(len(listed[p] & t) for p, t in truth.items()),
                       sum(len(listed[p] - t) for p, t in truth.items()), sum(len(t - listed[p]) for p, t in truth.items()))
    n = max(len(truth), 1)
    return (score.precision or 0.0, score.recall or 0.0, score.f1 or 0.0,
            (score.tp + score.fp) / n, (score.tp + score.fn) / n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="another labelling of the gold papers (gold/topics.yml's format)")
    parser.add_argument("--part", choices=["all", "held-out"], default="all",
                        help="all: 5-fold cross-validation on the whole gold set; held-out: the held-out part, "
                             "listed by a model of the tune part (topics --evaluate)")
    args = parser.parse_args()
    topics, _ = load_topics(REPO / "content")
    slugs = {t.slug for t in topics}
    papers = load_gold(REPO / "gold" / "topics.yml", slugs)
    gold = {g.id: set(g.topics) for g in papers if args.part == "all" or g.part == args.part}
    listed = listings(measure(topics, papers, args.part), gold)
    second = {pid: said for pid, said in second_opinion().items() if pid in gold}
    third = {pid: said for pid, said in second_opinion(THIRD).items() if pid in gold}
    views = [("the gold set", gold), ("the second opinion", second),
             ("gold set or second opinion", {pid: gold[pid] | said for pid, said in second.items()}),
             ("the third opinion", third)]
    if args.against:
        other = {g.id: set(g.topics) for g in load_gold(args.against, slugs) if g.id in gold}
        views.append((f"{args.against.name}", other))
    how = {"all": "5-fold cross-validation on the whole gold set",
           "held-out": "the held-out part, listed by a model of the tune part"}[args.part]
    print(f"{how}, scored against each view (on the papers it labels):")
    print(f"{'view':34} {'papers':>6} {'precision':>9} {'recall':>7} {'F1':>5} {'listed':>6} {'labels':>6}")
    for name, truth in views:
        p, r, f1, per, labels = scored(listed, truth)
        print(f"{name:34} {len(truth):6} {p:9.2f} {r:7.2f} {f1:5.2f} {per:6.2f} {labels:6.2f}")


if __name__ == "__main__":
    main()
