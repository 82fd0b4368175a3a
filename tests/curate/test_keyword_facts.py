"""Keyword facts kept by keyword and paper (generator/curate/evidence.py) give exactly what weighing
each paper against each topic's rules afresh gives (``MatchRules.evidence``), and so do the other
things a warm ``topics`` run finds kept: with the store in memory, in a file, stale, or corrupt."""
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from generator.curate import evaluate as evaluation, evidence as evidence_module, listing
from generator.curate import model_store
from generator.curate.evidence import topic_evidence
from generator.curate.listing import TextIndex, list_topics
from generator.curate.model import train
from generator.curate.model_store import ModelStore
from generator.curate.rules import MatchRules
from generator.curate.topics import Topic
from test_store import make_paper
from test_topic_model_reuse import _gold, _papers, _shape, _topics
from test_topic_model import labelled  # noqa: F401 (a fixture)
from test_topics_diff_fast import AUTHORS, ODD_WORDS

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("archive", "harvest", "curate", "site", "search")  # the tests' folders (pytest.ini's pythonpath)
# Every kind of keyword and of match: several words (one may span the title's end and the
# abstract's start), punctuation, non-ASCII, any case, weak and title-only words, "unless".
KEYWORDS = ["gossip", "GPU", "kv cache", "kv-cache", "c++", "--", "edge ai", "kv_cache", "façade",
            "naïve gossip", "gpu", "Raft", "ai.", "rdma/mpi", "mpi", "raft gossip", "cache edge"]


def _random_papers(rng, count):
    papers = []
    for n in range(count):
        title = " ".join(rng.choice(ODD_WORDS) for _ in range(rng.randint(0, 5)))
        abstract = " ".join(rng.choice(ODD_WORDS) for _ in range(rng.randint(0, 14)))
        papers.append(make_paper(id=f"2606.{n:05d}", title=title, abstract=abstract,
                                 published=f"2026-06-{rng.randint(1, 28):02d}T10:00:00Z",
                                 categories=rng.sample(["cs.DC", "cs.LG", "cs.NI"], rng.randint(1, 2))))
    for paper in rng.sample(papers, min(3, len(papers))):  # the same text twice: one row, two papers
        twin = papers[rng.randrange(len(papers))]
        paper.title, paper.abstract = twin.title, twin.abstract
    return papers


def _random_topics(rng, count=5):
    def some(k):
        return rng.sample(KEYWORDS, rng.randint(0, k))
    return [Topic(f"t{k}", f"T{k}", rules=MatchRules(
        keywords=some(4), title=some(2), weak=some(2), unless=some(1) if rng.random() < 0.4 else [],
        categories=["cs.LG"] if rng.random() < 0.2 else [],
        authors=[rng.choice(AUTHORS)] if rng.random() < 0.1 else [],
        mentions=rng.randint(1, 3))) for k in range(count)]


def _afresh(rules, paper):
    """The evidence, its features and whether the rules hold, paper by paper (no facts kept)."""
    hits = rules._keyword_hits(paper, None, None)
    if not hits:
        return None, (0.0, 0.0), False
    found = rules.evidence(paper, hits)
    return found, found.features(), rules.holds(paper, found)


def _same_evidence(a, b):
    return (a.in_title, list(a.counted.items()), list(a.weak.items())) == \
        (b.in_title, list(b.counted.items()), list(b.weak.items()))


@pytest.mark.parametrize("seed", range(40))
def test_evidence_put_together_from_kept_facts_is_the_rules_own(seed):
    rng = random.Random(seed)
    papers, topics = _random_papers(rng, rng.randint(0, 50)), _random_topics(rng)
    index = TextIndex()
    # Twice: the second time every fact is the kept one; also over another order of the papers.
    for chosen in (papers, papers, list(reversed(papers))):
        weighed = topic_evidence(topics, chosen, index)
        for topic in topics:
            if not topic.rules.has_keywords:
                assert topic.slug not in weighed
                continue
            found = weighed[topic.slug]
            valid = [i for i in range(len(chosen)) if found.features[i].any()]
            made = found.evidence(valid)
            for i, paper in enumerate(chosen):
                evidence, features, holds = _afresh(topic.rules, paper)
                assert tuple(found.features[i]) == features and bool(found.holds[i]) == holds
                if i in made:
                    assert _same_evidence(made[i], evidence)


