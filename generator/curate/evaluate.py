"""How right the topics are: precision, recall and F1 against the gold set, per topic and overall.

Measured on the gold set's *held-out* part by default: the topic model
learns from the *tune* part only, and the shipped rules were written looking
at the tune part only, so the figures say how the topics do on papers nobody
tuned them on. Each wrong listing is shown with the evidence that put it
there, each miss with the topic it lacks.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from generator.curate.gold import HELD_OUT, TUNE, GoldPaper
from generator.curate.listing import TextIndex, list_topics
from generator.curate.topics import Topic


@dataclass
class TopicScore:
    slug: str
    title: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)


@dataclass
class Listing:
    """One paper under one topic it was wrongly listed under, or missed from."""

    id: str
    title: str
    slug: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    part: str
    papers: int
    scores: list[TopicScore]
    overall: TopicScore
    listed_per_paper: float
    gold_per_paper: float
    in_some_topic: float  # share of the papers listed under at least one topic
    most_topics: int
    wrong: list[Listing]
    missed: list[Listing]
    trained_on: str  # what the model learnt from, in words


def evaluate(topics: list[Topic], gold: list[GoldPaper], part: str = HELD_OUT, model=None,
             trained_on: str = "", index: TextIndex | None = None) -> Evaluation:
    """Select over the gold papers of ``part`` (``tune``, ``held-out`` or ``all``) and score it."""
    chosen = [g for g in gold if part == "all" or g.part == part]
    return _scored(topics, chosen, _listed(topics, chosen, model, index), part,
                   trained_on or getattr(model, "trained_on", ""))


def _listed(topics: list[Topic], chosen: list[GoldPaper], model,
            index: TextIndex | None = None) -> dict[str, dict[str, list[str]]]:
    """Each paper's id → the topics the selection lists it under, each with its reasons."""
    listed: dict[str, dict[str, list[str]]] = {g.id: {} for g in chosen}
    for listing in list_topics(topics, [g.paper() for g in chosen], model=model, index=index):
        for entry in listing.entries:
            listed[entry.paper.id][listing.slug] = entry.reasons
    return listed


def _scored(topics: list[Topic], chosen: list[GoldPaper], listed: dict[str, dict[str, list[str]]],
            part: str, trained_on: str) -> Evaluation:
    scores = {t.slug: TopicScore(t.slug, t.title) for t in topics}
    wrong, missed = [], []
    for g in chosen:
        said, truth = listed[g.id], set(g.topics)
        for slug, reasons in said.items():
            if slug in truth:
                scores[slug].tp += 1
            else:
                scores[slug].fp += 1
                wrong.append(Listing(g.id, g.title, slug, reasons))
        for slug in truth - set(said):
            if slug in scores:
                scores[slug].fn += 1
                missed.append(Listing(g.id, g.title, slug))
    overall = TopicScore("overall", "All topics", *(sum(getattr(s, k) for s in scores.values()) for k in ("tp", "fp", "fn")))
    n = max(len(chosen), 1)
    return Evaluation(
        part=part, papers=len(chosen), scores=list(scores.values()), overall=overall,
        listed_per_paper=sum(len(v) for v in listed.values()) / n,
        gold_per_paper=sum(len(g.topics) for g in chosen) / n,
        in_some_topic=sum(1 for v in listed.values() if v) / n,
        most_topics=max((len(v) for v in listed.values()), default=0),
        wrong=sorted(wrong, key=lambda x: (x.slug, x.id)), missed=sorted(missed, key=lambda x: (x.slug, x.id)),
        trained_on=trained_on)


