"""Where a built site's bytes go: by kind of file, per paper, and in the Pages artifact.

GitHub Pages publishes at most 1 GB. What counts is the artifact that
``actions/upload-pages-artifact`` uploads: an uncompressed tar of the site,

    tar --dereference --hard-dereference --directory site -cvf artifact.tar \\
        --exclude=.git --exclude=.github .

in GNU tar's default format, where every file and every directory costs a
512-byte header and a file's data is padded to 512 bytes: a paper's page and
its directory cost about 1.3 KB of the artifact over the page's own bytes.
``sizes`` computes that tar's size from the files' names and sizes, as the
build does (``generator/site/budget.py``; ``--check-tar`` runs GNU tar and
compares), and charges each header and padding to the kind of file it
belongs to, so the kinds add up to the artifact.

    .venv/bin/python benchmarks/site_size.py SITE_DIR            # Markdown table
    .venv/bin/python benchmarks/site_size.py SITE_DIR --json     # the dict sizes() returns
    .venv/bin/python benchmarks/site_size.py SITE_DIR --check-tar
    .venv/bin/python benchmarks/site_size.py SITE_DIR --page-parts  # a paper page's bytes by part

``sizes(site)`` is what other benchmarks import (benchmarks/real.py).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.site.budget import LIMIT, artifact_members, artifact_size  # noqa: E402

# Kinds, in the order reports list them; ``kind_of`` decides.
KINDS = ("paper pages", "topic listings", "month listings", "home", "search index",
         "feeds", "bibtex", "assets", "other")


def kind_of(rel: str) -> str:
    """The kind of the file (or directory) at ``rel``, a path relative to the site, with slashes."""
    top = rel.split("/", 1)[0]
    if rel.endswith(".bib"):
        return "bibtex"  # a month's or topic's citations, beside its listing
    if top == "papers":
        return "paper pages"
    if top == "topics":
        return "topic listings"
    if top == "months":
        return "month listings"
    if rel == "index.html":
        return "home"
    if top == "pagefind" or rel == "search/facets.bin":
        return "search index"
    if top == "feeds":
        return "feeds"
    if top == "assets":
        return "assets"
    return "other"  # the search page's HTML, 404, sitemaps


def sizes(site: Path) -> dict:
    """Bytes by kind of file in ``site``, and in its Pages artifact (tar), total and per paper.

    Returns ``{"site", "papers", "kinds": {kind: {"files", "bytes", "artifact"}},
    "total": {"files", "bytes", "artifact"}, "artifact": bytes of the tar,
    "per_paper": {kind: artifact bytes / papers, ..., "total": ...},
    "paper_page": {"median", "max", "max_path"}}``. ``papers`` is the number of
    paper pages (``papers/**/index.html``)."""
    site = Path(site)
    kinds = {kind: {"files": 0, "bytes": 0, "artifact": 0} for kind in KINDS}
    paper_pages: list[tuple[int, str]] = []
    tar = 0
    for rel, is_dir, size, cost in artifact_members(site):
        kind = kinds[kind_of(rel) if rel else "other"]
        if not is_dir:
            kind["files"] += 1
            kind["bytes"] += size
            if rel.startswith("papers/") and rel.endswith("/index.html"):
                paper_pages.append((size, rel))
        kind["artifact"] += cost
        tar += cost
    tar = artifact_size(tar)
    kinds["other"]["artifact"] += tar - sum(k["artifact"] for k in kinds.values())  # the tar's end
    papers = len(paper_pages)
    total = {key: sum(k[key] for k in kinds.values()) for key in ("files", "bytes", "artifact")}
    per_paper = {kind: (k["artifact"] / papers if papers else 0.0) for kind, k in kinds.items()}
    per_paper["total"] = tar / papers if papers else 0.0
    page_sizes = sorted(size for size, _ in paper_pages)
    largest = max(paper_pages, default=(0, ""))
    return {
        "site": str(site), "papers": papers, "kinds": kinds, "total": total, "artifact": tar,
        "per_paper": per_paper,
        "paper_page": {"median": statistics.median(page_sizes) if page_sizes else 0,
                       "max": largest[0], "max_path": largest[1]},
    }


# What a paper page holds, by part: the paper's own text (<article class="paper">),
# the metadata in its head that machines read, and the chrome (everything else).
_METADATA = re.compile(r'<meta (?:name="(?:citation_[a-z_]+|description|dcterms\.[A-Za-z]+)"|property="og:[a-z_]+")[^>]*>\n?'
                       r'|<script type="application/ld\+json">.*?</script>\n?', re.S)
_OWN_TEXT = re.compile(r'<article class="paper">.*?</article>', re.S)


def page_parts(site: Path) -> dict:
    """Mean bytes of a paper page: its own text, its metadata, its chrome, and the whole."""
    totals, pages = {"own text": 0, "metadata": 0, "chrome": 0, "page": 0}, 0
    for path in Path(site).glob("papers/**/index.html"):
        html = path.read_text(encoding="utf-8")
        own = _OWN_TEXT.search(html)
        page, own_bytes = len(html.encode()), len(own.group(0).encode()) if own else 0
        metadata = sum(len(m.group(0).encode()) for m in _METADATA.finditer(html))
        totals["own text"] += own_bytes
        totals["metadata"] += metadata
        totals["chrome"] += page - own_bytes - metadata
        totals["page"] += page
        pages += 1
    return {part: value / pages if pages else 0.0 for part, value in totals.items()}


def tar_size(site: Path) -> int:
    """The size of the tar the action writes, by running GNU tar (as it does) into a pipe."""
    command = ["tar", "--dereference", "--hard-dereference", "--directory", str(site), "-cf", "-",
               "--exclude=.git", "--exclude=.github", "."]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:
        total = 0
        while chunk := process.stdout.read(1 << 20):
            total += len(chunk)
    if process.returncode:
        raise RuntimeError(f"tar exited with {process.returncode}")
    return total


def _kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def table(result: dict) -> str:
    """A Markdown table: each kind's files, bytes and artifact bytes, in total and per paper."""
    n = result["papers"]
    rows = ["| kind | files | bytes | in the artifact | artifact per paper |", "|---|---|---|---|---|"]
    for kind, k in list(result["kinds"].items()) + [("**total**", result["total"])]:
        per = k["artifact"] / n if n else 0
        rows.append(f"| {kind} | {k['files']:,} | {_mb(k['bytes'])} | {_mb(k['artifact'])} | {_kb(per)} |")
    page = result["paper_page"]
    lines = [
        f"{result['site']}: {n:,} papers; Pages artifact (uncompressed tar) {_mb(result['artifact'])}, "
        f"{_kb(result['per_paper']['total'])} a paper; 1 GB holds about "
        f"{int(LIMIT / result['per_paper']['total']) if n else 0:,} papers at that rate.",
        f"Paper page: median {_kb(page['median'])}, max {_kb(page['max'])} ({page['max_path']}).",
        "",
        *rows,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", type=Path, help="a built site directory")
    parser.add_argument("--json", action="store_true", help="print sizes() as JSON")
    parser.add_argument("--check-tar", action="store_true",
                        help="also run GNU tar as the action does and compare its size")
    parser.add_argument("--page-parts", action="store_true",
                        help="also a paper page's mean bytes: its own text, its metadata, its chrome")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        parser.error(f"{args.site}: not a directory")
    result = sizes(args.site)
    print(json.dumps(result, indent=2) if args.json else table(result))
    if args.page_parts:
        parts = page_parts(args.site)
        print("\nA paper page, mean: " + ", ".join(f"{part} {_kb(value)}" for part, value in parts.items()))
    if args.check_tar:
        real = tar_size(args.site)
        print(f"\nGNU tar: {real:,} bytes; computed: {result['artifact']:,} bytes"
              f" ({'same' if real == result['artifact'] else 'DIFFERENT'})")
        return 0 if real == result["artifact"] else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
