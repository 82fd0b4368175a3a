"""Math read as TeX typesets it (issue 18): on the page, and in every text-only copy.

On the page, a function name is spaced from its argument (``\\log n`` is not
"logn"), capital Greek is upright (Θ) and a math font is named. Text-only
copies (``plain_text``: <title>, description, the Atom feed; the search
index copy) keep the formula's meaning: ``ρ≤√n``, not ``ρ≤n`` or raw TeX.
The formulas are real ones, from arXiv abstracts (metadata CC0) in
../shared/real/csdc-dev.jsonl.gz, cited by id.
"""
from __future__ import annotations

import gzip
import json
import re
from html import unescape
from pathlib import Path

import pytest

from arxiv_feed import Entry
from generator.archive.mathml import mathml
from generator.archive.tex import plain_text

REPO = Path(__file__).resolve().parents[2]

# Sentences of real abstracts, as arXiv sends them.
MATRIX = ("We show that for $d \\le \\sqrt{n}$, the complexity of $\\langle n,d,n\\rangle$ is "
          "$Θ(d \\sqrt{n})$; we have matching upper and lower bounds.")  # 2606.04652
COLORING = ("Karloff and Shmoys devised a parallel algorithm with time "
            "$O\\left(Δ^5\\cdot\\log n\\cdot\\left(\\log^3 n+Δ^2\\right)\\right)$ and $O(m\\cdotΔ)$ "
            "processors.")  # 2601.13822
WIRELESS = ("We show that both network capacity and delay scale as "
            "$Θ\\left(\\sqrt{\\frac{n(1-q)}{\\log n}}\\right)$, where $n$ is the total number of nodes.")  # 2605.12080
SCAN = ("Any algorithm that uses only the vector unit requires "
        "$\\Omega\\left(\\frac{\\log_2(n)}{\\log_2\\log_2(n)}\\right)$ steps.")  # 2506.23906


@pytest.mark.parametrize("tex, text", [
    (MATRIX, "We show that for d≤√n, the complexity of ⟨n,d,n⟩ is Θ(d√n); we have matching upper and lower bounds."),
    (COLORING, "Karloff and Shmoys devised a parallel algorithm with time O(Δ⁵·log n·(log³ n+Δ²)) and O(m·Δ) processors."),
    (WIRELESS, "We show that both network capacity and delay scale as Θ(√(n(1−q)/(log n))), "
               "where n is the total number of nodes."),
    (SCAN, "Any algorithm that uses only the vector unit requires Ω(log₂(n)/(log₂ log₂(n))) steps."),
    ("$\\rho \\leq \\sqrt{n}$", "ρ≤√n"),
    ("$O\\left(n/\\rho\\cdot\\log\\rho\\right)$", "O(n/ρ·log ρ)"),
    ("$\\sqrt{n\\log n}$", "√(n log n)"),
    ("$\\frac{a}{b}$ and $\\frac{n+1}{2}$", "a/b and (n+1)/2"),
    ("$x^2$, $x_i$, $10^{-3}$, $x_{\\max}$", "x², xᵢ, 10⁻³, x_max"),
    ("$a\\times b$, $a \\cdot b$, $a\\leq b$", "a×b, a·b, a≤b"),
    ("$\\max_i x_i$ in $\\log(n)$ rounds, $a \\bmod b$", "maxᵢ xᵢ in log(n) rounds, a mod b"),
], ids=["2606.04652", "2601.13822", "2605.12080", "2506.23906", "sqrt", "left-right-log", "sqrt-group", "frac",
        "scripts", "operators", "function-words"])
def test_plain_text_of_math_keeps_its_meaning(tex, text):
    assert plain_text(tex) == text


def test_no_tex_command_is_left_in_the_text_of_the_real_papers_math():
    path = REPO.parent / "shared" / "real" / "csdc-dev.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    from generator.archive.mathml import math_tree
    from generator.archive.tex import split_math
    left = []
    for line in gzip.open(path, "rt", encoding="utf-8"):
        paper = json.loads(line)
        for part, is_math in split_math(paper["abstract"]):
            if is_math and math_tree(part[1:-1]) is not None:
                text = plain_text(part)
                # A paper's own macro (\cA, \polylog) stays as written; TeX's own commands do not.
                if re.search(r"\\(left|right|log|frac|sqrt|cdot|times|leq?|geq?|mathcal|sum)(?![A-Za-z])", text):
                    left.append((part, text))
    assert left == []


