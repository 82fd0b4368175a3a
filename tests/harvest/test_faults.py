"""arXiv's bad days, injected by a local server: every fault is retried, bounded, and loses nothing.

Pauses are checked as *asked for* (a recording ``sleep``), or as gaps
between the times the server saw requests arrive: never against a clock.
A stalled reply outlasts the client's timeout by a wide margin, and a
normal one is far inside it, so a busy machine does not make them flaky.
"""
import email.utils
import time

import pytest

from arxiv_feed import error_feed, feed
from arxiv_server import DROP, ArxivServer, Stall, Truncated
from generator import __version__
from generator.archive.store import Archive
from generator.errors import ArxivAPIError, HarvestError
from generator.harvest.client import Client, retry_after_seconds
from generator.harvest.run import Harvester, parse_api_response
from test_harvest import entries

ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
HTML = (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body><h1>Service busy</h1></body></html>")


def config(retries=1, backoff=0, timeout=5, delay=0):
    return f"""\
name: Faults
repo_url: https://github.com/example/archive
harvest:
  categories: [cs.DC]
  delay: {delay}
  retries: {retries}
  backoff: {backoff}
  timeout: {timeout}
"""


def recording_client(retries=3, backoff=1.0, timeout=5.0):
    sleeps = []
    return Client(delay=0, retries=retries, backoff=backoff, timeout=timeout, sleep=sleeps.append), sleeps


def fetch_page(client, server, start=0):
    url = f"{server.url}?search_query=cat:cs.DC&start={start}&max_results=10"
    return client.fetch(url, lambda r: parse_api_response(r, start))


# --- the client: which faults are retried, and the pauses it asks for ---------

@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_a_passing_http_error_is_retried_with_exponential_backoff(status):
    client, sleeps = recording_client(retries=3, backoff=1.0)
    with ArxivServer(entries(2)) as server:
        server.scripted = [(status, {}, b"busy")] * 3
        page = fetch_page(client, server)
    assert len(page.papers) == 2
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(server.requests) == 4


def test_retry_after_in_seconds_is_honoured():
    client, sleeps = recording_client(backoff=1.0)
    with ArxivServer(entries(1)) as server:
        server.scripted = [(503, {"Retry-After": "7"}, b""), (429, {"retry-after": "1"}, b"")]
        fetch_page(client, server)
    assert sleeps == [7.0, 2.0]  # the server's wish, or the backoff when that is longer


def test_retry_after_as_an_http_date_is_honoured():
    client, sleeps = recording_client(backoff=1.0)
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    with ArxivServer(entries(1)) as server:
        server.scripted = [(503, {"Retry-After": when}, b"")]
        fetch_page(client, server)
    [pause] = sleeps
    assert 110 <= pause <= 120


def test_retry_after_parsing():
    now = lambda: 1_000_000_000.0  # noqa: E731  2001-09-09T01:46:40Z
    assert retry_after_seconds("30", now) == 30
    assert retry_after_seconds("Sun, 09 Sep 2001 01:47:40 GMT", now) == 60
    assert retry_after_seconds("Sun, 09 Sep 2001 01:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_a_retry_after_longer_than_ten_minutes_gives_up_at_once():
    client, sleeps = recording_client()
    with ArxivServer(entries(1)) as server:
        server.scripted = [(503, {"Retry-After": "3600"}, b"")]
        with pytest.raises(HarvestError) as info:
            fetch_page(client, server)
    assert sleeps == [] and len(server.requests) == 1
    assert "3600 s" in str(info.value) and server.url in str(info.value)


@pytest.mark.parametrize("fault", [Stall(2.5), DROP, Truncated(400), HTML,
                                   (200, ATOM, b""), (200, ATOM, feed(entries(2))[:-40])],
                         ids=["timeout", "dropped", "truncated-body", "html", "empty-body", "cut-feed"])
def test_a_passing_fault_is_retried_and_then_the_page_is_whole(fault):
    client, sleeps = recording_client(retries=2, timeout=1.0)
    with ArxivServer(entries(2)) as server:
        server.scripted = [fault]
        page = fetch_page(client, server)
    assert [p.title for p in page.papers] == ["Paper 2", "Paper 1"]
    assert sleeps == [1.0]


@pytest.mark.parametrize("fault, message", [
    ((503, {}, b""), "HTTP 503"),
    (Stall(2.5), "timed out after 1 s"),
    (DROP, "connection failed"),
    (HTML, "not a valid Atom page"),
])
def test_bounded_tries_then_an_error_naming_the_url(fault, message):
    client, sleeps = recording_client(retries=2, timeout=1.0)
    with ArxivServer(entries(2)) as server:
        server.scripted = [fault] * 3
        with pytest.raises(HarvestError) as info:
            fetch_page(client, server)
    assert len(server.requests) == 3 and sleeps == [1.0, 2.0]
    text = str(info.value)
    assert server.url in text and message in text and "gave up after 3 tries" in text
    assert "\n" not in text


@pytest.mark.parametrize("reply", [(404, {}, b"not found"), (200, ATOM, error_feed("bad query")),
                                   (400, ATOM, error_feed("bad query"))])
def test_what_asking_again_cannot_mend_is_not_retried(reply):
    client, sleeps = recording_client()
    with ArxivServer(entries(1)) as server:
        server.scripted = [reply]
        with pytest.raises(HarvestError) as info:
            fetch_page(client, server)
    assert len(server.requests) == 1 and sleeps == []
    assert server.url in str(info.value)
    if b"bad query" in reply[2]:
        assert isinstance(info.value, ArxivAPIError)


def test_an_empty_page_before_total_results_is_retried_never_the_end(tmp_path):
    client, sleeps = recording_client()
    with ArxivServer(entries(5)) as server:
        server.scripted = [None, (200, ATOM, feed([], total=5, start=2)), (200, ATOM, feed([], total=5, start=2))]
        report = Harvester(Archive(tmp_path), client, server.url, page_size=2).run(["cs.DC"])
    assert len(report.new) == 5 and report.errors == []
    assert [r["query"]["start"] for r in server.requests] == ["0", "2", "2", "2", "4"]
    assert sleeps == [1.0, 2.0]


# --- the command: one line naming the URL, exit 3, nothing of a bad page -------

@pytest.mark.parametrize("fault", [
    (503, {"Retry-After": "0"}, b""), (429, {}, b""), (502, {}, b"<html>Bad gateway</html>"), Stall(2.5),
    DROP, Truncated(600), HTML, (200, ATOM, b""), (200, ATOM, feed([], total=4, start=2))],
    ids=["503", "429", "502", "timeout", "dropped", "truncated", "html", "empty-body", "empty-page"])
def test_a_fault_that_lasts_fails_the_run_and_writes_nothing_of_that_page(project, fault):
    project.write_config(config(retries=1, timeout=1))
    with ArxivServer(entries(4)) as server:
        server.scripted = [None, fault, fault]  # page 1 is fine, page 2 never is
        result = project.run("harvest", "--api-url", server.url, "--page-size", "2")
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "start=2" in line and server.url in line
    assert "2 new, 0 updated, 0 withdrawn, 1 error " in result.stdout
    assert sorted(project.paper_files()) == ["papers/2606/2606.00003.md", "papers/2606/2606.00004.md"]
    assert not watermarked(project.content)  # not complete: the next run walks again
    assert not list(project.content.rglob("*.tmp"))


def test_the_next_run_after_a_failed_one_completes_the_archive(project):
    project.write_config(config(retries=0))
    with ArxivServer(entries(4)) as server:
        server.scripted = [None, (503, {}, b"")]
        assert project.run("harvest", "--api-url", server.url, "--page-size", "2").exit_code == 3
        again = project.run("harvest", "--api-url", server.url, "--page-size", "2")
    assert again.exit_code == 0, again.output
    assert "2 new, 0 updated, 0 withdrawn, 0 errors (2 unchanged" in again.stdout
    assert len(project.paper_files()) == 4


def test_backoff_from_the_config_spaces_the_retries(project):
    project.write_config(config(retries=2, backoff=0.05))
    with ArxivServer(entries(1)) as server:
        server.scripted = [(503, {}, b""), (503, {}, b"")]
        assert project.run("harvest", "--api-url", server.url).exit_code == 0
    arrivals = [r["time"] for r in server.requests]
    assert arrivals[1] - arrivals[0] >= 0.05 and arrivals[2] - arrivals[1] >= 0.1


def test_one_failing_category_does_not_stop_the_others(project):
    project.write_config(config(retries=0))
    with ArxivServer() as server:
        server.by_category = {"cs.DC": entries(2), "cs.LG": entries(2, start=50)}
        server.scripted = [(500, {}, b"")]
        result = project.run("harvest", "--api-url", server.url, "--category", "cs.DC", "--category", "cs.LG")
    assert result.exit_code == 3 and "cat%3Acs.DC" in result.stderr
    assert sorted(project.paper_files()) == ["papers/2606/2606.00050.md", "papers/2606/2606.00051.md"]


# --- politeness ------------------------------------------------------------------

def test_never_more_than_one_request_per_delay_over_one_connection(project):
    project.write_config(config(delay=0.2, retries=1))
    with ArxivServer(entries(5)) as server:
        server.scripted = [None, (503, {}, b"")]  # a retry keeps the pace too
        result = project.run("harvest", "--api-url", server.url, "--page-size", "2")
    assert result.exit_code == 0, result.output
    arrivals = [r["time"] for r in server.requests]
    assert len(arrivals) == 4
    assert all(later - earlier >= 0.2 for earlier, later in zip(arrivals, arrivals[1:]))
    assert server.most_active == 1  # never two requests at once
    assert len({r["port"] for r in server.requests}) == 1  # one connection, kept alive
    agent = server.requests[0]["headers"]["User-Agent"]
    assert agent.startswith(f"arxiv-archive/{__version__} (+https://github.com/example/archive)")


def test_default_delay_is_three_seconds():
    assert Client().delay == 3.0


def test_an_atom_feed_that_is_not_an_arxiv_answer_is_retried():
    client, sleeps = recording_client(retries=1)
    stranger = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Some blog</title></feed>'
    with ArxivServer(entries(1)) as server:
        server.scripted = [(200, ATOM, stranger)]
        assert len(fetch_page(client, server).papers) == 1
    assert sleeps == [1.0]


def test_an_entry_whose_id_is_not_an_arxiv_id_is_an_error_naming_the_url_not_a_crash(project):
    # One bad entry stops no page (issue 16): it is refused by name, the others are stored.
    from arxiv_feed import Entry
    project.write_config(config(retries=0))
    with ArxivServer([Entry(id="not-an-id"), *entries(1)]) as server:
        result = project.run("harvest", "--api-url", server.url, "--oai-url", server.oai_url)
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and server.url in line and "'not-an-id'" in line
    assert list(project.paper_files()) == ["papers/2606/2606.00001.md"]


def watermarked(content) -> bool:
    """Whether a completed API run left its watermark in the state file."""
    import json
    path = content / ".harvest-state.json"
    if not path.exists():
        return False
    return any("complete_through" in e for e in json.loads(path.read_text()).get("categories", {}).values())
