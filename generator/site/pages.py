"""The listing pages made at build time (never written to ``content/``).

Each is a ``GeneratedPage``: where it sits in the site, its title, and its
HTML. The MkDocs hooks turn them into virtual files; a listing with many
papers is split into pages of ``per_page`` so no page grows with the archive.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.archive.models import Paper, month_label, month_sort_key
from generator.config import Settings
from generator.site.render import Renderer


@dataclass
class GeneratedPage:
    src_uri: str  # as if in the docs dir, e.g. "months/2606/index.md"
    title: str
    html: str

    @property
    def url(self) -> str:
        return self.src_uri[: -len("index.md")]


@dataclass
class Pagination:
    number: int
    count: int
    first: int
    last: int
    previous_url: str | None
    next_url: str | None


def newest_first(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: (p.published, p.id), reverse=True)


def paginate(base_url: str, items: list, per_page: int):
    """Yield (url, items on the page, Pagination); page 1 is ``base_url`` itself."""
    count = max(1, -(-len(items) // per_page))
    url = lambda n: base_url if n == 1 else f"{base_url}page-{n}/"  # noqa: E731
    for n in range(1, count + 1):
        chunk = items[(n - 1) * per_page: n * per_page]
        yield url(n), chunk, Pagination(
            n, count, (n - 1) * per_page + 1, (n - 1) * per_page + len(chunk),
            url(n - 1) if n > 1 else None, url(n + 1) if n < count else None)


@dataclass
class Coverage:
    """How much of a category the archive holds, against arXiv's own count."""

    category: str
    held: int
    total: int  # arXiv's totalResults
    seen: str | None  # the day arXiv reported it

    @property
    def missing(self) -> int:
        return max(self.total - self.held, 0)


def coverage(papers: list[Paper], settings: Settings, harvest_state: dict | None) -> list[Coverage]:
    """Each harvested category arXiv's count is known for (``.harvest-state.json``), held counted now."""
    entries = (harvest_state or {}).get("categories") or {}
    held = Counter(c for paper in papers for c in set(paper.categories))
    found = []
    for category in settings.categories:
        entry = entries.get(category) if isinstance(entries, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("arxiv_total"), int):
            seen = entry.get("arxiv_total_seen")
            found.append(Coverage(category, held[category], entry["arxiv_total"], seen if isinstance(seen, str) else None))
    return found


def listing_pages(papers: list[Paper], settings: Settings, renderer: Renderer,
                  harvest_state: dict | None = None) -> list[GeneratedPage]:
    ordered = newest_first(papers)
    by_month: dict[str, list[Paper]] = defaultdict(list)
    for paper in ordered:
        by_month[paper.month].append(paper)
    months = sorted(Counter(p.month for p in papers).items(), key=lambda mc: month_sort_key(mc[0]), reverse=True)
    last_updated = max((p.updated for p in papers), default=None)
    pages = [
        GeneratedPage("index.md", settings.name, renderer.render(
            "home.html", "", settings=settings, total=len(papers), months=months,
            latest=ordered[: settings.home_latest], last_updated=last_updated, harvest_limit=settings.max_results,
            coverage=coverage(papers, settings, harvest_state),
            last_harvest=(harvest_state or {}).get("last_harvest"))),
        GeneratedPage("months/index.md", "Papers by month", renderer.render(
            "months.html", "months/", total=len(papers), months=months, years=by_year(months))),
    ]
    for i, (month, _) in enumerate(months):
        newer = months[i - 1][0] if i > 0 else None
        older = months[i + 1][0] if i + 1 < len(months) else None
        for url, chunk, pagination in paginate(f"months/{month}/", by_month[month], settings.per_page):
            title = month_label(month) + (f" (page {pagination.number})" if pagination.number > 1 else "")
            pages.append(GeneratedPage(f"{url}index.md", title, renderer.render(
                "month.html", url, month=month, papers=chunk, total=len(by_month[month]),
                pagination=pagination, newer=newer, older=older)))
    return pages


def by_year(months: list[tuple[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """The months (newest first) grouped by year, newest year first: [("2026", [("2606", 12), ...]), ...]."""
    years: dict[str, list[tuple[str, int]]] = {}
    for month, count in months:
        years.setdefault(month_sort_key(month)[:4], []).append((month, count))
    return list(years.items())
