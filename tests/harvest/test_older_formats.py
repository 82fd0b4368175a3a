"""arXiv's older formats, read right: each quirk pinned by a fixture written in arXiv's form."""
from __future__ import annotations

import pytest

from generator.site.abstracts import paragraphs

# The API of past years: the submitted text, wrapped at about 80 columns.
WRAPPED_TWO_LINES = """\
  We give a lock-free queue whose enqueue and dequeue each take one CAS in the
common case, and prove it linearizable.
"""
WRAPPED_INDENTED_SECOND_PARAGRAPH = """\
  Consensus protocols for replicated state machines pay a round trip for every
command. We show how to batch commands without adding latency under load.
  In particular, the leader pipelines proposals while a quorum acknowledges
earlier ones, and recovery after a crash replays at most one batch.
"""
# A wrapped line can end a sentence by chance; the text is still one paragraph.
WRAPPED_LINE_ENDS_A_SENTENCE = """\
  We measure tail latency on a cluster of 64 nodes under a skewed workload.
Replication doubles the throughput of reads while writes slow down by a tenth,
and the scheduler keeps the slowest replica off the critical path.
"""
# Today's API: one line a paragraph, indented or not.
UNWRAPPED_SHORT_PARAGRAPHS = "We study gossip.\nIt converges fast."
UNWRAPPED_LONG_PARAGRAPHS = ("Large-scale training stalls when one worker straggles, and the usual remedy, "
                             "backup workers, wastes a tenth of the cluster.\n"
                             "  We present a scheduler that predicts stragglers from their recent step times "
                             "and moves their shards before they fall behind.")


def test_hard_wrapped_two_line_abstract_is_one_paragraph():
    assert paragraphs(WRAPPED_TWO_LINES) == [
        "We give a lock-free queue whose enqueue and dequeue each take one CAS in the "
        "common case, and prove it linearizable."]


def test_hard_wrapped_abstract_whose_second_paragraph_starts_on_an_indented_line_is_two():
    first, second = paragraphs(WRAPPED_INDENTED_SECOND_PARAGRAPH)
    assert first.startswith("Consensus protocols") and first.endswith("without adding latency under load.")
    assert second.startswith("In particular, the leader") and "acknowledges earlier ones" in second


def test_hard_wrapped_line_that_ends_a_sentence_is_not_a_paragraph_break():
    [only] = paragraphs(WRAPPED_LINE_ENDS_A_SENTENCE)
    assert "skewed workload. Replication doubles" in only


@pytest.mark.parametrize("text, expected", [
    (UNWRAPPED_SHORT_PARAGRAPHS, ["We study gossip.", "It converges fast."]),
    ("One.\nTwo.", ["One.", "Two."]),
])
def test_unwrapped_abstract_breaks_a_paragraph_at_every_line_break(text, expected):
    assert paragraphs(text) == expected


def test_unwrapped_abstract_with_indented_paragraphs_keeps_them():
    first, second = paragraphs(UNWRAPPED_LONG_PARAGRAPHS)
    assert first.endswith("a tenth of the cluster.") and second.startswith("We present a scheduler")


def test_hard_wrapped_abstract_indented_throughout_is_not_a_paragraph_a_line():
    text = "  First line of a text whose every line\n  is indented by the submitter, as some\n  were."
    assert paragraphs(text) == ["First line of a text whose every line is indented by the submitter, as some were."]


def test_blank_line_always_ends_a_paragraph():
    assert paragraphs("A wrapped first paragraph that runs on\nto a second line.\n\nAnd another.") == [
        "A wrapped first paragraph that runs on to a second line.", "And another."]


# --- MSC and ACM classes among the <category> terms -------------------------------------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

from arxiv_server import ArxivServer  # noqa: E402
from generator.archive.models import classify_terms, is_arxiv_category  # noqa: E402
from generator.archive.store import Archive  # noqa: E402
from generator.harvest.atom import parse_page  # noqa: E402
from generator.harvest.client import Client  # noqa: E402
from generator.harvest.run import Harvester  # noqa: E402
from oai_feed import Record  # noqa: E402
from test_faults import config  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LEGACY = FIXTURES / "legacy-2016-classes.xml"


