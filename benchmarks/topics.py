"""How long topic matching takes at archive scale (not part of `make test`).

Makes N papers (default 30,000) from real cs.DC texts — the sample
archive's and, when ``../shared`` is beside the clone, the pith listing's —
each with its own id and date, and times ``list_topics`` (what the build and
``check`` run) with the topics in a directory (default: the shipped
``content/topics``), plus the build's reading of the topic files, which
renders and checks each introduction.

    .venv/bin/python benchmarks/topics.py [N] [TOPICS_DIR]
"""
from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from generator.store import Archive, paper_from_text  # noqa: E402
from generator.topics import list_topics, load_topics  # noqa: E402
from pith import LISTING, pith_papers  # noqa: E402


def papers(count: int) -> list:
    texts = [paper_from_text(p.read_text(encoding="utf-8"), str(p)) for p in Archive(REPO / "content").paths()]
    texts += pith_papers() if LISTING.exists() else []
    return [dataclasses.replace(texts[i % len(texts)], id=f"{2000 + i // 90000}.{i % 90000:05d}",
                                published=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00Z") for i in range(count)]


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 30_000
    directory = Path(argv[1]) if len(argv) > 1 else REPO / "content"
    start = time.perf_counter()
    topics, problems = load_topics(directory)
    loaded = time.perf_counter() - start
    assert not problems, problems
    archive = papers(count)
    start = time.perf_counter()
    listings = list_topics(topics, archive)
    matched = time.perf_counter() - start
    listed = len({e.paper.id for listing in listings for e in listing.entries})
    print(f"{len(topics)} topics, {count:,} papers: reading the topic files {loaded * 1000:.0f} ms, "
          f"matching {matched:.2f} s; {listed / count:.0%} of papers in some topic")


if __name__ == "__main__":
    main(sys.argv[1:])
