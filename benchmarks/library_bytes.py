"""What the reader's library costs in bytes at N synthetic papers (not part of `make test`).

Makes N synthetic papers (tests/synthetic.py, 1,000 a month), computes their
related papers as a build does (generator.site.related), gives each 0-2 of 21 topics
and a Code link to one in five (what the real dev papers have, about), and
writes the library's files as a build does (generator/site/library_data.py). Prints
each file's size raw and gzipped (GitHub Pages sends JSON gzipped), and the
library's scripts'.

What a visit costs:
- any page: the loader's script tag (once cached, nothing more);
- the first Save: library.js and one record file (a sixteenth of a month);
- /library/ or the home page of a reader who follows something: library.js
  (and on /library/ the page's two scripts) and library/index.json.

    .venv/bin/python benchmarks/library_bytes.py [N]      # default 30000
"""
from __future__ import annotations

import gzip
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import synthetic  # noqa: E402
from arxiv_feed import feed  # noqa: E402
from generator.harvest.atom import parse_page  # noqa: E402
from generator.site.bibtex import bibtex_entry, bibtex_keys  # noqa: E402
from generator.site.library_data import AUTHORS_PATH, INDEX_PATH, SHARDS, TITLES_PATH, PaperFacts, library_files  # noqa: E402
from generator.site.related import related_papers  # noqa: E402

TOPICS = 21
ASSETS = ["library-loader.js", "library.js", "library-export.js", "library-page.js"]


def sizes(text: str | bytes) -> tuple[int, int]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return len(raw), len(gzip.compress(raw, 6))


def main(n: int) -> None:
    papers, entries = [], synthetic.entries(n)
    for start in range(0, n, 2000):  # the Atom parser, as a harvest stores them
        papers += parse_page(feed(entries[start:start + 2000]), "synthetic").papers
    started = time.perf_counter()
    related = related_papers(papers)
    print(f"{len(papers)} papers; related papers in {time.perf_counter() - started:.1f} s")
    rng = random.Random(21)
    keys = bibtex_keys(papers)
    topics = {f"topic-{i}": f"Topic {i}" for i in range(TOPICS)}
    facts = {p.id: PaperFacts(topics=rng.sample(sorted(topics), rng.choice([0, 1, 1, 2])), code=rng.random() < 0.2,
                              bibtex=bibtex_entry(p, keys[p.id], max_authors=30),
                              related=[r.id for r in related.get(p.id, [])], authors=p.authors[:30])
             for p in papers}
    started = time.perf_counter()
    files = library_files(papers, facts, topics)
    print(f"library files written in {time.perf_counter() - started:.1f} s\n")
    for path in (INDEX_PATH, AUTHORS_PATH, TITLES_PATH):
        raw, packed = sizes(files[path])
        print(f"{path}: {raw / 1e6:.2f} MB, {packed / 1e3:.0f} KB gzipped ({raw / len(papers):.0f} bytes a paper raw)")
    months = [sizes(text) for path, text in files.items() if path not in (INDEX_PATH, AUTHORS_PATH, TITLES_PATH)]
    largest = max(months)
    print(f"record files (a month in {SHARDS}): {len(months)}, the largest {largest[0] / 1e3:.0f} KB, {largest[1] / 1e3:.0f} KB gzipped")
    total = 0
    for name in ASSETS:
        raw, packed = sizes((REPO / "content" / "assets" / name).read_bytes())
        total += packed if name != "library-loader.js" else 0
        print(f"assets/{name}: {raw / 1e3:.1f} KB, {packed / 1e3:.1f} KB gzipped")
    index, authors, titles = (sizes(files[p])[1] for p in (INDEX_PATH, AUTHORS_PATH, TITLES_PATH))
    print(f"\na visit to /library/ with an empty cache (a record file a suggestion or new paper shown aside): "
          f"{(total + index) / 1e3:.0f} KB gzipped following topics (scripts {total / 1e3:.1f} KB + index {index / 1e3:.0f} KB), "
          f"{(total + index + authors) / 1e3:.0f} KB with an author, {(total + index + authors + titles) / 1e3:.0f} KB "
          f"with an author and a search's words")
    print(f"the home page of a reader following topics: {(sizes((REPO / 'content/assets/library.js').read_bytes())[1] + index) / 1e3:.0f} KB "
          "gzipped once (then the browser's cache; a new build's index is fetched again)")
    print(f"the first Save: {(sizes((REPO / 'content/assets/library.js').read_bytes())[1] + largest[1]) / 1e3:.0f} KB gzipped at most")
    browser_times(files, papers)


def browser_times(files: dict[str, str], papers) -> None:
    """The time until the new papers show: library.js's news() in Chromium, from an empty cache.

    Served from 127.0.0.1 (no network's latency: add the transfer above at the
    reader's speed). Follows: a topic, an author and a search's words."""
    import tempfile

    from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        for path, text in files.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(text, encoding="utf-8")
        (site / "assets").mkdir()
        (site / "assets" / "library.js").write_bytes((REPO / "content/assets/library.js").read_bytes())
        (site / "index.html").write_text('<!doctype html><title>t</title><script src="assets/library.js"></script>')
        author = papers[0].authors[0].name
        follows = {"topic": {"kind": "topic", "label": "t", "query": {"topic": "topic-3"}, "seen": []},
                   "author": {"kind": "search", "label": "a", "query": {"author": author}, "seen": []},
                   "words": {"kind": "search", "label": "w", "query": {"q": "consensus"}, "seen": []}}
        server = SiteServer(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for run in range(3):
                    page = browser.new_context().new_page()
                    page.goto(server.url)
                    page.evaluate("f => localStorage.setItem(window.archiveLibrary.KEY, JSON.stringify({schema: 1, papers: {}, follows: f}))", follows)
                    ms, count = page.evaluate("""async () => { const t = performance.now();
                        const news = await window.archiveLibrary.news(true); return [performance.now() - t, news.count]; }""")
                    print(f"news() from an empty cache, run {run + 1}: {ms:.0f} ms, {count:,} new (every match is new: nothing was seen)")
                    page.context.close()
                browser.close()
        finally:
            server.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30000)
