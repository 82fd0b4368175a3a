"""What a change does to the topics: per topic the papers it adds and removes, and why.

Both sides are listed by ``listing.list_topics``, the build's own selection (the revision
reusing the working tree's where nothing changed: generator/curate/selection.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from generator.archive.models import Paper
from generator.curate.evaluate import QualityChange, change_lines, quality_change
from generator.curate.report import md, paper_json
from generator.curate.review import Curation
from generator.curate.revision import State, curation_fields
from generator.curate.topics import TopicListing

SHOWN = 50  # papers listed per topic and direction in text and Markdown (JSON has all)


@dataclass
class Change:
    paper: Paper
    reason: str


@dataclass
class TopicDiff:
    slug: str
    title: str
    status: str  # "changed", "added", "removed", "renamed", "retitled"
    before: int
    after: int
    old_slug: str | None = None
    old_title: str | None = None
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)


@dataclass
class CurationChange:
    paper: Paper
    fields: list[str]


@dataclass
class Diff:
    base: str
    topics: list[TopicDiff]
    curations: list[CurationChange]
    quality: QualityChange | None = None  # the gold set's held-out figures, before and after

    @property
    def empty(self) -> bool:
        return not self.topics and not self.curations


def diff_states(base: str, old: State, new: State) -> Diff:
    old_l = {l.slug: l for l in old.review.listings()}
    new_l = {l.slug: l for l in new.review.listings()}
    new_ids = {p.id for p in new.review.papers}
    gone, fresh = set(old_l) - set(new_l), set(new_l) - set(old_l)
    renamed = {}  # new slug → old slug: the same file's text under another name
    for slug in sorted(fresh):
        match = next((o for o in sorted(gone) if old.topic_texts.get(o) == new.topic_texts.get(slug)), None)
        if match:
            renamed[slug] = match
            gone.discard(match)
    topics = []
    for slug in sorted(set(new_l) | gone):
        before = old_l.get(renamed.get(slug, slug))
        after = new_l.get(slug)
        if after is None:
            status = "removed"
        elif slug in renamed:
            status = "renamed"
        elif before is None:
            status = "added"
        elif before.title != after.title:
            status = "retitled"
        else:
            status = "changed"
        d = _topic_diff(slug, status, before, after, new_ids)
        if status != "changed" or d.added or d.removed:
            topics.append(d)
    return Diff(base, topics, _curation_changes(old, new), quality_change(old.review, new.review))


def _topic_diff(slug, status, before: TopicListing | None, after: TopicListing | None, new_ids) -> TopicDiff:
    was = {e.paper.id: e for e in before.entries} if before else {}
    now = {e.paper.id: e for e in after.entries} if after else {}
    d = TopicDiff(slug, (after or before).title, status, len(was), len(now),
                  old_slug=before.slug if before and status == "renamed" else None,
                  old_title=before.title if before and status in ("renamed", "retitled") else None)
    d.added = [Change(e.paper, "; ".join(e.reasons)) for pid, e in now.items() if pid not in was]
    for pid, e in was.items():
        if pid in now:
            continue
        if after is None:
            reason = "the topic is removed"
        elif pid not in new_ids:
            reason = "is no longer in the archive"
        elif pid in after.topic.exclude:
            reason = "is now on the exclude list"
        else:
            reason = "no longer: " + "; ".join(e.reasons)
        d.removed.append(Change(e.paper, reason))
    return d


def _curation_changes(old: State, new: State) -> list[CurationChange]:
    by_id = {p.id: p for p in [*old.review.papers, *new.review.papers]}
    empty = curation_fields(Curation())
    changes = []
    for pid in sorted(set(old.review.curations) | set(new.review.curations)):
        a = curation_fields(old.review.curations[pid]) if pid in old.review.curations else {}
        b = curation_fields(new.review.curations[pid]) if pid in new.review.curations else {}
        a, b = a or empty, b or empty
        fields = [key for key in b if a[key] != b[key]]
        if fields:
            changes.append(CurationChange(by_id[pid], fields))
    return changes


def _title(p: Paper) -> str:
    return " ".join(p.title.split())


def _heading(d: TopicDiff) -> str:
    said = {"added": "new topic", "removed": "topic removed",
            "renamed": f"renamed from {d.old_slug}", "retitled": f"retitled from “{d.old_title}”"}.get(d.status)
    return f"{d.slug}: {d.title}" + (f" ({said})" if said else "") + \
        f": {d.before} → {d.after} papers (+{len(d.added)}, −{len(d.removed)})"


def render_text(diff: Diff) -> str:
    lines = [f"compared with {diff.base}"]
    if diff.empty and not diff.quality:
        return lines[0] + ": no topic gains or loses a paper, no curation block changed\n"
    if diff.empty:
        lines[0] += ": no topic gains or loses a paper, no curation block changed"
    for d in diff.topics:
        lines += ["", _heading(d)]
        for sign, changes in (("+", d.added), ("-", d.removed)):
            lines += [f"  {sign} {c.paper.id} {_title(c.paper)}: {c.reason}" for c in changes[:SHOWN]]
            if len(changes) > SHOWN:
                lines.append(f"  {sign} … and {len(changes) - SHOWN} more")
    if diff.curations:
        lines += ["", f"curation blocks changed: {len(diff.curations)}"]
        lines += [f"  {c.paper.id} {_title(c.paper)}: {', '.join(c.fields)}" for c in diff.curations]
    if diff.quality:
        lines += ["", QUALITY_HEADING] + [f"  {line}" for line in change_lines(diff.quality)]
    return "\n".join(lines) + "\n"


QUALITY_HEADING = "against the gold set's held-out part (topics --evaluate):"


def _md_row(sign: str, c: Change) -> str:
    return f"| {sign} | [{c.paper.id}](https://arxiv.org/abs/{c.paper.id}) | {md(c.paper.title)} | {md(c.reason)} |"


def render_markdown(diff: Diff) -> str:
    lines = ["## What this change does to the topics", "", f"Compared with `{diff.base.replace('`', '')}`."]
    if diff.empty:
        lines += ["", "No topic gains or loses a paper; no curation block changed."]
    for d in diff.topics:
        lines += ["", f"### {md(_heading(d))}", ""]
        rows = [_md_row("+", c) for c in d.added[:SHOWN]] + [_md_row("−", c) for c in d.removed[:SHOWN]]
        if rows:
            lines += ["| | paper | title | why |", "| --- | --- | --- | --- |", *rows]
        for sign, changes in (("added", d.added), ("removed", d.removed)):
            if len(changes) > SHOWN:
                lines.append(f"\n… and {len(changes) - SHOWN} more {sign} (`topics --diff` lists them all)")
    if diff.curations:
        lines += ["", "### Curation blocks changed", ""]
        lines += [f"- [{c.paper.id}](https://arxiv.org/abs/{c.paper.id}) {md(c.paper.title)}: {', '.join(c.fields)}"
                  for c in diff.curations]
    if diff.quality:
        lines += ["", "### Against the gold set's held-out part", ""] + [f"- {md(line)}" for line in change_lines(diff.quality)]
    return "\n".join(lines) + "\n"


def render_json(diff: Diff) -> str:
    def changes(items):
        return [{**paper_json(c.paper), "reason": c.reason} for c in items]
    data = {"base": diff.base,
            "topics": [{"slug": d.slug, "title": d.title, "status": d.status, "before": d.before, "after": d.after,
                        "old_slug": d.old_slug, "old_title": d.old_title,
                        "added": changes(d.added), "removed": changes(d.removed)} for d in diff.topics],
            "curations": [{**paper_json(c.paper), "fields": c.fields} for c in diff.curations],
            "quality": None if not diff.quality else [
                {"topic": slug, **{f"{k}_{side}": getattr(score, k) if score else None
                                   for side, score in (("before", a), ("after", b)) for k in ("precision", "recall")}}
                for slug, a, b in diff.quality.rows()]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
