"""The scale benchmark: synthetic archives of N papers, harvested and built for real.

For each N (``--sizes``, default 3000 and 30000) it serves N synthetic
entries (tests/synthetic.py) from a local arXiv on 127.0.0.1, runs the real
``python -m generator harvest`` (page size 2000, no delay) and
``python -m generator build`` in a fresh project, and measures: wall time and
peak memory of each step (the process tree's resident memory, sampled), the
paper pages' sizes, the largest listing page, the site's size, and what a
search costs in headless Chromium (bytes of every request the search makes,
and the time until results show, from a cold cache). For ``--defaults-sizes``
it builds the same papers with MkDocs Material's defaults (automatic
navigation, Material's search plugin), with a time cap, for comparison.

The table goes to stdout and to benchmarks/out/ as Markdown. Not part of
``make test``: at 30,000 papers it takes minutes and both cores.

    python benchmarks/run.py                      # 3000 and 30000, defaults at 3000
    python benchmarks/run.py --sizes 300 --defaults-sizes 300
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import synthetic  # noqa: E402
from arxiv_server import ArxivServer  # noqa: E402

OUT = REPO / "benchmarks" / "out"
KB, MB = 1000, 1000 ** 2
TARGETS = {  # the targets, at 30,000 papers
    "build_s": 240, "rss_mb": 4000, "page_kb": 20, "per_paper_kb": 30, "listing_kb": 500,
    "search_kb": 1000, "search_ms": 1000, "linear": 12,
}
DEFAULTS_YML = """\
# MkDocs Material's defaults, for comparison: automatic navigation, Material's search.
site_name: defaults
docs_dir: content
site_dir: site-defaults
theme:
  name: material
"""


@dataclass
class Run:
    label: str
    papers: int
    harvest_s: float | None = None
    harvest_rss_mb: float | None = None
    build_s: float | None = None
    build_rss_mb: float | None = None
    build_largest_mb: float | None = None  # the largest single process, exact
    build_by_name: dict = field(default_factory=dict)
    capped: bool = False
    page_median_kb: float | None = None
    page_max_kb: float | None = None
    listing_max_kb: float | None = None
    site_mb: float | None = None
    per_paper_kb: float | None = None
    index_mb: float | None = None
    search_kb: float | None = None
    search_ms: float | None = None
    queries: dict = field(default_factory=dict)
    query_settled: dict = field(default_factory=dict)  # name -> (KB, ms) once every part has answered
    page_queries: dict = field(default_factory=dict)  # the search page, opened at a URL
    page_spread: dict = field(default_factory=dict)  # name -> (fastest, slowest) ms of its rounds
    search_page_kb: float | None = None

    def record_build(self, step: "Step") -> None:
        self.build_s, self.build_rss_mb, self.capped = step.seconds, step.tree_mb, step.capped
        self.build_largest_mb, self.build_by_name = step.largest_mb, step.by_name


# --- running a step: wall time and peak memory -------------------------------
#
# Two figures: the process tree's resident memory, sampled every 50 ms (what
# the machine must hold at once), and the largest single process's peak,
# exact, from the kernel (wait4's ru_maxrss: the maximum over the process and
# every descendant it waited for, what GNU time's %M reports). Each process's
# own peak (VmHWM, kept by the kernel, read while it runs) is kept by name
# too, to tell the python build from Pagefind.

def _proc(pid: int) -> tuple[str, int, int]:
    """(command name, resident KB, peak resident KB so far) of a process."""
    name, rss, hwm = "?", 0, 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("Name:"):
                    name = line.split(None, 1)[1].strip()
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return name, rss, hwm


def _tree(root: int) -> dict[int, tuple[str, int, int]]:
    """Every process under ``root``: pid -> (name, resident KB, peak resident KB)."""
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        found[pid] = _proc(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return found


@dataclass
class Step:
    seconds: float
    tree_mb: float  # sampled peak of the whole tree
    largest_mb: float  # exact peak of the largest process (wait4)
    by_name: dict  # command name -> peak MB of one such process (VmHWM)
    capped: bool = False
    spans: dict = field(default_factory=dict)  # command name -> (first, last) second it was seen running
    cpu_s: float | None = None  # user + system time of the process and its children (what a busy machine does not inflate)


def timed(command: list[str], cwd: Path, cap: float | None = None) -> Step:
    """Run ``command``; its wall time and peak memory."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, by_name, spans, output = 0, {}, {}, []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    capped = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        tree = _tree(process.pid)
        peak = max(peak, sum(rss for _, rss, _ in tree.values()))
        now = time.monotonic() - started
        for name, _, hwm in tree.values():
            by_name[name] = max(by_name.get(name, 0), hwm)
            spans[name] = (spans.get(name, (now, now))[0], now)
        if cap and not capped and time.monotonic() - started > cap:
            process.kill()
            capped = True
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    reader.join(5)
    if process.returncode != 0 and not capped:
        sys.exit(f"benchmark: {' '.join(command)} failed ({process.returncode}):\n{''.join(output)[-3000:]}")
    return Step(seconds, peak * 1024 / MB, usage.ru_maxrss * 1024 / MB,
                {name: kb * 1024 / MB for name, kb in by_name.items()}, capped, spans, usage.ru_utime + usage.ru_stime)


