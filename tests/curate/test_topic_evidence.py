"""Topic rules weigh evidence: where a keyword stands, how often, words that mean other things, and 'unless'."""
import pytest

from generator.curate.rules import MatchRules

from generator.curate.listing import list_topics

from generator.curate.topics import Topic
from test_store import make_paper


def matched(rules: MatchRules, title: str, abstract: str) -> str | None:
    return rules.explain(make_paper(title=title, abstract=abstract))


def test_a_keyword_in_the_title_is_enough():
    assert matched(MatchRules(keywords=["Raft"]), "Faster Raft", "Nothing else.") == "matches title “Raft”"


def test_one_abstract_mention_is_a_passing_mention():
    assert matched(MatchRules(keywords=["Raft"]), "A scheduler", "Unlike Raft, we schedule.") is None


def test_two_abstract_mentions_match_and_say_how_many():
    said = matched(MatchRules(keywords=["Raft", "Paxos"]), "A protocol", "Raft is fine. Raft and Paxos too.")
    assert said == "matches abstract “Raft” ×2, “Paxos”"


def test_mentions_sets_how_many_the_abstract_needs():
    assert matched(MatchRules(keywords=["Raft"], mentions=1), "A protocol", "Raft.") == "matches abstract “Raft”"
    assert matched(MatchRules(keywords=["Raft"], mentions=3), "A protocol", "Raft. Raft.") is None


def test_a_title_keyword_counts_only_in_the_title():
    rules = MatchRules(title=["consensus"])
    assert matched(rules, "Consensus at scale", "x") == "matches title “consensus”"
    assert matched(rules, "A protocol", "consensus consensus consensus") is None


@pytest.mark.parametrize("title, abstract, hit", [
    ("A protocol", "replica replica replica quorum", False),  # weak words alone: never
    ("Replica placement", "nothing", False),  # not even in the title
    ("A protocol", "Raft keeps a replica.", True),  # with one real mention, a weak word adds up to two
    ("A protocol", "Raft only.", False),
])
def test_weak_words_never_match_alone(title, abstract, hit):
    rules = MatchRules(keywords=["Raft"], weak=["replica", "quorum"])
    assert (matched(rules, title, abstract) is not None) == hit


@pytest.mark.parametrize("title, abstract", [
    ("Transmit power control for Raft", "Raft"),
    ("Raft", "We study transmit-power budgets."),
    ("RAFT", "TRANSMIT POWER"),
])
def test_unless_rules_a_paper_out_wherever_it_stands(title, abstract):
    assert matched(MatchRules(keywords=["Raft"], unless=["transmit power"]), title, abstract) is None


def test_the_word_inside_another_word_is_no_mention():
    assert matched(MatchRules(keywords=["raft"]), "Aircraft design", "Spacecraft, crafty, rafts.") is None


def test_list_topics_agrees_with_explain_paper_by_paper():
    rules = MatchRules(keywords=["Raft", "Paxos consensus"], title=["BFT"], weak=["quorum"], unless=["life raft"])
    papers = [make_paper(id=f"2606.{i:05d}", title=t, abstract=a) for i, (t, a) in enumerate([
        ("Raft", "x"), ("BFT now", "x"), ("y", "BFT BFT"), ("y", "Raft quorum"), ("y", "Paxos consensus. Raft."),
        ("y", "life raft Raft Raft"), ("y", "quorum quorum"), ("y", "Raft"), ("Paxos-consensus", "")], 1)]
    listed = {e.paper.id for e in list_topics([Topic("t", "T", rules=rules)], papers)[0].entries}
    assert listed == {p.id for p in papers if rules.explain(p) is not None}
    assert listed == {"2606.00001", "2606.00002", "2606.00004", "2606.00005", "2606.00009"}


def test_a_topic_file_reads_the_new_keys_and_checks_mentions(project):
    from test_curation import write
    write(project, "topics/t.md", "---\ntitle: T\nmatch:\n  keywords: [Raft]\n  title: [BFT]\n  weak: [quorum]\n"
                                  "  unless: [life raft]\n  mentions: 0\n---\n")
    result = project.run("check")
    assert result.exit_code == 5
    assert "t.md:8: match.mentions: a whole number from 1 to 20" in result.stderr
