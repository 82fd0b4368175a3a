"""How long the build's reader extras take at archive scale (not part of `make test`).

Makes N synthetic papers in memory (default 30,000) whose texts vary the way
an archive's do: each mixes a few of many topics, each topic with its own
vocabulary over a long-tailed background, plus real words and numbers. Then
times what generator/site/extras.py adds to a build: related papers, BibTeX keys,
the feed and the month .bib files, and for every paper its key result,
BibTeX entry and head metadata. (No site is built: MkDocs' own time per page
is the same with or without these.)

    .venv/bin/python benchmarks/related.py [N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.archive.models import Author, Paper  # noqa: E402
from generator.config import Settings  # noqa: E402
from generator.site.bibtex import bibtex_keys  # noqa: E402
from generator.site.extras import Extras  # noqa: E402
from generator.site.related import related_papers  # noqa: E402
from generator.site.render import Renderer  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "xe", "zu", "bra", "cle", "dri", "fro",
             "gla", "pre", "qui", "ste", "tra", "ver", "on", "al", "ic", "ex", "um", "ia"]
COMMON = ("we propose a novel system for the of and in to that with on is by our this which "
          "results show achieves improves reduces compared baseline performance latency throughput "
          "scalable distributed parallel cluster GPU training inference memory communication").split()
CLAIMS = ["achieves up to {x}x speedup over {w}", "reduces latency by {p}%", "improves throughput by {p}%",
          "is {x}$\\times$ faster than {w}", "cuts memory use by {p}\\%"]


def vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES, rng.integers(2, 5))))
    return sorted(words)


def synthetic_papers(n: int, seed: int = 7) -> list[Paper]:
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary(rng, 40_000))
    background = 1 / np.arange(1, len(vocab) + 1) ** 1.1  # Zipf: a long tail of rare words
    background /= background.sum()
    topics = [rng.choice(len(vocab), 200, replace=False) for _ in range(400)]
    papers = []
    for i in range(n):
        mix = rng.choice(len(topics), rng.integers(1, 4), replace=False)
        topic_words = np.concatenate([topics[t] for t in mix])
        length = int(rng.integers(100, 260))
        from_topics = vocab[rng.choice(topic_words, length // 2)]
        from_background = vocab[rng.choice(len(vocab), length // 3, p=background)]
        common = rng.choice(COMMON, length - len(from_topics) - len(from_background))
        words = np.concatenate([from_topics, from_background, common])
        rng.shuffle(words)
        sentences = [" ".join(chunk).capitalize() + "." for chunk in np.array_split(words, max(1, length // 22))]
        claim = rng.choice(CLAIMS).format(x=round(float(rng.uniform(1.1, 20)), 2),
                                          p=int(rng.integers(5, 90)), w=vocab[topic_words[0]])
        sentences.insert(int(rng.integers(0, len(sentences))), f"Our system {claim}.")
        title = " ".join(vocab[rng.choice(topic_words, rng.integers(5, 12))]).title()
        papers.append(Paper(
            id=f"26{i // 10_000 % 12 + 1:02d}.{i % 100_000:05d}", version=1, title=title,
            authors=[Author(f"Author {j} {vocab[(i + j) % len(vocab)].title()}") for j in range(rng.integers(1, 8))],
            published="2026-06-01T00:00:00Z", updated="2026-06-01T00:00:00Z",
            primary_category="cs.DC", categories=["cs.DC"], abstract=" ".join(sentences)))
    return papers


def timed(label: str, func, *args):
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    print(f"{label:<36} {time.perf_counter() - start:6.1f} s wall {time.process_time() - cpu:6.1f} s CPU")
    return result


def per_page(extras: Extras, renderer: Renderer, papers: list[Paper]) -> None:
    for paper in papers:
        extras.paper_context(paper)
        extras.head(renderer, paper.url, paper)


def main(n: int) -> None:
    papers = timed(f"make {n:,} synthetic papers", synthetic_papers, n)
    settings = Settings(name="Benchmark archive", site_url="https://example.org/archive/")
    start, cpu = time.perf_counter(), time.process_time()
    related = timed("related papers (TF-IDF, top 5)", related_papers, papers)
    extras = Extras(settings, papers, related, timed("BibTeX keys", bibtex_keys, papers))
    timed("feed and month .bib files", extras.files)
    timed("per page: key result, BibTeX, head", per_page, extras, Renderer(), papers)
    print(f"{'total added to the build':<36} {time.perf_counter() - start:6.1f} s wall "
          f"{time.process_time() - cpu:6.1f} s CPU")
    sample = papers[0]
    print("e.g.", sample.title, "→", [p.title for p in related[sample.id][:2]])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
