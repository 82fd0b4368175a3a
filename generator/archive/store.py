"""The archive on disk: one Markdown file a paper under ``papers/<YYMM>/``.

A harvest merges into this store; only the harvest-owned keys of a file are
ever rewritten, and a file is written only when what it holds changes.
"""
from __future__ import annotations

import datetime
import enum
import os
import re
from pathlib import Path
from typing import Iterator

from generator.archive import frontmatter
from generator.archive.models import HARVESTED_FIELDS, Paper, VersionEntry, id_month, id_slug, is_arxiv_id
from generator.archive.yamlcheck import display_path, name_problem
from generator.errors import PaperFileError, UnsafePathError
from generator.fileio import write_atomic


class Outcome(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    STALE = "stale"  # the archive already holds a newer version


def paper_from_text(text: str, path, cache=None) -> Paper:
    """Parse one paper file; every problem names the file (and line where known).

    ``cache``: a ``parse_cache.FrontMatterCache``, for a command that reads every paper each run.
    """
    doc = frontmatter.read(text, path, cache)
    missing = [k for k in ("id", "version", "title", "published", "updated", "primary_category")
               if k not in doc.meta]
    if missing:
        raise PaperFileError(path, 2, f"missing front matter key(s): {', '.join(missing)}")
    _check_id(doc.meta["id"], doc.front_matter, path)
    _check_shapes(doc.meta, doc.front_matter, path)
    try:
        return Paper.from_front_matter(doc.meta, doc.body.strip())
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PaperFileError(path, 2, f"invalid paper front matter: {error}") from None


def _key_line(front: str, key: str) -> int:
    """The file line of top-level ``key`` in the front matter (its last, the one YAML keeps; else the first line)."""
    match = None
    for match in re.finditer(rf"^{re.escape(key)}[ \t]*:", front, re.MULTILINE):
        pass
    return front.count("\n", 0, match.start()) + 2 if match else 2


_SCALAR = (str, int, float, datetime.date)  # what str() makes a title or a date of (an older file's unquoted date)
_SHAPES = {  # each harvested key: what it must be, in words, and a test of its value
    **{key: ("text", lambda v: isinstance(v, _SCALAR) and not isinstance(v, bool))
       for key in ("title", "published", "updated", "primary_category")},
    **{key: ("text", lambda v: v is None or isinstance(v, str))
       for key in ("msc_class", "acm_class", "comment", "journal_ref", "doi")},
    "version": ("a whole number", lambda v: type(v) is int or (isinstance(v, str) and v.isdigit())),
    "categories": ("a list of categories", lambda v: v is None or (
        isinstance(v, list) and all(isinstance(c, str) for c in v))),
    "authors": ("a list of authors, each with a name (and affiliations, a list)", lambda v: v is None or (
        isinstance(v, list) and all(isinstance(a, dict) and isinstance(a.get("name"), _SCALAR) and (
            a.get("affiliations") is None or (isinstance(a["affiliations"], list)
                                              and all(isinstance(x, _SCALAR) for x in a["affiliations"])))
            for a in v))),
    "links": ("a mapping of names to addresses", lambda v: v is None or (
        isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()))),
    "versions": ("a list of versions, each with a version and a date", lambda v: v is None or (
        isinstance(v, list) and all(isinstance(e, dict) and "version" in e and isinstance(e.get("date"), _SCALAR)
                                    for e in v))),
}


def _check_shapes(meta: dict, front: str, path) -> None:
    """Each harvested key holds what the harvest writes there: a mapping where text belongs would reach a page."""
    for key, (what, fits) in _SHAPES.items():
        if key in meta and not fits(meta[key]):
            shown = "a mapping" if isinstance(meta[key], dict) else "a list" if isinstance(meta[key], list) \
                else "nothing" if meta[key] is None else repr(meta[key])[:60]
            raise PaperFileError(path, _key_line(front, key), f"{key}: must be {what}, got {shown}")


def _check_id(value, front: str, path) -> None:
    """The id is an arXiv id, as text, and the file is where the archive keeps that id's paper."""
    if not isinstance(value, str) or not is_arxiv_id(value):
        quoted = " (quote it: id: '2606.01839')" if isinstance(value, (int, float)) else ""
        raise PaperFileError(path, _key_line(front, "id"), f"id: {value!r} is not an arXiv id such as 2606.01839 "
                                                           f"or cs/0112017{quoted}")
    folder, name = os.path.split(os.fspath(path))
    expected = f"{id_month(value)}/{id_slug(value)}.md"
    if f"{os.path.basename(folder)}/{name}" != expected:
        named = name_problem(path)  # a control character in the name: say which
        raise PaperFileError(path, 1, named) if named else \
            PaperFileError(path, _key_line(front, "id"), f"id: {value} belongs in papers/{expected}, not in this file")


