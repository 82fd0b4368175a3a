"""Harvesting through the real HTTP path, from a local arXiv on 127.0.0.1."""
from arxiv_feed import Entry, error_feed
from arxiv_server import ArxivServer
from conftest import MINIMAL_CONFIG

NO_OVERLAP = MINIMAL_CONFIG + "  overlap_days: 0\n"


def entries(n, month="2606", start=1, day="05"):
    """n papers, newest first (as arXiv sorts by lastUpdatedDate)."""
    return [Entry(id=f"{month}.{start + n - 1 - i:05d}v1", title=f"Paper {start + n - 1 - i}",
                  published=f"2026-06-{day}T{23 - i % 24:02d}:{59 - i // 24 % 60:02d}:00Z",
                  authors=[(f"Author {i}", [f"Institute {i}"])]) for i in range(n)]


def harvest(project, server, *extra):
    return project.run("harvest", "--api-url", server.url, "--category", "cs.DC", "--delay", "0", *extra)


def test_harvest_adds_exactly_the_new_papers_then_a_second_run_changes_nothing(project):
    project.write_config(NO_OVERLAP)
    with ArxivServer(entries(5)) as server:
        result = harvest(project, server, "--page-size", "2")
        assert result.exit_code == 0, result.output
        assert "5 new" in result.output
        files = project.paper_files()
        assert sorted(files) == [f"papers/2606/2606.{i:05d}.md" for i in range(1, 6)]
        assert len(server.requests) == 3  # pages of 2, 2 and 1

        mtimes = {p: p.stat().st_mtime_ns for p in project.content.rglob("*")}
        requests_before = len(server.requests)
        again = harvest(project, server, "--page-size", "2")
        assert again.exit_code == 0 and "0 new, 0 updated, 0 withdrawn, 0 errors" in again.output
        assert project.paper_files() == files
        assert {p: p.stat().st_mtime_ns for p in project.content.rglob("*")} == mtimes
        assert len(server.requests) == requests_before + 1  # stopped at the first known paper


def test_incremental_run_fetches_only_the_new_papers_on_top(project):
    project.write_config(NO_OVERLAP)
    with ArxivServer(entries(6)) as server:
        harvest(project, server, "--page-size", "3")
        newer = [Entry(id=f"2606.{i:05d}v1", title=f"New {i}", published="2026-06-07T10:00:00Z")
                 for i in (102, 101)]
        server.entries = newer + server.entries
        before = len(server.requests)
        result = harvest(project, server, "--page-size", "3")
        assert "2 new, 0 updated" in result.output
        assert len(server.requests) - before == 1
        assert len(project.paper_files()) == 8


def test_a_paper_arxiv_announces_late_is_caught_by_the_overlap(project):
    # Held for moderation, a paper appears after a run that already saw newer
    # ones, with its old submission date: below the watermark, within the overlap.
    project.write_config(MINIMAL_CONFIG + "  overlap_days: 2\n")
    with ArxivServer(entries(4, day="05")) as server:
        harvest(project, server, "--page-size", "2")
        late = Entry(id="2606.00090v1", title="Held", published="2026-06-04T08:00:00Z")
        ancient = Entry(id="2606.00091v1", title="Too late", published="2026-05-01T08:00:00Z")
        server.entries = server.entries + [late, ancient]
        result = harvest(project, server, "--page-size", "2")
    assert "1 new" in result.output
    assert "papers/2606/2606.00090.md" in project.paper_files()
    assert "papers/2606/2606.00091.md" not in project.paper_files()


def test_new_version_updates_the_harvested_fields(project):
    with ArxivServer(entries(3)) as server:
        harvest(project, server)
        v2 = Entry(id="2606.00002v2", title="Paper 2, revised", published=server.entries[1].published,
                   updated="2026-06-08T10:00:00Z", doi="10.1145/3.4", journal_ref="Proc. Y")
        server.entries = [v2] + [e for e in server.entries if not e.id.startswith("2606.00002")]
        result = harvest(project, server)
        assert "0 new, 1 updated" in result.output
        text = (project.content / "papers/2606/2606.00002.md").read_text()
        assert "version: 2" in text and "Paper 2, revised" in text and "10.1145/3.4" in text


def test_every_field_reaches_the_file(project):
    entry = Entry(id="2606.01839v1", title="Full", summary="Abstract $x$.", comment="9 pages",
                  journal_ref="J. Test 1", doi="10.1/2", categories=["cs.DC", "cs.LG"],
                  authors=[("Ada", ["U1", "U2"]), ("Bob", [])])
    with ArxivServer([entry]) as server:
        harvest(project, server)
    from generator.archive.store import Archive
    paper = Archive(project.content).load("2606.01839")
    assert paper.authors[0].affiliations == ["U1", "U2"]
    assert (paper.comment, paper.journal_ref, paper.doi) == ("9 pages", "J. Test 1", "10.1/2")
    assert paper.categories == ["cs.DC", "cs.LG"] and paper.abstract == "Abstract $x$."
    assert paper.links["pdf"] == "https://arxiv.org/pdf/2606.01839v1"


def test_request_is_polite_and_sorted_by_last_update(project):
    with ArxivServer(entries(1)) as server:
        harvest(project, server, "--page-size", "7")
        [request] = server.requests
    assert request["query"]["search_query"] == "cat:cs.DC"
    assert request["query"]["sortBy"] == "lastUpdatedDate"
    assert request["query"]["sortOrder"] == "descending"
    assert request["query"]["max_results"] == "7"
    assert request["headers"]["User-Agent"].startswith("arxiv-archive/")


def test_error_feed_is_an_error_naming_the_url_and_no_paper(project):
    with ArxivServer(entries(2)) as server:
        server.scripted = [(400, {"Content-Type": "application/atom+xml"}, error_feed("malformed query"))]
        result = harvest(project, server)
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert server.url in line and "malformed query" in line
    assert len(server.requests) == 1  # arXiv refusing a query is not retried
    assert project.paper_files() == {}


def test_http_error_exits_non_zero_with_one_line_naming_the_url(project):
    with ArxivServer(entries(2)) as server:
        server.scripted = [(500, {}, b"boom")]
        result = harvest(project, server)
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and server.url in line and "HTTP 500" in line
    assert "0 new, 0 updated, 0 withdrawn, 1 error " in result.stdout
    assert project.paper_files() == {}


def test_html_instead_of_atom_writes_nothing(project):
    with ArxivServer(entries(2)) as server:
        server.scripted = [(200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>")]
        result = harvest(project, server)
    assert result.exit_code != 0 and "not a valid Atom page" in result.output
    assert project.paper_files() == {}


def test_max_limits_the_run(project):
    with ArxivServer(entries(10)) as server:
        result = harvest(project, server, "--max", "4", "--page-size", "3")
    assert "4 new" in result.output
    assert len(project.paper_files()) == 4


def test_from_file_ingests_saved_responses_without_network(project, tmp_path):
    from arxiv_feed import feed
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    first.write_bytes(feed(entries(2)))
    second.write_bytes(feed(entries(2, start=50)))
    result = project.run("harvest", "--from-file", str(first), str(second))
    assert result.exit_code == 0, result.output
    assert "4 new" in result.output and len(project.paper_files()) == 4


def test_from_file_error_names_the_file(project, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<html>")
    result = project.run("harvest", "--from-file", str(bad))
    assert result.exit_code != 0 and str(bad) in result.output