# --- the archive -------------------------------------------------------------

def make_project(root: Path, api_url: str, topics: Path | None = None) -> None:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if topics:  # topic files with rules only: an include list names papers the synthetic archive lacks
        (root / "content" / "topics").mkdir(parents=True)
        for path in sorted(topics.glob("*.md")):
            text = re.sub(r"^(include|exclude): .*$", r"\1: []", path.read_text(encoding="utf-8"), flags=re.M)
            (root / "content" / "topics" / path.name).write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "content" / "assets", root / "content" / "assets")
    os.symlink(REPO / "generator", root / "generator")
    (root / "archive.yml").write_text(f"""\
name: Benchmark archive
description: Synthetic papers.
site_url: https://example.org/archive/
repo_url: https://github.com/example/archive
harvest:
  categories: [cs.DC]
  api_url: {api_url}
  page_size: 2000
  delay: 0
  retries: 2
""", encoding="utf-8")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--config", "archive.yml", "--content", "content", *args]


def measure_site(run: Run, site: Path, index_dir: str) -> None:
    def size(path: Path) -> int:
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0

    pages = [p.stat().st_size for p in (site / "papers").rglob("index.html")]
    listings = [p.stat().st_size for p in site.rglob("index.html") if "papers" not in p.relative_to(site).parts]
    total = size(site)
    run.page_median_kb = statistics.median(pages) / KB
    run.page_max_kb = max(pages) / KB
    run.listing_max_kb = max(listings) / KB if listings else None
    run.site_mb = total / MB
    run.per_paper_kb = total / run.papers / KB
    run.index_mb = size(site / index_dir) / MB


# --- a search in the browser -------------------------------------------------

