"""Reading arXiv's OAI-PMH interface (``ListRecords``, ``metadataPrefix=arXivRaw``).

The query API serves no result past the 30,000th of a query; OAI-PMH is the
path arXiv recommends for bulk: a set per category (``cs:cs:DC``),
``from=YYYY-MM-DD`` for a window, and resumption tokens to page. arXivRaw
carries every version with its date, which the query API does not.
The XML is read with ElementTree: the format is small and fixed.
"""
from __future__ import annotations

import email.utils
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, timezone

from generator.harvest.atom import RecordProblem, one_line, xml_safe  # noqa: F401  (RecordProblem: oai's too)
from generator.archive.models import Author, Paper, VersionEntry, classify_terms, is_arxiv_id
from generator.errors import FeedError, HarvestError, OAIError
from generator.harvest.checks import check_length, check_record, date_problem, now_utc
from generator.harvest.client import Response, RetryableError, check_status

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = "{http://arxiv.org/OAI/arXivRaw/}"
# arXiv's OAI sets are group:archive[:subject]; every archive that is not
# one of these groups belongs to the physics group (hep-th, astro-ph, ...).
_GROUPS = {"cs", "econ", "eess", "math", "q-bio", "q-fin", "stat"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def oai_set(category: str) -> str:
    """``cs.DC`` → ``cs:cs:DC``, ``hep-th`` → ``physics:hep-th``, ``astro-ph.CO`` → ``physics:astro-ph:CO``."""
    archive, _, subject = category.partition(".")
    group = archive if archive in _GROUPS else "physics"
    if archive == group and not subject:
        return group
    return ":".join([group, archive] + ([subject] if subject else []))


def list_records_url(oai_url: str, category: str, since: date | str | None) -> str:
    """``since`` None: the whole set, from its first record."""
    params = {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": oai_set(category)}
    if since:
        params["from"] = since if isinstance(since, str) else since.isoformat()
    return f"{oai_url}?{urllib.parse.urlencode(params)}"


def resume_url(oai_url: str, token: str) -> str:
    return f"{oai_url}?{urllib.parse.urlencode({'verb': 'ListRecords', 'resumptionToken': token})}"


@dataclass
class OAIPage:
    papers: list[Paper]
    token: str | None  # None: the list is complete
    complete_size: int | None
    response_date: str | None
    problems: list[RecordProblem] = field(default_factory=list)  # records that could not be read
    last_datestamp: str | None = None  # of the page's last record: where a restart may begin


def parse_oai_response(response: Response) -> OAIPage:
    """A response → a page, or the reason to retry it (RetryableError), or to give up."""
    check_status(response)  # arXiv's OAI answers 503 + Retry-After for flow control
    try:
        root = ET.fromstring(xml_safe(response.body))
    except ET.ParseError as error:
        raise RetryableError(response.url, f"not a valid OAI-PMH page: {error}") from None
    if root.tag != f"{OAI}OAI-PMH":
        raise RetryableError(response.url, f"not a valid OAI-PMH page: the root element is <{root.tag}>")
    response_date = (root.findtext(f"{OAI}responseDate") or "").strip() or None
    if response_date and date_problem(response_date):  # it becomes a watermark: an odd one is not used
        response_date = None
    error = root.find(f"{OAI}error")
    if error is not None:
        code = error.get("code", "")
        if code == "noRecordsMatch":  # an empty window: nothing changed, not an error
            return OAIPage([], None, 0, response_date)
        raise OAIError(response.url, code, one_line(error.text) or "")
    _check_request(root, response.url)
    records = root.find(f"{OAI}ListRecords")
    if records is None:
        raise RetryableError(response.url, "not a valid OAI-PMH page: no ListRecords")
    papers, problems, now = [], [], now_utc()
    all_records = records.findall(f"{OAI}record")
    for record in all_records:
        header = record.find(f"{OAI}header")
        if header is not None and header.get("status") == "deleted":
            continue  # arXiv never deletes papers; the archive keeps what it has
        identifier = (record.findtext(f"{OAI}header/{OAI}identifier") or "").strip() or "without an identifier"
        try:
            paper = paper_from_arxiv_raw(_arxiv_raw(record), response.url)
            check_record(paper, now)
            _check_datestamp(record, now)
            papers.append(paper)
        except FeedError as problem:
            problems.append(RecordProblem(response.url, identifier, problem.message))
    token, size = _resumption(records, len(all_records), response.url)
    return OAIPage(papers, token, size, response_date, problems, last_datestamp=_last_datestamp(all_records))


def _datestamp(record: ET.Element) -> str:
    return (record.findtext(f"{OAI}header/{OAI}datestamp") or "").strip()


def _check_datestamp(record: ET.Element, now) -> None:
    """A record's datestamp is where a restarted sweep begins: one in the future would skip everything."""
    problem = date_problem(_datestamp(record), now, day_ok=True)
    if problem:
        raise FeedError("", f"datestamp: {problem}")


def _last_datestamp(records: list[ET.Element]) -> str | None:
    """The newest datestamp of the page that is a date the sweep may resume from."""
    stamps = [_datestamp(r) for r in records]
    return max((s for s in stamps if s and not date_problem(s, day_ok=True)), default=None)


def _check_request(root: ET.Element, url: str) -> None:
    """An answer for another metadata format holds no record this harvest can read: say so once."""
    request = root.find(f"{OAI}request")
    prefix = request.get("metadataPrefix") if request is not None else None
    if prefix and prefix != "arXivRaw":
        raise HarvestError(url, f"the server answered in metadataPrefix {prefix!r}, not 'arXivRaw'; "
                                "no record of it can be read")


def _arxiv_raw(record: ET.Element) -> ET.Element:
    """The record's arXivRaw metadata, or what it holds instead, as the problem."""
    metadata = record.find(f"{OAI}metadata")
    raw = metadata.find(f"{RAW}arXivRaw") if metadata is not None else None
    if raw is not None:
        return raw
    found = [child.tag for child in metadata] if metadata is not None else []
    if not found:
        raise FeedError("", "no metadata")
    namespace, _, name = found[0].rpartition("}")
    raise FeedError("", f"metadata <{name}> ({namespace.lstrip('{') or 'no namespace'}), not arXivRaw")


def _resumption(records: ET.Element, count: int, url: str) -> tuple[str | None, int | None]:
    element = records.find(f"{OAI}resumptionToken")
    if element is None:
        return None, None
    token = (element.text or "").strip() or None
    size, cursor = _int(element.get("completeListSize")), _int(element.get("cursor"))
    if token is None and size is not None and cursor is not None and cursor + count < size:
        # Like the query API's empty page: a list that stops short is not the end.
        raise RetryableError(url, f"the list ends at {cursor + count} of {size} records")
    return token, size


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def iso_date(http_date: str) -> str:
    """``Mon, 2 Apr 2007 19:18:42 GMT`` → ``2007-04-02T19:18:42Z`` (the query API's form)."""
    when = email.utils.parsedate_to_datetime(http_date.strip())
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def paper_from_arxiv_raw(raw: ET.Element, source: str) -> Paper:
    text = lambda tag: raw.findtext(f"{RAW}{tag}")  # noqa: E731
    bare_id = (text("id") or "").strip()
    check_length("authors", text("authors"))  # before the split, which reads it a character at a time
    versions = []
    for element in raw.findall(f"{RAW}version"):
        try:
            number = int(element.get("version", "").lstrip("v"))
            versions.append(VersionEntry(number, iso_date(element.findtext(f"{RAW}date") or "")))
        except (TypeError, ValueError):
            raise FeedError(source, f"unreadable version {element.get('version')!r}") from None
    if not bare_id or not versions:
        raise FeedError(source, "arXivRaw without an <id> or a <version>")
    if not is_arxiv_id(bare_id):  # it names the paper's file: never store one under it
        raise FeedError(source, f"its <id> is not an arXiv id: {bare_id!r}")
    versions.sort(key=lambda v: v.version)
    latest = versions[-1].version
    classes = classify_terms((text("categories") or "").split(),
                             one_line(text("msc-class")), one_line(text("acm-class")))
    categories = classes.categories
    return Paper(
        id=bare_id, version=latest, title=one_line(text("title")) or "",
        authors=split_authors(text("authors") or ""),
        published=versions[0].date, updated=versions[-1].date,
        primary_category=categories[0] if categories else "", categories=categories,
        msc_class=classes.msc_class, acm_class=classes.acm_class,
        abstract=(text("abstract") or "").strip(), comment=one_line(text("comments")),
        journal_ref=one_line(text("journal-ref")), doi=one_line(text("doi")),
        links={"abs": f"https://arxiv.org/abs/{bare_id}v{latest}", "pdf": f"https://arxiv.org/pdf/{bare_id}v{latest}"},
        versions=versions,
    )


def split_authors(text: str) -> list[Author]:
    """arXivRaw's one author string → Authors, with parenthesised affiliations.

    ``A. One (MIT), B. Two and C. Three`` and the numbered form
    ``A. One (1), B. Two (1, 2) ((1) MIT, (2) ETH)`` are both understood.
    """
    parts = _top_level(one_line(text) or "", separators=True)
    numbered: dict[str, str] = {}
    people: list[tuple[str, list[str]]] = []
    for part in parts:
        name, groups = _name_and_parens(part)
        # The numbered block "((1) MIT, (2) ETH)" ends the string, after the last name.
        blocks = [g for g in groups if g.lstrip().startswith("(")]
        for block in blocks:
            for item in re.split(r"[,;]\s*(?=\()", block):
                label, inner = _name_and_parens(item)
                if inner:
                    numbered[inner[0].strip()] = label
        groups = [g for g in groups if g not in blocks]
        if not name:
            continue
        if name.lower() in _SUFFIXES and people:
            people[-1] = (f"{people[-1][0]}, {name}", people[-1][1])
            continue
        people.append((name, groups))
    authors = []
    for name, groups in people:
        affiliations = []
        for group in groups:
            labels = [g.strip() for g in group.split(",")]
            if numbered and all(label in numbered for label in labels):
                affiliations.extend(numbered[label] for label in labels)
            elif group.strip():
                affiliations.append(group.strip())
        authors.append(Author(name=name, affiliations=affiliations))
    return authors


def _top_level(text: str, separators: bool) -> list[str]:
    """Split on ``,`` ``;`` and `` and `` outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and separators and char in ",;":
            parts.append(text[start:i])
            start = i + 1
        elif depth == 0 and separators and text.startswith(" and ", i):
            parts.append(text[start:i])
            start = i + 5
            i += 4
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _name_and_parens(part: str) -> tuple[str, list[str]]:
    """``A. One (MIT) (ETH)`` → (``A. One``, [``MIT``, ``ETH``]); ``(1) MIT`` → (``MIT``, [``1``])."""
    name, groups, depth, current = [], [], 0, []
    for char in part:
        if char == "(":
            if depth > 0:
                current.append(char)
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(current))
                current = []
            else:
                current.append(char)
        elif depth > 0:
            current.append(char)
        else:
            name.append(char)
    if current:  # an unclosed parenthesis: keep its text as part of the name
        name.append("(" + "".join(current))
    return " ".join("".join(name).split()), groups
