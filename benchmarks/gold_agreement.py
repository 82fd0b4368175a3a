"""How far two curators agree on the topics: the gold set against a blind second opinion.

``gold/second-opinion.tsv`` holds papers of the gold set labelled again, without
seeing the gold labels, by the same standard (CONTRIBUTING.md). Scored as the
topics are (``topics --evaluate``): the second opinion's labels as listings,
the gold set's as the truth. It is the ceiling to read the topics' own figures
against: a selection cannot be expected to agree with a curator better than
another curator does.

    .venv/bin/python benchmarks/gold_agreement.py [gold/third-opinion.tsv]

``gold/third-opinion.tsv`` is another: 300 held-out papers labelled blind by the standard as
CONTRIBUTING.md states it after the gold set's second look (the second opinion is older).
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.curate.gold import load_gold  # noqa: E402

SECOND = REPO / "gold" / "second-opinion.tsv"


def second_opinion(path: Path = SECOND) -> dict[str, set[str]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pid, topics, *_ = line.split("\t") + [""]
            found[pid.strip()] = {t.strip() for t in topics.split(",") if t.strip()}
    return found


def agreement(gold: dict[str, set[str]], second: dict[str, set[str]]) -> dict[str, list[int]]:
    """Topic → [both, second only, gold only] over the papers in both ("overall" too)."""
    counts: dict[str, list[int]] = {"overall": [0, 0, 0]}
    for pid, said in second.items():
        truth = gold[pid]
        for slug, k in [*((s, 0) for s in said & truth), *((s, 1) for s in said - truth), *((s, 2) for s in truth - said)]:
            for key in (slug, "overall"):
                counts.setdefault(key, [0, 0, 0])[k] += 1
    return counts


def main() -> None:
    # Another opinion's file: gold/third-opinion.tsv was labelled by the standard as it reads now.
    second = second_opinion(Path(sys.argv[1]) if len(sys.argv) > 1 else SECOND)
    gold = {g.id: set(g.topics) for g in load_gold(REPO / "gold" / "topics.yml")}
    same = sum(1 for pid, said in second.items() if gold[pid] == said)
    print(f"{len(second)} papers labelled twice; the same topics for {same / len(second):.0%} of them")
    print(f"{'topic':40} {'precision':>9} {'recall':>7} {'F1':>5} {'both':>5}")
    counts = agreement(gold, second)
    for slug in sorted(counts, key=lambda s: (s == "overall", s)):
        both, second_only, gold_only = counts[slug]
        p, r = both / max(both + second_only, 1), both / max(both + gold_only, 1)
        print(f"{slug:40} {p:9.2f} {r:7.2f} {2 * p * r / max(p + r, 1e-9):5.2f} {both:5}")


if __name__ == "__main__":
    main()
