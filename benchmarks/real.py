"""The real-archive benchmark: the papers of ../shared/real/, ingested, built and searched.

    python benchmarks/real.py csdc     # 2,872 real cs.DC papers, with the shipped topics
    python benchmarks/real.py other    # 83,240 real cs.AI papers, no topics (a field 3x cs.DC)
    python benchmarks/real.py other --limit 20000   # the newest 20,000 of them, to iterate
    python benchmarks/real.py other --search-only   # no build: the last site, with this repository's search scripts

It writes the papers as arXiv API pages (``../shared/tools/jsonl_to_atom.py``)
and ingests them with ``python -m generator harvest --from-file`` into a
project outside the repository (``/work/cache-real/<name>-<key>`` or
``--cache``), kept between runs and keyed by the input file (its size and
time) and ``--limit``: only the first run pays for the ingest. Each run copies
the repository's mkdocs.yml, overrides, assets (and for csdc, topics and the gold set) afresh
and links its ``generator/``, builds, and reports: build time and its split
(MkDocs, then Pagefind), peak memory (the largest process, and Pagefind's and
the python build's own), the site's size by kind of file and the Pages
artifact's (the uncompressed tar ``actions/upload-pages-artifact`` makes), and
searches in headless Chromium from a cold cache, in the header's box and on the
search page (``benchmarks/run.py``'s measurements): common multi-word queries,
a rare word, an arXiv id, an author. The report goes to stdout and to
``benchmarks/out/real-<name>[-<limit>].md``. Without ``../shared`` it says so
and exits 0. Heavy at 83,240 papers (20 minutes, GBs): run it alone, with nice.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (benchmarks/run.py: timing, memory, searches in the browser)

REPO, OUT, KB, MB = bench.REPO, bench.OUT, bench.KB, bench.MB
SHARED = REPO.parent / "shared"
CACHE = Path(os.environ.get("REAL_CACHE", "/work/cache-real"))
PAGES_LIMIT_MB = 1000  # GitHub Pages: a published site of at most 1 GB
TARGETS = {"build_s": 15 * 60, "rss_mb": 6000, "search_ms": 1500, "search_kb": 1000}


@dataclass(frozen=True)
class Source:
    name: str
    file: str
    category: str  # archive.yml's harvest category
    topics: bool  # build with the shipped topics
    common: tuple[str, ...]  # common multi-word queries
    narrow: str  # the search page's facet: "topic=..." or "category=..."


SOURCES = {
    "csdc": Source("csdc", "csdc-dev.jsonl.gz", "cs.DC", True,
                   ("large language model serving", "federated learning"), "topic=llm-serving"),
    "other": Source("other", "other-real.jsonl.gz", "cs.AI", False,
                    ("language model agents", "reinforcement learning"), "category=cs.LG"),
}


# --- the papers, as jsonl_to_atom.py orders them ----------------------------

def read_papers(path: Path, limit: int | None) -> list[dict]:
    """The papers the archive holds, in jsonl_to_atom.py's order (newest update first, --limit of them)."""
    papers, seen = [], set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            paper = json.loads(line)
            if paper["id"] in seen or not (paper.get("published") or paper.get("listed")):
                continue
            paper["published"] = paper.get("published") or f"{paper['listed']}T12:00:00Z"
            seen.add(paper["id"])
            papers.append(paper)
    papers.sort(key=lambda p: p.get("updated") or p["published"], reverse=True)
    return papers[:limit] if limit else papers


WORD = re.compile(r"[A-Za-z]{9,}")


