"""The key result: an abstract's sentence with its main quantitative claim, marked as extracted."""
import pytest

from conftest import REPO
from generator.archive.store import Archive
from generator.site.keyresult import key_result, sentences
from test_store import make_paper


@pytest.mark.parametrize("abstract, expected", [
    ("We build X. It is fast. Against NCCL, X achieves up to 9.65x speedup over NCCL on 64 GPUs. We release it.",
     "Against NCCL, X achieves up to 9.65x speedup over NCCL on 64 GPUs."),
    ("We present Y. Y cuts tail latency by 32% at peak load. It runs on 2560 GPUs.",
     "Y cuts tail latency by 32% at peak load."),
    ("UltraEP reaches 94.3% of the ideal, delivering 1.49$\\times$ improvement over non-balancing. Done.",
     "UltraEP reaches 94.3% of the ideal, delivering 1.49$\\times$ improvement over non-balancing."),
    ("Distribution delivers $7$--$173\\times$ extra speedup. Also more.", "Distribution delivers $7$--$173\\times$ extra speedup."),
    ("It reduces misses by 40.58\\%, e.g. for FCFS. Other text here.", "It reduces misses by 40.58\\%, e.g. for FCFS."),
    ("Our method outperforms MOON by 0.5 dB PSNR. It is simple.", "Our method outperforms MOON by 0.5 dB PSNR."),
    ("A 3-fold gain in throughput. A 10% gain.", "A 3-fold gain in throughput."),
])
def test_the_sentence_with_the_main_claim_is_picked(abstract, expected):
    assert key_result(abstract) == expected


@pytest.mark.parametrize("abstract", [
    "We validate scalability in production training with 2560 GPUs. It works in 2026.",
    "We study leader election in the population protocol model [BCC+21]. It needs $O(n)$ states.",
    "",
    "A theory paper with no numbers at all.",
])
def test_no_claim_no_key_result(abstract):
    assert key_result(abstract) is None


def test_abbreviations_and_decimals_do_not_split_sentences():
    assert sentences("Systems (e.g. Ray) scale 2.5x better than Spark et al. in tests. Next one.") == [
        "Systems (e.g. Ray) scale 2.5x better than Spark et al. in tests.", "Next one."]


def test_paper_page_shows_the_extracted_key_result_below_the_authors(sample_site):
    html = (sample_site / "papers/2606/2606.01556/index.html").read_text()  # no curated headline
    authors, rest = html.split('<ul class="paper__authors"')[1].split("</ul>", 1)
    block = rest.split("</p>")[0]
    assert block.lstrip().startswith("<p class=\"paper__key-result\"")
    assert "extracted from the abstract" in block
    assert "TwinQuant preserves near-FP16 accuracy and delivers up to" in block
    assert "<h1" not in block and "<strong" not in block  # never styled as a headline


def test_a_paper_with_no_claim_has_no_key_result(sample_site):
    html = (sample_site / "papers/2505/2505.23131/index.html").read_text()
    assert "paper__key-result" not in html


def test_a_curated_headline_replaces_the_extracted_key_result(project):
    archive = Archive(project.content)
    archive.save(make_paper(abstract="We are 9.65x faster than NCCL on 64 GPUs."))
    archive.save(make_paper(id="2606.01840", abstract="We are 9.65x faster than NCCL on 64 GPUs."))
    path = archive.path_for("2606.01840")
    path.write_text(path.read_text().replace("---\n\n", 'curation:\n  headline: "Curated words"\n---\n\n', 1))
    site = project.build()
    assert "9.65x faster" in site.joinpath("papers/2606/2606.01839/index.html").read_text().split('<h2 id="abstract"')[0]
    curated = site.joinpath("papers/2606/2606.01840/index.html").read_text()
    assert "paper__key-result" not in curated