def test_the_log_of_counts_is_maths_own():
    counts = np.array([0, 1, 2, 7, 40])
    assert evidence_module._log1p(counts).tolist() == [math.log1p(n) for n in counts.tolist()]


def _counting(monkeypatch):
    """Record which keyword tests are looked for in how many papers."""
    looked = []
    real = listing._keyword_matches_of

    def spy(tests, texts, words):
        looked.append((sorted(tests), len(texts)))
        return real(tests, texts, words)
    monkeypatch.setattr(listing, "_keyword_matches_of", spy)
    return looked


def test_a_keyword_is_looked_for_once_a_paper_and_a_new_one_or_a_new_paper_alone(monkeypatch):
    looked = _counting(monkeypatch)
    papers, index = _papers(), TextIndex()
    first = _shape(list_topics(_topics(), papers, index=index))
    assert looked and all(n == len(papers) for _, n in looked)
    looked.clear()
    assert _shape(list_topics(_topics(), papers, index=index)) == first and not looked
    more = _topics(gpu_keywords=("GPU", "GPUs", "CUDA"))
    fresh = _shape(list_topics(more, papers))
    looked.clear()
    assert _shape(list_topics(more, papers, index=index)) == fresh
    assert [(names, n) for names, n in looked] == [(["cuda " + listing.keyword_pattern("cuda")], len(papers))]
    looked.clear()
    extra = make_paper(id="2606.09999", title="Raft on GPUs", abstract="consensus consensus")
    fresh = _shape(list_topics(_topics(), [*papers, extra]))
    looked.clear()
    assert _shape(list_topics(_topics(), [*papers, extra], index=index)) == fresh
    assert {n for _, n in looked} == {1}


def _select(path, topics=None):
    index = TextIndex()
    index.store = ModelStore(path)
    topics = topics or _topics()
    shape = _shape(list_topics(topics, _papers(), index=index, model=train(topics, _gold(), index=index)))
    figures = evaluation.measure(topics, _gold(), index=index)
    index.store.save()
    return shape, evaluation.render_text(figures)


def test_what_a_file_keeps_selects_and_measures_as_working_it_out(tmp_path, monkeypatch):
    path = tmp_path / "topic-model.npz"
    fresh = _select(None)
    assert _select(path) == fresh and path.exists()
    looked = _counting(monkeypatch)
    measured = []
    monkeypatch.setattr(evaluation, "_measure", lambda *a, real=evaluation._measure: measured.append(1) or real(*a))
    assert _select(path) == fresh
    assert not looked and not measured  # every fact and the figures were in the file
    # A changed gold set is measured again (and gives its own figures).
    changed = _gold()
    changed[0].topics = [] if changed[0].topics else ["gpus"]
    index = TextIndex()
    index.store = ModelStore(path)
    assert evaluation.render_text(evaluation.measure(_topics(), changed, index=index)) == \
        evaluation.render_text(evaluation.measure(_topics(), changed)) and measured


