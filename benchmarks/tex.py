"""What turning arXiv's TeX into text and HTML costs at archive scale (not part of `make test`).

Makes N synthetic papers (default 30,000: titles and abstracts with inline
math, as tests/synthetic.py writes them), then times what the build does with
their TeX: each abstract paragraph and title to HTML (``tex_html``), each
title to text for the head and feeds (``plain_text``), each page's
description (``extras.description``). The accents-only conversion that came
before pylatexenc is timed beside it for comparison.

    .venv/bin/python benchmarks/tex.py [N]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import synthetic  # noqa: E402
from generator.archive import tex as latex  # noqa: E402
from generator.archive.models import Paper  # noqa: E402
from generator.site.abstracts import paragraphs  # noqa: E402
from generator.site.extras import description  # noqa: E402


def _papers(count: int) -> list[Paper]:
    return [Paper(id=e.id.split("v")[0], version=1, title=e.title, authors=[], published=e.published,
                  updated=e.published, primary_category="cs.DC", categories=["cs.DC"], abstract=e.summary)
            for e in synthetic.entries(count)]


def _time(label: str, func, items) -> None:
    start = time.perf_counter()
    for item in items:
        func(item)
    print(f"{label:<44} {time.perf_counter() - start:6.2f} s")


def main(count: int) -> None:
    papers = _papers(count)
    texts = [p for paper in papers for p in paragraphs(paper.abstract)]
    titles = [paper.title for paper in papers]
    print(f"{count:,} papers, {len(texts):,} paragraphs, "
          f"{sum('$' in t for t in titles):,} titles with math")
    _time("tex_html, every abstract paragraph", latex.tex_html, texts)
    _time("tex_html, every title", latex.tex_html, titles)
    _time("plain_text, every title (head, feeds)", latex.plain_text, titles)
    _time("description, every paper (meta description)", description, papers)
    _time("accents_text, every title (before pylatexenc)", latex.accents_text, titles)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