def measure(topics: list[Topic], gold: list[GoldPaper], part: str = HELD_OUT, folds: int = 5,
            index: TextIndex | None = None) -> Evaluation:
    """The honest figures: held-out scored by a model of the tune part; tune by cross-validation on it.

    ``index``: where the papers' evidence and the models' fits are kept between measures
    (``topics --diff`` measures both sides: a topic the change leaves alone is fitted once).
    """
    index = index if index is not None else TextIndex()
    store, name = index.kept(), _measure_name(topics, gold, part, folds)
    kept = store.text(name)
    if kept is not None:
        return _loaded(kept)
    measured = _measure(topics, gold, part, folds, index)
    store.keep_text(name, json.dumps(asdict(measured)))
    return measured


def _measure_name(topics: list[Topic], gold: list[GoldPaper], part: str, folds: int) -> str:
    """What the figures are worked out from (the code's version is the store's own)."""
    from generator.curate.model_store import fit_name

    return fit_name(("evaluation", part, folds,
                     tuple((t.slug, t.title, t.rules.key(), tuple(sorted(t.include)), tuple(sorted(t.exclude)))
                           for t in topics),
                     tuple((g.id, g.title, g.abstract, tuple(g.topics)) for g in gold)))


def _loaded(text: str) -> Evaluation:
    data = json.loads(text)
    return Evaluation(**{**data, "scores": [TopicScore(**s) for s in data["scores"]],
                         "overall": TopicScore(**data["overall"]),
                         "wrong": [Listing(**x) for x in data["wrong"]], "missed": [Listing(**x) for x in data["missed"]]})


def _measure(topics: list[Topic], gold: list[GoldPaper], part: str, folds: int, index: TextIndex) -> Evaluation:
    from generator.curate.model import train

    tune = [g for g in gold if g.part == TUNE]
    if part == HELD_OUT:
        model = train(topics, tune, trained_on=f"trained on the {len(tune)} papers of the tune part", index=index)
        return evaluate(topics, gold, HELD_OUT, model, index=index)
    if part not in (TUNE, "all"):
        raise ValueError(part)
    # Each fold (every folds-th paper) is listed by a model of the others; then all are scored.
    # The tune part's figure chose the thresholds; the whole set's is the shipped model's, which
    # learns from every gold paper, on papers it has not seen (its thresholds chosen on the tune part).
    papers = tune if part == TUNE else list(gold)
    listed = {}
    for k in range(folds):
        held = [g for i, g in enumerate(papers) if i % folds == k]
        model = train(topics, [g for i, g in enumerate(papers) if i % folds != k], index=index)
        listed.update(_listed(topics, held, model, index))
    where = "the tune part" if part == TUNE else "the whole gold set"
    return _scored(topics, papers, listed, part, f"{folds}-fold cross-validation on {where}")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


PART_WORDS = {HELD_OUT: "the held-out part (nothing was tuned on it)", TUNE: "the tune part (what rules and model were tuned on)",
              "all": "the whole gold set (tune and held-out parts)"}


def render_text(e: Evaluation, details: bool = True) -> str:
    lines = [f"Topics against the gold set: {e.papers} papers of {PART_WORDS[e.part]}.",
             f"Model: {e.trained_on or 'none'}.",
             f"Overall: precision {_figure(e.overall.precision)}, recall {_figure(e.overall.recall)}, "
             f"F1 {_figure(e.overall.f1)}; {e.listed_per_paper:.2f} topics a paper (the gold set: "
             f"{e.gold_per_paper:.2f}), {e.in_some_topic:.0%} in some topic, at most {e.most_topics}.", "",
             f"{'topic':40} {'precision':>9} {'recall':>7} {'F1':>5} {'right':>5} {'wrong':>5} {'missed':>6}"]
    for s in sorted(e.scores, key=lambda s: s.slug):
        lines.append(f"{s.slug:40} {_figure(s.precision):>9} {_figure(s.recall):>7} {_figure(s.f1):>5} "
                     f"{s.tp:>5} {s.fp:>5} {s.fn:>6}")
    if details:
        lines += ["", f"Listed wrongly ({len(e.wrong)}):"]
        lines += [f"  {w.slug}: {w.id} {' '.join(w.title.split())[:90]} — {'; '.join(w.reasons)}" for w in e.wrong]
        lines += ["", f"Missed ({len(e.missed)}):"]
        lines += [f"  {m.slug}: {m.id} {' '.join(m.title.split())[:90]}" for m in e.missed]
    return "\n".join(lines) + "\n"