class Archive:
    """The papers under ``<docs dir>/papers``."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = Path(docs_dir)
        self.papers_dir = self.docs_dir / "papers"

    def path_for(self, bare_id: str) -> Path:
        return self.papers_dir / id_month(bare_id) / f"{id_slug(bare_id)}.md"

    def load(self, bare_id: str) -> Paper | None:
        path = self.path_for(bare_id)
        text = self._read(path)
        return None if text is None else paper_from_text(text, path)

    def _read(self, path: Path) -> str | None:
        """A paper file's text exactly as on disk (its line endings and byte order mark too), or None.

        A symbolic link on the way (the papers or month directory, the file) is
        refused: what it points to is not the archive's, to read or to write.
        """
        for part in (self.papers_dir, path.parent, path):
            if part.is_symlink():
                raise UnsafePathError(display_path(part))
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise PaperFileError(path, None, f"cannot be read: {error.strerror or error}") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PaperFileError(path, None, f"not UTF-8 (byte {error.start}); left as it is") from None

    def paths(self) -> list[Path]:
        """Every paper file; none under a symbolic link."""
        if not self.papers_dir.is_dir() or self.papers_dir.is_symlink():
            return []
        found = []
        for month in sorted(os.scandir(self.papers_dir), key=lambda e: e.name):
            # Links are never followed (published.py reports them): a linked month could be anywhere.
            if month.is_dir(follow_symlinks=False) and not month.name.startswith("."):
                found.extend(Path(e.path) for e in os.scandir(month.path)
                             if e.name.endswith(".md") and not e.name.startswith(".") and not e.is_symlink())
        return found

    def iter_papers(self) -> Iterator[Paper]:
        for path in self.paths():
            yield paper_from_text(path.read_text(encoding="utf-8"), path)

    def save(self, incoming: Paper) -> Outcome:
        """Merge a harvested paper into the archive, keeping every key a person wrote."""
        path = self.path_for(incoming.id)
        old_text = self._read(path)
        existing = paper_from_text(old_text, path) if old_text is not None else None
        if existing and existing.version > incoming.version:
            return Outcome.STALE
        incoming.versions = merged_versions(existing, incoming)
        new_text = render_file(incoming, old_text, path)
        if new_text == old_text:
            return Outcome.UNCHANGED
        write_atomic(path, new_text)
        return Outcome.NEW if existing is None else Outcome.UPDATED


def merged_versions(existing: Paper | None, incoming: Paper) -> list[VersionEntry]:
    """The version history: what the archive knew, what the source knew, and the incoming version.

    A date the archive already holds is kept (no churn); v1 is dated by
    ``published`` when a new version is first recorded.
    """
    history = {v.version: v for v in (existing.versions if existing else [])}
    for entry in incoming.versions:  # arXivRaw (OAI-PMH) carries every version
        history.setdefault(entry.version, entry)
    if incoming.version not in history:
        date = incoming.published if incoming.version == 1 else incoming.updated
        history[incoming.version] = VersionEntry(incoming.version, date)
        if 1 not in history and incoming.published:
            history[1] = VersionEntry(1, incoming.published)
    return [history[v] for v in sorted(history)]


def render_file(paper: Paper, old_text: str | None, path) -> str:
    """The file for ``paper``: harvested keys re-written, everything else kept verbatim.

    A file a person saved with CRLF line endings or a byte order mark keeps
    them: their blocks stay byte for byte, and what the harvest writes around
    them follows the same convention, so the file is not left with two kinds
    of line ending, and a person's editor settings are not undone.
    """
    kept, newline, bom = "", "\n", ""
    if old_text is not None:
        front, _ = frontmatter.split(old_text, path)
        kept = "".join(text if key not in HARVESTED_FIELDS else _comment_lines(text)
                       for key, text in frontmatter.top_level_blocks(front))
        bom = "\ufeff" if old_text.startswith("\ufeff") else ""
        newline = "\r\n" if old_text.partition("\n")[0].endswith("\r") else "\n"
    # Only the harvest's own text; an abstract read back from a CRLF file holds CRLF already.
    own = lambda text: text.replace("\r\n", "\n").replace("\n", newline)  # noqa: E731
    harvested = frontmatter.dump(paper.harvested_front_matter())
    if kept and not kept.endswith("\n"):
        kept += newline
    return bom + own("---\n" + harvested) + kept + own("---\n\n" + paper.abstract + "\n")


def _comment_lines(block: str) -> str:
    """The comment lines in a harvested key's block: the harvest writes none, so a person did.

    A comment above a harvested key, or one closing a person's block just
    before it (a line commented out), is kept, in its place among the kept blocks.
    """
    return "".join(line for line in block.splitlines(keepends=True) if line.lstrip().startswith("#"))


def reapply_harvest(harvested_text: str, current_text: str | None, path) -> str:
    """A harvested file re-applied onto the file as it is now, which a person may have changed
    since the harvest read it: what ``Archive.save`` writes, with ``current_text`` as the old file.

    The harvested keys and the abstract come from ``harvested_text``; every other key, and
    every comment, from ``current_text``, byte for byte. A file that now holds a newer
    version than the harvested one is kept as it is.
    """
    incoming = paper_from_text(harvested_text, path)
    if current_text is None:
        return harvested_text
    existing = paper_from_text(current_text, path)
    if existing.version > incoming.version:
        return current_text
    incoming.versions = merged_versions(existing, incoming)
    return render_file(incoming, current_text, path)
