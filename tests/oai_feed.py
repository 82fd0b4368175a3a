"""arXiv's OAI-PMH (``ListRecords``, ``arXivRaw``) for tests, written for this project.

Modelled on the protocol (OAI-PMH 2.0) and arXiv's arXivRaw schema: one
author string, a ``<version>`` element per version with an RFC 2822 date,
space-separated categories (the primary first), resumption tokens with
``cursor`` and ``completeListSize``, ``noRecordsMatch`` for an empty window.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>{date}</responseDate>
<request{attrs}>http://127.0.0.1/oai</request>
"""
RESPONSE_DATE = "2026-06-10T12:00:00Z"


@dataclass
class Record:
    id: str = "2606.00001"
    versions: list = field(default_factory=lambda: [(1, "Mon, 1 Jun 2026 10:00:00 GMT")])
    title: str = "A Paper"
    authors: str = "Ada Lovelace"
    categories: str = "cs.DC"
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    msc_class: str | None = None
    acm_class: str | None = None
    abstract: str = "  An abstract,\nwrapped as arXivRaw wraps it.\n"
    datestamp: str = "2026-06-02"
    sets: list = field(default_factory=lambda: ["cs:cs:DC"])
    deleted: bool = False
    metadata: str | None = None  # the record's metadata in another format (oai_dc), instead of arXivRaw

    def xml(self) -> str:
        status = ' status="deleted"' if self.deleted else ""
        head = (f"<header{status}>\n <identifier>oai:arXiv.org:{escape(self.id)}</identifier>\n"
                f" <datestamp>{self.datestamp}</datestamp>\n"
                + "".join(f" <setSpec>{s}</setSpec>\n" for s in self.sets) + "</header>\n")
        if self.deleted:
            return f"<record>\n{head}</record>\n"
        parts = [f"<id>{escape(self.id)}</id>", "<submitter>Someone</submitter>"]
        parts += [f'<version version="v{n}"><date>{d}</date><size>100kb</size><source_type>D</source_type></version>'
                  for n, d in self.versions]
        parts += [f"<title>{escape(self.title)}</title>", f"<authors>{escape(self.authors)}</authors>",
                  f"<categories>{escape(self.categories)}</categories>"]
        if self.metadata is not None:
            return f"<record>\n{head}<metadata>\n{self.metadata}\n</metadata>\n</record>\n"
        for tag, value in (("comments", self.comments), ("journal-ref", self.journal_ref), ("doi", self.doi),
                           ("msc-class", self.msc_class), ("acm-class", self.acm_class)):
            if value is not None:
                parts.append(f"<{tag}>{escape(value)}</{tag}>")
        parts += ["<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>",
                  f"<abstract>{escape(self.abstract)}</abstract>"]
        metadata = ('<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" '
                    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                    'xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">\n'
                    + "\n".join(parts) + "\n</arXivRaw>")
        return f"<record>\n{head}<metadata>\n{metadata}\n</metadata>\n</record>\n"


def response(body: str, query: dict) -> bytes:
    attrs = "".join(f" {k}={quoteattr(v)}" for k, v in sorted(query.items()))
    return (HEADER.format(date=RESPONSE_DATE, attrs=attrs) + body + "</OAI-PMH>\n").encode("utf-8")


def error(code: str, message: str, query: dict) -> bytes:
    return response(f'<error code="{code}">{escape(message)}</error>\n', query)


def list_records(records: list[Record], query: dict, page_size: int):
    """The reply (status, headers, body) to one ListRecords request, as arXiv would give it."""
    ok = {"Content-Type": "text/xml; charset=utf-8"}
    if "resumptionToken" in query:
        try:
            set_spec, since, offset = query["resumptionToken"].split("|")
            offset = int(offset)
        except ValueError:
            return 200, ok, error("badResumptionToken", "The value of the resumptionToken argument is invalid or expired.", query)
    else:
        if query.get("verb") != "ListRecords" or query.get("metadataPrefix") != "arXivRaw":
            return 200, ok, error("badArgument", "Illegal arguments", query)
        set_spec, since, offset = query.get("set", ""), query.get("from", ""), 0
    matching = [r for r in records if set_spec in r.sets and r.datestamp >= since]
    if not matching:
        return 200, ok, error("noRecordsMatch", "No records match", query)
    chunk = matching[offset:offset + page_size]
    body = "<ListRecords>\n" + "".join(r.xml() for r in chunk)
    if len(matching) > page_size:
        after = offset + len(chunk)
        token = f"{set_spec}|{since}|{after}" if after < len(matching) else ""
        body += f'<resumptionToken cursor="{offset}" completeListSize="{len(matching)}">{escape(token)}</resumptionToken>\n'
    return 200, ok, response(body + "</ListRecords>\n", query)
