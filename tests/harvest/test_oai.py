"""A full backfill past the query API's 30,000 cap: OAI-PMH, arXivRaw, resumption tokens, ``from=``."""
import json

import pytest

from arxiv_server import ArxivServer, Truncated
from generator.archive.store import Archive
from generator.harvest.client import Client
from generator.harvest.oai import oai_set, split_authors
from generator.harvest.run import Harvester
from oai_feed import RESPONSE_DATE, Record
from test_faults import config, watermarked
from test_harvest import entries


def records(n, datestamp="2026-06-03"):
    return [Record(id=f"2606.{i:05d}", title=f"Backfilled {i}", datestamp=datestamp,
                   versions=[(1, f"Mon, 1 Jun 2026 {10 + i % 10:02d}:00:00 GMT")]) for i in range(1, n + 1)]


def backfill(project, server, since="2026-06-01", *extra):
    return project.run("harvest", "--oai-url", server.oai_url, "--since", since, *extra)


@pytest.mark.parametrize("category, spec", [
    ("cs.DC", "cs:cs:DC"), ("math.AG", "math:math:AG"), ("stat.ML", "stat:stat:ML"),
    ("hep-th", "physics:hep-th"), ("astro-ph.CO", "physics:astro-ph:CO"), ("q-bio.NC", "q-bio:q-bio:NC"),
])
def test_category_to_oai_set(category, spec):
    assert oai_set(category) == spec


@pytest.mark.parametrize("text, expected", [
    ("Ada Lovelace", [("Ada Lovelace", [])]),
    ("A. One, B. Two and C. Three", [("A. One", []), ("B. Two", []), ("C. Three", [])]),
    ("A. One, B. Two, and C. Three", [("A. One", []), ("B. Two", []), ("C. Three", [])]),
    ("A. One (MIT), B. Two (ETH Zurich, Switzerland)",
     [("A. One", ["MIT"]), ("B. Two", ["ETH Zurich, Switzerland"])]),
    ("A. One (1), B. Two (1, 2) ((1) MIT, (2) ETH)", [("A. One", ["MIT"]), ("B. Two", ["MIT", "ETH"])]),
    ("A. One (1), B. Two (2) ((1) MIT, Cambridge, USA; (2) ETH)",
     [("A. One", ["MIT, Cambridge, USA"]), ("B. Two", ["ETH"])]),
    ("John Smith, Jr. and Jane Doe", [("John Smith, Jr.", []), ("Jane Doe", [])]),
    ("C. Bal\\'azs and\n  E. L. Berger", [("C. Bal\\'azs", []), ("E. L. Berger", [])]),
    ("Unclosed (paren, B. Two", [("Unclosed (paren, B. Two", [])]),
    ("", []),
])
def test_arxiv_raw_author_strings(text, expected):
    assert [(a.name, a.affiliations) for a in split_authors(text)] == expected


def test_a_backfill_pages_with_resumption_tokens_and_fills_the_version_history(project):
    project.write_config(config())
    full = Record(id="2606.00042", title="Serving  LLMs\n  at scale", authors="Ada One (MIT), Bob Two",
                  categories="cs.DC cs.LG", comments="12 pages", journal_ref="Proc. X 2026", doi="10.1/2",
                  versions=[(1, "Tue, 2 Jun 2026 18:07:51 GMT"), (2, "Fri, 5 Jun 2026 06:53:34 GMT"),
                            (3, "Mon, 8 Jun 2026 09:00:00 GMT")],
                  abstract="  First line of the\nabstract.\n", datestamp="2026-06-09")
    old = Record(id="2604.00001", datestamp="2026-04-30")  # before --since: not asked for
    gone = Record(id="2606.00099", deleted=True)
    with ArxivServer(oai_records=[full, *records(4), gone, old], oai_page_size=2) as server:
        result = backfill(project, server)
    assert result.exit_code == 0, result.output
    assert "5 new, 0 updated, 0 withdrawn, 0 errors" in result.stdout
    first, *rest = server.requests
    assert first["query"] == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs:cs:DC",
                              "from": "2026-06-01"}
    assert [r["query"]["verb"] for r in rest] == ["ListRecords"] * 2
    assert all(set(r["query"]) == {"verb", "resumptionToken"} for r in rest)
    assert len(project.paper_files()) == 5
    paper = Archive(project.content).load("2606.00042")
    assert (paper.version, paper.title, paper.comment, paper.journal_ref, paper.doi) == (
        3, "Serving LLMs at scale", "12 pages", "Proc. X 2026", "10.1/2")
    assert [(a.name, a.affiliations) for a in paper.authors] == [("Ada One", ["MIT"]), ("Bob Two", [])]
    assert (paper.primary_category, paper.categories) == ("cs.DC", ["cs.DC", "cs.LG"])
    assert (paper.published, paper.updated) == ("2026-06-02T18:07:51Z", "2026-06-08T09:00:00Z")
    assert [(v.version, v.date) for v in paper.versions] == [
        (1, "2026-06-02T18:07:51Z"), (2, "2026-06-05T06:53:34Z"), (3, "2026-06-08T09:00:00Z")]
    assert paper.links == {"abs": "https://arxiv.org/abs/2606.00042v3", "pdf": "https://arxiv.org/pdf/2606.00042v3"}
    assert paper.abstract == "First line of the\nabstract."
    html = project.build().joinpath("papers/2606/2606.00042/index.html").read_text()
    assert "to v3 on" in html and html.count("<li><a href=\"https://arxiv.org/abs/2606.00042v") == 3