@pytest.mark.parametrize("term", ["cs.DC", "math.CO", "hep-th", "physics.comp-ph", "q-bio.NC", "stat.ML",
                                  "cond-mat.str-el", "astro-ph.CO", "math-ph", "cmp-lg", "q-fin.ST"])
def test_arxiv_categories_are_categories(term):
    assert is_arxiv_category(term)


@pytest.mark.parametrize("term", ["03B70, 68Q99", "68Q99", "F.4.1; F.4.m; K.2", "C.2.4", "05C85", "68W10 (Primary)"])
def test_msc_and_acm_classes_are_not_categories(term):
    assert not is_arxiv_category(term)


def test_msc_and_acm_category_terms_are_kept_as_classes_not_categories():
    first, second = parse_page(LEGACY.read_bytes(), "legacy").papers
    assert first.categories == ["cs.DC", "cs.LO"]
    assert (first.msc_class, first.acm_class) == ("03B70, 68Q99", "F.4.1; F.4.m; K.2")
    assert second.categories == ["cs.DC"] and (second.msc_class, second.acm_class) == (None, "C.2.4")


def test_arxiv_raw_msc_class_and_acm_class_elements_are_kept(tmp_path):
    record = Record(id="1104.0002", categories="cs.DC cs.LO", msc_class="68Q85, 68M14", acm_class="C.2.4; D.1.3")
    with ArxivServer(oai_records=[record]) as server:
        Harvester(Archive(tmp_path), Client(delay=0, retries=0), "unused", 2, oai_url=server.oai_url).backfill(
            ["cs.DC"], __import__("datetime").date(2026, 6, 1))
    paper = Archive(tmp_path).load("1104.0002")
    assert paper.categories == ["cs.DC", "cs.LO"]
    assert (paper.msc_class, paper.acm_class) == ("68Q85, 68M14", "C.2.4; D.1.3")


def test_a_paper_without_classes_writes_no_class_keys(project):
    (project.content / "a.xml").write_bytes((FIXTURES / "legacy-2016.xml").read_bytes())
    assert project.run("harvest", "--from-file", str(project.content / "a.xml")).exit_code == 0
    text = (project.content / "papers" / "1203" / "1203.0001.md").read_text()
    assert "msc_class" not in text and "acm_class" not in text


OLD_FILE = """\
---
id: '1104.0001'
version: 1
title: A Lock-Free Queue with One CAS
authors:
- name: Ann Writer
  affiliations: []
published: '2011-04-01T09:00:00Z'
updated: '2011-04-01T09:00:00Z'
primary_category: cs.DC
categories:
- cs.DC
- cs.LO
- F.4.1; F.4.m; K.2
- 03B70, 68Q99
comment: 12 pages
journal_ref: null
doi: null
links: {}
versions: []
curation:
  headline: Kept as written
---

Text.
"""


def test_a_paper_file_listing_msc_terms_as_categories_reads_them_as_classes_and_the_next_harvest_moves_them(project):
    path = project.content / "papers" / "1104" / "1104.0001.md"
    path.parent.mkdir(parents=True)
    path.write_text(OLD_FILE)
    paper = Archive(project.content).load("1104.0001")
    assert paper.categories == ["cs.DC", "cs.LO"]
    assert (paper.msc_class, paper.acm_class) == ("03B70, 68Q99", "F.4.1; F.4.m; K.2")
    result = project.run("harvest", "--from-file", str(LEGACY))
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "categories:\n- cs.DC\n- cs.LO\nmsc_class: 03B70, 68Q99\nacm_class: F.4.1; F.4.m; K.2\n" in text
    assert "curation:\n  headline: Kept as written\n" in text


def test_classes_stated_by_arxiv_raw_win_over_terms():
    assert classify_terms(["cs.DC", "68Q99"], "68Q99, 68W10", None).msc_class == "68Q99, 68W10"


