"""How much of GitHub Pages' 1 GB the site takes, and when the archive's growth fills it.

GitHub Pages publishes a site of at most 1 GB; what the Publish workflow
uploads is ``actions/upload-pages-artifact``'s uncompressed tar of ``site/``:

    tar --dereference --hard-dereference --directory site -cvf artifact.tar \\
        --exclude=.git --exclude=.github .

in GNU tar's default format, where each file and each directory costs a
512-byte header and a file's data is padded to 512 bytes (a paper's page
and its directory: about 1.3 KB over the page's own bytes). Its size is
computed here from the files' names and sizes: no tar is written
(``benchmarks/site_size.py --check-tar`` compares with GNU tar's).

The archive's growth is its own: papers per month over its last twelve
months before the newest (which is still filling), counted from the site's
``papers/<YYMM>/`` directories (arXiv ids carry the month a paper was first
submitted). At that rate and the site's present bytes a paper, the build
says when the artifact reaches 1 GB, and warns from 80% (docs/running.md, "When the
archive outgrows one Pages site").
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from generator.archive.models import month_sort_key
from generator.config import PAGES_LIMIT_MB

LIMIT = PAGES_LIMIT_MB * 1_000_000  # GitHub Pages: "no larger than 1 GB"
WARN_AT = 0.8  # of LIMIT
GROWTH_MONTHS = 12  # the window the growth rate is measured over
CENTURY_YEARS = 100  # past this, no date is given for 1 GB
README_SECTION = 'docs/running.md, "When the archive outgrows one Pages site"'

BLOCK = 512
RECORD = 20 * BLOCK  # GNU tar's default blocking factor: the archive is a whole number of records
NAME_FIELD = 100  # a longer member name takes a GNU ././@LongLink member before it
EXCLUDED = {".git", ".github"}  # what upload-pages-artifact leaves out, at any depth


def _round(n: int, unit: int = BLOCK) -> int:
    return -(-n // unit) * unit


def _header(member_name: str) -> int:
    """Bytes of the header(s) GNU tar writes for a member of this name."""
    length = len(member_name.encode("utf-8"))
    return BLOCK + (BLOCK + _round(length + 1) if length >= NAME_FIELD else 0)


def artifact_members(site: Path):
    """(path relative to the site, is a directory, bytes, bytes in the tar) for each member of the artifact.

    The site directory itself is the first member (path ``""``). Links are
    followed, as --dereference does; .git and .github are left out."""
    site = Path(site)
    yield "", True, 0, _header("./")
    for root, dirs, files in os.walk(site, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED)
        base = Path(root).relative_to(site).as_posix()
        prefix = "" if base == "." else base + "/"
        for d in dirs:
            yield prefix + d, True, 0, _header(f"./{prefix}{d}/")
        for f in sorted(files):
            if f not in EXCLUDED:
                size = (Path(root) / f).stat().st_size
                yield prefix + f, False, size, _header(f"./{prefix}{f}") + _round(size)


def artifact_size(members_bytes: int) -> int:
    """The tar's size, given the sum of its members' bytes: two zero blocks end it, then a whole record."""
    return _round(members_bytes + 2 * BLOCK, RECORD)


def artifact_bytes(site: Path) -> int:
    """The size of the tar upload-pages-artifact makes of ``site``."""
    return artifact_size(sum(cost for *_, cost in artifact_members(site)))


def papers_by_month(site: Path) -> dict[str, int]:
    """Paper pages in each ``papers/<YYMM>/`` of the built site."""
    papers = Path(site) / "papers"
    if not papers.is_dir():
        return {}
    return {month.name: sum(1 for page in month.glob("*/index.html"))
            for month in papers.iterdir() if month.is_dir() and month.name.isdigit() and len(month.name) == 4}


def _months_between(first: str, last: str) -> int:
    """Whole months from YYMM ``first`` to ``last`` (0 when the same)."""
    a, b = month_sort_key(first), month_sort_key(last)
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[4:]) - int(a[4:])


def monthly_growth(counts: dict[str, int]) -> tuple[float, int]:
    """(papers a month, months measured): over the GROWTH_MONTHS before the newest month, or
    over what the archive has when it is younger (the newest month alone if it has only that)."""
    months = sorted((m for m, n in counts.items() if n), key=month_sort_key)
    if not months:
        return 0.0, 0
    newest = months[-1]
    window = [m for m in months if 1 <= _months_between(m, newest) <= GROWTH_MONTHS]
    if not window:
        return float(counts[newest]), 1
    span = min(GROWTH_MONTHS, _months_between(months[0], newest))
    return sum(counts[m] for m in window) / span, span


@dataclass
class Budget:
    artifact: int  # bytes of the Pages artifact
    papers: int
    per_month: float  # papers a month, the archive's recent growth
    months_measured: int
    today: datetime.date

    @property
    def fraction(self) -> float:
        return self.artifact / LIMIT

    @property
    def per_paper(self) -> float:
        return self.artifact / self.papers if self.papers else 0.0

    @property
    def months_left(self) -> float | None:
        """Months until the artifact reaches LIMIT at the present growth; None when it does not grow."""
        if self.artifact >= LIMIT:
            return 0.0
        growth = self.per_month * self.per_paper
        return (LIMIT - self.artifact) / growth if growth > 0 else None

    def reaches(self) -> str:
        """When the artifact reaches 1 GB, in words."""
        left = self.months_left
        if left is None:
            return "the archive has not grown lately, so no date for 1 GB"
        if left == 0:
            return "over GitHub Pages' 1 GB: the deploy will fail"
        whole = self.per_month >= 10 or float(self.per_month).is_integer()
        rate = f"{self.per_month:,.{0 if whole else 1}f} papers a month over the last " \
            f"{self.months_measured} month" + ("s" if self.months_measured != 1 else "")
        if left > 12 * CENTURY_YEARS:  # a date centuries off says nothing a maintainer can use
            return f"at {rate}, not within {CENTURY_YEARS} years"
        month = self.today.year * 12 + self.today.month - 1 + int(left)
        when = f"{month // 12}-{month % 12 + 1:02d}"
        span = f"{left:.0f} months" if left < 24 else f"{left / 12:.0f} years"
        return f"at {rate}, it reaches 1 GB in about {span} ({when})"

    def line(self) -> str:
        return (f"build: Pages artifact {self.artifact / 1e6:,.1f} MB, {self.fraction:.0%} of GitHub Pages' 1 GB"
                f" ({self.per_paper / 1000:,.1f} KB a paper, {self.papers:,} papers); {self.reaches()}")

    def warnings(self) -> list[str]:
        if self.fraction < WARN_AT:
            return []
        return [f"the Pages artifact is {self.artifact / 1e6:,.0f} MB, {self.fraction:.0%} of GitHub Pages' "
                f"1 GB limit; {self.reaches()}: split it across volumes (archive.yml's deploy: section), "
                f"see {README_SECTION}"]


def budget(site: Path, today: datetime.date | None = None) -> Budget:
    """The built site's share of Pages' 1 GB, and the archive's growth."""
    counts = papers_by_month(site)
    per_month, measured = monthly_growth(counts)
    return Budget(artifact_bytes(site), sum(counts.values()), per_month, measured,
                  today or datetime.datetime.now(datetime.timezone.utc).date())
