"""A complete archive from the first run: past the query API's cap, ``harvest`` goes on
through OAI-PMH by itself, survives what OAI-PMH does to long lists, and says how complete it is."""
import json
import os
import signal
import subprocess
import sys

import pytest

from arxiv_server import ArxivServer
from conftest import REPO, Project
from oai_feed import RESPONSE_DATE, Record, error
from test_crash import snapshot
from test_faults import config
from test_harvest import entries

CAP, PAPERS = 4, 11  # the stand-in API reports 11 papers and serves the newest 4
OAI_PAGE = 3
XML = {"Content-Type": "text/xml; charset=utf-8"}
EXPIRED = (200, XML, error("badResumptionToken", "The value of the resumptionToken argument is invalid or expired.", {}))
HTML = (200, {"Content-Type": "text/html"}, b"<html><body>We are down for maintenance</body></html>")


def api_entries():
    return entries(PAPERS)  # 2606.00011 (newest) ... 2606.00001


def oai_records():
    """Every paper of the category, as OAI-PMH lists them: by datestamp, oldest first."""
    by_id = {e.id.split("v")[0]: e for e in api_entries()}
    return [Record(id=bare, title=by_id[bare].title, datestamp=f"2026-06-{1 + n:02d}",
                   versions=[(1, "Fri, 5 Jun 2026 10:00:00 GMT")])
            for n, bare in enumerate(sorted(by_id))]


@pytest.fixture(autouse=True)
def small_cap(monkeypatch):
    monkeypatch.setattr("generator.harvest.run.API_RESULT_CAP", CAP)


def server():
    return ArxivServer(api_entries(), oai_records=oai_records(), oai_page_size=OAI_PAGE)


def harvest(project, arxiv):
    return project.run("harvest", "--api-url", arxiv.url, "--oai-url", arxiv.oai_url, "--page-size", "2")


def state(project):
    return json.loads((project.content / ".harvest-state.json").read_text())


def oai_requests(arxiv):
    return [r for r in arxiv.requests if r["path"] == "/oai"]


def test_one_harvest_past_the_api_cap_stores_every_paper_and_a_second_changes_nothing(project):
    project.write_config(config(retries=2))
    with server() as arxiv:
        # API: 2 pages. OAI: a page, then a 503 asking to wait, an HTML error page,
        # an expired token, and the rest of the list from the last datestamp stored.
        arxiv.scripted = [None, None, None, (503, {"Retry-After": "0"}, b"busy"), HTML, EXPIRED]
        first = harvest(project, arxiv)
        assert first.exit_code == 0, first.output
        assert f"harvest: {PAPERS} new" in first.stdout
        assert f"cs.DC: {PAPERS} of {PAPERS} papers" in first.stdout.splitlines()
        assert sorted(project.paper_files()) == [f"papers/2606/2606.{n:05d}.md" for n in range(1, PAPERS + 1)]
        first_oai = oai_requests(arxiv)[0]["query"]
        assert first_oai == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs:cs:DC"}  # the whole set
        restart = oai_requests(arxiv)[4]["query"]  # after the expired token: from the last datestamp stored
        assert restart == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs:cs:DC", "from": "2026-06-03"}
        entry = state(project)["categories"]["cs.DC"]
        assert (entry["arxiv_total"], entry["held"], entry["backfill_through"]) == (PAPERS, PAPERS, RESPONSE_DATE)
        assert entry["arxiv_total_seen"] == "2026-06-09" and "backfill_position" not in entry

        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()}
        asked = len(arxiv.requests)
        second = harvest(project, arxiv)
        assert second.exit_code == 0 and "0 new, 0 updated, 0 withdrawn, 0 errors" in second.stdout
        assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()} == before
        assert {r["path"] for r in arxiv.requests[asked:]} == {"/api/query"}  # complete: no OAI-PMH at all

    home = project.build().joinpath("index.html").read_text()
    assert f"The archive holds all {PAPERS} papers arXiv lists in cs.DC" in home
    assert "as of 9 Jun 2026" in home and "last harvested" in home


