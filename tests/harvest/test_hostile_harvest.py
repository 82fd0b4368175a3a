"""Issue 16: a bad record, a hostile state file, a broken paper file or a huge reply stops no harvest.

Each quirk has its fixture and a test named after it; every feed comes from a
local stand-in for arXiv on 127.0.0.1.
"""
import json

import pytest

from arxiv_feed import Entry
from arxiv_server import ArxivServer
from generator.harvest.checks import validate_state
from oai_feed import Record
from test_faults import config
from test_harvest import entries

STATE = ".harvest-state.json"
FUTURE = ["9999-12-31T23:59:59Z", "2099-01-01T00:00:00Z"]
NOT_ISO = ["yesterday", "2026-06-01 10:00:00", "2026-13-01T00:00:00Z", "06/01/2026", "2026-06-01",
           "2026-06-05T10:00:00+14:00", "2026-06-05T10:00:00.5Z", "2026-06-05T10:00:00"]  # not the UTC form compared
BEFORE_ARXIV = ["1970-01-01T00:00:00Z"]


def harvest(project, server, *extra):
    return project.run("harvest", "--api-url", server.url, "--oai-url", server.oai_url, "--delay", "0", *extra)


def state(project) -> dict:
    return json.loads((project.content / STATE).read_text())


def watermark(project) -> str:
    return state(project)["categories"]["cs.DC"]["complete_through"]


# --- dates, as they are read ---------------------------------------------------

@pytest.mark.parametrize("bad", FUTURE + NOT_ISO + BEFORE_ARXIV)
def test_an_entry_with_a_bad_updated_date_is_an_error_naming_it_and_the_rest_of_the_page_is_stored(project, bad):
    project.write_config(config(retries=0))
    hostile = Entry(id="2606.09999v1", title="Hostile", updated=bad)
    with ArxivServer([hostile, *entries(3)]) as server:
        result = harvest(project, server)
    assert result.exit_code == 3, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and server.url in line and "2606.09999v1" in line and "updated" in line
    assert sorted(project.paper_files()) == [f"papers/2606/2606.{i:05d}.md" for i in (1, 2, 3)]
    assert watermark(project) == entries(3)[0].published  # the newest good entry, not the hostile one


@pytest.mark.parametrize("bad", ["9999-12-31T00:00:00Z", "soon"])
def test_an_entry_with_a_bad_published_date_is_refused(project, bad):
    project.write_config(config(retries=0))
    with ArxivServer([Entry(id="2606.09999v1", published=bad, updated="2026-06-06T00:00:00Z"),
                      *entries(2)]) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "published" in result.stderr and "2606.09999v1" in result.stderr
    assert len(project.paper_files()) == 2


def test_a_future_entry_does_not_stop_later_runs_fetching_new_versions(project):
    # The reported bug: 9999-12-31 became the watermark, and every later run
    # stopped at its first entry, reporting success.
    project.write_config(config(retries=0) + "  overlap_days: 0\n")
    hostile = Entry(id="2606.09999v1", title="Hostile", updated="9999-12-31T23:59:59Z")
    with ArxivServer([hostile, *entries(3)]) as server:
        harvest(project, server)
        v2 = Entry(id="2606.00001v2", title="Paper 1, revised", published=server.entries[-1].published,
                   updated="2026-06-08T10:00:00Z")
        server.entries = [hostile, v2, *entries(3)[:2]]
        result = harvest(project, server)
    assert "0 new, 1 updated" in result.stdout
    assert "Paper 1, revised" in (project.content / "papers/2606/2606.00001.md").read_text()
    assert watermark(project) == "2026-06-08T10:00:00Z"