def test_a_backfill_twice_changes_no_file_and_sets_the_watermark(project):
    project.write_config(config())
    with ArxivServer(oai_records=records(5), oai_page_size=2) as server:
        backfill(project, server)
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()}
        again = backfill(project, server)
    assert again.exit_code == 0 and "0 new, 0 updated, 0 withdrawn, 0 errors (5 unchanged" in again.stdout
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.content.rglob("*") if p.is_file()} == before
    state = json.loads((project.content / ".harvest-state.json").read_text())
    assert state["categories"]["cs.DC"] == {"complete_through": RESPONSE_DATE, "oai_complete_through": RESPONSE_DATE,
                                            "held": 5}


def test_a_window_with_no_records_is_a_complete_empty_run(project):
    project.write_config(config())
    with ArxivServer(oai_records=records(2, datestamp="2026-05-01")) as server:
        result = backfill(project, server, "2026-06-01")
    assert result.exit_code == 0 and "0 new" in result.stdout and project.paper_files() == {}


def test_an_expired_resumption_token_restarts_from_the_last_datestamp_stored(project):
    project.write_config(config())
    stamped = [Record(id=f"2606.{i:05d}", datestamp=f"2026-06-0{i}") for i in range(1, 6)]
    with ArxivServer(oai_records=stamped, oai_page_size=2) as server:
        server.scripted = [None, (200, {"Content-Type": "text/xml"}, _oai_error("badResumptionToken"))]
        result = backfill(project, server)
    assert result.exit_code == 0, result.output
    assert "5 new" in result.stdout and len(project.paper_files()) == 5
    assert server.requests[2]["query"]["from"] == "2026-06-02"  # not from the beginning


def test_oai_faults_are_retried_politely(tmp_path):
    sleeps = []
    client = Client(delay=0, retries=3, backoff=1.0, sleep=sleeps.append)
    with ArxivServer(oai_records=records(5), oai_page_size=2) as server:
        server.scripted = [None, (503, {"Retry-After": "20"}, b"flow control"), Truncated(300),
                           (200, {}, b"<html>busy</html>")]
        report = Harvester(Archive(tmp_path), client, "unused", 2, oai_url=server.oai_url).backfill(
            ["cs.DC"], __import__("datetime").date(2026, 6, 1))
    assert len(report.new) == 5 and report.errors == []
    assert sleeps == [20.0, 2.0, 4.0]


def _oai_error(code):
    from oai_feed import error
    return error(code, "expired", {})


def test_a_resumption_token_that_comes_back_again_ends_the_backfill_instead_of_looping(tmp_path):
    from generator.harvest.oai import OAIPage

    class SameTokenForever:  # a server stuck on one page of the list
        requests_made = 0

        def fetch(self, url, parse):
            self.requests_made += 1
            assert self.requests_made < 50, "the backfill loops"
            return OAIPage([], "cs:cs:DC|2026-06-01|2", 4, RESPONSE_DATE)

    report = Harvester(Archive(tmp_path), SameTokenForever(), "unused", 2, oai_url="http://127.0.0.1:9/oai").backfill(
        ["cs.DC"], __import__("datetime").date(2026, 6, 1))
    [error] = report.errors
    assert "resumptionToken=cs%3Acs%3ADC%7C2026-06-01%7C2" in error and "again" in error
    assert not watermarked(tmp_path)  # not complete: no watermark


def test_a_record_whose_id_is_not_an_arxiv_id_is_an_error_and_the_others_are_stored(project):
    project.write_config(config())
    with ArxivServer(oai_records=[*records(2), Record(id="not-an-id")], oai_page_size=5) as server:
        result = backfill(project, server)
    assert result.exit_code == 3 and "2 new" in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and server.oai_url in line and "'not-an-id'" in line
    assert len(project.paper_files()) == 2
