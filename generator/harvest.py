"""Harvesting: page through the arXiv API (or saved responses) into the archive.

Each category is its own query, newest update first, so new papers and new
versions both arrive at the top. A run pages down until it reaches a paper
the archive already holds at the same version that the last *completed*
run had seen (the category's watermark in ``.harvest-state.json``), so a run
that was killed midway is simply resumed by the next.
"""
from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator.atom import FeedPage, parse_page
from generator.client import Client, Response, RetryableError, check_status
from generator.errors import ArxivAPIError, FeedError, HarvestError
from generator.fileio import write_atomic
from generator.models import Paper
from generator.store import Archive, Outcome

STATE_FILE = ".harvest-state.json"
API_RESULT_CAP = 30000  # the query API serves no result past this offset


@dataclass
class Report:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    stale: int = 0
    requests: int = 0

    def add(self, paper: Paper, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new.append(paper.versioned_id)
        elif outcome is Outcome.UPDATED:
            self.updated.append(paper.versioned_id)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.stale += 1

    def summary(self) -> str:
        return (f"{len(self.new)} new, {len(self.updated)} updated, {self.unchanged} unchanged, "
                f"{self.stale} older than the archive's copy, {self.requests} request(s)")


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
    except FeedError as error:
        raise RetryableError(response.url, error.message) from None
    if not page.papers and page.total_results and start < min(page.total_results, API_RESULT_CAP):
        # arXiv at times serves an empty page mid-way: it is not the end.
        raise RetryableError(response.url, f"empty page at start={start} of {page.total_results} results")
    return page


class State:
    """Per-category watermarks: the newest ``updated`` a completed run had seen."""

    def __init__(self, docs_dir: Path):
        self.path = Path(docs_dir) / STATE_FILE
        try:
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.data = {}
        except ValueError:
            self.data = {}  # a damaged state only costs a longer harvest

    def watermark(self, category: str) -> str | None:
        return self.data.get("categories", {}).get(category, {}).get("complete_through")

    def complete(self, category: str, newest_updated: str | None) -> None:
        if not newest_updated:
            return
        entry = self.data.setdefault("categories", {}).setdefault(category, {})
        if entry.get("complete_through", "") >= newest_updated:
            return
        entry["complete_through"] = newest_updated
        write_atomic(self.path, json.dumps(self.data, indent=2, sort_keys=True) + "\n")


def _already_have(archive: Archive, paper: Paper) -> bool:
    existing = archive.load(paper.id)
    return existing is not None and existing.version >= paper.version


class Harvester:
    def __init__(self, archive: Archive, client: Client, api_url: str, page_size: int,
                 max_results: int | None = None, progress: Callable[[int, int | None], None] | None = None):
        self.archive, self.client, self.api_url = archive, client, api_url
        self.page_size, self.max_results = page_size, max_results
        self.progress = progress or (lambda done, total: None)
        self.state = State(archive.docs_dir)
        self.report = Report()

    def run(self, categories: Iterable[str]) -> Report:
        for category in categories:
            self._harvest_category(category)
        self.report.requests = self.client.requests_made
        return self.report

    def _harvest_category(self, category: str) -> None:
        watermark = self.state.watermark(category)
        start, seen, newest = 0, 0, None
        while True:
            size = self.page_size if self.max_results is None else min(self.page_size, self.max_results - seen)
            url = query_url(self.api_url, category, start, size)
            page = self.client.fetch(url, lambda r: parse_api_response(r, start))
            reached_known = False
            for paper in page.papers:
                newest = max(newest or "", paper.updated)
                if watermark and paper.updated <= watermark and _already_have(self.archive, paper):
                    reached_known = True
                    break
                self.report.add(paper, self.archive.save(paper))
            seen += len(page.papers)
            start += len(page.papers)
            self.progress(seen, page.total_results)
            total = min(page.total_results or 0, API_RESULT_CAP)
            if reached_known or not page.papers or start >= total or (
                    self.max_results is not None and seen >= self.max_results):
                break
        self.state.complete(category, newest)


def ingest_files(archive: Archive, files: Iterable[Path]) -> Report:
    """Store the papers of saved API responses, as a harvest would."""
    report = Report()
    for path in files:
        page = parse_page(Path(path).read_bytes(), str(path))
        for paper in page.papers:
            report.add(paper, archive.save(paper))
    return report