@pytest.mark.parametrize("bad", ["Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 1 Jan 2099 00:00:00 GMT", "not a date", ""])
def test_an_oai_record_with_a_bad_version_date_is_an_error_naming_it_and_the_others_are_stored(project, bad):
    project.write_config(config())
    good = [Record(id=f"2606.0000{i}", datestamp="2026-06-03") for i in (1, 2)]
    hostile = Record(id="2606.09999", versions=[(1, "Mon, 1 Jun 2026 10:00:00 GMT"), (2, bad)])
    with ArxivServer(oai_records=[good[0], hostile, good[1]], oai_page_size=5) as server:
        result = project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")
    assert result.exit_code == 3, result.output
    [line] = result.stderr.strip().splitlines()
    assert "oai:arXiv.org:2606.09999" in line and server.oai_url in line
    assert sorted(project.paper_files()) == ["papers/2606/2606.00001.md", "papers/2606/2606.00002.md"]


@pytest.mark.parametrize("bad", ["9999-12-31", "last week"])
def test_an_oai_record_with_a_bad_datestamp_is_refused_and_is_no_place_to_resume_from(project, bad):
    project.write_config(config())
    with ArxivServer(oai_records=[Record(id="2606.00001"), Record(id="2606.09999", datestamp=bad)],
                     oai_page_size=5) as server:
        server.oai_records[1].datestamp = bad
        result = project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")
    assert "datestamp" in result.stderr and "2606.09999" in result.stderr
    assert list(project.paper_files()) == ["papers/2606/2606.00001.md"]


# --- the state file: read, never trusted blindly -------------------------------

@pytest.mark.parametrize("planted", ["9999-12-31T23:59:59Z", "9999-12-31", "not a date", "2026-06-05 23:59:00"])
def test_a_hostile_watermark_in_the_state_file_is_not_trusted_and_the_category_is_walked(project, planted):
    project.write_config(config(retries=0))
    (project.content / STATE).write_text(json.dumps({"categories": {"cs.DC": {"complete_through": planted}}}))
    with ArxivServer(entries(4)) as server:
        result = harvest(project, server, "--page-size", "2")
    assert result.exit_code == 0, result.output
    assert "4 new" in result.stdout and len(project.paper_files()) == 4
    assert f"categories.cs.DC.complete_through: {planted!r}" in result.stdout  # a note says why
    assert watermark(project) == entries(4)[0].published


def test_the_watermark_never_passes_the_time_of_the_run(tmp_path):
    from datetime import datetime, timezone
    from generator.harvest.state import State
    now = datetime(2026, 6, 10, tzinfo=timezone.utc)
    store = State(tmp_path, now=now)
    store.complete("cs.DC", "2026-06-10T20:00:00Z")  # within a day's clock skew: the time of the run
    assert store.watermark("cs.DC") == "2026-06-10T00:00:00Z"
    store.complete("cs.DC", "2027-01-01T00:00:00Z")  # beyond it: not a date to trust at all
    assert store.watermark("cs.DC") == "2026-06-10T00:00:00Z"


VALID_STATE = {"last_harvest": "2026-06-09", "categories": {"cs.DC": {
    "complete_through": "2026-06-08T10:00:00Z", "arxiv_total": 11, "arxiv_total_seen": "2026-06-09", "held": 11,
    "backfill_through": "2026-06-09T12:00:00Z",
    "backfill_position": {"token": "cs:cs:DC|x|2", "resume_from": "2026-06-01", "started": "2026-06-09T12:00:00Z"}}}}


def test_validate_state_passes_the_state_a_harvest_writes(tmp_path):
    (tmp_path / STATE).write_text(json.dumps(VALID_STATE, indent=2))
    assert validate_state(tmp_path / STATE) == []
    assert validate_state(tmp_path / "absent.json") == []


