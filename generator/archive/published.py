"""What the site may publish from ``content/``: the archive's own kinds of file, by name.

MkDocs publishes every file under its docs dir and follows symbolic links:
a pull request adding ``content/about.md`` (raw HTML), ``content/evil.html``,
an ``.svg``, ``topics/sub/x.md`` or a link to ``/etc/hostname`` would get a
page of its own. So the archive says what it holds, and anything else is a
problem that ``check`` reports with its path and the build refuses, before
MkDocs reads a file:

- ``papers/<YYMM>/<arXiv id>.md``: paper files (the harvest's);
- ``topics/<slug>.md``: topic files (people's);
- the project's own assets, named in ``ASSETS``;
- ``.harvest-state.json`` and the write-in-progress files ``.<name>.tmp``
  (MkDocs publishes no dot-file; the state file is checked elsewhere).

Nothing under ``content/`` may be a symbolic link: links are reported, never followed.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from generator.archive.yamlcheck import Problem, display_path

ASSETS = frozenset({"assets/archive.css", "assets/search.css", "assets/search.js", "assets/search-page.js",
                    "assets/library-loader.js", "assets/library.js", "assets/library-export.js", "assets/library-page.js"})
FOLDERS = {"": {"papers", "topics", "assets"}}  # a folder → the folders it may hold (papers: months, below)

_MONTH = re.compile(r"\d{4}")
# New ids (2606.04101) and old ones as their files name them (cs/0112017 → cs-0112017, math.AG/… → math.AG-…).
_PAPER = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?-\d{7})\.md")
_LEFTOVER = re.compile(r"\..+\.tmp")  # fileio.write_atomic's, from a write that was stopped

STATE_FILE = ".harvest-state.json"  # the harvest's state, kept beside the papers


def unpublishable(docs_dir: Path) -> list[Problem]:
    """Every file, folder and link under ``docs_dir`` that the archive does not hold, as a problem."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return []
    problems: list[Problem] = []
    _walk(docs_dir, "", problems)
    return sorted(problems)


def _walk(directory: Path, relative: str, problems: list[Problem]) -> None:
    with os.scandir(directory) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = f"{relative}{entry.name}"
            shown = display_path(entry.path)
            if entry.is_symlink():
                problems.append(Problem(shown, 1, "a symbolic link: the archive holds files, not links "
                                                  "(it is never followed; replace it by the file itself)"))
            elif entry.is_dir(follow_symlinks=False):
                if _folder_allowed(relative, entry.name):
                    _walk(Path(entry.path), path + "/", problems)
                else:
                    problems.append(Problem(shown, 1, f"a folder the site does not publish: {_WHERE}"))
            elif not _file_allowed(relative, entry.name):
                problems.append(Problem(shown, 1, f"a file the site does not publish: {_WHERE}"))


_WHERE = ("papers are content/papers/<YYMM>/<arXiv id>.md, topics content/topics/<name>.md "
          "(lower-case words joined by hyphens); nothing else belongs in content/")


def _folder_allowed(parent: str, name: str) -> bool:
    if parent == "papers/":
        return bool(_MONTH.fullmatch(name))
    return name in FOLDERS.get(parent.rstrip("/"), set())


def _file_allowed(parent: str, name: str) -> bool:
    if parent == "":
        return name == STATE_FILE or bool(_LEFTOVER.fullmatch(name))
    if _LEFTOVER.fullmatch(name):
        return True
    if parent == "topics/":  # topics.read_topic names a badly named one, with how to name it
        return name.endswith(".md")
    if parent.startswith("papers/") and parent.count("/") == 2:
        return bool(_PAPER.fullmatch(name))
    return parent + name in ASSETS
