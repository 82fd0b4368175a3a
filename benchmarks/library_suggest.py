"""How good "Papers like your library" is, measured on real papers (not part of `make test`).

Reads the 2,872 real cs.DC dev papers (../shared/real/csdc-dev.jsonl.gz) and the
topics gold set (gold/topics.yml: 950 papers judged, 570 with a topic). Computes
the related papers as a build does (generator.site.related.related_papers: 5 a paper,
above the floor), then for each gold topic with at least 20 papers, TRIALS times:
a reader saves 10 random papers of that topic; the suggestions are scored exactly
as content/assets/library.js scores them (a paper in the related lists of more
saved papers first, then by 1/rank summed, then by id; saved papers left out;
the first 10). Reported, over all trials:

- judged share: of the suggestions the gold set judged, the share with the topic;
- lower bound: of all suggestions, the share the gold set says have the topic
  (an unjudged suggestion counted as wrong);
- chance: a judged paper picked at random has the topic.

    .venv/bin/python benchmarks/library_suggest.py [--papers PATH] [--gold PATH] [--trials N]

Skips (exit 0, a message) when the real papers are not there.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generator.site.related import related_papers  # noqa: E402
from related_floor import load  # noqa: E402

SAVED = 10
SHOWN = 10


def suggest(saved: list[str], related: dict[str, list[str]], limit: int = SHOWN) -> list[str]:
    """library.js's suggest(): by how many saved papers list a paper, then 1/rank summed, then id."""
    chosen = set(saved)
    count, weight = defaultdict(int), defaultdict(float)
    for paper in saved:
        for rank, other in enumerate(related.get(paper, [])):
            if other in chosen:
                continue
            count[other] += 1
            weight[other] += 1 / (rank + 1)
    return sorted(count, key=lambda i: (-count[i], -weight[i], i))[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=Path, default=ROOT.parent / "shared" / "real" / "csdc-dev.jsonl.gz")
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "topics.yml")
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    if not args.papers.exists() or not args.gold.exists():
        print(f"skipped: {args.papers} or {args.gold} is not here")
        return 0
    papers = load(args.papers)
    ids = {p.id for p in papers}
    gold = {str(item["id"]): set(item.get("topics") or [])
            for item in yaml.safe_load(args.gold.read_text(encoding="utf-8")) if str(item["id"]) in ids}
    related = {pid: [p.id for p in others] for pid, others in related_papers(papers).items()}
    by_topic = defaultdict(list)
    for pid, topics in gold.items():
        for topic in topics:
            by_topic[topic].append(pid)
    rng = random.Random(21)
    print(f"{len(papers)} papers, {len(gold)} judged; {args.trials} libraries of {SAVED} a topic, top {SHOWN} suggestions\n")
    print(f"{'topic':36} {'shown':>5} {'judged':>6} {'judged share':>12} {'lower bound':>11} {'chance':>6}")
    totals = [0, 0, 0, 0]  # shown, judged, judged with the topic, trials
    for topic, members in sorted(by_topic.items(), key=lambda kv: -len(kv[1])):
        if len(members) < 20:
            continue
        shown = judged = hits = 0
        for _ in range(args.trials):
            found = suggest(rng.sample(sorted(members), SAVED), related)
            shown += len(found)
            judged += sum(1 for f in found if f in gold)
            hits += sum(1 for f in found if topic in gold.get(f, ()))
        chance = len(members) / len(gold)
        print(f"{topic:36} {shown / args.trials:5.1f} {judged / args.trials:6.1f} {hits / max(judged, 1):12.0%} "
              f"{hits / max(shown, 1):11.0%} {chance:6.0%}")
        totals = [totals[0] + shown, totals[1] + judged, totals[2] + hits, totals[3] + args.trials]
    shown, judged, hits, trials = totals
    print(f"\nall topics: {shown / trials:.1f} suggestions a library, {judged / trials:.1f} judged; "
          f"judged share {hits / judged:.0%}, lower bound {hits / shown:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
