"""What a harvest accepts from a feed and from its own state file, and how big.

A feed is outside input: one bad record must neither stop a harvest nor
steer the next ones. Every date is read as ISO 8601 and must fall between
arXiv's start and the time of the run (a date in the future would become
the watermark, and every later run would stop at its first entry); every
field has a length well above what arXiv itself accepts, so only a hostile
or broken feed reaches it.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from generator.archive.yamlcheck import Problem, display_path
from generator.errors import FeedError

EARLIEST = datetime(1991, 1, 1, tzinfo=timezone.utc)  # arXiv began in August 1991
CLOCK_SKEW = timedelta(days=1)  # arXiv's clock and ours may differ; a date further ahead is refused
# The longest value a record may carry, in characters (authors: how many).
# arXiv's own limits are far lower (an abstract of 1,920 characters); its
# largest collaborations list a few thousand authors.
FIELD_LIMITS = {"title": 2_000, "abstract": 20_000, "comment": 5_000, "journal_ref": 2_000, "doi": 500,
                "msc_class": 1_000, "acm_class": 1_000, "author name": 1_000, "affiliation": 2_000,
                # arXivRaw's one author string, checked before it is split (the split reads it a
                # character at a time): 10,000 authors of 200 characters, with their affiliations.
                "authors": 2_000_000}
MAX_AUTHORS = 10_000
MAX_AFFILIATIONS = 100  # of one author
MAX_CATEGORIES = 50
MAX_VERSIONS = 1_000
# The one form arXiv sends and the harvest stores, in UTC: dates are compared as
# strings (the watermark, the cutoff), which only this fixed form makes safe.
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def date_problem(value: object, now: datetime | None = None, day_ok: bool = False) -> str | None:
    """Why ``value`` is no date the harvest may trust, or None.

    An instant (``2026-06-01T10:00:00Z``), or with ``day_ok`` a day
    (``2026-06-01``), between 1991 and the time of the run.
    """
    if not isinstance(value, str):
        return f"{value!r} is not an ISO 8601 date"
    if not (_INSTANT.match(value) or (day_ok and _DAY.match(value))):
        return f"{value!r} is not an ISO 8601 date (YYYY-MM-DDTHH:MM:SSZ)"
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"{value!r} is not a date"
    if when.tzinfo is None:  # a day: UTC, as arXiv's days are
        when = when.replace(tzinfo=timezone.utc)
    if when < EARLIEST:
        return f"{value!r} is before arXiv began"
    if when > (now or now_utc()) + CLOCK_SKEW:
        return f"{value!r} is in the future"
    return None


def check_date(name: str, value: object, now: datetime | None = None) -> None:
    """Raise FeedError naming the field if ``value`` is no trustworthy date."""
    problem = date_problem(value, now)
    if problem:
        raise FeedError("", f"{name}: {problem}")


def check_record(paper, now: datetime | None = None) -> None:
    """Raise FeedError naming the field of ``paper`` that is refused: a bad date, a value too long."""
    now = now or now_utc()
    check_date("published", paper.published, now)
    check_date("updated", paper.updated, now)
    for entry in paper.versions:
        check_date(f"version {entry.version} date", entry.date, now)
    _check_count("versions", len(paper.versions), MAX_VERSIONS)
    _check_count("authors", len(paper.authors), MAX_AUTHORS)
    _check_count("categories", len(paper.categories), MAX_CATEGORIES)
    for name in ("title", "abstract", "comment", "journal_ref", "doi", "msc_class", "acm_class"):
        _check_length(name, getattr(paper, name), FIELD_LIMITS[name])
    for author in paper.authors:
        _check_length("author name", author.name, FIELD_LIMITS["author name"])
        _check_count("affiliations of one author", len(author.affiliations), MAX_AFFILIATIONS)
        for affiliation in author.affiliations:
            _check_length("affiliation", affiliation, FIELD_LIMITS["affiliation"])


def check_length(name: str, value: str | None, limit: int | None = None) -> None:
    """Raise FeedError if ``value`` is longer than ``name``'s limit."""
    _check_length(name, value, limit or FIELD_LIMITS[name])