# --- harvest --from-file a.xml bad.xml c.xml -------------------------------------------------

def test_from_file_ingests_every_readable_file_and_reports_each_bad_one(project, tmp_path):
    good_a, bad, truncated, good_c = (tmp_path / n for n in ("a.xml", "bad.xml", "cut.xml", "c.xml"))
    good_a.write_bytes((FIXTURES / "legacy-2016.xml").read_bytes())
    bad.write_text("<html><body>Service unavailable</body></html>")
    truncated.write_bytes(LEGACY.read_bytes()[:900])
    good_c.write_bytes(LEGACY.read_bytes())
    result = project.run("harvest", "--from-file", str(good_a), str(bad), str(truncated), str(good_c))
    assert result.exit_code == 3
    assert "harvest: 4 new, 0 updated, 0 withdrawn, 2 errors" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {bad}: not a valid Atom page")
    assert errors[1].startswith(f"error: {truncated}: not a valid Atom page")
    assert len(project.paper_files()) == 4  # c.xml, after the bad ones, is read


def test_from_file_that_is_missing_is_reported_and_the_others_ingested(project, tmp_path):
    result = project.run("harvest", "--from-file", str(tmp_path / "gone.xml"), str(LEGACY))
    assert result.exit_code == 3 and "2 new" in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line == f"error: {tmp_path / 'gone.xml'}: cannot be read: No such file or directory"


# --- OAI-PMH errors -----------------------------------------------------------------------------

OAI_DC = ('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A paper</dc:title></oai_dc:dc>')


def _backfill(project, server):
    return project.run("harvest", "--oai-url", server.oai_url, "--since", "2026-06-01")


def test_oai_record_in_another_metadata_format_is_named_once_with_what_was_wrong(project):
    project.write_config(config(retries=2))
    records = [Record(id="2606.00001"), Record(id="2606.00002", metadata=OAI_DC), Record(id="2606.00003", metadata=OAI_DC)]
    with ArxivServer(oai_records=records, oai_page_size=5) as server:
        result = _backfill(project, server)
    assert result.exit_code == 3 and "1 new" in result.stdout and "2 errors" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    for line, oai_id in zip(lines, ["oai:arXiv.org:2606.00002", "oai:arXiv.org:2606.00003"]):
        assert f"record {oai_id}: metadata <dc> (http://www.openarchives.org/OAI/2.0/oai_dc/), not arXivRaw" in line


def test_oai_answer_for_another_metadata_prefix_is_one_error_not_one_a_record(project):
    from oai_feed import response
    project.write_config(config(retries=2))
    body = "<ListRecords>\n" + "".join(Record(id=f"2606.0000{i}", metadata=OAI_DC).xml() for i in range(1, 4)) + "</ListRecords>\n"
    with ArxivServer(oai_records=[]) as server:
        server.scripted = [(200, {"Content-Type": "text/xml"}, response(body, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}))]
        result = _backfill(project, server)
        requests = len(server.requests)
    [line] = result.stderr.strip().splitlines()
    assert "metadataPrefix 'oai_dc', not 'arXivRaw'" in line and requests == 1


@pytest.mark.parametrize("code", ["badVerb", "badArgument", "cannotDisseminateFormat", "noSetHierarchy"])
def test_oai_answer_that_can_never_succeed_is_not_retried(project, code):
    from oai_feed import error
    project.write_config(config(retries=3))
    with ArxivServer(oai_records=[Record()]) as server:
        server.scripted = [(200, {"Content-Type": "text/xml"}, error(code, "Illegal arguments", {}))]
        result = _backfill(project, server)
        requests = len(server.requests)
    assert result.exit_code == 3 and requests == 1
    [line] = result.stderr.strip().splitlines()
    assert f"OAI-PMH error {code}: Illegal arguments" in line and server.oai_url in line


