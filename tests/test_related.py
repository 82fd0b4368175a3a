"""Related papers: the most similar papers by title and abstract, on every paper page."""
import re

from conftest import REPO
from generator.related import related_papers
from generator.store import Archive
from test_store import make_paper

SAMPLE = Archive(REPO / "content")

TOPICS = {
    "gpu": "GPU kernel fusion for transformer inference with CUDA graphs and tensor cores",
    "consensus": "Byzantine consensus protocol with leader election and quorum certificates",
    "storage": "erasure coded object storage with tiered SSD caching and replication",
}


def corpus():
    papers = []
    for t, (topic, words) in enumerate(TOPICS.items()):
        for i in range(4):
            papers.append(make_paper(id=f"2606.{t}{i:04d}", title=f"{topic} study {i}",
                                     abstract=f"We study {words}. Variant {i} of the {topic} design."))
    return papers


def test_related_papers_share_the_topic_and_exclude_the_paper_itself():
    papers = corpus()
    related = related_papers(papers, count=3)
    for paper in papers:
        assert paper not in related[paper.id]
        assert len(related[paper.id]) == 3
        assert {p.id[:6] for p in related[paper.id]} == {paper.id[:6]}, paper.id  # the same topic


def test_related_papers_are_the_same_on_every_build():
    papers = corpus()
    first = {k: [p.id for p in v] for k, v in related_papers(papers).items()}
    again = {k: [p.id for p in v] for k, v in related_papers(list(reversed(papers))).items()}
    assert first == again


def test_papers_with_no_word_in_common_are_not_related():
    papers = [make_paper(id="2606.00001", title="Alpha", abstract="quantum annealing"),
              make_paper(id="2606.00002", title="Beta", abstract="blockchain sharding")]
    assert related_papers(papers) == {"2606.00001": [], "2606.00002": []}


def test_tiny_and_empty_archives():
    assert related_papers([]) == {}
    assert related_papers([make_paper()]) == {"2606.01839": []}
    empty = [make_paper(id="2606.00001", title="The", abstract=""), make_paper(id="2606.00002", title="a", abstract="")]
    assert related_papers(empty) == {"2606.00001": [], "2606.00002": []}
    pair = [make_paper(id="2606.00001", title="Sharding", abstract="blockchain sharding"),
            make_paper(id="2606.00002", title="Sharding", abstract="sharding ledgers")]
    assert [p.id for p in related_papers(pair)["2606.00001"]] == ["2606.00002"]


def test_every_sample_paper_page_lists_five_related_papers_that_exist(sample_site):
    for paper in SAMPLE.iter_papers():
        page = sample_site / paper.url / "index.html"
        html = page.read_text()
        block = re.search(r'<ol class="paper__related">(.*?)</ol>', html, re.S).group(1)
        links = re.findall(r'<a href="([^"]+)">', block)
        assert len(links) == 5, paper.id
        assert all((page.parent / href / "index.html").resolve().is_file() for href in links)
        assert f"/{paper.slug}/" not in [f"/{href.rstrip('/').split('/')[-1]}/" for href in links]


def test_a_collective_communication_paper_is_related_to_collective_papers(sample_site):
    html = (sample_site / "papers/2510/2510.00991/index.html").read_text()
    block = html.split('<ol class="paper__related">')[1].split("</ol>")[0]
    assert "AllReduce" in block  # 2606.01680: network failures and AllReduce, as VCCL's NCCL work
