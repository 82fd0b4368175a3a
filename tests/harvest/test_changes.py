"""Changes over time: new versions, withdrawals, cross-lists, and what a harvest reports."""
import os
import pty
import re
import subprocess
import sys

import pytest

from arxiv_feed import Entry
from arxiv_server import ArxivServer
from conftest import REPO
from generator.archive.models import Paper
from generator.archive.store import Archive
from test_faults import config
from test_harvest import entries
from test_store import make_paper

WITHDRAWAL = ("The authors have identified issues related to information disclosure in the current "
              "version of the manuscript and therefore request its withdrawal.")


def harvest(project, server, *extra):
    return project.run("harvest", "--api-url", server.url, *extra)


def test_new_versions_are_appended_to_the_history_and_shown(project):
    project.write_config(config())
    v1 = Entry(id="2606.00007v1", title="First", published="2026-06-01T10:00:00Z")
    with ArxivServer([v1]) as server:
        harvest(project, server)
        for n, day in ((2, "03"), (3, "08")):
            server.entries = [Entry(id=f"2606.00007v{n}", title=f"Take {n}", published=v1.published,
                                    updated=f"2026-06-{day}T09:30:00Z")]
            result = harvest(project, server)
            assert "0 new, 1 updated" in result.stdout
    paper = Archive(project.content).load("2606.00007")
    assert [(v.version, v.date) for v in paper.versions] == [
        (1, "2026-06-01T10:00:00Z"), (2, "2026-06-03T09:30:00Z"), (3, "2026-06-08T09:30:00Z")]
    html = project.build().joinpath("papers/2606/2606.00007/index.html").read_text()
    assert 'to v3 on <time datetime="2026-06-08T09:30:00Z">8 Jun 2026</time>' in html
    versions = re.search(r'<ol class="paper__versions">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r">(v\d)</a> <time[^>]*>([^<]+)<", versions) == [
        ("v1", "1 Jun 2026"), ("v2", "3 Jun 2026"), ("v3", "8 Jun 2026")]


def test_a_paper_first_seen_at_v2_dates_v1_by_its_publication(project):
    project.write_config(config())
    with ArxivServer([Entry(id="2606.00008v2", published="2026-06-01T10:00:00Z",
                            updated="2026-06-04T11:00:00Z")]) as server:
        harvest(project, server)
    paper = Archive(project.content).load("2606.00008")
    assert [(v.version, v.date) for v in paper.versions] == [(1, "2026-06-01T10:00:00Z"), (2, "2026-06-04T11:00:00Z")]


@pytest.mark.parametrize("comment, withdrawn", [
    (WITHDRAWAL, True),
    ("This paper has been withdrawn by the author due to a crucial error in Theorem 2", True),
    ("Withdrawn: duplicate of arXiv:2601.00001", True),
    ("We withdraw this paper; a corrected version will follow", True),
    ("12 pages; v2 withdrew Section 5 and fixed typos", False),
    ("Accepted at PODC; studies withdrawal attacks on staking pools", False),
    ("19 pages, 21 figures", False),
    (None, False),
])
def test_withdrawal_is_read_from_the_comment(comment, withdrawn):
    assert make_paper(comment=comment).withdrawn is withdrawn


def test_withdrawn_is_derived_never_stored(tmp_path):
    archive = Archive(tmp_path)
    archive.save(make_paper(comment=WITHDRAWAL))
    text = archive.path_for("2606.01839").read_text()
    assert "withdrawn:" not in text
    assert "withdrawn" not in Paper.__dataclass_fields__


def test_a_withdrawal_is_reported_bannered_and_marked_and_the_paper_kept(project):
    project.write_config(config())
    with ArxivServer(entries(2)) as server:
        harvest(project, server)
        server.entries[0] = Entry(id="2606.00002v2", title="Paper 2", published=server.entries[0].published,
                                  updated="2026-06-09T10:00:00Z", comment=WITHDRAWAL)
        result = harvest(project, server)
    assert "0 new, 1 updated, 1 withdrawn, 0 errors" in result.stdout
    assert "withdrawn: 2606.00002v2" in result.stdout
    assert len(project.paper_files()) == 2
    site = project.build()
    page = (site / "papers/2606/2606.00002/index.html").read_text()
    banner = page.index('class="admonition danger paper__withdrawn"')
    assert banner < page.index('<h1 class="paper__title">')  # right above the title
    assert "request its withdrawal" in page  # the authors' own words, in the comment
    assert "paper__withdrawn" not in (site / "papers/2606/2606.00001/index.html").read_text()
    for listing in ("months/2606/index.html", "index.html"):
        html = (site / listing).read_text()
        items = re.findall(r'<li class="paper-item">.*?</li>', html, re.S)
        marked = [item for item in items if "paper-item__withdrawn" in item]
        assert len(items) == 2 and len(marked) == 1 and "2606.00002" in marked[0]


def test_the_sample_withdrawn_paper_has_its_banner(sample_site):
    html = (sample_site / "papers/2606/2606.04101/index.html").read_text()
    assert "paper__withdrawn" in html
    assert "paper__withdrawn" not in (sample_site / "papers/2510/2510.00991/index.html").read_text()


def test_a_cross_listed_paper_is_stored_once(project):
    project.write_config(config())
    shared = Entry(id="2606.00300v1", title="In both", categories=["cs.DC", "cs.LG"], published="2026-06-06T10:00:00Z")
    with ArxivServer() as server:
        server.by_category = {"cs.DC": [shared] + entries(2), "cs.LG": [shared] + [Entry(id="2606.00070v1", categories=["cs.LG"])]}
        result = harvest(project, server, "--category", "cs.DC", "--category", "cs.LG")
        again = harvest(project, server, "--category", "cs.DC", "--category", "cs.LG")
    assert result.exit_code == 0
    assert "4 new, 0 updated, 0 withdrawn, 0 errors (1 unchanged" in result.stdout
    files = project.paper_files()
    assert sorted(files) == [f"papers/2606/2606.{n:05d}.md" for n in (1, 2, 70, 300)]
    assert "0 new, 0 updated" in again.stdout and project.paper_files() == files


def test_a_second_run_with_nothing_new_changes_no_file_with_the_default_overlap(project):
    project.write_config(config())
    with ArxivServer(entries(5)) as server:
        harvest(project, server, "--page-size", "2")
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()}
        again = harvest(project, server, "--page-size", "2")
    assert again.exit_code == 0 and "0 new, 0 updated, 0 withdrawn, 0 errors" in again.stdout
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()}
    assert after == before


def test_the_report_is_short_plain_text_when_not_on_a_terminal(project):
    project.write_config(config())
    with ArxivServer(entries(3)) as server:
        result = harvest(project, server, "--page-size", "1")
    assert result.stdout.splitlines() == [
        "harvest: 3 new, 0 updated, 0 withdrawn, 0 errors (0 unchanged, 0 older than the archive's copy, 3 requests)",
        "cs.DC: 3 of 3 papers"]


def test_a_progress_bar_on_a_terminal(project):
    project.write_config(config())
    with ArxivServer(entries(4)) as server:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--config", str(project.root / "archive.yml"),
             "--content", str(project.content), "harvest", "--api-url", server.url, "--page-size", "2"],
            cwd=REPO, stdout=follower, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        process.wait(timeout=60)
        os.close(leader)
    text = output.decode()
    assert process.returncode == 0, text
    assert "cs.DC" in text and "4/4" in text and "#" in text  # click's bar: label, position, fill
    assert "harvest: 4 new" in text
