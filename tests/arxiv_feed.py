"""Build arXiv-API-format Atom for tests, in the 2026 layout of the real API.

Modelled on real responses (element order, namespaces, the opensearch
counts, ``arxiv:affiliation`` inside ``author``); written for this project.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr


@dataclass
class Entry:
    id: str = "2606.00001v1"
    title: str = "A Paper"
    summary: str = "An abstract."
    published: str = "2026-06-01T10:00:00Z"
    updated: str | None = None
    authors: list = field(default_factory=lambda: [("Ada Lovelace", [])])
    categories: list = field(default_factory=lambda: ["cs.DC"])
    primary: str | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    def xml(self) -> str:
        updated = self.updated or self.published
        parts = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{escape(self.id)}</id>",
            f"    <title>{escape(self.title)}</title>",
            f"    <updated>{updated}</updated>",
            f'    <link href="https://arxiv.org/abs/{escape(self.id)}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{escape(self.id)}" rel="related" type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(self.summary)}</summary>",
            *[f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>' for c in self.categories],
            f"    <published>{self.published}</published>",
        ]
        if self.comment is not None:
            parts.append(f"    <arxiv:comment>{escape(self.comment)}</arxiv:comment>")
        parts.append(f"    <arxiv:primary_category term={quoteattr(self.primary or self.categories[0])}/>")
        if self.journal_ref is not None:
            parts.append(f"    <arxiv:journal_ref>{escape(self.journal_ref)}</arxiv:journal_ref>")
        for name, affiliations in self.authors:
            parts.append("    <author>")
            parts.append(f"      <name>{escape(name)}</name>")
            parts.extend(f"      <arxiv:affiliation>{escape(a)}</arxiv:affiliation>" for a in affiliations)
            parts.append("    </author>")
        if self.doi is not None:
            parts.append(f"    <arxiv:doi>{escape(self.doi)}</arxiv:doi>")
            parts.append(f'    <link href="https://doi.org/{escape(self.doi)}" rel="related" title="doi"/>')
        parts.append("  </entry>")
        return "\n".join(parts)


def feed(entries: list[Entry], total: int | None = None, start: int = 0, query: str = "cat:cs.DC") -> bytes:
    total = len(entries) if total is None else total
    body = "\n".join(e.xml() for e in entries)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/test</id>
  <title>arXiv Query: search_query={escape(query)}&amp;id_list=&amp;start={start}&amp;max_results={len(entries)}</title>
  <updated>2026-06-09T23:24:39Z</updated>
  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
{body}
</feed>
""".encode("utf-8")


def error_feed(message: str = "incorrect id format for abc") -> bytes:
    """arXiv's answer to a bad query (served with HTTP 400)."""
    slug = message.replace(" ", "_")
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/</id>
  <title>arXiv Search Results</title>
  <updated>2026-06-09T22:59:06Z</updated>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>https://arxiv.org/api/errors#{slug}</id>
    <title>Error</title>
    <updated>2026-06-09T22:59:06Z</updated>
    <link href="https://arxiv.org/api/errors#{slug}" rel="alternate" type="text/html"/>
    <summary>{escape(message)}</summary>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
""".encode("utf-8")