@pytest.mark.parametrize("damage", ["version", "not a zip", "truncated", "facts out of step", "rows out of range"])
def test_a_stale_or_broken_file_is_worked_out_again_the_same(tmp_path, monkeypatch, damage):
    path = tmp_path / "topic-model.npz"
    fresh = _select(None)
    _select(path)
    if damage == "version":
        monkeypatch.setattr(model_store, "code_version", lambda: "another")
    elif damage == "not a zip":
        path.write_bytes(b"PK\x03\x04 not a zip file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    else:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if damage == "facts out of step":
            arrays["kw:offsets"] = arrays["kw:offsets"][:-1]
        else:
            arrays["kw:rows"] = arrays["kw:rows"] + len(arrays["digests"])
        np.savez(path, **arrays)
    looked = _counting(monkeypatch)
    assert _select(path) == fresh and looked


def test_a_warm_selection_imports_no_scikit_learn(tmp_path):
    """Every fit and probability kept: the model is read from the file, nothing fitted or scored."""
    script = (
        "import sys\n"
        f"sys.path[:0] = {[str(ROOT), *(str(ROOT / 'tests' / d) for d in ('', *STAGES))]!r}\n"
        "from test_keyword_facts import _select\n"
        f"print(_select({str(tmp_path / 'm.npz')!r})[0][0][0])\n"
        "print('sklearn' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs[0].split()[-1] == "True" and runs[1].split()[-1] == "False"


def test_the_other_side_of_a_diff_reuses_the_reasons_it_can_and_lists_as_afresh(monkeypatch):
    """The revision's topics differ (another model), some papers and curations too: a paper's
    reasons are reused only where its topic, the model's word on it and its curation agree."""
    from generator.curate.rules import MatchRules as Rules

    index, papers = TextIndex(), _papers()
    index.keep_reasons = True  # as topics --diff asks
    now, before = _topics(("GPU", "GPUs", "CUDA")), _topics()
    list_topics(now, papers, {papers[0].id: ["gpus"]}, index=index, model=train(now, _gold(), index=index))
    old_papers = [*papers[3:], *(make_paper(id=p.id, published=p.published, title=p.title + " GPU",
                                            abstract=p.abstract) for p in papers[:3])]
    curated = {papers[5].id: ["consensus"]}
    explained = []
    monkeypatch.setattr(Rules, "explain", lambda *a, real=Rules.explain, **k: explained.append(1) or real(*a, **k))
    reused = _shape(list_topics(before, old_papers, curated, index=index, model=train(before, _gold(), index=index)))
    worked = len(explained)
    assert reused == _shape(list_topics(before, old_papers, curated, model=train(before, _gold())))
    assert worked < len(explained) - worked


def test_topics_diff_prints_the_same_cold_warm_and_from_a_broken_store(labelled):
    """End to end, with a gold set (so a model) in a git repository: what the store keeps between
    runs changes no byte of ``topics --diff`` or of the report, whatever state the file is in."""
    import shutil as shell

    from generator.archive.store import Archive
    from generator.curate.gold import dump_gold
    from test_topic_model import gold_papers
    from test_topics_report import git

    if not shell.which("git"):
        pytest.skip("git is needed for topics --diff")
    project = labelled
    archive = Archive(project.content)
    for paper in _papers(30):
        archive.save(paper)
    git(project.root, "init", "--quiet", "--initial-branch=main")
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "archive")
    gpus = project.content / "topics" / "gpus.md"
    gpus.write_text(gpus.read_text().replace("[GPU, GPUs]", "[GPU, GPUs, CUDA]")
                    .replace("---\n", "---\ninclude: [2606.00003]\n", 1), encoding="utf-8")
    (project.content / "topics" / "raft.md").write_text("---\ntitle: Raft\nmatch:\n  keywords: [Raft]\n---\n")
    gold = gold_papers()
    gold[1].topics = ["consensus"]  # relabelled: the held-out figures move too
    (project.root / "gold" / "topics.yml").write_text(dump_gold(gold), encoding="utf-8")
    store = project.root / ".cache" / "generator" / "topic-model.npz"

    def outputs():
        runs = [project.run("topics", "--diff", "HEAD", "--format", "json"), project.run("topics", "--count", "0")]
        assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
        return [r.stdout for r in runs]

    cold = outputs()
    diff = json.loads(cold[0])
    assert store.exists() and {"gpus", "raft"} <= {d["slug"] for d in diff["topics"]} and diff["quality"]
    assert outputs() == cold  # warm: everything read from the file
    store.write_bytes(store.read_bytes()[:1000])  # cut short
    assert outputs() == cold
    shell.rmtree(project.root / ".cache")
    assert outputs() == cold