def test_a_function_name_is_applied_with_a_thin_space_and_capital_greek_is_upright():
    assert str(mathml("\\log n")) == ('<math><mrow><mi>log</mi><mo lspace="0" rspace="0.1667em">\u2061</mo>'
                                     "<mi>n</mi></mrow></math>")
    assert '<mi>log</mi><mo>\u2061</mo><mo stretchy="false">(</mo>' in str(mathml("\\log(n)"))  # no space before (
    assert '</msub><mo lspace="0" rspace="0.1667em">\u2061</mo><mi>n</mi>' in str(mathml("\\log_2 n"))
    assert '<mi mathvariant="normal">Θ</mi>' in str(mathml("\\Theta(n)"))
    assert '<mi mathvariant="normal">Ω</mi>' in str(mathml("Ω(n)"))
    assert "<mi>θ</mi>" in str(mathml("\\theta"))  # lower case stays italic, as in TeX
    assert "<mi>arg</mi>" in str(mathml("\\arg\\min_x f"))  # latex2mathml's "\arg" is a name


def _math_page(page) -> None:
    css = (REPO / "content" / "assets" / "archive.css").read_text(encoding="utf-8")
    log, theta = mathml("n \\log n"), mathml("\\Theta(n)")
    page.set_content(f"<style>{css}</style><p id=log>{log}</p><p id=theta>{theta}</p>"
                     "<p id=bare><math><mi>log</mi><mi>n</mi></math></p>")


def test_log_n_has_visible_space_and_theta_is_upright_in_chromium(page):
    _math_page(page)
    boxes = page.evaluate("""() => [...document.querySelectorAll('#log mi, #bare mi')].map(e => {
        const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.right]; })""")
    (_, _, _), (log, _, log_right), (n, n_left, _), (bare_log, _, bare_right), (_, bare_n, _) = boxes
    assert (log, n, bare_log) == ("log", "n", "log")
    assert n_left - log_right >= 2  # a thin space at 16px: about 2.7px
    assert bare_n - bare_right < 0.5  # what latex2mathml alone gives: the letters touch ("logn")
    transform = page.evaluate("""() => [...document.querySelectorAll('#theta mi')].map(
        e => [e.textContent, getComputedStyle(e).textTransform])""")
    assert transform[0] == ["Θ", "none"] and transform[1] == ["n", "math-auto"]  # Θ upright, n italic
    font = page.evaluate("getComputedStyle(document.querySelector('#log math')).fontFamily")
    assert font.startswith('"STIX Two Math"') and font.endswith("math")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Real abstracts' math in a built archive: the page, the feed and the search index."""
    import synthetic
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("math-text"))
    synthetic.save(project.content, [
        Entry(id="2606.04652v1", title="Rectangular Matrix Multiplication in the Low-Bandwidth Model",
              summary=MATRIX + "\n\n" + COLORING, published="2026-06-04T10:00:00Z"),
        Entry(id="2605.12080v1", title="On Capacity and Delay of Wireless Networks with Node Failures",
              summary=WIRELESS, published="2026-05-12T10:00:00Z")])
    project.build()
    return project


def test_the_feed_summary_is_the_math_as_read_with_no_tex(built):
    feed = (built.site / "feeds" / "papers.xml").read_text(encoding="utf-8")
    summaries = [unescape(s) for s in re.findall(r"<summary[^>]*>(.*?)</summary>", feed, re.S)]
    assert any("d≤√n" in s and "O(Δ⁵·log n·(log³ n+Δ²))" in s for s in summaries)
    assert any("Θ(√(n(1−q)/(log n)))" in s for s in summaries)
    assert not re.search(r"\\(left|right|log|frac|sqrt|cdot|le)\b", feed)


def test_the_page_renders_the_math_and_its_description_reads_it(built):
    html = built.page("papers/2606/2606.04652")
    abstract = html[html.index('id="abstract"'):]
    assert "<mi>log</mi><mo" in abstract and "\u2061" in abstract and "<msqrt>" in abstract
    description = unescape(re.search(r'<meta name="description" content="([^"]*)"', html).group(1))
    assert "d≤√n" in description and "\\" not in description


def test_the_search_index_copy_reads_the_math_as_text(built):
    fragments = []
    for path in (built.site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[data.index(b"{"):]))
    content = " ".join(f["content"] for f in fragments)
    assert "d≤√n" in content and "Θ(d√n)" in content  # was "d≤n", "Θ(dn)"
    assert "O(Δ⁵·log n·(log³ n+Δ²))" in content
    assert "Θ(√(n(1−q)/(log n)))" in content
