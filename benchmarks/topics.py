"""How long `topics` takes at archive scale (not part of `make test`).

Writes N synthetic papers (tests/synthetic.py) into a git repository with the
shipped topics, commits, then changes one topic's keyword, includes a paper
and adds a topic, and times (wall clock, the real CLI in a fresh process):
the report without candidates, the report with candidates, and `--diff HEAD`.

    .venv/bin/python benchmarks/topics.py [N] [--keep DIR]
"""
from __future__ import annotations

import os
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


def run(cwd, *args) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="topics-bench-"))
    try:
        content = work / "content"
        shutil.copytree(ROOT / "content" / "topics", content / "topics")
        shutil.copy(ROOT / "archive.yml", work / "archive.yml")
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
        print(f"topics --count 0 (no candidates)  {run(work, *python, 'topics', '--count', '0'):6.1f} s")
        print(f"topics (3 candidates a topic)     {run(work, *python, 'topics'):6.1f} s")
        print(f"topics --diff HEAD                {run(work, *python, 'topics', '--diff', 'HEAD'):6.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30_000)