def search_queries(entries) -> dict[str, str]:
    named = next(e for e in entries if ":" in e.title and " " not in e.title.split(":")[0])
    return {"common word": "scheduling", "two words": "consensus replication",
            "system name": named.title.split(":")[0], "author": "Lamport",
            "arXiv id": entries[len(entries) // 2].id.rsplit("v", 1)[0]}


def search_page_urls(entries, topic: str | None = None) -> dict[str, str]:
    """The search page opened at a URL: each facet and sort key a search can load.

    With topics, the filtered search is by topic (as the issue asks); without, by category."""
    from urllib.parse import quote_plus
    author = entries[len(entries) // 3].authors[0][0]
    narrowed = {"text + topic": f"?q=consensus&topic={topic}"} if topic else {"text + category": "?q=consensus&category=cs.DC"}
    return {"text": "?q=consensus+replication", **narrowed,
            "text, newest first": "?q=scheduling&sort=newest", "no text, a year": "?year=" + entries[-1].published[:4],
            "an author's link": "?author=" + quote_plus(author),
            "arXiv id": "?q=" + entries[len(entries) // 2].id.rsplit("v", 1)[0]}



OFF_HOST = re.compile(r"^(?!http://127\.0\.0\.1[:/])")


def _cold_page(browser):
    """A fresh context (a cold cache), nothing off 127.0.0.1 reached, every finished request kept."""
    context = browser.new_context()
    # A pattern, not a Python predicate: with a predicate Playwright stops every request,
    # the site's own too, to ask Python, which added ~200 ms to a search page's chain.
    context.route(OFF_HOST, lambda route: route.fulfill(status=200, body="{}"))
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    return context, page, requests

SEARCH_PAGE_ROUNDS = 3  # each URL opened this many times, in turn: the median time is reported, and the range


def measure_search_page(run: Run, site: Path, urls: dict[str, str]) -> None:
    """Each URL from a cold cache: bytes of Pagefind's and the facet file's requests, ms until results (or the paper) show."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(SEARCH_PAGE_ROUNDS):
        _measure_search_page_once(run, site, urls, times)
    for name, (query, kb, _, all_kb, kinds) in run.page_queries.items():
        run.page_queries[name] = (query, kb, statistics.median(times[name]), all_kb, kinds)
        run.page_spread[name] = (min(times[name]), max(times[name]))


def _measure_search_page_once(run: Run, site: Path, urls: dict[str, str], times: dict[str, list[float]]) -> None:
    from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from playwright.sync_api import sync_playwright

    server = SiteServer(site)
    run.search_page_kb = (site / "search" / "index.html").stat().st_size / KB
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, query in urls.items():
                context, page, requests = _cold_page(browser)
                started = time.monotonic()
                page.goto(f"{server.url}search/{query}", wait_until="commit")
                try:
                    page.wait_for_function("location.pathname.startsWith('/papers/') || "
                                           "document.querySelector('#archive-search-results li')", timeout=15_000)
                    ms = (time.monotonic() - started) * 1000
                except Exception:  # noqa: BLE001
                    ms = float("nan")
                first = sum(_served_bytes(site, server.url, r.url) for r in requests if _search_data(r.url))
                try:  # then the facets' counts (the paper page, for an id, has none)
                    page.wait_for_function("location.pathname.startsWith('/papers/') || "
                                           "document.getElementById('archive-search')?.getAttribute('aria-busy') === 'false'",
                                           timeout=30_000)
                except Exception:  # noqa: BLE001
                    pass
                page.wait_for_timeout(300)
                sent = sum(_served_bytes(site, server.url, r.url) for r in requests if _search_data(r.url))
                run.page_queries[name] = (query, first / KB, ms, sent / KB, _chunk_kb(site, requests, server.url))
                times[name].append(ms)
                context.close()
            browser.close()
    finally:
        server.close()


PAGEFIND_URL = re.compile(r"/pagefind(?:-\d+)?/")  # a bundle, or a part's (generator/search/pagefind.py)


def pagefind_url(url: str) -> bool:
    return bool(PAGEFIND_URL.search(url))


def _search_data(url: str) -> bool:
    """What a search on the search page loads: Pagefind's files and the facet file."""
    return pagefind_url(url) or url.split("?")[0].endswith("/search/facets.bin")


def _chunk_kb(site: Path, requests, base: str) -> dict[str, float]:
    """KB of the search's requests by kind: facets, filter, index, fragment, core (the rest)."""
    kinds: dict[str, float] = {}
    for request in requests:
        if not _search_data(request.url):
            continue
        if not pagefind_url(request.url):
            kinds["facets"] = kinds.get("facets", 0) + _served_bytes(site, base, request.url) / KB
            continue
        name = PAGEFIND_URL.split(request.url, 1)[1]
        kind = name.split("/")[0] if "/" in name else "core"
        kinds[kind] = kinds.get(kind, 0) + _served_bytes(site, base, request.url) / KB
    return kinds


def _served_bytes(site: Path, base: str, url: str) -> int:
    """The served file's size: the local server sends files as they are (a worker's
    script reports no body size to Playwright, so sizes are read from disk)."""
    path = site / url.removeprefix(base).split("?")[0]
    return (path / "index.html" if path.is_dir() else path).stat().st_size


# A fast typist: about 80 words a minute. The header's box searches once typing pauses
# (content/assets/search.js, DEBOUNCE_MS), so between keys it fetches nothing but the words
# finished; "first results" are timed from the last key.
KEY_MS = 130
SETTLED = "!document.querySelector('#paper-search-results[aria-busy]')"  # every part has answered


def _results_for(query: str) -> str:
    """JS: the box shows results for ``query`` (its link to the search page names it)."""
    return ("[...document.querySelectorAll('.paper-search .paper-search__all a')]"
            f".some((a) => new URL(a.href).searchParams.get('q') === {query!r})")


def measure_search(run: Run, site: Path, queries: dict[str, str], box: str, result: str, is_search) -> None:
    """Each query typed from a cold cache: KB of search requests and ms from the last key
    to the first results; then KB and ms until every part has answered (run.query_settled)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from playwright.sync_api import sync_playwright

    server = SiteServer(site)
    paper = next((site / "papers").rglob("index.html")).parent.relative_to(site)
    kb = lambda requests: sum(_served_bytes(site, server.url, r.url) for r in list(requests) if is_search(r.url)) / KB  # noqa: E731
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, query in queries.items():
                context, page, requests = _cold_page(browser)
                page.goto(f"{server.url}{paper}/", wait_until="load")
                page.locator(box).click()
                page.locator(box).press_sequentially(query, delay=KEY_MS)  # typed: key events, as a reader makes them
                started = time.monotonic()
                try:
                    page.wait_for_function(_results_for(query), timeout=15_000, polling=10)
                    ms = (time.monotonic() - started) * 1000
                except Exception:  # noqa: BLE001 - no result is a figure too
                    ms = float("nan")
                first = kb(requests)
                try:
                    page.wait_for_function(SETTLED, timeout=30_000, polling=10)
                    settled_ms = (time.monotonic() - started) * 1000
                except Exception:  # noqa: BLE001
                    settled_ms = float("nan")
                page.wait_for_timeout(300)  # late fragments
                run.queries[name] = (query, first, ms)
                run.query_settled[name] = (kb(requests), settled_ms)
                context.close()
            browser.close()
    finally:
        server.close()
    run.search_kb = max(kb for _, kb, _ in run.queries.values())
    found = [ms for _, _, ms in run.queries.values() if ms == ms]
    run.search_ms = max(found) if found else float("nan")


def topic_to_filter(content: Path) -> str | None:
    """The topic a filtered search uses: consensus-and-replication when shipped, else the first."""
    slugs = sorted(p.stem for p in (content / "topics").glob("*.md"))
    return "consensus-and-replication" if "consensus-and-replication" in slugs else (slugs[0] if slugs else None)


def remeasure(root: Path) -> None:
    """The search figures again (the search page, then the header's box), on a project kept by --keep."""
    count = len(list((root / "content" / "papers").rglob("*.md")))
    run = Run("archive", count)
    entries = synthetic.entries(count)
    measure_search_page(run, root / "site", search_page_urls(entries, topic_to_filter(root / "content")))
    measure_search(run, root / "site", search_queries(entries), ".paper-search .md-search__input",
                   ".paper-search .md-search-result__link", pagefind_url)
    for name, (query, kb, ms, all_kb, kinds) in run.page_queries.items():
        low, high = run.page_spread[name]
        print(f"{name:22} {query:45} {kb:7,.0f} KB {ms:6,.0f} ms ({low:,.0f}-{high:,.0f})  then {all_kb:7,.0f} KB: "
              + ", ".join(f"{kind} {size:,.0f}" for kind, size in sorted(kinds.items())))
    for name, (query, kb, ms) in run.queries.items():
        print(f"header box: {name:15} {query:30} {kb:7,.0f} KB {ms:6,.0f} ms")


# --- one size ----------------------------------------------------------------

def bench(count: int, defaults: bool, cap: float, keep: Path | None, topics: Path | None = None) -> list[Run]:
    entries = synthetic.entries(count)
    root = Path(tempfile.mkdtemp(prefix=f"bench-{count}-", dir=keep))
    runs = []
    try:
        with ArxivServer(entries) as arxiv:
            make_project(root, arxiv.url, topics)
            ours = Run("archive", count)
            step = timed(cli("harvest"), root)
            ours.harvest_s, ours.harvest_rss_mb = step.seconds, step.tree_mb
        files = len(list((root / "content" / "papers").rglob("*.md")))
        assert files == count, f"harvest stored {files} of {count} papers"
        ours.record_build(timed(cli("build", "-f", "mkdocs.yml", "-d", "site"), root))
        measure_site(ours, root / "site", "pagefind")
        queries = search_queries(entries)
        measure_search(ours, root / "site", queries, ".paper-search .md-search__input",
                       ".paper-search .md-search-result__link", pagefind_url)
        measure_search_page(ours, root / "site", search_page_urls(entries, topic_to_filter(root / "content")))
        runs.append(ours)
        if keep is None:
            shutil.rmtree(root / "site")
        if defaults:
            runs.append(bench_defaults(root, count, cap, queries))
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return runs


def bench_defaults(root: Path, count: int, cap: float, queries: dict[str, str]) -> Run:
    run = Run("Material defaults", count)
    (root / "defaults.yml").write_text(DEFAULTS_YML, encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "defaults.yml"]
    run.record_build(timed(command, root, cap))
    if not run.capped:
        measure_site(run, root / "site-defaults", "search")
        measure_search(run, root / "site-defaults", queries, ".md-search__input",
                       ".md-search-result__link", _material_search_request)
    return run


def _material_search_request(url: str) -> bool:
    """Material's search: its one index, its worker, lunr's language files."""
    return "/search/" in url or "/workers/search" in url or "/lunr/" in url


# --- the table ---------------------------------------------------------------

def _fmt(value, digits=1, unit="") -> str:
    if value is None:
        return "–"
    if value != value:  # NaN: no result showed
        return "no result"
    return f"{value:,.{digits}f}{unit}"


def _peak_of(run: Run, prefix: str) -> float | None:
    """The peak of the build's processes whose name starts with ``prefix``."""
    peaks = [mb for name, mb in run.build_by_name.items() if name.startswith(prefix)]
    return max(peaks) if peaks else None


def table(runs: list[Run], cap: float) -> str:
    heads = [f"{r.label}, {r.papers:,} papers" for r in runs]
    rows = [
        ("harvest time", lambda r: _fmt(r.harvest_s, 1, " s"), ""),
        ("harvest peak memory", lambda r: _fmt(r.harvest_rss_mb, 0, " MB"), ""),
        ("build time", lambda r: f"> {cap:.0f} s (capped)" if r.capped else _fmt(r.build_s, 1, " s"),
         f"≤ {TARGETS['build_s']} s at 30,000"),
        ("build peak memory (process tree, sampled)", lambda r: _fmt(r.build_rss_mb, 0, " MB"), ""),
        ("build peak memory (largest process, exact)", lambda r: _fmt(r.build_largest_mb, 0, " MB"),
         f"≤ {TARGETS['rss_mb']:,} MB"),
        ("… python build (VmHWM)", lambda r: _fmt(_peak_of(r, "python"), 0, " MB"), ""),
        ("… Pagefind indexer (VmHWM)", lambda r: _fmt(_peak_of(r, "pagefind"), 0, " MB"), ""),
        ("paper page, median", lambda r: _fmt(r.page_median_kb, 1, " KB"), ""),
        ("paper page, max", lambda r: _fmt(r.page_max_kb, 1, " KB"), f"≤ {TARGETS['page_kb']} KB"),
        ("largest listing page", lambda r: _fmt(r.listing_max_kb, 0, " KB"), f"< {TARGETS['listing_kb']} KB"),
        ("site size", lambda r: _fmt(r.site_mb, 0, " MB"), ""),
        ("site size per paper", lambda r: _fmt(r.per_paper_kb, 1, " KB"), f"≤ {TARGETS['per_paper_kb']} KB"),
        ("search index on disk", lambda r: _fmt(r.index_mb, 1, " MB"), ""),
        ("a search transfers (max)", lambda r: _fmt(r.search_kb, 0, " KB"), f"≤ {TARGETS['search_kb']:,} KB"),
        ("results show after (max of those found, cold)", lambda r: _fmt(r.search_ms, 0, " ms"), f"≤ {TARGETS['search_ms']:,} ms"),
    ]
    lines = ["| | " + " | ".join(heads) + " | target |", "|---" * (len(runs) + 2) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(r) for r in runs) + f" | {target} |" for name, cell, target in rows]
    ours = sorted((r for r in runs if r.label == "archive" and r.build_s), key=lambda r: r.papers)
    if len(ours) >= 2:
        small, large = ours[0], ours[-1]
        lines.append(f"\nBuild time {large.papers:,} / {small.papers:,} papers: "
                     f"{large.build_s / small.build_s:.1f}× for {large.papers / small.papers:.0f}× the papers "
                     f"(target ≤ {TARGETS['linear']}× from 3,000 to 30,000).")
    for run in runs:
        if run.page_queries:
            lines.append(f"\nSearch page ({_fmt(run.search_page_kb, 1, ' KB')} before Pagefind loads), {run.label} at "
                         f"{run.papers:,} papers, each URL from a cold cache (bytes of Pagefind and the facet file to the first results, time to them): " + "; ".join(
                f"{name} `{query}` {kb:,.0f} KB in {_fmt(ms, 0, ' ms')} (median of {SEARCH_PAGE_ROUNDS}, "
                f"{_fmt(run.page_spread[name][0], 0, '')}–{_fmt(run.page_spread[name][1], 0, ' ms')}; then {all_kb:,.0f} KB with the facets' counts: "
                + ", ".join(f"{kind} {size:,.0f}" for kind, size in sorted(kinds.items())) + ")"
                for name, (query, kb, ms, all_kb, kinds) in run.page_queries.items()))
        if run.queries:
            lines.append(f"\nSearches, {run.label} at {run.papers:,} papers: " + "; ".join(
                f"{name} `{query}` {kb:,.0f} KB in {_fmt(ms, 0, ' ms')}" for name, (query, kb, ms) in run.queries.items()))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,30000", help="comma-separated archive sizes [3000,30000]")
    parser.add_argument("--defaults-sizes", default="3000",
                        help="sizes to also build with Material's defaults, '' for none [3000]")
    parser.add_argument("--defaults-cap", type=float, default=600, help="seconds before a defaults build is stopped [600]")
    parser.add_argument("--keep", type=Path, help="keep the projects in this directory")
    parser.add_argument("--topics", type=Path, help="build with these topic files (e.g. content/topics; their "
                                                    "include/exclude lists are emptied) [none]")
    parser.add_argument("--search-page", type=Path, metavar="PROJECT",
                        help="only measure the searches again (page and header box), on a project kept by --keep")
    args = parser.parse_args(argv)
    if args.search_page:
        remeasure(args.search_page)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with_defaults = {int(s) for s in args.defaults_sizes.split(",") if s}
    runs = []
    for count in sizes:
        print(f"benchmark: {count:,} papers …", file=sys.stderr, flush=True)
        runs += bench(count, count in with_defaults, args.defaults_cap, args.keep, args.topics)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu = os.cpu_count()
    report = (f"## Benchmark, {stamp}\n\n`python benchmarks/run.py --sizes {args.sizes} "
              f"--defaults-sizes '{args.defaults_sizes}'" + (f" --topics {args.topics}" if args.topics else "")
              + f"` on {cpu} CPU core(s), Python {sys.version.split()[0]}\n\n"
              + table(runs, args.defaults_cap) + "\n")
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    name = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    (OUT / f"bench-{name}.md").write_text(report, encoding="utf-8")
    (OUT / "latest.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