def test_papers_still_missing_are_said_in_words_and_fetched_by_the_next_run(project):
    project.write_config(config(retries=0))
    with server() as arxiv:
        arxiv.scripted = [None, None, (500, {}, b"down")]  # OAI-PMH is down on the first run
        first = harvest(project, arxiv)
        assert first.exit_code == 3 and f"cs.DC: {CAP} of {PAPERS} papers ({PAPERS - CAP} missing" in first.stdout
        home = project.build().joinpath("index.html").read_text()
        assert f"it is missing {PAPERS - CAP} of the {PAPERS} papers arXiv lists in cs.DC" in home
        assert "the next harvest fetches them" in home
        again = harvest(project, arxiv)
    assert again.exit_code == 0 and f"cs.DC: {PAPERS} of {PAPERS} papers" in again.stdout
    assert len(project.paper_files()) == PAPERS


# --- a run stopped midway (killed, as the workflow's time limit does), then run again ---

CHILD = """
import sys
import generator.harvest.run
generator.harvest.run.API_RESULT_CAP = int(sys.argv[1])
from generator.cli import main
sys.argv = ["generator", *sys.argv[2:]]
main()
"""


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("whole"), config())
    import generator.harvest.run
    cap, generator.harvest.run.API_RESULT_CAP = generator.harvest.run.API_RESULT_CAP, CAP
    try:
        with server() as arxiv:
            result = harvest(project, arxiv)
    finally:
        generator.harvest.run.API_RESULT_CAP = cap
    assert result.exit_code == 0, result.output
    return snapshot(project)


@pytest.mark.parametrize("killed_at_request, then", [(3, None), (4, None), (5, None), (4, EXPIRED), (6, EXPIRED)],
                         ids=["first-oai-page", "mid-list", "late", "mid-list-token-expired", "late-token-expired"])
def test_a_run_killed_midway_then_run_again_ends_with_the_files_of_an_uninterrupted_run(
        tmp_path, uninterrupted, killed_at_request, then):
    project = Project(tmp_path, config())
    with server() as arxiv:
        process = None

        def kill():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)

        arxiv.scripted = [None] * (killed_at_request - 1) + [kill]
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(CAP), "--config", str(project.root / "archive.yml"),
             "--content", str(project.content), "harvest", "--api-url", arxiv.url, "--oai-url", arxiv.oai_url,
             "--page-size", "2"], cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        stored = state(project)["categories"]["cs.DC"]
        if killed_at_request > 3:  # a page of the sweep was stored: its position too
            assert stored["backfill_position"]["token"] and stored["backfill_position"]["resume_from"]
        asked = len(arxiv.requests)
        arxiv.scripted = [None, None, then] if then else []  # the API's two pages, then perhaps an expired token
        again = harvest(project, arxiv)
        assert again.exit_code == 0, again.output
        resumed = [r["query"] for r in arxiv.requests[asked:] if r["path"] == "/oai"]
        if killed_at_request > 3:  # not from the beginning: the stored token, or the stored datestamp
            assert "resumptionToken" in resumed[0]
            if then:
                assert resumed[1]["from"] == stored["backfill_position"]["resume_from"]
    assert snapshot(project) == uninterrupted
    assert not [p for p in project.content.rglob("*") if p.name.endswith(".tmp")]


def test_a_run_stopped_by_sigterm_prints_its_report_and_the_next_run_resumes(tmp_path, uninterrupted):
    """The workflow's time limit stops the step (SIGINT, then SIGTERM): the report and the
    reason reach the log, what was stored is committed, and the next run goes on from there."""
    project = Project(tmp_path, config())
    with server() as arxiv:
        process = None
        arxiv.scripted = [None] * 3 + [lambda: process.send_signal(signal.SIGTERM)]
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(CAP), "--config", str(project.root / "archive.yml"),
             "--content", str(project.content), "harvest", "--api-url", arxiv.url, "--oai-url", arxiv.oai_url,
             "--page-size", "2"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 3, err
        assert out.startswith("harvest: 7 new")  # the line the commit message takes
        assert err.strip().splitlines()[-1].startswith("error: harvest: stopped before the end")
        assert state(project)["categories"]["cs.DC"]["backfill_position"]["token"]
        again = harvest(project, arxiv)
    assert again.exit_code == 0, again.output
    assert snapshot(project) == uninterrupted


