"""The split of a built site into volumes (``python -m generator volumes``), measured on a copy.

The site is copied as hard links (``cp -al``: seconds, no extra space; the
split renames directories and replaces files, so the original is left as it
was), then split with ``--volumes`` volumes and ``--limit-mb``, in a child
process whose time (wall, user + system) and peak memory are reported with
each site's Pages artifact.

    .venv/bin/python benchmarks/volumes.py SITE_DIR --site-url URL [--volumes 2] [--limit-mb 1000]

SITE_DIR is a built site, e.g. the one ``benchmarks/real.py other`` builds
(/work/cache-real/other-<key>/site); URL its site_url (the sitemap names it).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.site.budget import artifact_bytes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--site-url", required=True)
    parser.add_argument("--volumes", type=int, default=2)
    parser.add_argument("--limit-mb", type=float, default=1000)
    parser.add_argument("--work", type=Path, help="where the copy goes, on SITE's file system [default: the system's "
                        "temporary directory]")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="volumes-bench-", dir=args.work))  # on SITE's file system: hard links
    try:
        subprocess.run(["cp", "-al", str(args.site), str(work / "site")], check=True)
        names = [f"volume-{i + 1}" for i in range(args.volumes)]
        (work / "archive.yml").write_text(f"name: Benchmark\nsite_url: {args.site_url}\ndeploy:\n"
                                          f"  volumes: [{', '.join(names)}]\n  limit_mb: {args.limit_mb}\n")
        before, load = artifact_bytes(work / "site"), os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator", "--config", str(work / "archive.yml"), "volumes",
                               "-d", str(work / "site"), "--out", str(work / "volumes")],
                              cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        wall = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(done.stdout + done.stderr, end="")
        if done.returncode:
            sys.exit(done.returncode)
        print(f"\n| site | Pages artifact | paper pages |\n|---|---|---|")
        print(f"| before the split | {before / 1e6:,.1f} MB | {count(work / 'site') + sum(count(work / 'volumes' / n) for n in names):,} |")
        print(f"| main | {artifact_bytes(work / 'site') / 1e6:,.1f} MB | {count(work / 'site'):,} |")
        for name in names:
            print(f"| {name} | {artifact_bytes(work / 'volumes' / name) / 1e6:,.1f} MB | {count(work / 'volumes' / name):,} |")
        print(f"\nsplit: {wall:.0f} s wall, {usage.ru_utime + usage.ru_stime:.1f} s CPU (user {usage.ru_utime:.1f} + "
              f"system {usage.ru_stime:.1f}), peak {usage.ru_maxrss / 1024:.0f} MB; load average {load:.1f} before it")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def count(site: Path) -> int:
    papers = site / "papers"
    return sum(1 for _ in papers.glob("*/*/index.html")) if papers.is_dir() else 0


if __name__ == "__main__":
    main()
