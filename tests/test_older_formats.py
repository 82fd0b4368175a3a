"""arXiv's older formats, read right: each quirk pinned by a fixture written in arXiv's form."""
from __future__ import annotations

import pytest

from generator.abstracts import paragraphs

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
