"""The pith cs.DC listing (``../shared/reference/pith-cs.DC-listing.txt``) as papers.

The listing is a saved web page of 80 curated cs.DC papers: for each, a
line ``cs.DC YYYY-MM-DD ...``, then its headline, title and summary, and
its abstract after ``abstract click to expand``. It holds no arXiv ids;
each paper gets a made-up one, in order.
"""
from __future__ import annotations

import re
from pathlib import Path

from generator.archive.models import Author, Paper

LISTING = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "pith-cs.DC-listing.txt"
_HEADER = re.compile(r"^(cs\.[A-Z]{2}) (\d{4}-\d{2}-\d{2})\b")


def pith_papers(path: Path = LISTING) -> list[Paper]:
    blocks, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            current = [match, []]
            blocks.append(current)
        elif current is not None and line.strip():
            current[1].append(line.strip())
    papers = []
    for n, (header, lines) in enumerate(blocks, 1):
        abstract = lines[lines.index("abstract click to expand") + 1] if "abstract click to expand" in lines else ""
        papers.append(Paper(id=f"9999.{n:05d}", title=lines[1], abstract=abstract, authors=[Author("Pith")],
                            published=f"{header.group(2)}T00:00:00Z", updated=f"{header.group(2)}T00:00:00Z",
                            primary_category=header.group(1), categories=[header.group(1)], version=1))
    return papers
