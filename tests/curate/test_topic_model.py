"""The gold set, the evaluation against it, and the topic model that learns from it."""
import random

import pytest

from generator.archive.store import Archive
from generator.curate.gold import GoldPaper, dump_gold, part_of
from test_curation import curate, write
from test_store import make_paper
from test_topics import listed_ids, why

CONSENSUS = "replicas agree log leader election quorum commit crash byzantine agreement protocol".split()
GPUS = "kernel cuda warp shared memory tensor cores occupancy device throughput accelerator".split()
OTHER = "survey dataset users interface economics weather biology music language education".split()
TOPICS = {
    "consensus": "---\ntitle: Consensus\nmatch:\n  keywords: [Raft, consensus]\n---\n",
    "gpus": "---\ntitle: GPUs\nmatch:\n  keywords: [GPU, GPUs]\n---\n",
}


def abstract(rng: random.Random, words: list[str], extra: str = "") -> str:
    return " ".join(rng.choice(words) for _ in range(40)) + extra


def gold_papers(count: int = 60, seed: int = 1) -> list[GoldPaper]:
    rng = random.Random(seed)
    papers = []
    for i in range(count):
        kind = i % 3
        words, topics = [(CONSENSUS, ["consensus"]), (GPUS, ["gpus"]), (OTHER, [])][kind]
        # Some mention the other topic's keyword in passing: the rules alone would list them there.
        extra = " Our GPU cluster. Runs on GPUs." if kind == 0 and i % 2 else ""
        papers.append(GoldPaper(f"2501.{i + 1:05d}", f"Study {i}", abstract(rng, words, extra), topics))
    return papers


@pytest.fixture
def labelled(project, monkeypatch):
    monkeypatch.chdir(project.root)
    for slug, text in TOPICS.items():
        write(project, f"topics/{slug}.md", text)
    (project.root / "gold").mkdir()
    (project.root / "gold" / "topics.yml").write_text(dump_gold(gold_papers()), encoding="utf-8")
    return project


def test_the_part_of_a_paper_depends_on_its_id_alone():
    ids = [f"2501.{i:05d}" for i in range(1, 2001)]
    held = [i for i in ids if part_of(i) == "held-out"]
    assert 0.25 < len(held) / len(ids) < 0.35
    assert [part_of(i) for i in ids] == [part_of(i) for i in reversed(ids)][::-1]


def test_the_gold_set_round_trips_through_its_file(tmp_path):
    from generator.curate.gold import load_gold
    papers = gold_papers(9)
    path = tmp_path / "topics.yml"
    path.write_text(dump_gold(papers), encoding="utf-8")
    back = load_gold(path)
    assert [(p.id, p.topics, p.title, p.abstract) for p in back] == [(p.id, p.topics, p.title, p.abstract) for p in papers]


@pytest.mark.parametrize("entry, message", [
    ("- id: '2501.00001'\n  topics: [nope]\n", "2501.00001: no topic 'nope'"),
    ("- id: 'x/1'\n  topics: []\n", "id: 'x/1' is not an arXiv id"),
    ("- id: '2501.00001'\n  topics: consensus\n", "topics: a list of topic names"),
    ("- id: '2501.00001'\n  topics: [consensus, consensus]\n", "at most 4, each once"),
    ("- id: '2501.00001'\n  topics: []\n- id: '2501.00001'\n  topics: []\n", "2501.00001 is labelled twice"),
    ("id: 1\n", "the gold set is a list of papers"),
    ("- [unclosed\n", "not a readable gold set"),
])
def test_check_names_each_problem_of_the_gold_set_with_its_line(labelled, entry, message):
    (labelled.root / "gold" / "topics.yml").write_text(entry, encoding="utf-8")
    result = labelled.run("check")
    assert result.exit_code == 5
    assert "gold/topics.yml:" in result.stderr and message in result.stderr, result.stderr


def test_evaluate_reports_each_topic_on_the_held_out_part(labelled):
    result = labelled.run("topics", "--evaluate")
    assert result.exit_code == 0, result.output
    out = result.stdout
    held = sum(1 for p in gold_papers() if p.part == "held-out")
    assert f"{held} papers of the held-out part" in out
    assert "trained on the" in out and "papers of the tune part" in out
    assert out.count("\nconsensus ") == 1 and out.count("\ngpus ") == 1
    assert "Listed wrongly" in out and "Missed" in out


