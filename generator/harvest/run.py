"""Harvesting: page through arXiv (the query API, OAI-PMH, or saved responses) into the archive.

Each category is its own query, newest update first, so new papers and new
versions both arrive at the top. A run pages down to ``overlap_days`` before
the newest update the last *completed* run had seen (the category's
watermark in ``.harvest-state.json``): papers arXiv announces late (held
for moderation, an index that lags) still sit above that line. A run that
was killed midway leaves the watermark where it was, so the next run walks
the same pages again, writes nothing it already wrote, and finishes.

``backfill`` (``harvest --since``) reads OAI-PMH instead, which has no cap
on results and carries every version's date.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from generator.harvest.atom import FeedPage, parse_page
from generator.harvest.client import Client, Response, RetryableError, check_status
from generator.errors import (ArchiveError, ArxivAPIError, FeedError, HarvestError, OAIError, PaperFileError,
                              UnsafePathError, WriteError)
from generator.archive import frontmatter
from generator.archive.models import Paper
from generator.archive.published import STATE_FILE
from generator.archive.store import Archive, Outcome
from generator.archive.yamlcheck import display_path
from generator.fileio import remove_temporaries, write_atomic
from generator.harvest.checks import DATE_KEYS, ENTRY_TYPES, POSITION_DATES, date_problem, now_utc
from generator.harvest.oai import OAIPage, list_records_url, parse_oai_response, resume_url

API_RESULT_CAP = 30000  # the query API serves no result past this offset (tests lower it)
TOKEN_RESTARTS = 5  # expired resumption tokens one sweep survives in one run
Progress = Callable[[str, int, "int | None"], None]  # (category, done, total)


@dataclass
class Report:
    """What one harvest did; ``errors`` are one line each, naming the URL or file."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    stale: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem_keys: set = field(default_factory=set, repr=False)
    counts: list[tuple[str, int, "int | None"]] = field(default_factory=list)  # (category, held, arXiv's count)
    limit: int | None = None  # the run's max_results: what it stopped at, not fetched by the next run

    def add(self, paper: Paper, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new.append(paper.versioned_id)
        elif outcome is Outcome.UPDATED:
            self.updated.append(paper.versioned_id)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.stale += 1
        if outcome in (Outcome.NEW, Outcome.UPDATED) and paper.withdrawn:
            self.withdrawn.append(paper.versioned_id)

    def record_problems(self, problems) -> None:
        """A record's problem once, though a restarted list reads its page again."""
        for problem in problems:
            if problem.key not in self.problem_keys:
                self.problem_keys.add(problem.key)
                self.errors.append(str(problem))

    def error_lines(self) -> list[str]:
        """Each error once: a page read again (a retry, a restarted list) repeats its problems."""
        return list(dict.fromkeys(self.errors))

    def summary(self) -> str:
        errors = len(self.error_lines())
        return (f"{len(self.new)} new, {len(self.updated)} updated, {len(self.withdrawn)} withdrawn, "
                f"{errors} error{'s' if errors != 1 else ''} "
                f"({self.unchanged} unchanged, {self.stale} older than the archive's copy, "
                f"{self.requests} request{'s' if self.requests != 1 else ''})")

    def lines(self) -> list[str]:
        """The short report a person reads: the counts, then what needs a look."""
        lines = [f"harvest: {self.summary()}"]
        if self.withdrawn:
            lines.append(f"withdrawn: {', '.join(self.withdrawn)}")
        lines.extend(count_line(*count, limit=self.limit) for count in self.counts)
        lines.extend(f"note: {note}" for note in self.notes)
        return lines


def count_line(category: str, held: int, total: int | None, limit: int | None = None) -> str:
    """``cs.DC: 31,240 of 31,240 papers``, and what a shortfall means (``limit``: the run's max_results)."""
    if total is None:
        return f"{category}: {held:,} papers (arXiv's count not seen yet)"
    line = f"{category}: {held:,} of {total:,} papers"
    if held < total:
        then = f"this harvest stopped at {limit:,} a category" if limit else "the next harvest fetches them"
        line += f" ({total - held:,} missing; {then})"
    return line


def query_url(api_url: str, category: str, start: int, page_size: int) -> str:
    params = {"search_query": f"cat:{category}", "sortBy": "lastUpdatedDate",
              "sortOrder": "descending", "start": start, "max_results": page_size}
    return f"{api_url}?{urllib.parse.urlencode(params)}"


def parse_api_response(response: Response, start: int) -> FeedPage:
    """A response → a page, or the reason to retry it, or the reason to give up."""
    if response.status == 400:  # arXiv's error feed comes with HTTP 400
        try:
            parse_page(response.body, response.url)
        except ArxivAPIError:
            raise
        except HarvestError:
            pass
    check_status(response)
    try:
        page = parse_page(response.body, response.url)
    except ArxivAPIError:
        raise  # a query arXiv refuses: asking again gets the same answer
    except FeedError as error:
        raise RetryableError(response.url, error.message) from None
    if page.total_results is None:  # an Atom feed, but not arXiv's answer to a query
        raise RetryableError(response.url, "not an arXiv API page: no opensearch:totalResults")
    if not page.papers and not page.problems and page.total_results and start < min(page.total_results, API_RESULT_CAP):
        # arXiv at times serves an empty page mid-way: it is not the end.
        raise RetryableError(response.url, f"empty page at start={start} of {page.total_results} results")
    return page


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


class Harvester:
    def __init__(self, archive: Archive, client: Client, api_url: str, page_size: int,
                 max_results: int | None = None, overlap_days: float = 14.0,
                 oai_url: str | None = None, progress: Progress | None = None,
                 today: Callable[[], str] = today_utc):
        self.archive, self.client, self.api_url, self.oai_url = archive, client, api_url, oai_url
        self.page_size, self.max_results, self.overlap_days = page_size, max_results, overlap_days
        self.progress = progress or (lambda category, done, total: None)
        self.today = today
        self.state = State(archive.docs_dir)
        self.report = Report(limit=max_results, notes=list(self.state.distrusted))
        self.held_back: dict[str, str] = {}  # category → the oldest `updated` of a paper it could not store

    def run(self, categories: Iterable[str]) -> Report:
        """The query API, newest first, down to the last completed run's watermark; then,
        for a category whose papers the archive still lacks (past the API's cap, or
        missed), OAI-PMH, which has no cap, resuming where an earlier run stopped."""
        categories = list(categories)
        with harvest_lock(self.archive.docs_dir):
            done = [c for c in categories if self._guarded(lambda: self._harvest_category(c))]
            held = self._count()
            short = [c for c in done if self._completes(c, held[c])]
            if short:
                for category in short:
                    self._guarded(lambda: self._complete_category(category))
                held = self._count()
            self._finish(categories, held)
        return self.report

    def backfill(self, categories: Iterable[str], since: date) -> Report:
        """OAI-PMH from ``since``: every paper changed since then, with no cap."""
        if not self.oai_url:
            raise HarvestError("--since", "no OAI-PMH endpoint configured (harvest.oai_url)")
        categories = list(categories)
        with harvest_lock(self.archive.docs_dir):
            for category in categories:
                self._guarded(lambda: self._backfill_category(category, since))
            self._finish(categories, self._count())
        return self.report

    def _guarded(self, harvest_one: Callable[[], None]) -> bool:
        # One category failing (arXiv gave up on its query) does not stop the
        # others; the run reports every error and exits non-zero.
        try:
            harvest_one()
            return True
        except HarvestError as error:
            self.report.errors.append(str(error))
            return False

    def _count(self) -> Counter:
        """How many papers of each category the archive holds (about 6 s at 30,000 papers)."""
        held: Counter = Counter()
        for path in self.archive.paths():
            try:
                categories = frontmatter.read(path.read_text(encoding="utf-8"), path).meta.get("categories") or []
            except (ArchiveError, OSError, ValueError, AttributeError):  # ValueError: not UTF-8
                continue  # `check` and the build name a broken file; it is no paper of any category
            if isinstance(categories, list):
                held.update({c for c in categories if isinstance(c, str)})
        return held

    def _completes(self, category: str, held: int) -> bool:
        """Whether to fetch what the API did not serve: the archive holds fewer than arXiv lists,
        or a sweep an earlier run began is unfinished (equal counts need not be the same papers)."""
        entry = self.state.entry(category)
        total = entry.get("arxiv_total")
        short = isinstance(total, int) and held < total
        return bool(self.oai_url) and self.max_results is None and (short or "backfill_position" in entry)

    def _finish(self, categories: list[str], held: Counter) -> None:
        for category in categories:
            entry = self.state.entry(category)
            entry["held"] = held[category]
            self.report.counts.append((category, held[category], entry.get("arxiv_total")))
        self.state.data["last_harvest"] = self.today()
        self.state.save()
        if self.state.unwritable:
            self.report.errors.append(f"{self.state.unwritable}; the papers stored are kept, "
                                      "and the next run walks the same pages again")
        self.report.requests = self.client.requests_made

    def _harvest_category(self, category: str) -> None:
        cutoff = overlap_cutoff(self.state.watermark(category), self.overlap_days)
        start, seen, newest = 0, 0, None
        while True:
            size = self.page_size if self.max_results is None else min(self.page_size, self.max_results - seen)
            url = query_url(self.api_url, category, start, size)
            page = self.client.fetch(url, lambda r: parse_api_response(r, start))
            if start == 0 and page.total_results is not None:  # arXiv's count, as of its answer
                entry = self.state.entry(category)
                entry["arxiv_total"] = page.total_results
                entry["arxiv_total_seen"] = (self.state.bounded(page.updated) or self.today())[:10]
            reached_known = False
            for paper in page.papers:
                if cutoff and (paper.updated < cutoff or (paper.updated == cutoff and self._have(paper))):
                    reached_known = True  # every older paper was seen by a completed run
                    break
                newest = max(newest or "", paper.updated)
                self._save(category, paper)
            self.report.record_problems(page.problems)
            entries = len(page.papers) + len(page.problems)  # a refused entry still takes its place
            seen += entries
            start += entries
            total = page.total_results or 0
            # A run that stops at the watermark cannot know its length: count only.
            self.progress(category, seen, None if cutoff else min(total, API_RESULT_CAP))
            if reached_known or not entries or start >= min(total, API_RESULT_CAP):
                break
            if self.max_results is not None and seen >= self.max_results:
                return  # a partial run: the watermark stays, the next run goes on
        if not reached_known and total > API_RESULT_CAP and not self.oai_url:
            self.report.notes.append(
                f"{category}: the API serves only the newest {API_RESULT_CAP:,} of {total:,} results, "
                "and no OAI-PMH endpoint is configured (harvest.oai_url) to fetch the rest")
        self.state.complete(category, self._held_below(category, newest))

    def _save(self, category: str, paper: Paper) -> None:
        """Store one paper; a file that cannot be (broken front matter, a symbolic link) is an error
        naming it, left as it is for a person, and the harvest goes on with the rest."""
        try:
            self.report.add(paper, self.archive.save(paper))
        except (PaperFileError, UnsafePathError) as error:
            self.report.errors.append(str(error))
            held = self.held_back.get(category)
            self.held_back[category] = min(held, paper.updated) if held else paper.updated

    def _held_below(self, category: str, newest: str | None) -> str | None:
        """The watermark may not pass a paper that could not be stored: the next run comes down to it again."""
        held = self.held_back.get(category)
        return min(newest, held) if newest and held else newest

    def _have(self, paper: Paper) -> bool:
        try:
            existing = self.archive.load(paper.id)
        except (PaperFileError, UnsafePathError):
            return False  # saving it says why, and leaves it as it is
        return existing is not None and existing.version >= paper.version

    def _complete_category(self, category: str) -> None:
        """Sweep the category's OAI-PMH set for the papers the archive lacks.

        The first sweep reads the whole set: the papers the API did not serve
        are the least recently updated, but an OAI datestamp is when a record
        last changed (a DOI added, a bulk re-stamp), so no ``from`` date is
        sure to hold them all. A later sweep reads only what changed since the
        last complete one. After every page the position is stored, so a run
        stopped midway (the workflow's time limit, arXiv down) resumes there;
        an expired token restarts ``from`` the last datestamp stored.
        Papers the archive already holds at that version are left as they are.
        """
        entry = self.state.entry(category)
        position = entry.get("backfill_position")
        if not isinstance(position, dict):
            position = {"from": (entry.get("backfill_through") or "")[:10] or None}

        def restart() -> str:  # the token expired: go on from the last datestamp stored
            position["token"] = None
            self._store_position(entry, position)
            return self._sweep_url(category, position)

        seen = 0
        for page in self._oai_pages(self._sweep_url(category, position), restart):
            position.setdefault("started", page.response_date)
            seen = self._store_page(category, page, seen, skip_held=True)
            position["token"] = page.token
            if page.last_datestamp and page.last_datestamp > (position.get("resume_from") or ""):
                position["resume_from"] = page.last_datestamp
            self._store_position(entry, position)
        entry.pop("backfill_position", None)
        if position.get("started") and entry.get("backfill_through", "") < position["started"]:
            entry["backfill_through"] = position["started"]
        self.state.save()

    def _store_page(self, category: str, page: OAIPage, seen: int, skip_held: bool = False) -> int:
        """Store an OAI-PMH page's papers (``skip_held``: not those held at the same version), note its
        problems, show the progress; returns how many records have been seen."""
        for paper in page.papers:
            if skip_held and self._have(paper):
                self.report.unchanged += 1
            else:
                self._save(category, paper)
        self.report.record_problems(page.problems)
        seen += len(page.papers) + len(page.problems)
        self.progress(category, seen, page.complete_size)
        return seen

    def _oai_pages(self, url: str, restart: Callable[[], str]) -> Iterator[OAIPage]:
        """Each page of the OAI-PMH list at ``url``, following its resumption tokens.

        An expired token (``badResumptionToken``) asks ``restart`` where to go on,
        up to ``TOKEN_RESTARTS`` times; a token sent twice would never end, so it is
        an error. The next page is fetched only once the caller has stored this one.
        """
        restarts, tokens = 0, set()
        while url:
            try:
                page = self.client.fetch(url, parse_oai_response)
            except OAIError as error:
                if error.code != "badResumptionToken" or restarts >= TOKEN_RESTARTS:
                    raise
                restarts += 1
                url = restart()
                continue
            if page.token and page.token in tokens:
                raise HarvestError(url, f"the server sent resumption token {page.token!r} again")
            tokens.add(page.token)
            yield page
            url = resume_url(self.oai_url, page.token) if page.token else None

    def _sweep_url(self, category: str, position: dict) -> str:
        if position.get("token"):
            return resume_url(self.oai_url, position["token"])
        return list_records_url(self.oai_url, category, position.get("resume_from") or position.get("from"))

    def _store_position(self, entry: dict, position: dict) -> None:
        entry["backfill_position"] = {k: v for k, v in position.items() if v}
        self.state.save()

    def _backfill_category(self, category: str, since: date) -> None:
        seen, first_response, last_datestamp = 0, None, None

        def restart() -> str:  # the token expired: go on from the last datestamp read
            return list_records_url(self.oai_url, category, last_datestamp or since)

        for page in self._oai_pages(list_records_url(self.oai_url, category, since), restart):
            last_datestamp = max(last_datestamp or "", page.last_datestamp or "") or None
            first_response = first_response or page.response_date
            seen = self._store_page(category, page, seen)
        # Everything changed from ``since`` up to the first response is now
        # here: the query API's watermark may move up to it, if it was not
        # older than ``since`` (then a gap would remain below).
        watermark = self.state.watermark(category)
        if first_response and (watermark is None or watermark[:10] >= since.isoformat()):
            self.state.complete(category, self._held_below(category, first_response),
                                oai_complete_through=first_response)
        else:
            self.state.complete(category, None, oai_complete_through=first_response)


def ingest_files(archive: Archive, files: Iterable[Path]) -> Report:
    """Store the papers of saved API responses, as a harvest would.

    A file that cannot be read or is no API page is an error on its own
    line, naming it; the files after it are still ingested.
    """
    report = Report()
    with harvest_lock(archive.docs_dir):
        for path in files:
            try:
                page = parse_page(Path(path).read_bytes(), str(path))
            except HarvestError as error:
                report.errors.append(str(error))
                continue
            except OSError as error:
                report.errors.append(f"{path}: cannot be read: {error.strerror or error}")
                continue
            report.record_problems(page.problems)
            for paper in page.papers:
                try:
                    report.add(paper, archive.save(paper))
                except (PaperFileError, UnsafePathError) as error:  # it stays as it is, for a person
                    report.errors.append(str(error))
    return report