def test_oai_no_records_match_is_an_empty_result(project):
    project.write_config(config())
    with ArxivServer(oai_records=[Record(datestamp="2026-05-01")]) as server:
        result = _backfill(project, server)
    assert result.exit_code == 0 and result.stderr == "" and "0 new, 0 updated, 0 withdrawn, 0 errors" in result.stdout


def test_an_oai_problem_met_again_on_a_page_read_again_is_reported_once():
    from generator.harvest.report import Report
    report = Report(errors=["u: record oai:arXiv.org:x: no metadata"] * 3 + ["other"])
    assert report.error_lines() == ["u: record oai:arXiv.org:x: no metadata", "other"]
    assert "2 errors" in report.summary()


# --- a 2016 API response and an OAI arXivRaw answer, ingested and built ------------------------

ARXIV_RAW_ABSTRACT = """\
  We schedule the shards of a parameter server so that no straggler holds a
training step back for more than one round.
  In particular, shards move while their workers compute, and a move never
costs a step.
"""


def _abstract_paragraphs(html: str) -> list[str]:
    block = re.search(r'<div class="paper__abstract">(.*?)</div>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", p).strip() for p in re.findall(r"<p>(.*?)</p>", block, re.S)]


def _classes(html: str) -> dict[str, str]:
    return {dt: re.sub(r"<[^>]+>", "", dd).strip()
            for dt, dd in re.findall(r"<dt>([^<]+)</dt>\s*<dd>(.*?)</dd>", html, re.S)}


def test_older_formats_built_show_paragraphs_and_classes_as_arxiv_meant(project):
    project.write_config(config())
    assert project.run("harvest", "--from-file", str(LEGACY)).exit_code == 0
    record = Record(id="1105.0003", title="Shards That Move", categories="cs.DC cs.LG",
                    msc_class="68M14", acm_class="C.2.4; I.2.6", abstract=ARXIV_RAW_ABSTRACT,
                    versions=[(1, "Mon, 2 May 2011 10:00:00 GMT")])
    with ArxivServer(oai_records=[record]) as server:
        assert _backfill(project, server).exit_code == 0
    project.build()

    two_lines = project.page("papers/1104/1104.0001")
    assert _abstract_paragraphs(two_lines) == [
        "We give a lock-free queue whose enqueue and dequeue each take one CAS in the "
        "common case, and prove it linearizable."]
    fields = _classes(two_lines)
    assert fields["Categories"] == "cs.DC, cs.LO"
    assert fields["MSC classes"] == "03B70, 68Q99" and fields["ACM classes"] == "F.4.1; F.4.m; K.2"

    indented = project.page("papers/0601/cs-0601001")
    first, second = _abstract_paragraphs(indented)
    assert first.endswith("without adding latency under load.") and second.startswith("In particular,")
    assert _classes(indented)["ACM classes"] == "C.2.4" and "MSC classes" not in _classes(indented)

    raw = project.page("papers/1105/1105.0003")
    assert _abstract_paragraphs(raw) == [
        "We schedule the shards of a parameter server so that no straggler holds a "
        "training step back for more than one round.",
        "In particular, shards move while their workers compute, and a move never costs a step."]
    fields = _classes(raw)
    assert fields["Categories"] == "cs.DC, cs.LG"
    assert fields["MSC classes"] == "68M14" and fields["ACM classes"] == "C.2.4; I.2.6"


def test_oai_record_problem_on_a_list_restarted_after_an_expired_token_is_named_once(project):
    from oai_feed import error
    project.write_config(config())
    records = [Record(id="2606.00001"), Record(id="2606.00002", metadata=OAI_DC), Record(id="2606.00003")]
    with ArxivServer(oai_records=records, oai_page_size=2) as server:
        server.scripted = [None, (200, {"Content-Type": "text/xml"}, error("badResumptionToken", "expired", {}))]
        result = _backfill(project, server)
        asked = len(server.requests)
    assert asked >= 3  # the list was read again from its start
    [line] = result.stderr.strip().splitlines()
    assert "record oai:arXiv.org:2606.00002: metadata <dc>" in line and "1 error " in result.stdout
    assert len(project.paper_files()) == 2
