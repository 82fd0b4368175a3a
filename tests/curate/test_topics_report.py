"""`topics`: the report, `--diff REV` against a real git repository, candidates, and check's annotations."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from generator.archive.store import Archive
from generator.curate.annotations import annotation
from test_curation import write
from test_store import make_paper
from test_topics import all_papers, listed_ids

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}

GOSSIP = """\
---
title: Gossip
description: Epidemic protocols.
match:
  keywords: [gossip]
  mentions: 1
include: []
exclude: []
---

Gossip.
"""


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull}).stdout


@pytest.fixture
def repo(project):
    if not shutil.which("git"):
        pytest.skip("git is needed for topics --diff")
    archive = Archive(project.content)
    abstracts = {1: "A gossip protocol.", 2: "Epidemic broadcast by rumor mongering.", 3: "Consensus with Raft.",
                 4: "Rumor spreading and gossip.", 5: "Scheduling of GPU jobs.", 6: "Gossip and consensus."}
    for n, text in abstracts.items():
        archive.save(make_paper(id=f"2606.0000{n}", published=f"2026-06-0{n}T10:00:00Z", title=f"Paper {n}",
                                abstract=text))
    write(project, "topics/gossip.md", GOSSIP)
    write(project, "topics/consensus.md", GOSSIP.replace("Gossip", "Consensus").replace("gossip", "consensus")
          .replace("exclude: []", "exclude: [2606.00006]"))
    git(project.root, "init", "--quiet", "--initial-branch=main")
    git(project.root, "add", "--all")
    git(project.root, "commit", "--quiet", "-m", "archive")
    return project


def test_diff_lists_exactly_the_papers_whose_membership_changed_and_agrees_with_the_pages(repo):
    # A keyword changed, a paper included, a topic added.
    write(repo, "topics/gossip.md", GOSSIP.replace("[gossip]", "[rumor]"))
    write(repo, "topics/consensus.md", (repo.content / "topics/consensus.md").read_text()
          .replace("include: []", "include: [2606.00005]"))
    write(repo, "topics/scheduling.md", GOSSIP.replace("Gossip", "Scheduling").replace("gossip", "scheduling"))
    result = repo.run("topics", "--diff", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    changes = {d["slug"]: d for d in diff["topics"]}
    assert set(changes) == {"gossip", "consensus", "scheduling"}
    gossip = changes["gossip"]
    assert [(p["id"], p["reason"]) for p in gossip["added"]] == [("2606.00002", "matches abstract “rumor”")]
    assert [(p["id"], p["reason"]) for p in gossip["removed"]] == [
        ("2606.00006", "no longer: matches abstract “gossip”"), ("2606.00001", "no longer: matches abstract “gossip”")]
    assert (gossip["before"], gossip["after"]) == (3, 2) and gossip["status"] == "changed"
    assert [(p["id"], p["reason"]) for p in changes["consensus"]["added"]] == [
        ("2606.00005", "is on the topic's include list")]
    assert not changes["consensus"]["removed"]
    assert changes["scheduling"]["status"] == "added"
    assert [p["id"] for p in changes["scheduling"]["added"]] == ["2606.00005"]
    assert all(p["title"] for d in diff["topics"] for p in d["added"] + d["removed"])

    text = repo.run("topics", "--diff", "HEAD").stdout
    assert "gossip: Gossip: 3 → 2 papers (+1, −2)" in text and "(new topic)" in text
    markdown = repo.run("topics", "--diff", "HEAD", "--format", "markdown").stdout
    assert "| + | [2606.00002](https://arxiv.org/abs/2606.00002) | Paper 2 | matches abstract “rumor” |" in markdown

    # The counts agree with the built topic pages.
    report = json.loads(repo.run("topics", "--format", "json", "--count", "0").stdout)
    repo.build()
    for topic in report["topics"]:
        assert len(listed_ids(all_papers(repo.page(f"topics/{topic['slug']}")))) == topic["papers"], topic["slug"]
        assert topic["papers"] == changes.get(topic["slug"], {"after": topic["papers"]})["after"]


def test_diff_reports_renames_removals_and_curation_blocks(repo):
    (repo.content / "topics/gossip.md").rename(repo.content / "topics/epidemics.md")
    (repo.content / "topics/consensus.md").unlink()
    path = Archive(repo.content).path_for("2606.00003")
    path.write_text(path.read_text().replace("\n---\n", "\ncuration:\n  headline: Raft, again\n---\n", 1))
    diff = json.loads(repo.run("topics", "--diff", "HEAD", "--format", "json").stdout)
    status = {d["slug"]: (d["status"], d["old_slug"], len(d["added"]), len(d["removed"])) for d in diff["topics"]}
    assert status == {"epidemics": ("renamed", "gossip", 0, 0), "consensus": ("removed", None, 0, 1)}
    assert [(c["id"], c["fields"]) for c in diff["curations"]] == [("2606.00003", ["headline"])]


def test_diff_with_no_change_says_so_and_a_bad_revision_is_one_line(repo):
    assert "no topic gains or loses a paper" in repo.run("topics", "--diff", "HEAD").stdout
    bad = repo.run("topics", "--diff", "no-such-branch")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: git ") and bad.stderr.count("\n") == 1


def test_diff_by_default_compares_with_the_merge_base_of_the_configured_branch(repo):
    git(repo.root, "checkout", "--quiet", "-b", "curate")
    write(repo, "topics/gossip.md", GOSSIP.replace("[gossip]", "[rumor]"))
    git(repo.root, "commit", "--quiet", "-am", "rumor")
    result = repo.run("topics", "--diff")
    assert result.exit_code == 0, result.output
    assert "the merge base with main" in result.stdout and "2606.00002 Paper 2: matches abstract “rumor”" in result.stdout


def test_the_report_counts_reasons_untopiced_papers_and_candidates(repo):
    write(repo, "topics/consensus.md", (repo.content / "topics/consensus.md").read_text()
          .replace("include: []", "include: [2606.00005]"))
    result = repo.run("topics", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    consensus = next(t for t in report["topics"] if t["slug"] == "consensus")
    assert (consensus["papers"], consensus["by_rules"], consensus["by_include"], consensus["excluded"]) == (2, 1, 1, 1)
    assert consensus["newest"]["id"] == "2606.00005"
    assert report["untopiced"] == {"count": 1, "share": round(1 / 6, 4),
                                   "newest": {"id": "2606.00002", "title": "Paper 2",
                                              "published": "2026-06-02T10:00:00Z"}}
    gossip = next(t for t in report["topics"] if t["slug"] == "gossip")
    text = repo.run("topics").stdout
    assert "in no topic: 1 of 6 papers (16.7%)" in text
    assert "| Consensus (`consensus`) | 2 | 1 | 1 | 0 | 1 |" in repo.run("topics", "--format", "markdown").stdout


def test_candidates_are_similar_papers_the_topic_does_not_list(project):
    archive = Archive(project.content)
    texts = ["Byzantine consensus quorum replicas leader", "Byzantine quorum replicas view change leader",
             "Byzantine replicas quorum certificates leader", "Photonic interconnect lasers",
             "Tensor compilers kernels fusion", "Quorum replicas leader Byzantine faults voting"]
    for n, text in enumerate(texts, 1):
        archive.save(make_paper(id=f"2606.0000{n}", title=f"Paper {n}", abstract=text))
    write(project, "topics/bft.md", GOSSIP.replace("[gossip]", "[consensus, view change]"))
    result = project.run("topics", "--candidates", "bft", "--count", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    found = [c["id"] for c in json.loads(result.stdout)["candidates"]]
    assert found[0] in ("2606.00003", "2606.00006") and set(found) <= {"2606.00003", "2606.00006"}
    missing = project.run("topics", "--candidates", "nope")
    assert missing.exit_code == 5 and "no topic 'nope'" in missing.stderr


def test_check_under_github_actions_annotates_the_file_and_line(project, monkeypatch):
    write(project, "topics/broken.md", "---\ntitle: Broken\ninclude: [2606.99999]\nmatch:\n  colour: red\n---\n")
    plain = project.run("check")
    assert plain.exit_code == 5 and "::error" not in plain.output
    assert re.search(r"topics/broken\.md:5: match\.colour: unknown key", plain.stderr)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = project.run("check")
    assert result.exit_code == 5
    path = str(project.content / "topics" / "broken.md").replace(":", "%3A").replace(",", "%2C")
    assert f"::error file={path},line=5::match.colour: unknown key" in result.stdout
    assert f"::error file={path},line=3::include: 2606.99999 is not in the archive" in result.stdout


def test_annotations_escape_what_github_reads_as_syntax():
    assert annotation("content/a,b:c.md:7: 100% wrong\r\nnext") == \
        "::error file=content/a%2Cb%3Ac.md,line=7::100%25 wrong%0D%0Anext"
    assert annotation("no line here") == "::error::no line here"


@pytest.mark.parametrize("name", ["a\nz.md", "a\n.md", "\n", "HEAD:x\n", "a b\tc.md", "\"quoted\".md", "caf\xe9.md",
                                  "caf\udce9.md"])  # the last a Latin-1 byte in the name
def test_no_file_name_shifts_what_the_diff_reads_at_the_revision(repo, name):
    # Topic and paper files named to break a line-based protocol with git, committed beside the good ones:
    # `topics --diff` must read every other file's own text at the revision, so nothing seems to change.
    write(repo, f"topics/{name}", GOSSIP.replace("[gossip]", "[consensus]"))
    write(repo, f"papers/2606/{name}", (repo.content / "papers/2606/2606.00001.md").read_text())
    git(repo.root, "add", "--all")
    git(repo.root, "commit", "--quiet", "-m", "hostile names")
    result = repo.run("topics", "--diff", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["topics"] == []
    # One real change among them is reported, and only it.
    write(repo, "topics/gossip.md", GOSSIP.replace("[gossip]", "[rumor]"))
    path = Archive(repo.content).path_for("2606.00003")
    path.write_text(path.read_text().replace("\n---\n", "\ncuration:\n  headline: Raft, again\n---\n", 1))
    diff = json.loads(repo.run("topics", "--diff", "HEAD", "--format", "json").stdout)
    assert [(d["slug"], len(d["added"]), len(d["removed"])) for d in diff["topics"]] == [("gossip", 1, 2)]
    assert [(c["id"], c["fields"]) for c in diff["curations"]] == [("2606.00003", ["headline"])]
