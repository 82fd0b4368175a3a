"""Lighthouse's accessibility and best-practices scores for every page kind, mobile and desktop, light and dark.

Builds the sample archive (content/) into a temporary directory, serves it on
127.0.0.1, and runs Lighthouse 12.2.3 (benchmarks/lighthouse.mjs) on one page
of each kind, printing a Markdown table of scores and any failing audit.

Lighthouse is installed on first use into a cache directory
(``$XDG_CACHE_HOME/arxiv-archive/lighthouse-12.2.3``, about 110 MB), not by
``make venv``: every checkout, CI run and pull request would otherwise
download it for a figure only this script reports. Needs node and npm (20 is
enough for 12.2.3; Lighthouse 13 needs 22) and Debian's chromium
(``CHROME_PATH``, default /usr/bin/chromium).

    .venv/bin/python benchmarks/lighthouse.py
    .venv/bin/python benchmarks/lighthouse.py --site site   # an existing build
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

LIGHTHOUSE = "12.2.3"
PAGE_KINDS = {  # kind -> a page of that kind in the sample archive
    "home": "",
    "month listing": "months/2606/",
    "topic": "topics/llm-serving/",
    "topics index": "topics/",
    "paper": "papers/2510/2510.00991/",
    "search": "search/?q=consensus",
    "library": "library/",
}


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "arxiv-archive" / f"lighthouse-{LIGHTHOUSE}"


def install(directory: Path) -> Path:
    """Lighthouse, pinned, in ``directory`` (once)."""
    if not (directory / "node_modules" / "lighthouse" / "package.json").exists():
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        print(f"lighthouse: installing lighthouse@{LIGHTHOUSE} into {directory} …", file=sys.stderr)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-exact",
                        f"lighthouse@{LIGHTHOUSE}"], cwd=directory, check=True)
    return directory


def run(site: Path, kinds: dict[str, str]) -> list[dict]:
    from conftest import SiteServer

    server = SiteServer(site)
    try:
        urls = {server.url + url: kind for kind, url in kinds.items()}
        env = {**os.environ, "LIGHTHOUSE_DIR": str(install(cache_dir())),
               "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        output = subprocess.run(["node", str(REPO / "benchmarks" / "lighthouse.mjs"), *urls], env=env,
                                check=True, capture_output=True, text=True).stdout
    finally:
        server.close()
    results = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    for result in results:
        result["kind"] = urls[result["url"]]
    return results


def table(results: list[dict]) -> str:
    columns = [(form, scheme) for form in ("mobile", "desktop") for scheme in ("light", "dark")]
    scores = {(r["kind"], r["form"], r["scheme"]): f"{r['score']} / {r.get('practices', '–')}" for r in results}
    lines = ["| page | " + " | ".join(f"{form}, {scheme}" for form, scheme in columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for kind in dict.fromkeys(r["kind"] for r in results):
        lines.append(f"| {kind} | " + " | ".join(str(scores.get((kind, *c), "–")) for c in columns) + " |")
    for r in results:
        for audit in r["failing"]:
            lines.append(f"\n{r['kind']} ({r['form']}, {r['scheme']}): {audit['id']} — {audit['title']} "
                         + "; ".join(audit["items"]))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site to audit [build content/ afresh]")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        site = args.site
        if site is None:
            from generator.mkdocs_hooks import build_site
            site = build_site(REPO / "mkdocs.yml", Path(scratch) / "site")
        kinds = {kind: url for kind, url in PAGE_KINDS.items()
                 if (site / url.split("?")[0] / "index.html").exists()}  # the search page, once there is one
        results = run(site, kinds)
    print(f"Lighthouse {LIGHTHOUSE}, accessibility / best practices\n\n" + table(results))
    if any(r["score"] < 100 or r.get("practices", 100) < 100 for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
