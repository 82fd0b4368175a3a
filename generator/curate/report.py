"""The topics report: for every topic how many papers it lists and why; what no topic lists.

It is made from ``Review.listings()``, the same selection the build renders,
so its counts are the topic pages' counts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from generator.archive.models import Paper
from generator.curate.model import MODEL_REASON
from generator.curate.review import Review
from generator.curate.topics import CURATED, INCLUDED

CROWDED = 3  # a paper in more topics than this is worth a look


@dataclass
class TopicStats:
    slug: str
    title: str
    path: str
    listed: int
    by_rules: int
    by_include: int
    by_curation: int
    excluded: int  # papers exclude removes (they would be listed otherwise)
    newest: Paper | None
    candidates: list[tuple[Paper, float]] = field(default_factory=list)
    by_model: int = 0  # listed by the topic model alone (no rule matched: topic_model.py)


@dataclass
class Report:
    papers: int
    topics: list[TopicStats]
    untopiced: list[Paper]  # newest first
    crowded: list[tuple[Paper, list[str]]]  # papers in more than CROWDED topics, with the slugs

    @property
    def untopiced_share(self) -> float:
        return len(self.untopiced) / self.papers if self.papers else 0.0


def build_report(review: Review, candidates: int = 0) -> Report:
    listings = review.listings()
    finder = None
    if candidates:  # scikit-learn takes seconds to import: only when candidates are asked for
        from generator.curate.candidates import CandidateFinder
        finder = CandidateFinder(review.papers)
    stats, in_topics = [], {}
    for listing in listings:
        reasons = [e.reasons for e in listing.entries]
        stats.append(TopicStats(
            listing.slug, listing.title, listing.topic.path, len(listing.entries),
            sum(1 for r in reasons if any(x.startswith("matches ") for x in r)),
            sum(1 for r in reasons if INCLUDED in r), sum(1 for r in reasons if CURATED in r),
            len(listing.excluded), listing.entries[0].paper if listing.entries else None,
            finder.for_listing(listing, candidates) if finder else [],
            sum(1 for r in reasons if any(x.startswith(MODEL_REASON) for x in r))))
        for entry in listing.entries:
            in_topics.setdefault(entry.paper.id, []).append(listing.slug)
    untopiced = sorted((p for p in review.papers if p.id not in in_topics),
                       key=lambda p: (p.published, p.id), reverse=True)
    by_id = {p.id: p for p in review.papers}
    crowded = sorted(((by_id[pid], slugs) for pid, slugs in in_topics.items() if len(slugs) > CROWDED),
                     key=lambda item: (-len(item[1]), item[0].id))
    return Report(len(review.papers), stats, untopiced, crowded)


def _paper(p: Paper | None) -> str:
    return f"{p.id} {' '.join(p.title.split())} ({p.published[:10]})" if p else "none"


def _why(s: TopicStats) -> str:
    model = f", {s.by_model} by the model alone" if s.by_model else ""
    return (f"{s.by_rules} by its rules{model}, {s.by_include} by include, {s.by_curation} by papers' curation; "
            f"exclude removes {s.excluded}")


def render_text(report: Report) -> str:
    lines = [f"{len(report.topics)} topics over {report.papers} papers", ""]
    for s in report.topics:
        lines += [f"{s.slug}: {s.title} ({s.path})", f"  {s.listed} papers: {_why(s)}",
                  f"  newest: {_paper(s.newest)}"]
        lines += [f"  candidate: {p.id} {' '.join(p.title.split())} (similarity {score:.2f})"
                  for p, score in s.candidates]
    lines += ["", f"in no topic: {len(report.untopiced)} of {report.papers} papers "
                  f"({report.untopiced_share:.1%}); newest: {_paper(report.untopiced[0] if report.untopiced else None)}",
              f"in more than {CROWDED} topics: {len(report.crowded)} papers"]
    lines += [f"  {p.id} {' '.join(p.title.split())}: {', '.join(slugs)}" for p, slugs in report.crowded[:20]]
    return "\n".join(lines) + "\n"


def md(text: str) -> str:
    """Text from a feed or a curator, safe in a Markdown table cell: no markup, no HTML."""
    text = " ".join(str(text).split())
    for char in "\\`*_[]<>|#!~":
        text = text.replace(char, "\\" + char)
    return text.replace("&", "&amp;")


def _md_paper(p: Paper | None) -> str:
    return f"[{p.id}](https://arxiv.org/abs/{p.id}) {md(p.title)}" if p else "–"


def render_markdown(report: Report) -> str:
    lines = ["## Topics", "",
             "| topic | papers | by rules | by include | by curation | excluded | newest |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for s in report.topics:
        lines.append(f"| {md(s.title)} (`{s.slug}`) | {s.listed} | {s.by_rules} | {s.by_include} | "
                     f"{s.by_curation} | {s.excluded} | {_md_paper(s.newest)} |")
    lines += ["", f"**In no topic:** {len(report.untopiced)} of {report.papers} papers "
                  f"({report.untopiced_share:.1%}); newest: {_md_paper(report.untopiced[0] if report.untopiced else None)}",
              "", f"**In more than {CROWDED} topics:** {len(report.crowded)} papers"]
    lines += [f"- {_md_paper(p)}: {', '.join(slugs)}" for p, slugs in report.crowded[:20]]
    if any(s.candidates for s in report.topics):
        lines += ["", "### Candidates", "", "Papers most like a topic's own that it does not list:", ""]
        for s in report.topics:
            if s.candidates:
                lines.append(f"- **{md(s.title)}**: " + "; ".join(_md_paper(p) for p, _ in s.candidates))
    return "\n".join(lines) + "\n"


def paper_json(p: Paper | None) -> dict | None:
    return {"id": p.id, "title": " ".join(p.title.split()), "published": p.published} if p else None


def render_json(report: Report) -> str:
    data = {
        "papers": report.papers,
        "topics": [{"slug": s.slug, "title": s.title, "path": s.path, "papers": s.listed, "by_rules": s.by_rules,
                    "by_model": s.by_model, "by_include": s.by_include, "by_curation": s.by_curation, "excluded": s.excluded,
                    "newest": paper_json(s.newest),
                    "candidates": [{**paper_json(p), "similarity": round(score, 4)} for p, score in s.candidates]}
                   for s in report.topics],
        "untopiced": {"count": len(report.untopiced), "share": round(report.untopiced_share, 4),
                      "newest": paper_json(report.untopiced[0] if report.untopiced else None)},
        "crowded": [{**paper_json(p), "topics": slugs} for p, slugs in report.crowded],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
