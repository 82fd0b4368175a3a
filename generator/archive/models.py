"""Data classes for what the archive holds: papers and their authors."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, asdict

# New-style ids (0704.0001 onwards, 4 or 5 digits after the dot) and old-style
# ids (archive[.subject]/YYMMNNN), each with an optional version suffix.
# ASCII digits and nothing after (``$`` would allow a trailing line break, ``\d`` any script's digits).
_NEW_ID = re.compile(r"^(?P<yymm>[0-9]{4})\.[0-9]{4,5}\Z")
_OLD_ID = re.compile(r"^(?P<archive>[a-z][a-z-]*(?:\.[A-Z]{2})?)/(?P<yymm>[0-9]{4})[0-9]{3}\Z")
_VERSIONED = re.compile(r"^(?P<id>.+?)(?:v(?P<version>\d+))?$", re.DOTALL)  # a line break is no arXiv id, but no crash
# How authors announce a withdrawal in the comment (arXiv has no field for
# it): "This paper has been withdrawn", "request its withdrawal", "we withdraw
# this paper". A bare "withdraw" elsewhere ("withdrew Section 5") is not one.
_WITHDRAWN = re.compile(
    r"\bwithdrawn\b"
    r"|\bwithdrawal\s+of\s+(?:this|the|our)\b"
    r"|\brequest(?:s|ed|ing)?\s+(?:its|the|this|a|their|our)?\s*withdrawal\b"
    r"|\bwithdr(?:aw|ew)\s+(?:this|the|our)\s+(?:paper|manuscript|article|submission|preprint|work)\b",
    re.IGNORECASE)

# The front-matter keys a harvest owns. A harvest rewrites these and only
# these; every other key (``curation:``, anything a person adds) is kept as written.
HARVESTED_FIELDS = (
    "id", "version", "title", "authors", "published", "updated",
    "primary_category", "categories", "msc_class", "acm_class", "comment", "journal_ref", "doi",
    "links", "versions",
)
# Written only when a paper has them: a file without classes stays as it was.
_OPTIONAL_FIELDS = ("msc_class", "acm_class")

# An arXiv category: ``cs.DC``, ``math.CO``, ``hep-th``, ``physics.comp-ph``,
# ``cond-mat.str-el``, ``q-bio.NC``, and the old archives (``cmp-lg``, ``solv-int``).
_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.(?:[A-Z]{2}|[a-z]+(?:-[a-z]+)*))?$")
# An ACM Computing Classification (1998) code: ``F.4.1``, ``F.4.m``, ``K.2``.
_ACM_CODE = re.compile(r"^[A-K]\.(?:\d|m\b)")


def _text(value) -> str | None:
    return None if value is None else str(value)


def _web_address(url: str | None) -> str | None:
    """A link from the feed, if it is an http(s) address: a ``javascript:`` one must never become a link."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def is_arxiv_category(term: str) -> bool:
    return bool(_CATEGORY.match(term))


@dataclass
class Classification:
    """A paper's ``<category>`` terms sorted: arXiv's categories, MSC classes, ACM classes.

    Older API entries list ``03B70, 68Q99`` (MSC) and ``F.4.1; F.4.m; K.2``
    (ACM) as category terms; they are no arXiv category and must not be
    shown or matched as one.
    """

    categories: list[str]
    msc_class: str | None = None
    acm_class: str | None = None


def classify_terms(terms, msc_class: str | None = None, acm_class: str | None = None) -> Classification:
    """Sort category terms; ``msc_class``/``acm_class`` as arXivRaw states them come first."""
    categories, msc, acm = [], [], []
    for term in terms:
        term = term.strip()
        if is_arxiv_category(term):
            categories.append(term)
            continue
        for code in re.split(r"\s*[;,]\s*", term):
            if code:
                (acm if _ACM_CODE.match(code) else msc).append(code)
    return Classification(list(dict.fromkeys(categories)),
                          msc_class or ", ".join(dict.fromkeys(msc)) or None,
                          acm_class or "; ".join(dict.fromkeys(acm)) or None)


def split_version(arxiv_id: str) -> tuple[str, int | None]:
    """``2606.04101v2`` → (``2606.04101``, 2); an unversioned id gives None."""
    m = _VERSIONED.match(arxiv_id.strip())
    version = m.group("version")
    return m.group("id"), int(version) if version else None


def is_arxiv_id(bare_id: str) -> bool:
    return bool(_NEW_ID.match(bare_id) or _OLD_ID.match(bare_id))


def id_month(bare_id: str) -> str:
    """The YYMM an id was issued in: ``2606.04101`` → ``2606``, ``cs/0112017`` → ``0112``."""
    m = _NEW_ID.match(bare_id) or _OLD_ID.match(bare_id)
    if not m:
        raise ValueError(f"not an arXiv id: {bare_id!r}")
    return m.group("yymm")


def id_slug(bare_id: str) -> str:
    """A filesystem- and URL-safe name: old-style ``cs/0112017`` → ``cs-0112017``."""
    return bare_id.replace("/", "-")


