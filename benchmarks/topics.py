"""How long `topics` takes at archive scale (not part of `make test`).

Writes N synthetic papers (tests/synthetic.py) into a git repository with the
shipped topics, commits, then changes one topic's keyword, includes a paper
and adds a topic, and times (wall clock, the real CLI in a fresh process):
the report without candidates, the report with candidates, `--diff HEAD` (twice: the
second finds the other side's work kept too), the report after a diff, and `check`, each
with its wall clock and CPU time (user + system, the child process's and its
workers'). "cold cache": with no `.cache/` (a fresh checkout, as in CI); the
other runs find the front matter the first run parsed there.

    .venv/bin/python benchmarks/topics.py [N]
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import synthetic  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b",
       "GIT_COMMITTER_EMAIL": "b@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run(cwd, *args, check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=check, stdout=subprocess.DEVNULL,
                   stderr=None if check else subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(cwd, *args, check: bool = True) -> str:
    """Wall clock and the child's CPU time (user + system): on a shared machine the wall clock
    also counts waiting for a core, the CPU time does not. ``check=False``: ``check`` reports the
    shipped topics' include and exclude ids this synthetic archive lacks (it still reads and
    checks everything)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(cwd, *args, check=check)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"{wall:6.1f} s wall, {cpu:6.1f} s CPU"


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="topics-bench-"))
    try:
        content = work / "content"
        shutil.copytree(ROOT / "content" / "topics", content / "topics")
        shutil.copy(ROOT / "archive.yml", work / "archive.yml")
        shutil.copytree(ROOT / "gold", work / "gold")  # the gold set: the topic model learns from it
        batch = synthetic.entries(n)
        for start in range(0, n, 5000):
            synthetic.save(content, batch[start:start + 5000])
        run(work, "git", "init", "--quiet", "--initial-branch=main")
        run(work, "git", "add", "--all")
        run(work, "git", "commit", "--quiet", "-m", "archive")
        topic = sorted((content / "topics").glob("*.md"))[0]
        first = next((content / "papers").rglob("*.md")).stem
        text = topic.read_text(encoding="utf-8")
        topic.write_text(text.replace("keywords: [", "keywords: [gossip protocols, ", 1)
                         .replace("include: [", f"include: [{first}, ", 1), encoding="utf-8")
        (content / "topics" / "raft.md").write_text("---\ntitle: Raft\nmatch:\n  keywords: [Raft]\n---\n",
                                                    encoding="utf-8")
        python = [sys.executable, "-m", "generator", "--content", str(content), "--config", str(work / "archive.yml")]
        ENV["PYTHONPATH"] = str(ROOT)
        print(f"{n:,} papers, {len(list((content / 'topics').glob('*.md')))} topics")
        cache = work / ".cache"  # the parsed front matter (generator/archive/parse_cache.py)
        print(f"topics --count 0, cold cache      {timed(work, *python, 'topics', '--count', '0')}")
        print(f"topics --count 0 (no candidates)  {timed(work, *python, 'topics', '--count', '0')}")
        print(f"topics (3 candidates a topic)     {timed(work, *python, 'topics')}")
        print(f"topics --diff HEAD                {timed(work, *python, 'topics', '--diff', 'HEAD')}")
        print(f"topics --diff HEAD, again         {timed(work, *python, 'topics', '--diff', 'HEAD')}")
        print(f"topics --count 0, after the diff  {timed(work, *python, 'topics', '--count', '0')}")
        print(f"check                             {timed(work, *python, 'check', check=False)}")
        shutil.rmtree(cache)
        print(f"topics --diff HEAD, cold cache    {timed(work, *python, 'topics', '--diff', 'HEAD')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
