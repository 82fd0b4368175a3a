"""What the harvest keeps between runs (``.harvest-state.json``), and one harvest at a time on an archive.

The state is read as untrusted input: what is not of the shape the harvest
writes, or a date in the future, is dropped with a note (it only costs a
longer harvest). The lock is the kernel's, on the docs directory.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

from generator.archive.published import STATE_FILE
from generator.archive.yamlcheck import display_path
from generator.errors import HarvestError, UnsafePathError, WriteError
from generator.fileio import remove_temporaries, write_atomic
from generator.harvest.checks import DATE_KEYS, ENTRY_TYPES, POSITION_DATES, date_problem, now_utc


class State:
    """What the harvest keeps between runs, per category, in ``.harvest-state.json``.

    ``complete_through``: the newest ``updated`` a completed API run had seen
    (the watermark). ``arxiv_total`` and ``arxiv_total_seen``: the count arXiv
    reported (``totalResults``) and the day it did. ``held``: how many of the
    category's papers the archive holds. ``backfill_through``: an OAI-PMH
    sweep of the whole set completed, as of that response date;
    ``backfill_position``: where an unfinished sweep goes on (its token, and
    the last datestamp stored, for when the token has expired).
    ``last_harvest`` (top level): the day the last harvest ran.
    """

    def __init__(self, docs_dir: Path, now: datetime | None = None):
        self.path = Path(docs_dir) / STATE_FILE
        self.now = now or now_utc()
        self.distrusted: list[str] = []  # what was read and not used, one line each, naming the file
        self.unwritable: str | None = None  # why the file cannot be written: then it is not written
        self.data = _usable(self._read(), self.now, self.distrusted.append, display_path(self.path))
        self._written = self._text()

    def _read(self) -> object:
        """The file's JSON; a missing, damaged or unreadable file only costs a longer harvest."""
        if self.path.is_symlink():  # never followed: what it points to is not the archive's
            self.unwritable = str(UnsafePathError(display_path(self.path)))
            return {}
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:  # ValueError: not JSON, not UTF-8
            reason = getattr(error, "strerror", None) or "not valid JSON"
            self.distrusted.append(f"{display_path(self.path)}: {reason}; read as empty (a longer harvest)")
            return {}

    def _text(self) -> str:
        data = dict(self.data)
        if isinstance(data.get("categories"), dict):  # an entry with nothing in it is not worth a file
            data["categories"] = {c: e for c, e in data["categories"].items() if e}
            if not data["categories"]:
                del data["categories"]
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    def _entry(self, category: str) -> dict:
        return self.data.get("categories", {}).get(category, {})

    def entry(self, category: str) -> dict:
        """The category's entry, to change; ``save`` writes it."""
        return self.data.setdefault("categories", {}).setdefault(category, {})

    def save(self) -> None:
        """Write the file, atomically, only when what it holds has changed."""
        text = self._text()
        if text != self._written and not self.unwritable:
            try:
                write_atomic(self.path, text)
            except WriteError as error:  # the papers stored stay; the next run walks the same pages
                self.unwritable = str(error)
                return
            self._written = text

    def bounded(self, when: str | None) -> str | None:
        """``when``, if it is a date the state may hold: an untrustworthy one is never stored."""
        return when if when and not date_problem(when, self.now, day_ok=True) else None

    def watermark(self, category: str) -> str | None:
        return self._entry(category).get("complete_through")

    def complete(self, category: str, newest_updated: str | None, **extra: str) -> None:
        """Record a completed run; the watermark only ever advances, and never past the time of the run."""
        entry = self.entry(category)
        newest_updated = self.bounded(newest_updated)
        if newest_updated:  # a day of clock skew is allowed in a record, not in the watermark
            newest_updated = min(newest_updated, self.now.strftime("%Y-%m-%dT%H:%M:%SZ"))
        extra = {key: self.bounded(value) for key, value in extra.items()}
        if newest_updated and entry.get("complete_through", "") < newest_updated:
            entry["complete_through"] = newest_updated
        for key, value in extra.items():
            if value and entry.get(key, "") < value:
                entry[key] = value
        self.save()


def _usable(data: object, now: datetime, distrust: Callable[[str], None], shown: str) -> dict:
    """The state as read, less what is not of the shape the harvest writes (a hand edit, a
    damaged file) and every date that is not ISO 8601 or lies in the future: a watermark
    of 9999-12-31 would stop every later run at its first entry. What is dropped only
    costs a longer harvest, as a missing file does; ``distrust`` is told each."""
    if not isinstance(data, dict):
        if data != {}:
            distrust(f"{shown}: not a JSON object; read as empty (a longer harvest)")
        return {}
    data = dict(data)
    if "last_harvest" in data and date_problem(data["last_harvest"], now, day_ok=True):
        del data["last_harvest"]
    categories = data.get("categories")
    if categories is None:
        return data
    if not isinstance(categories, dict):
        del data["categories"]
        return data
    data["categories"] = {category: _usable_entry(category, entry, now, distrust, shown)
                          for category, entry in categories.items() if isinstance(entry, dict)}
    return data


def _usable_entry(category: str, entry: dict, now: datetime, distrust: Callable[[str], None], shown: str) -> dict:
    kept = {}
    for key, value in entry.items():
        if isinstance(value, bool) or not isinstance(value, ENTRY_TYPES.get(key, object)):
            continue
        problem = date_problem(value, now, day_ok=True) if key in DATE_KEYS else None
        if problem:
            distrust(f"{shown}: categories.{category}.{key}: {problem}; not trusted (a longer harvest)")
            continue
        kept[key] = value
    if "backfill_position" in kept:  # a token and datestamps, all strings
        kept["backfill_position"] = {
            k: v for k, v in kept["backfill_position"].items()
            if isinstance(v, str) and not (k in POSITION_DATES and date_problem(v, now, day_ok=True))}
    return kept


def overlap_cutoff(watermark: str | None, days: float) -> str | None:
    """The ``updated`` below which a run may stop: ``days`` before the watermark."""
    if not watermark:
        return None
    try:
        when = datetime.fromisoformat(watermark.replace("Z", "+00:00"))
    except ValueError:
        return None  # an unreadable watermark: walk everything
    return (when - timedelta(days=days)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def harvest_lock(docs_dir: Path) -> Iterator[None]:
    """One harvest at a time on an archive; then the leftovers of a killed one go.

    The lock is on the docs directory itself (no lock file to commit or
    forget), and the kernel releases it when a process dies, even by SIGKILL.
    """
    docs_dir = Path(docs_dir)
    docs_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(docs_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise HarvestError(str(docs_dir), "another harvest is running on this archive") from None
        remove_temporaries(docs_dir)
        papers = docs_dir / "papers"
        if papers.is_dir() and not papers.is_symlink():  # never into what a link points to
            for month in papers.iterdir():
                if month.is_dir():
                    remove_temporaries(month)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def today_utc() -> str:
    return datetime.now(timezone.utc).date().isoformat()