def month_sort_key(yymm: str) -> str:
    """YYMM sorts wrongly across 2000 (9912 > 0001); arXiv started in 1991."""
    yy = int(yymm[:2])
    return f"{1900 + yy if yy >= 91 else 2000 + yy}{yymm[2:]}"


def month_label(yymm: str) -> str:
    import calendar
    year = month_sort_key(yymm)[:4]
    return f"{calendar.month_name[int(yymm[2:])]} {year}"


@dataclass
class Author:
    name: str
    affiliations: list[str] = field(default_factory=list)


@dataclass
class VersionEntry:
    version: int
    date: str | None  # ISO 8601, when arXiv announced this version; None: known to exist, date not known


@dataclass
class Paper:
    """One arXiv paper, as harvested. ``abstract`` is the Markdown file's body."""

    id: str
    version: int
    title: str
    authors: list[Author]
    published: str
    updated: str
    primary_category: str
    categories: list[str]
    abstract: str
    msc_class: str | None = None  # Mathematics Subject Classification, as arXiv gives it
    acm_class: str | None = None  # ACM Computing Classification
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    versions: list[VersionEntry] = field(default_factory=list)
    # Everything in the front matter that the harvest does not own, as parsed
    # (``curation`` above all). Read-only for the machine: never written back.
    extra: dict = field(default_factory=dict)

    @property
    def month(self) -> str:
        return id_month(self.id)

    @property
    def slug(self) -> str:
        return id_slug(self.id)

    @property
    def versioned_id(self) -> str:
        return f"{self.id}v{self.version}"

    @property
    def url(self) -> str:
        """The page's URL relative to the site root (directory URLs)."""
        return f"papers/{self.month}/{self.slug}/"

    @property
    def abs_url(self) -> str:
        return _web_address(self.links.get("abs")) or f"https://arxiv.org/abs/{self.id}"

    @property
    def pdf_url(self) -> str:
        return _web_address(self.links.get("pdf")) or f"https://arxiv.org/pdf/{self.versioned_id}"

    @property
    def html_url(self) -> str | None:
        """arXiv's HTML of the version ``html_version`` names; None for a paper withdrawn at v1."""
        version = self.html_version
        return f"https://arxiv.org/html/{self.id}v{version}" if version else None

    @property
    def withdrawn(self) -> bool:
        """The latest version's comment announces a withdrawal (derived: nothing stored)."""
        return bool(self.comment and _WITHDRAWN.search(self.comment))

    @property
    def history(self) -> list[VersionEntry]:
        """Every version from v1 to the latest, oldest first: v1 is always ``published``.

        The query API tells only the first and the latest version; arXivRaw
        (OAI-PMH) tells each. A version between them the archive has no date
        for is still listed (v2 of a v3 paper exists), with ``date`` None.
        """
        known = {v.version: v for v in self.versions}
        if 1 not in known and self.published:
            known[1] = VersionEntry(1, self.published)
        latest = max([self.version, *known])
        return [known.get(v) or VersionEntry(v, None) for v in range(1, latest + 1)]

    @property
    def html_version(self) -> int | None:
        """The version arXiv's HTML button opens: the latest, or for a withdrawn
        paper the last version before the withdrawal (None if v1 was withdrawn)."""
        if not self.withdrawn:
            return self.version
        return self.version - 1 if self.version > 1 else None

    @property
    def curation(self) -> dict:
        value = self.extra.get("curation")
        return value if isinstance(value, dict) else {}

    def harvested_front_matter(self) -> dict:
        """The harvest-owned front matter, in the order written to the file."""
        data = asdict(self)
        data.pop("abstract"), data.pop("extra")
        return {key: data[key] for key in HARVESTED_FIELDS
                if key not in _OPTIONAL_FIELDS or data[key] is not None}

    @classmethod
    def from_front_matter(cls, meta: dict, abstract: str) -> "Paper":
        """Build a Paper from a parsed file; raises KeyError/TypeError/ValueError on bad data."""
        known = {k: meta[k] for k in HARVESTED_FIELDS if k in meta}
        extra = {k: v for k, v in meta.items() if k not in HARVESTED_FIELDS}
        authors = [Author(name=str(a["name"]), affiliations=list(a.get("affiliations") or []))
                   for a in known.pop("authors", [])]
        versions = [VersionEntry(version=int(v["version"]), date=str(v["date"]))
                    for v in known.pop("versions", None) or []]
        return cls(
            id=str(known.pop("id")), version=int(known.pop("version")), title=str(known.pop("title")),
            authors=authors, published=str(known.pop("published")), updated=str(known.pop("updated")),
            primary_category=str(known.pop("primary_category")),
            abstract=abstract, versions=versions, extra=extra,
            # A file written before classes were told apart lists them as categories.
            **vars(classify_terms([str(c) for c in known.pop("categories", None) or []],
                                  _text(known.pop("msc_class", None)), _text(known.pop("acm_class", None)))),
            links=dict(known.pop("links", None) or {}), **known,
        )
