"""What ``python -m generator topics`` does, behind its click options."""
from __future__ import annotations

import json
from pathlib import Path

from generator.archive.parse_cache import FrontMatterCache, gc_paused, project_cache
from generator.config import load_settings
from generator.curate import diff as diff_module, report as report_module
from generator.curate.model_store import project_store
from generator.curate.report import md, paper_json
from generator.curate.revision import default_base, revision_state, toplevel, working_review, working_state
from generator.errors import ArchiveError

MERGE_BASE = "merge-base"


class UnknownTopic(ArchiveError):
    exit_code = 5


def topics(docs_dir: Path, config_path: Path, fmt: str, rev: str | None, slug: str | None, count: int) -> str:
    # Every paper's front matter is read each run: the cache (beside archive.yml, gitignored)
    # keeps what YAML made of each, so only what changed since the last run is parsed.
    # Likewise the keyword facts and the topic model's fits and probabilities (model_store.py): only
    # what changed is worked out.
    with gc_paused():
        cache, store = project_cache(config_path), project_store(config_path)
        if rev:
            out = _diff(docs_dir, config_path, fmt, rev, cache, store)
        elif slug:
            out = _candidates(docs_dir, fmt, slug, count or 10, cache, store)
        else:
            result = working_review(docs_dir, cache)
            result.texts.store = store
            out = report_module.RENDERERS[fmt](report_module.build_report(result, candidates=count))
        cache.save()
        store.save()
    return out


def evaluate(docs_dir: Path, fmt: str, part: str) -> str:
    """The topics against the gold set: what ``topics --evaluate`` prints."""
    from generator.curate import evaluate as evaluation
    from generator.curate.gold import gold_beside, load_gold
    from generator.errors import CurationError
    from generator.curate.topics import load_topics

    topics, problems = load_topics(docs_dir)  # the topics and the gold set: the archive's papers are not needed
    gold = []
    try:
        gold = load_gold(gold_beside(docs_dir), {t.slug for t in topics})
    except CurationError as error:
        problems += error.problems
    if problems:
        raise CurationError(problems)
    if not gold:
        raise NoGoldSet("no gold set: topics --evaluate measures against gold/topics.yml beside archive.yml "
                        "(CONTRIBUTING.md, \"The topics gold set\")")
    measured = evaluation.measure(topics, gold, part)
    return evaluation.RENDERERS[fmt](measured)


class NoGoldSet(ArchiveError):
    exit_code = 5


def _diff(docs_dir: Path, config_path: Path, fmt: str, rev: str, cache: FrontMatterCache, store) -> str:
    now = working_state(docs_dir, cache)
    now.review.texts.store = store  # the revision's review shares the working tree's texts, so this too
    now.review.texts.keep_reasons = True  # and the reasons of each paper its selection lists
    label = rev
    if rev == MERGE_BASE:
        branch = load_settings(config_path).branch
        rev = default_base(toplevel(Path(docs_dir)), branch)
        label = f"the merge base with {branch} ({rev[:12]})"
    before = revision_state(docs_dir, rev, now, cache)
    return diff_module.RENDERERS[fmt](diff_module.diff_states(label, before, now))


def _candidates(docs_dir: Path, fmt: str, slug: str, count: int, cache: FrontMatterCache, store) -> str:
    result = working_review(docs_dir, cache)
    result.texts.store = store
    listing = next((l for l in result.listings() if l.slug == slug), None)
    if listing is None:
        known = ", ".join(sorted(l.slug for l in result.listings())) or "none yet"
        raise UnknownTopic(f"no topic '{slug}' (topics: {known})")
    from generator.curate.candidates import CandidateFinder

    found = CandidateFinder(result.papers).for_listing(listing, count)
    if fmt == "json":
        return json.dumps({"topic": slug, "candidates": [{**paper_json(p), "similarity": round(s, 4)}
                                                         for p, s in found]}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = [f"## Candidates for {md(listing.title)}", ""]
        lines += [f"- [{p.id}](https://arxiv.org/abs/{p.id}) {md(p.title)} ({s:.2f})" for p, s in found]
        return "\n".join(lines) + "\n"
    lines = [f"{slug}: {len(listing.entries)} papers; the {len(found)} most like them that it does not list:"]
    lines += [f"  {p.id} {' '.join(p.title.split())} (similarity {s:.2f})" for p, s in found]
    return "\n".join(lines) + "\n"