@pytest.mark.parametrize("text, line, message", [
    ('{"categories": {', 1, "not valid JSON"),
    ('[1, 2]', 1, "must be a JSON object"),
    ('{\n "last_harvest": "9999-12-31"\n}', 2, "last_harvest: '9999-12-31' is in the future"),
    ('{\n "categories": {\n  "cs.DC": {\n   "complete_through": "9999-12-31T23:59:59Z"\n  }\n }\n}', 4,
     "categories.cs.DC.complete_through: '9999-12-31T23:59:59Z' is in the future"),
    ('{"categories": {"cs.DC": {"complete_through": "June 8th"}}}', 1, "is not an ISO 8601 date"),
    ('{"categories": {"cs.DC": {"complete_through": 7}}}', 1, "complete_through: is not a string"),
    ('{"categories": {"cs.DC": {"arxiv_total": "11"}}}', 1, "arxiv_total: must be a whole number"),
    ('{"categories": {"cs.DC": {"held": true}}}', 1, "held: must be a whole number"),
    ('{"categories": {"cs.DC": {"arxiv_total": -1}}}', 1, "arxiv_total: must be a whole number from 0"),
    ('{"categories": {"cs.DC": {"arxiv_total": 1e400}}}', 1, "arxiv_total: must be a whole number from 0"),
    ('{"categories": {"cs.DC": "2026-06-01"}}', 1, "categories.cs.DC: must be an object"),
    ('{"categories": ["cs.DC"]}', 1, "categories: must be an object"),
    ('{"categories": {"cs.DC": {"backfill_position": {"resume_from": "9999-01-01"}}}}', 1,
     "backfill_position.resume_from: '9999-01-01' is in the future"),
    ('{"categories": {"cs.DC": {"backfill_position": {"token": 5}}}}', 1, "token: must be a string"),
    ('{"watermark": "x"}', 1, "unknown key 'watermark'"),
], ids=["bad-json", "not-an-object", "future-last-harvest", "future-watermark", "not-iso", "date-a-number",
        "total-a-string", "held-a-bool", "total-negative", "total-huge", "entry-a-string", "categories-a-list", "future-resume", "token-a-number",
        "unknown-key"])
def test_validate_state_names_each_problem_with_its_line(tmp_path, text, line, message):
    (tmp_path / STATE).write_text(text)
    problems = validate_state(tmp_path / STATE)
    assert problems, text
    assert any(p.line == line and message in p.message and p.path.endswith(STATE) for p in problems), problems


def test_check_reports_a_hostile_state_file(project):
    (project.content / STATE).write_text('{\n "categories": {"cs.DC": {"complete_through": "9999-12-31T00:00:00Z"}}\n}\n')
    result = project.run("check")
    assert result.exit_code != 0
    assert f"{STATE}:2: categories.cs.DC.complete_through: '9999-12-31T00:00:00Z' is in the future" in result.output


def test_check_passes_a_state_file_the_harvest_wrote(project):
    project.write_config(config(retries=0))
    with ArxivServer(entries(2)) as server:
        assert harvest(project, server).exit_code == 0
    result = project.run("check")
    assert result.exit_code == 0, result.output


# --- the archive's own files: a broken one is reported and left as it is -------

