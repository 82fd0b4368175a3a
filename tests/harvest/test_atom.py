"""Reading the arXiv API's Atom: each quirk pinned by a test named after it."""
import pytest

from arxiv_feed import Entry, error_feed, feed
from generator.errors import ArxivAPIError, FeedError
from generator.harvest.atom import parse_page
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_every_field_of_an_entry():
    page = parse_page(feed([Entry(
        id="2606.01839v3", title="Serving  LLMs\n   at scale", summary="Line one.\nLine two.",
        published="2026-06-01T10:00:00Z", updated="2026-06-04T09:00:00Z",
        authors=[("Ada Lovelace", ["Analytical Engines Ltd"]), ("Alan Turing", [])],
        categories=["cs.DC", "cs.LG"], primary="cs.DC", comment="12 pages",
        journal_ref="Proc. X 2026", doi="10.1145/123.456")], total=99, start=40), "http://test/")
    assert (page.total_results, page.start_index) == (99, 40)
    [paper] = page.papers
    assert (paper.id, paper.version) == ("2606.01839", 3)
    assert paper.title == "Serving LLMs at scale"
    assert paper.abstract == "Line one.\nLine two."
    assert [a.name for a in paper.authors] == ["Ada Lovelace", "Alan Turing"]
    assert paper.authors[0].affiliations == ["Analytical Engines Ltd"]
    assert paper.authors[1].affiliations == []
    assert paper.categories == ["cs.DC", "cs.LG"] and paper.primary_category == "cs.DC"
    assert (paper.comment, paper.journal_ref, paper.doi) == ("12 pages", "Proc. X 2026", "10.1145/123.456")
    assert paper.links == {"abs": "https://arxiv.org/abs/2606.01839v3", "pdf": "https://arxiv.org/pdf/2606.01839v3"}
    assert (paper.published, paper.updated) == ("2026-06-01T10:00:00Z", "2026-06-04T09:00:00Z")


def test_2510_00991_each_author_keeps_all_own_affiliations():
    # feedparser keeps only an entry's last affiliation; the XML has them all.
    page = parse_page(feed([Entry(authors=[("A", ["Infrawaves", "Shanghai Innovation Institute"]),
                                           ("B", ["Beihang University"]), ("C", [])])]), "x")
    assert [a.affiliations for a in page.papers[0].authors] == [
        ["Infrawaves", "Shanghai Innovation Institute"], ["Beihang University"], []]


def test_legacy_2016_format_wrapped_title_and_old_style_id():
    page = parse_page((FIXTURES / "legacy-2016.xml").read_bytes(), "legacy")
    first, old = page.papers
    assert first.title == "Gossip Protocols on a Wrapped Title in the Large Connectivity Limit"
    assert first.comment == "8 pages, 3 figures. Published version"
    assert first.doi == "10.1103/PhysRevB.00.000000"
    assert first.primary_category == "cs.DC" and "cond-mat.str-el" in first.categories
    assert (old.id, old.version, old.slug, old.month) == ("cs/0112017", 1, "cs-0112017", "0112")
    assert old.authors[0].affiliations == ["Old University"]


def test_error_feed_raises_with_the_url_and_arxiv_message():
    with pytest.raises(ArxivAPIError) as info:
        parse_page(error_feed("incorrect id format for abc"), "http://127.0.0.1/api/query?id_list=abc")
    assert "http://127.0.0.1/api/query?id_list=abc" in str(info.value)
    assert "incorrect id format for abc" in str(info.value)


def test_empty_result_is_an_empty_page():
    page = parse_page(feed([], total=0), "x")
    assert page.papers == [] and page.total_results == 0


@pytest.mark.parametrize("body", [
    b"<html><body><h1>503 Service Unavailable</h1></body></html>",
    b"",
    b"not xml at all",
    b'{"json": true}',
])
def test_not_atom_raises_feed_error(body):
    with pytest.raises(FeedError) as info:
        parse_page(body, "http://127.0.0.1/api/query")
    assert "http://127.0.0.1/api/query" in str(info.value)


def test_truncated_page_raises_feed_error_wherever_it_is_cut():
    # feedparser alone returns the entries before the cut, the last one
    # half-read, with no error: a cut page must never yield a paper.
    whole = feed([Entry(id=f"2606.0000{i}v1") for i in range(3)])
    for cut in range(50, len(whole) - 10, 23):
        with pytest.raises(FeedError):
            parse_page(whole[:cut], "http://x/")