@dataclass
class QualityChange:
    """How a change moves the held-out figures: each topic's before and after, and overall."""

    before: Evaluation | None
    after: Evaluation | None

    def rows(self) -> list[tuple[str, TopicScore | None, TopicScore | None]]:
        was = {s.slug: s for s in (self.before.scores if self.before else [])}
        now = {s.slug: s for s in (self.after.scores if self.after else [])}
        rows = [("overall", self.before and self.before.overall, self.after and self.after.overall)]
        for slug in sorted(set(was) | set(now)):
            a, b = was.get(slug), now.get(slug)
            if _shown(a) != _shown(b):
                rows.append((slug, a, b))
        return rows


def _shown(score: TopicScore | None) -> tuple:
    return (None,) if score is None else (_figure(score.precision), _figure(score.recall))


def quality_change(old, new) -> QualityChange | None:
    """The held-out figures of two reviews (``curation.Review``); None when neither has a gold set."""
    if not old.gold and not new.gold:
        return None
    after = measure(new.topics, new.gold, index=new.texts) if new.gold else None
    if old.model_key() == new.model_key() and [t.slug for t in old.topics] == [t.slug for t in new.topics]:
        return QualityChange(after, after)
    return QualityChange(measure(old.topics, old.gold, index=old.texts) if old.gold else None, after)


def change_lines(change: QualityChange) -> list[str]:
    """``precision of Fault tolerance 0.71 → 0.93, recall 0.80 → 0.80`` for each topic whose figures move."""
    lines = []
    for slug, a, b in change.rows():
        name = "overall" if slug == "overall" else (b or a).title
        lines.append(f"{name}: precision {_figure(a and a.precision)} → {_figure(b and b.precision)}, "
                     f"recall {_figure(a and a.recall)} → {_figure(b and b.recall)}")
    return lines


def render_markdown(e: Evaluation) -> str:
    from generator.curate.report import md

    lines = ["## The topics against the gold set", "",
             f"{e.papers} papers of {PART_WORDS[e.part]}; model: {md(e.trained_on or 'none')}.", "",
             f"**Overall:** precision {_figure(e.overall.precision)}, recall {_figure(e.overall.recall)}, "
             f"F1 {_figure(e.overall.f1)}; {e.listed_per_paper:.2f} topics a paper (gold set {e.gold_per_paper:.2f}), "
             f"{e.in_some_topic:.0%} in some topic.", "",
             "| topic | precision | recall | F1 | right | wrong | missed |", "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {md(s.title)} | {_figure(s.precision)} | {_figure(s.recall)} | {_figure(s.f1)} | {s.tp} | {s.fp} | {s.fn} |"
              for s in sorted(e.scores, key=lambda s: s.slug)]
    return "\n".join(lines) + "\n"


def render_json(e: Evaluation) -> str:
    import json

    def score(s: TopicScore) -> dict:
        return {"topic": s.slug, "precision": s.precision, "recall": s.recall, "f1": s.f1,
                "right": s.tp, "wrong": s.fp, "missed": s.fn}
    data = {"part": e.part, "papers": e.papers, "model": e.trained_on, "overall": score(e.overall),
            "topics_per_paper": e.listed_per_paper, "gold_topics_per_paper": e.gold_per_paper,
            "in_some_topic": e.in_some_topic, "most_topics": e.most_topics,
            "topics": [score(s) for s in sorted(e.scores, key=lambda s: s.slug)],
            "wrong": [vars(w) for w in e.wrong], "missed": [vars(m) for m in e.missed]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