BROKEN = {
    "malformed-yaml": "---\nid: '2606.00002'\ntitle: [unclosed\n---\n\nbody\n",
    "no-front-matter": "Just text a person wrote.\n",
    "unclosed-fence": "---\nid: '2606.00002'\n",
    "missing-keys": "---\nid: '2606.00002'\ncuration:\n  note: mine\n---\n\nbody\n",
    "not-a-mapping": "---\n- a list\n---\n\nbody\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_paper_file_with_broken_front_matter_is_reported_kept_and_the_harvest_goes_on(project, name):
    project.write_config(config(retries=0) + "  categories: [cs.DC, cs.LG]\n")
    broken = project.content / "papers/2606/2606.00002.md"
    broken.parent.mkdir(parents=True)
    broken.write_text(BROKEN[name])
    with ArxivServer() as server:
        server.by_category = {"cs.DC": entries(3), "cs.LG": entries(2, start=10)}
        result = harvest(project, server)
    assert result.exit_code == 3
    assert result.stdout.startswith("harvest: 4 new, 0 updated, 0 withdrawn, 1 error")  # the report is printed
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {broken}:") and line.split(":")[2].isdigit()  # path:line: message
    assert broken.read_text() == BROKEN[name]  # nothing a person wrote is lost
    assert len(project.paper_files()) == 5  # the later entries and the other category
    assert "cs.LG" in state(project)["categories"]


def test_a_paper_file_that_is_not_utf8_is_reported_and_kept(project):
    project.write_config(config(retries=0))
    broken = project.content / "papers/2606/2606.00002.md"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with ArxivServer(entries(3)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "2 new" in result.stdout
    assert f"error: {broken}: not UTF-8 (byte 14)" in result.stderr
    assert broken.read_bytes() == b"---\ntitle: caf\xe9\n---\n"


def test_the_watermark_stops_at_a_paper_it_could_not_store_so_the_next_run_stores_it(project):
    project.write_config(config(retries=0) + "  overlap_days: 0\n")
    broken = project.content / "papers/2606/2606.00002.md"
    broken.parent.mkdir(parents=True)
    broken.write_text(BROKEN["malformed-yaml"])
    with ArxivServer(entries(3)) as server:
        harvest(project, server)
        assert watermark(project) == server.entries[1].published  # not past the paper it could not store
        broken.unlink()  # a person mends it
        result = harvest(project, server)
    assert result.exit_code == 0 and "1 new" in result.stdout
    assert watermark(project) == server.entries[0].published


def test_a_full_disk_is_one_error_line_naming_the_file_after_the_report(project, monkeypatch):
    import errno
    import os
    project.write_config(config(retries=0))

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("generator.fileio.os.fsync", full)
    with ArxivServer(entries(2)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and result.stdout.startswith("harvest: ")
    [line] = result.stderr.strip().splitlines()
    assert line == f"error: {project.content / 'papers/2606/2606.00002.md'}: cannot be written: No space left on device"
    assert project.paper_files() == {} and not list(project.content.rglob("*.tmp"))


def test_the_files_a_harvest_writes_get_the_mode_the_umask_gives(project):
    import os
    import stat
    project.write_config(config(retries=0))
    old = os.umask(0o022)
    try:
        with ArxivServer(entries(1)) as server:
            assert harvest(project, server).exit_code == 0
    finally:
        os.umask(old)
    for path in (project.content / "papers/2606/2606.00001.md", project.content / STATE):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_state_file_replaced_by_a_directory_is_one_error_line_and_the_papers_are_stored(project):
    project.write_config(config(retries=0))
    (project.content / STATE).mkdir()
    with ArxivServer(entries(2)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "2 new" in result.stdout and len(project.paper_files()) == 2
    lines = result.stderr.strip().splitlines()
    assert any(f"{project.content / STATE}: cannot be written: " in line for line in lines)
    assert all(line.startswith("error: ") for line in lines) and "Traceback" not in result.output
    assert (project.content / STATE).is_dir()


# --- symbolic links under content/: never followed, never written through -------

def link_month(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project.content / "papers").mkdir()
    (project.content / "papers/2606").symlink_to(elsewhere)
    return elsewhere


def test_a_symlinked_month_directory_is_refused_and_nothing_is_written_outside_content(project, tmp_path):
    project.write_config(config(retries=0))
    elsewhere = link_month(project, tmp_path)
    (elsewhere / ".x.md.1.tmp").write_text("not the harvest's to remove")
    others = [Entry(id="2605.00001v1", title="May paper", published="2026-06-04T10:00:00Z")]
    with ArxivServer([*entries(2), *others]) as server:
        result = harvest(project, server)
    assert result.exit_code == 3
    assert sorted(p.name for p in elsewhere.iterdir()) == [".x.md.1.tmp"]
    assert "papers/2605/2605.00001.md" in project.paper_files()  # the other papers are stored
    lines = result.stderr.strip().splitlines()
    assert lines and all("papers/2606: is a symbolic link" in line for line in lines)


def test_a_symlinked_papers_directory_is_refused(project, tmp_path):
    project.write_config(config(retries=0))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project.content / "papers").symlink_to(elsewhere)
    with ArxivServer(entries(2)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "papers: is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_paper_file_is_neither_read_nor_replaced(project, tmp_path):
    project.write_config(config(retries=0))
    target = tmp_path / "secret.md"
    target.write_text("---\nid: '2606.00002'\n---\n")
    month = project.content / "papers/2606"
    month.mkdir(parents=True)
    (month / "2606.00002.md").symlink_to(target)
    with ArxivServer(entries(3)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "2 new" in result.stdout
    assert "2606.00002.md: is a symbolic link" in result.stderr
    assert (month / "2606.00002.md").is_symlink() and target.read_text() == "---\nid: '2606.00002'\n---\n"


def test_a_symlinked_state_file_is_neither_read_nor_written_through(project, tmp_path):
    project.write_config(config(retries=0))
    target = tmp_path / "state.json"
    target.write_text('{"categories": {"cs.DC": {"complete_through": "2026-06-05T23:59:00Z"}}}')
    (project.content / STATE).symlink_to(target)
    with ArxivServer(entries(2)) as server:
        result = harvest(project, server)
    assert result.exit_code == 3 and "2 new" in result.stdout  # the link's watermark was not used
    assert f"{STATE}: is a symbolic link" in result.stderr
    assert (project.content / STATE).is_symlink()
    assert target.read_text() == '{"categories": {"cs.DC": {"complete_through": "2026-06-05T23:59:00Z"}}}'
    assert validate_state(project.content / STATE) == []  # not read through: the link's own problem is
    assert f"{STATE}:1: a symbolic link" in project.run("check").output  # published.py's, in check


# --- sizes: what is read is bounded, and what was refused is named --------------

def gzip_bomb(megabytes: int) -> bytes:
    """``megabytes`` MB of zeros as concatenated gzip members (a valid stream), ~1 KB each MB."""
    import gzip
    return gzip.compress(b"\0" * (10 << 20), compresslevel=9) * (megabytes // 10)


def deflate_bomb(megabytes: int) -> bytes:
    import zlib
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


@pytest.mark.parametrize("encoding, body", [("gzip", gzip_bomb(110)), ("deflate", deflate_bomb(110))],
                         ids=["gzip", "deflate"])
def test_a_compression_bomb_is_refused_at_the_limit_naming_the_url(encoding, body):
    from generator.harvest.client import MAX_RESPONSE_BYTES, Client
    from generator.errors import HarvestError
    from test_faults import fetch_page
    assert len(body) < 1 << 20 and MAX_RESPONSE_BYTES == 100 << 20
    client = Client(delay=0, retries=2, backoff=0, sleep=lambda s: None)
    with ArxivServer(entries(1)) as server:
        server.scripted = [(200, {"Content-Type": "application/atom+xml", "Content-Encoding": encoding}, body)]
        with pytest.raises(HarvestError) as info:
            fetch_page(client, server)
    assert len(server.requests) == 1  # the same reply again would be as large: not retried
    assert server.url in str(info.value) and "larger than 104,857,600 bytes (decompressed)" in str(info.value)


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_reply_over_a_lower_limit_is_refused_and_one_under_it_is_read(encoding):
    import gzip
    from arxiv_feed import feed
    from generator.harvest.client import Client
    from generator.errors import HarvestError
    from test_faults import fetch_page
    page = feed(entries(40))
    body = gzip.compress(page) if encoding == "gzip" else page
    headers = {"Content-Type": "application/atom+xml", "Content-Encoding": encoding}
    with ArxivServer(entries(40)) as server:
        server.scripted = [(200, headers, body), (200, headers, body)]
        with pytest.raises(HarvestError, match="larger than"):
            fetch_page(Client(delay=0, retries=0, max_bytes=len(page) - 1), server)
        assert len(fetch_page(Client(delay=0, retries=0, max_bytes=len(page)), server).papers) == 40


def test_a_bomb_in_one_category_is_an_error_and_the_other_category_is_harvested(project):
    project.write_config(config(retries=0) + "  categories: [cs.DC, cs.LG]\n")
    with ArxivServer() as server:
        server.by_category = {"cs.DC": entries(2), "cs.LG": entries(2, start=10)}
        server.scripted = [(200, {"Content-Encoding": "gzip"}, gzip_bomb(110))]
        result = harvest(project, server)
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {server.url}?search_query=cat%3Acs.DC") and "larger than" in line
    assert sorted(project.paper_files()) == ["papers/2606/2606.00010.md", "papers/2606/2606.00011.md"]


LONG = {
    "title": lambda n: Entry(id="2606.09999v1", title="t" * n),
    "abstract": lambda n: Entry(id="2606.09999v1", summary="a" * n),
    "comment": lambda n: Entry(id="2606.09999v1", comment="c" * n),
    "journal_ref": lambda n: Entry(id="2606.09999v1", journal_ref="j" * n),
    "author name": lambda n: Entry(id="2606.09999v1", authors=[("n" * n, [])]),
    "affiliation": lambda n: Entry(id="2606.09999v1", authors=[("Ada", ["a" * n])]),
}


@pytest.mark.parametrize("field", LONG)
def test_an_over_long_field_is_an_error_naming_the_record_and_field_and_is_not_stored(project, field):
    from generator.harvest.checks import FIELD_LIMITS
    project.write_config(config(retries=0))
    limit = FIELD_LIMITS[field]
    with ArxivServer([LONG[field](limit + 1), *entries(2)]) as server:
        result = harvest(project, server)
        assert result.exit_code == 3
        [line] = result.stderr.strip().splitlines()
        assert "record http://arxiv.org/abs/2606.09999v1" in line
        assert f"{field}: {limit + 1:,} characters, more than the {limit:,} accepted" in line
        assert "papers/2606/2606.09999.md" not in project.paper_files() and len(project.paper_files()) == 2
        server.entries[0] = LONG[field](limit)  # at the limit: stored
        assert harvest(project, server).exit_code == 0
    assert "papers/2606/2606.09999.md" in project.paper_files()


def test_too_many_authors_is_an_error_naming_the_record(project):
    from generator.harvest.checks import MAX_AUTHORS
    project.write_config(config(retries=0))
    crowd = Entry(id="2606.09999v1", authors=[(f"A{i}", []) for i in range(MAX_AUTHORS + 1)])
    with ArxivServer([crowd, *entries(1)]) as server:
        result = harvest(project, server)
    assert f"authors: {MAX_AUTHORS + 1:,}, more than the {MAX_AUTHORS:,} accepted" in result.stderr
    assert list(project.paper_files()) == ["papers/2606/2606.00001.md"]


def test_an_over_long_oai_field_is_an_error_naming_the_record(project):
    project.write_config(config())
    big = Record(id="2606.09999", title="t" * 3_000_000)
    with ArxivServer(oai_records=[big, Record(id="2606.00001")], oai_page_size=5) as server:
        result = project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")
    assert result.exit_code == 3
    assert "record oai:arXiv.org:2606.09999: title: 3,000,000 characters, more than the 2,000" in result.stderr
    assert list(project.paper_files()) == ["papers/2606/2606.00001.md"]


# --- logs: feed text in the harvest's output starts no workflow command ---------

INJECTIONS = ["\n::add-mask::x", "\r\n::stop-commands::token", "\n  ::error::pwned", "\u2028::add-mask::x",
              "##[error]old form"]


def assert_no_workflow_command(output: str) -> None:
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


@pytest.mark.parametrize("injection", INJECTIONS)
def test_an_oai_identifier_or_id_with_a_workflow_command_is_printed_as_text(project, injection):
    project.write_config(config())
    hostile = Record(id="2606.0" + injection, title="Title" + injection)
    with ArxivServer(oai_records=[hostile, Record(id="2606.00001", title="Fine" + injection)],
                     oai_page_size=5) as server:
        result = project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")
    assert result.exit_code == 3 and "1 new" in result.stdout
    assert "oai:arXiv.org:2606.0" in result.stderr
    assert_no_workflow_command(result.output)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_an_atom_entry_with_a_workflow_command_in_its_id_title_or_date_is_printed_as_text(project, injection):
    project.write_config(config(retries=0))
    with ArxivServer([Entry(id="2606.09999v1", title="T" + injection, updated="2026-06-05" + injection),
                      Entry(id="2606.09998v1" + injection.strip()), *entries(1)]) as server:
        result = harvest(project, server)
        server.entries = [Entry(id="2606.0" + injection)]
        again = harvest(project, server)
    assert result.exit_code == 3 and again.exit_code == 3
    assert_no_workflow_command(result.output + again.output)


def test_the_progress_bar_label_starts_no_workflow_command():
    import io
    from generator.progress import TerminalProgress
    out = io.StringIO()
    progress = TerminalProgress(out)
    progress("cs.DC\n::add-mask::x", 1, 2)
    progress.close()
    assert "add-mask" in out.getvalue()
    assert_no_workflow_command(out.getvalue().replace("\r", "\n"))


def test_a_state_file_with_a_workflow_command_in_a_category_is_noted_as_text(project):
    project.write_config(config(retries=0))
    (project.content / STATE).write_text(json.dumps({"categories": {
        "cs.DC\n::add-mask::x": {"complete_through": "9999-12-31\n::add-mask::y"}}}))
    checked = project.run("check")  # before the harvest, which writes the state anew
    assert checked.exit_code != 0 and "add-mask" in checked.output
    assert_no_workflow_command(checked.output)
    with ArxivServer(entries(1)) as server:
        result = harvest(project, server)
    assert "note: " in result.stdout and "add-mask" in result.stdout
    assert_no_workflow_command(result.output)


def test_a_50_mb_title_is_refused_not_stored_or_published(project):
    project.write_config(config(retries=0))
    with ArxivServer([Entry(id="2606.09999v1", title="t" * (50 << 20)), *entries(1)]) as server:
        result = harvest(project, server)
    assert result.exit_code == 3
    assert "record http://arxiv.org/abs/2606.09999v1: title: 52,428,800 characters" in result.stderr
    assert list(project.paper_files()) == ["papers/2606/2606.00001.md"]
    assert len(result.output) < 2_000  # the refusal names the field; it does not repeat it


def test_a_saved_response_with_a_refused_entry_is_an_error_naming_file_and_record(project):
    from arxiv_feed import feed
    saved = project.root / "saved.xml"
    saved.write_bytes(feed([Entry(id="2606.09999v1", updated="9999-12-31T00:00:00Z"), *entries(2)]))
    result = project.run("harvest", "--from-file", str(saved))
    assert result.exit_code == 3 and "2 new" in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line == (f"error: {saved}: record http://arxiv.org/abs/2606.09999v1: "
                    "updated: '9999-12-31T00:00:00Z' is in the future")


def test_an_oai_author_string_too_long_to_split_is_refused_before_it_is_split(project, monkeypatch):
    import generator.harvest.oai
    splits = []
    monkeypatch.setattr(generator.harvest.oai, "split_authors", lambda text: splits.append(len(text)) or [])
    project.write_config(config())
    big = Record(id="2606.09999", authors="A. Name, " * 250_000)
    with ArxivServer(oai_records=[big], oai_page_size=5) as server:
        result = project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")
    assert "record oai:arXiv.org:2606.09999: authors: 2,250,000 characters, more than the 2,000,000" in result.stderr
    assert splits == [] and project.paper_files() == {}