def test_without_a_state_file_the_home_page_says_what_it_knows(project):
    from arxiv_feed import feed
    saved = project.root / "saved.xml"
    saved.write_bytes(feed(entries(3)))
    assert project.run("harvest", "--from-file", str(saved)).exit_code == 0
    home = project.build().joinpath("index.html").read_text()
    assert "3</strong> papers in" in home and "arXiv lists" not in home and "last harvested" not in home


@pytest.mark.parametrize("damaged", [
    {"categories": ["cs.DC"]},
    {"categories": {"cs.DC": "2026-06-01"}},
    {"categories": {"cs.DC": {"complete_through": 7, "backfill_through": 7, "arxiv_total": "11"}}},
    {"last_harvest": 20260601, "categories": {"cs.DC": {"arxiv_total": 11, "arxiv_total_seen": 5}}},
    {"categories": {"cs.DC": {"arxiv_total": 11, "backfill_position": {"token": 5, "resume_from": 20260601}}}},
], ids=["categories-a-list", "entry-a-string", "values-of-other-types", "dates-not-strings", "position-not-strings"])
def test_a_state_file_of_another_shape_costs_only_a_longer_harvest_and_builds(project, damaged):
    project.write_config(config(retries=0))
    (project.content / ".harvest-state.json").write_text(json.dumps(damaged))
    home = project.build().joinpath("index.html").read_text()  # the build reads it before any harvest
    assert "papers in" in home
    with server() as arxiv:
        result = harvest(project, arxiv)
    assert result.exit_code == 0, result.output
    assert len(project.paper_files()) == PAPERS
    entry = state(project)["categories"]["cs.DC"]
    assert (entry["arxiv_total"], entry["held"]) == (PAPERS, PAPERS)
    assert "The archive holds all" in project.build().joinpath("index.html").read_text()


def test_a_category_arxiv_lists_no_papers_in_is_said_so_not_all_zero(project):
    project.write_config(config(retries=0))
    (project.content / ".harvest-state.json").write_text(json.dumps(
        {"last_harvest": "2026-06-09", "categories": {"cs.DC": {"arxiv_total": 0, "arxiv_total_seen": "2026-06-09"}}}))
    home = project.build().joinpath("index.html").read_text()
    assert "holds all 0" not in home
    assert "arXiv lists no papers in cs.DC" in home


@pytest.mark.parametrize("held, total, said", [
    (1, 1, "The archive holds the 1 paper arXiv lists in cs.DC"),
    (1, 2, "The archive holds 1 paper of cs.DC; it is missing 1 of the 2 papers arXiv lists in cs.DC"),
    (1, 0, "The archive holds 1 paper of cs.DC; arXiv listed none"),
])
def test_home_page_counts_of_one_paper_are_in_the_singular(project, held, total, said):
    from arxiv_feed import feed
    saved = project.root / "saved.xml"
    saved.write_bytes(feed(entries(held)))
    assert project.run("harvest", "--from-file", str(saved)).exit_code == 0
    (project.content / ".harvest-state.json").write_text(json.dumps(
        {"last_harvest": "2026-06-09", "categories": {"cs.DC": {"arxiv_total": total}}}))
    home = " ".join(project.build().joinpath("index.html").read_text().split())
    assert said in home
    assert "The archive was last harvested on 9 Jun 2026." in home


def test_with_max_results_set_no_page_or_report_promises_the_next_harvest_fetches_the_rest(project):
    # harvest.max_results stops every harvest at that many papers a category: the rest never come.
    project.write_config(config(retries=0) + "  max_results: 2\n")
    with server() as arxiv:
        result = harvest(project, arxiv)
    assert result.exit_code == 0, result.output
    assert "cs.DC: 2 of 11 papers (9 missing; this harvest stopped at 2 a category)" \
        in result.stdout.splitlines()
    home = " ".join(project.build().joinpath("index.html").read_text().split())
    assert "it is missing 9 of the 11 papers arXiv lists in cs.DC" in home
    assert "next harvest" not in home
    assert "harvest.max_results in archive.yml stops each harvest at 2 papers a category" in home