def test_evaluate_on_the_tune_part_cross_validates(labelled):
    import json
    result = labelled.run("topics", "--evaluate", "--part", "tune", "--format", "json")
    data = json.loads(result.stdout)
    assert data["part"] == "tune" and "cross-validation" in data["model"]
    assert data["papers"] == sum(1 for p in gold_papers() if p.part == "tune")
    assert data["overall"]["precision"] > 0.8 and data["overall"]["recall"] > 0.8


def test_evaluate_on_all_of_the_gold_set_cross_validates_every_paper(labelled):
    import json
    result = labelled.run("topics", "--evaluate", "--part", "all", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["part"] == "all" and "cross-validation on the whole gold set" in data["model"]
    assert data["papers"] == len(gold_papers())  # both parts, each paper listed by a model of the others
    right = sum(t["right"] + t["missed"] for t in data["topics"])
    assert right == sum(len(p.topics) for p in gold_papers())
    text = labelled.run("topics", "--evaluate", "--part", "all").stdout
    assert "the whole gold set (tune and held-out parts)" in text


def test_without_a_gold_set_evaluate_says_where_it_belongs(project):
    result = project.run("topics", "--evaluate")
    assert result.exit_code == 5
    assert "gold/topics.yml" in result.stderr


def test_the_model_drops_a_keyword_in_passing_and_says_why_it_lists(labelled):
    rng = random.Random(7)
    archive = Archive(labelled.content)
    archive.save(make_paper(id="2606.00001", title="Log agreement", abstract=abstract(rng, CONSENSUS, " On GPUs. A GPU.")))
    archive.save(make_paper(id="2606.00002", title="Warp kernels", abstract=abstract(rng, GPUS)))
    site = labelled.build()
    consensus = labelled.page("topics/consensus")
    gpus = labelled.page("topics/gpus")
    assert listed_ids(consensus) == ["2606.00001"]  # no keyword, but it reads like the chosen papers
    assert listed_ids(gpus) == ["2606.00002"]  # GPU twice in passing: the rules alone would list 2606.00001
    assert why(consensus) == [next(w for w in why(consensus) if w.startswith("resembles papers curators chose"))]
    assert site.exists()


def test_include_exclude_and_curation_win_over_the_model(labelled):
    rng = random.Random(8)
    archive = Archive(labelled.content)
    archive.save(make_paper(id="2606.00001", title="Warp kernels", abstract=abstract(rng, GPUS)))
    archive.save(make_paper(id="2606.00002", title="More kernels", abstract=abstract(rng, GPUS)))
    archive.save(make_paper(id="2606.00003", title="Leader election", abstract=abstract(rng, CONSENSUS)))
    write(labelled, "topics/consensus.md", TOPICS["consensus"].replace("---\n", "---\ninclude: [2606.00001]\n", 1)
          .replace("title: Consensus", "title: Consensus\nexclude: [2606.00003]"))
    curate(labelled, "2606.00002", "curation:\n  topics: [consensus]\n")
    labelled.build()
    assert listed_ids(labelled.page("topics/consensus")).count("2606.00003") == 0
    assert {"2606.00001", "2606.00002"} <= set(listed_ids(labelled.page("topics/consensus")))


def test_the_same_archive_lists_the_same_papers(labelled):
    rng = random.Random(9)
    archive = Archive(labelled.content)
    for i in range(1, 13):
        words = [CONSENSUS, GPUS, OTHER][i % 3]
        archive.save(make_paper(id=f"2606.{i:05d}", title=f"Paper {i}", abstract=abstract(rng, words + OTHER)))
    first = labelled.run("topics", "--format", "json").stdout
    assert labelled.run("topics", "--format", "json").stdout == first


def test_the_diff_says_how_a_change_moves_the_held_out_figures(labelled):
    import subprocess
    root = labelled.root
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    write(labelled, "topics/gpus.md", TOPICS["gpus"].replace("keywords: [GPU, GPUs]", "keywords: [GPU, GPUs, kernel]"))
    result = labelled.run("topics", "--diff", "main")
    assert result.exit_code == 0, result.output
    assert "against the gold set's held-out part" in result.stdout
    assert "overall: precision" in result.stdout


def test_the_closest_examples_are_those_a_full_stable_sort_gives_ties_included():
    import numpy as np

    from generator.curate.model import _top

    rng = np.random.default_rng(0)
    for n, k in [(3, 10), (10, 10), (11, 10), (50, 10), (2872, 10), (40, 1)]:
        for values in (rng.random(n), rng.integers(0, 4, n).astype(float), np.zeros(n)):  # ties everywhere
            assert _top(values, k).tolist() == np.argsort(-values, kind="stable")[:k].tolist()