def _check_length(name: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise FeedError("", f"{name}: {len(value):,} characters, more than the {limit:,} accepted; not stored")


def _check_count(name: str, count: int, limit: int) -> None:
    if count > limit:
        raise FeedError("", f"{name}: {count:,}, more than the {limit:,} accepted; not stored")


# --- the state file -----------------------------------------------------------

# Each key of a category's entry, and the type its value must have.
ENTRY_TYPES = {"complete_through": str, "arxiv_total": int, "arxiv_total_seen": str, "held": int,
               "backfill_through": str, "backfill_position": dict, "oai_complete_through": str}
DATE_KEYS = {"complete_through", "arxiv_total_seen", "backfill_through", "oai_complete_through"}
POSITION_DATES = {"from", "resume_from", "started"}
MAX_COUNT = 100_000_000  # papers in a category: arXiv holds about 2.5 million in all


def validate_state(path, now: datetime | None = None) -> list[Problem]:
    """Every problem of a ``.harvest-state.json``, as ``path:line: message`` (none when it is absent).

    The harvest itself does not trust what this reports (it walks further
    instead); ``check`` reports it so that a pull request editing the file
    by hand is seen.
    """
    path = Path(path)
    shown = display_path(path)
    if path.is_symlink():  # never read through; published.unpublishable reports every link under content/
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(shown, 1, f"cannot be read: {getattr(error, 'strerror', None) or error}")]
    try:
        json.loads(text)
    except ValueError as error:
        return [Problem(shown, getattr(error, "lineno", 1), f"not valid JSON: {getattr(error, 'msg', error)}")]
    try:  # JSON is YAML: its nodes carry the line of each value
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        node = None
    return sorted(_state_problems(node, shown, now or now_utc()))


def _line(node) -> int:
    return node.start_mark.line + 1


def _items(node) -> list:
    return node.value if isinstance(node, yaml.MappingNode) else []


def _state_problems(node, shown: str, now: datetime) -> list[Problem]:
    if not isinstance(node, yaml.MappingNode):
        return [Problem(shown, _line(node) if node else 1, "must be a JSON object")]
    problems = []
    for key, value in _items(node):
        if key.value == "last_harvest":
            problems += _date_node(shown, "last_harvest", value, now)
        elif key.value == "categories":
            if not isinstance(value, yaml.MappingNode):
                problems.append(Problem(shown, _line(value), "categories: must be an object"))
            for category, entry in _items(value):
                problems += _entry_problems(shown, category.value, entry, now)
        else:
            problems.append(Problem(shown, _line(key), f"unknown key {key.value!r}"))
    return problems


def _entry_problems(shown: str, category: str, entry, now: datetime) -> list[Problem]:
    if not isinstance(entry, yaml.MappingNode):
        return [Problem(shown, _line(entry), f"categories.{category}: must be an object")]
    problems = []
    for key, value in _items(entry):
        name = f"categories.{category}.{key.value}"
        expected = ENTRY_TYPES.get(key.value)
        if expected is None:
            problems.append(Problem(shown, _line(key), f"{name}: unknown key"))
        elif expected is int and (value.tag != "tag:yaml.org,2002:int" or not 0 <= int(value.value) <= MAX_COUNT):
            problems.append(Problem(shown, _line(value), f"{name}: must be a whole number from 0 to "
                                                         f"{MAX_COUNT:,}, not {value.value!r}"))
        elif key.value in DATE_KEYS:
            problems += _date_node(shown, name, value, now)
        elif key.value == "backfill_position":
            if not isinstance(value, yaml.MappingNode):
                problems.append(Problem(shown, _line(value), f"{name}: must be an object"))
            for inner, item in _items(value):
                if inner.value in POSITION_DATES:
                    problems += _date_node(shown, f"{name}.{inner.value}", item, now)
                elif item.tag != "tag:yaml.org,2002:str":
                    problems.append(Problem(shown, _line(item), f"{name}.{inner.value}: must be a string"))
    return problems


def _date_node(shown: str, name: str, node, now: datetime) -> list[Problem]:
    value = node.value if node.tag == "tag:yaml.org,2002:str" else None
    problem = date_problem(value, now, day_ok=True) if value is not None else "is not a string"
    return [Problem(shown, _line(node), f"{name}: {problem}")] if problem else []