def rare_word(papers: list[dict]) -> str:
    """A long word in two or three papers' abstracts (of the one in the middle, its first such word)."""
    frequency = Counter(w for p in papers for w in {w.lower() for w in WORD.findall(p["abstract"])})
    middle = papers[len(papers) // 2]["abstract"]
    return next((w for w in WORD.findall(middle) if 2 <= frequency[w.lower()] <= 3),
                min(frequency, key=lambda w: (frequency[w], w)))


def queries(source: Source, papers: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """(header box queries, search page URLs) for these papers."""
    rare, paper_id = rare_word(papers), papers[len(papers) // 3]["id"]
    author = next(a for p in papers[len(papers) // 4:] for a in p["authors"] if len(a.split()) >= 2)
    box = {"common, 3 words" if len(q.split()) > 2 else "common, 2 words": q for q in source.common}
    box.update({"rare word": rare, "arXiv id": paper_id, "author": author})
    year = papers[len(papers) // 2]["published"][:4]
    page = {"text": "?q=" + quote_plus(source.common[0]),
            "text + " + source.narrow.split("=")[0]: f"?q={quote_plus(source.common[1])}&{source.narrow}",
            "text, newest first": f"?q={quote_plus(source.common[1])}&sort=newest",
            "rare word": "?q=" + rare, "no text, a year": "?year=" + year,
            "an author's link": "?author=" + quote_plus(author), "arXiv id": "?q=" + paper_id}
    return box, page


# --- the project, cached ------------------------------------------------------

def project_dir(source: Source, data: Path, limit: int | None, cache: Path) -> Path:
    stat = data.stat()
    key = hashlib.sha256(f"{data.name} {stat.st_size} {int(stat.st_mtime)} {limit}".encode()).hexdigest()[:10]
    return cache / f"{source.name}{f'-{limit}' if limit else ''}-{key}"


def prepare(source: Source, data: Path, root: Path, limit: int | None) -> float | None:
    """The project's machinery afresh from the repository; the papers ingested once. Seconds the ingest took."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("overrides", "content/assets", "content/topics"):
        shutil.rmtree(root / name, ignore_errors=True)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "content" / "assets", root / "content" / "assets")
    if (root / "generator").is_symlink() or (root / "generator").exists():
        (root / "generator").unlink()
    os.symlink(REPO / "generator", root / "generator")
    (root / "archive.yml").write_text(f"""\
name: Real {source.category} archive
description: Real papers from ../shared/real/{source.file}.
site_url: https://example.org/archive/
repo_url: https://github.com/example/archive
harvest:
  categories: [{source.category}]
""", encoding="utf-8")
    done = root / ".ingested"
    if done.exists():
        if source.topics:
            copy_topics(root)
        return None
    pages = root / "atom"
    shutil.rmtree(pages, ignore_errors=True)
    shutil.rmtree(root / "content" / "papers", ignore_errors=True)
    started = time.monotonic()
    subprocess.run([sys.executable, str(SHARED / "tools" / "jsonl_to_atom.py"), str(pages), str(data),
                    *(["--limit", str(limit)] if limit else [])], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(bench.cli("harvest", "--from-file", *sorted(str(p) for p in pages.glob("*.xml"))),
                   cwd=root, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(pages)
    done.write_text(datetime.now(timezone.utc).isoformat(), encoding="utf-8")
    if source.topics:
        copy_topics(root)
    return time.monotonic() - started


def copy_topics(root: Path) -> None:
    """The shipped topics, their include/exclude lists cut to the papers this archive holds, and the
    gold set the topic model learns from (beside content/, as in the repository): without it the
    rules alone would select, and the pages would not be the shipped selection's."""
    held = {p.stem for p in (root / "content" / "papers").rglob("*.md")}
    shutil.rmtree(root / "gold", ignore_errors=True)
    shutil.copytree(REPO / "gold", root / "gold")
    (root / "content" / "topics").mkdir(parents=True)
    for path in sorted((REPO / "content" / "topics").glob("*.md")):
        def keep(match: re.Match) -> str:
            ids = [i.strip() for i in match.group(2).split(",") if i.strip() in held]
            return f"{match.group(1)}: [{', '.join(ids)}]"
        text = re.sub(r"^(include|exclude): \[([^]\n]*)\]", keep, path.read_text(encoding="utf-8"), flags=re.M)
        (root / "content" / "topics" / path.name).write_text(text, encoding="utf-8")


def refresh_search(site: Path) -> None:
    """The built site with the repository's search scripts and the search page's preloads as a build now writes them."""
    from generator.search.page import add_preloads
    from generator.search.pagefind import bundle_name

    # Each file is replaced, not written into: a site copied with hard links (cp -al) keeps its original.
    for path in (REPO / "content" / "assets").glob("search*"):
        (site / "assets" / path.name).unlink(missing_ok=True)
        shutil.copy(path, site / "assets" / path.name)
    page = site / "search" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.unlink()
    html = re.sub(r'<link rel="preload" href="[^"]*" as="fetch" crossorigin="anonymous">', "", html)
    page.write_text(re.sub(r'(facets\.bin)\?ts=[^"]*"', r'\1"', html), encoding="utf-8")
    bundles, part = [], 0
    while (site / bundle_name(part) / "pagefind-entry.json").exists():
        bundles.append(site / bundle_name(part))
        part += 1
    add_preloads(site, bundles)


# --- sizes --------------------------------------------------------------------

def kind_of(relative: Path) -> str:
    top, name = relative.parts[0], relative.name
    top = "pagefind" if re.fullmatch(r"pagefind(-\d+)?", top) else top  # a part of the index: generator/search/pagefind.py
    if name.endswith(".xml"):
        return "feeds"
    if name.endswith(".bib"):
        return "BibTeX"
    return {"papers": "paper pages", "months": "month listings", "topics": "topic listings",
            "pagefind": "search index", "search": "search page and facets",
            "assets": "theme and assets"}.get(top, "other")


def sizes(site: Path) -> dict:
    """Bytes by kind of file, the site's total, and the Pages artifact's (benchmarks/site_size.py's when there is one)."""
    try:
        from site_size import sizes as shared_sizes  # benchmarks/site_size.py: the tar computed, by kind
    except ImportError:
        shared_sizes = None
    if shared_sizes:
        result = shared_sizes(site)
        return {"by_kind": {kind: k["bytes"] for kind, k in result["kinds"].items() if k["bytes"]},
                "site": result["total"]["bytes"], "artifact": result["artifact"]}
    by_kind: Counter = Counter()
    for path in site.rglob("*"):
        if path.is_file():
            by_kind[kind_of(path.relative_to(site))] += path.stat().st_size
    return {"by_kind": dict(by_kind), "site": sum(by_kind.values()), "artifact": artifact_bytes(site)}


def artifact_bytes(site: Path) -> int:
    """The uncompressed tar actions/upload-pages-artifact makes of the site (its exact tar command)."""
    tar = subprocess.Popen(["tar", "--dereference", "--hard-dereference", "--directory", str(site), "-cf", "-",
                            "--exclude=.git", "--exclude=.github", "."], stdout=subprocess.PIPE)
    total = 0
    while chunk := tar.stdout.read(1 << 20):
        total += len(chunk)
    tar.wait()
    return total


# --- the report ---------------------------------------------------------------

def report(source: Source, count: int, step, ingest_s, size: dict, run: bench.Run, command: str) -> str:
    spans = step.spans if step else {}
    pagefind = next((span for name, span in spans.items() if name.startswith("pagefind")), None)  # Name: is cut at 15
    mkdocs_s = pagefind[0] if pagefind else None
    pagefind_s = (pagefind[1] - pagefind[0]) if pagefind else None
    f = bench._fmt
    artifact_mb = size["artifact"] / MB if size else 0
    lines = [f"## Real papers: {source.name}, {count:,} papers, {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}", "",
             f"`{command}` on {os.cpu_count()} CPU core(s), load average before the build "
             f"{os.getloadavg()[0]:.1f}" + (f"; ingest {ingest_s:,.0f} s (cached after)" if ingest_s else ""), "",
             "| | figure | target |", "|---|---|---|"]
    if step:
        rows = [("build time", f(step.seconds, 0, " s") + f" ({step.seconds / 60:.1f} min, {step.seconds / count * 1000:.1f} ms a paper)",
                 f"≤ {TARGETS['build_s'] // 60} min at 83,240"),
                ("build CPU time (user + system, every process)", f(step.cpu_s, 0, " s"), ""),
                ("… MkDocs (until Pagefind starts)", f(mkdocs_s, 0, " s"), ""),
                ("… Pagefind (first start to last end)", f(pagefind_s, 0, " s"), ""),
                ("peak memory, largest process (exact)", f(step.largest_mb, 0, " MB"), f"≤ {TARGETS['rss_mb']:,} MB"),
                ("… python build (VmHWM)", f(max((v for k, v in step.by_name.items() if k.startswith("python")), default=None), 0, " MB"), ""),
                ("… Pagefind (VmHWM)", f(max((v for k, v in step.by_name.items() if k.startswith("pagefind")), default=None), 0, " MB"), ""),
                ("peak memory, process tree (sampled)", f(step.tree_mb, 0, " MB"), "")]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    if size:
        lines.append(f"| site size | {size['site'] / MB:,.0f} MB ({size['site'] / count / KB:.1f} KB a paper) | |")
        lines.append(f"| Pages artifact (tar) | {artifact_mb:,.0f} MB ({size['artifact'] / count / KB:.1f} KB a paper; "
                     f"{artifact_mb / PAGES_LIMIT_MB:.0%} of 1 GB) | ≤ 1,000 MB |")
        for kind, value in sorted(size["by_kind"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| … {kind} | {value / MB:,.1f} MB ({value / count / KB:.2f} KB a paper) | |")
    if run.queries:
        lines += ["", f"Header box, typed, cold cache (target: first results ≤ {TARGETS['search_ms']:,} ms, "
                      f"≤ {TARGETS['search_kb']:,} KB):", "", "| query | | KB | ms to results |", "|---|---|---|---|"]
        lines[-2:] = [f"| query | | KB to first results | ms from the last key (typed, {bench.KEY_MS} ms a key) "
                      "| KB, ms once every part answered |", "|---|---|---|---|---|"]
        lines += [f"| {name} | `{q}` | {kb:,.0f} | {f(ms, 0)} | {run.query_settled[name][0]:,.0f}, {f(run.query_settled[name][1], 0)} |"
                  for name, (q, kb, ms) in run.queries.items()]
    if run.page_queries:
        lines += ["", f"Search page opened at a URL, cold cache, median of {bench.SEARCH_PAGE_ROUNDS} "
                      "(KB to first results; then KB once the facets' counts show, by kind):", "",
                  "| search | URL | KB | ms to results (range) | KB in all |", "|---|---|---|---|---|"]
        for name, (q, kb, ms, all_kb, kinds) in run.page_queries.items():
            low, high = run.page_spread[name]
            parts = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(kinds.items()))
            lines.append(f"| {name} | `{q}` | {kb:,.0f} | {f(ms, 0)} ({f(low, 0)}–{f(high, 0)}) | {all_kb:,.0f}: {parts} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", choices=sorted(SOURCES))
    parser.add_argument("--limit", type=int, help="only the newest N papers")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where projects are kept [{CACHE}]")
    parser.add_argument("--no-build", action="store_true", help="measure the site the last run built")
    parser.add_argument("--no-search", action="store_true", help="skip the searches in the browser")
    parser.add_argument("--search-only", action="store_true",
                        help="no build: put the repository's search scripts (content/assets/search*) and the "
                             "search page's preloads into the site the last run built, and measure its searches")
    args = parser.parse_args(argv)
    source = SOURCES[args.archive]
    data = SHARED / "real" / source.file
    if not data.exists():
        print(f"real.py: {data} is not here (../shared beside the clone); nothing measured", file=sys.stderr)
        return 0
    root = project_dir(source, data, args.limit, args.cache)
    ingest_s = prepare(source, data, root, args.limit)
    count = sum(1 for _ in (root / "content" / "papers").rglob("*.md"))
    step = None
    if args.search_only:
        refresh_search(root / "site")
    elif not args.no_build:
        shutil.rmtree(root / "site", ignore_errors=True)
        print(f"real.py: building {count:,} papers in {root} …", file=sys.stderr, flush=True)
        step = bench.timed(bench.cli("build", "-f", "mkdocs.yml", "-d", "site"), root)
    site = root / "site"
    run = bench.Run("archive", count)
    if not args.no_search:
        box, page = queries(source, read_papers(data, args.limit))
        bench.measure_search(run, site, box, ".paper-search .md-search__input",
                             ".paper-search .md-search-result__link", bench.pagefind_url)
        bench.measure_search_page(run, site, page)
    command = "python benchmarks/real.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(source, count, step, ingest_s, None if args.search_only else sizes(site), run, command)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"real-{source.name}{f'-{args.limit}' if args.limit else ''}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
