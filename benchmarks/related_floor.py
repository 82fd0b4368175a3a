"""Where the related papers' similarity floor should sit, measured on real papers (not part of `make test`).

Reads the 2,872 real cs.DC dev papers (../shared/real/csdc-dev.jsonl.gz, beside
the repository) and the topics gold set (gold/topics.yml: 570 of them labelled).
For every paper, its RELATED_COUNT best matches with no floor (generator.site.related.related_scores);
then, by similarity level:

- how many listed pairs there are, and how many papers' best match is at that level;
- of the pairs whose paper has a gold topic and whose match is labelled too,
  the share that share a topic ("really close"), against the share for two
  labelled papers picked at random (what noise scores).

    .venv/bin/python benchmarks/related_floor.py [--papers PATH] [--gold PATH]

Skips (exit 0, a message) when the real papers are not there.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.archive.models import Author, Paper  # noqa: E402
from generator.site.related import RELATED_FLOOR, related_scores  # noqa: E402

EDGES = [0.0, 0.05, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.25, 0.30, 0.40, 1.01]


def load(path: Path) -> list[Paper]:
    papers = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            papers.append(Paper(id=row["id"], version=row.get("version") or 1, title=row["title"],
                                authors=[Author(name, []) for name in row.get("authors") or []],
                                published=row.get("published") or "", updated=row.get("updated") or "",
                                primary_category=(row.get("categories") or ["cs.DC"])[0],
                                categories=row.get("categories") or [], abstract=row.get("abstract") or ""))
    return papers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=Path, default=ROOT.parent / "shared" / "real" / "csdc-dev.jsonl.gz")
    parser.add_argument("--gold", type=Path, default=ROOT / "gold" / "topics.yml")
    args = parser.parse_args()
    if not args.papers.exists() or not args.gold.exists():
        print(f"skipped: {args.papers} or {args.gold} is not here")
        return 0
    papers = load(args.papers)
    gold = {str(item["id"]): set(item.get("topics") or []) for item in yaml.safe_load(args.gold.read_text(encoding="utf-8"))}
    scores = related_scores(papers)
    print(f"{len(papers)} papers, {len(gold)} in the gold set "
          f"({sum(1 for t in gold.values() if t)} with a topic); floor now {RELATED_FLOOR}\n")

    best = sorted(ranked[0][0] for ranked in scores.values() if ranked)
    pairs = sorted(score for ranked in scores.values() for score, _ in ranked)
    quantile = lambda values, q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    print("best match of each paper: " + ", ".join(f"p{int(q * 100)} {quantile(best, q):.3f}"
                                                  for q in (0.05, 0.1, 0.25, 0.5, 0.75, 0.9)))
    print("all listed pairs (top 5):  " + ", ".join(f"p{int(q * 100)} {quantile(pairs, q):.3f}"
                                                   for q in (0.05, 0.1, 0.25, 0.5, 0.75, 0.9)) + "\n")

    labelled = [pid for pid, topics in gold.items() if topics]
    rng = random.Random(18)
    chance = sum(bool(gold[a] & gold[b]) for a, b in (rng.sample(labelled, 2) for _ in range(20000))) / 20000
    print(f"two labelled papers at random share a topic: {chance:.0%}\n")
    print(f"{'similarity':>13} {'pairs':>6} {'best':>5} {'judged':>6} {'share a topic':>13}")
    rows = []
    for low, high in zip(EDGES, EDGES[1:]):
        in_bin = [(pid, other.id) for pid, ranked in scores.items() for score, other in ranked if low <= score < high]
        judged = [(a, b) for a, b in in_bin if gold.get(a) and b in gold]
        shared = sum(bool(gold[a] & gold[b]) for a, b in judged)
        bests = sum(1 for value in best if low <= value < high)
        share = shared / len(judged) if judged else float("nan")
        rows.append((low, high, len(in_bin), bests, len(judged), share))
        print(f"{low:5.2f}–{min(high, 1):<5.2f}  {len(in_bin):6d} {bests:5d} {len(judged):6d} {share:12.0%}")
    print("\nat each floor: papers left with no related paper, pairs kept, share of kept judged pairs sharing a topic")
    for floor in EDGES[1:-1]:
        none = sum(1 for ranked in scores.values() if not ranked or ranked[0][0] < floor)
        kept = [(pid, o.id) for pid, ranked in scores.items() for s, o in ranked if s >= floor]
        judged = [(a, b) for a, b in kept if gold.get(a) and b in gold]
        share = sum(bool(gold[a] & gold[b]) for a, b in judged) / len(judged) if judged else float("nan")
        print(f"  {floor:.2f}: {none / len(scores):5.1%} with none, {len(kept):6d} pairs, {share:.0%} share a topic")
    return 0


if __name__ == "__main__":
    sys.exit(main())
