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

import urllib.parse
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from generator.archive import frontmatter
from generator.archive.models import Paper
from generator.archive.store import Archive
from generator.errors import (ArchiveError, ArxivAPIError, FeedError, HarvestError, OAIError, PaperFileError,
                              UnsafePathError)
from generator.harvest.atom import FeedPage, parse_page
from generator.harvest.client import Client, Response, RetryableError, check_status
from generator.harvest.oai import OAIPage, list_records_url, parse_oai_response, resume_url
from generator.harvest.report import Report
from generator.harvest.state import State, harvest_lock, overlap_cutoff, today_utc

API_RESULT_CAP = 30000  # the query API serves no result past this offset (tests lower it)
TOKEN_RESTARTS = 5  # expired resumption tokens one sweep survives in one run
Progress = Callable[[str, int, "int | None"], None]  # (category, done, total)


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
