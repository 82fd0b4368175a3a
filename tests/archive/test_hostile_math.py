"""Script through math: TeX an arXiv author or a curator writes reaches a page only as MathML we wrote.

latex2mathml copies some input through as raw markup (the contents of
``\\text{}``), so its string never reaches a page: it is parsed, checked
against an allow-list and serialized again (``generator.archive.tex.mathml``).
Each payload below sets ``window.__xss`` or calls ``alert`` if it runs.
"""
import re

import pytest

import synthetic
from arxiv_feed import Entry
from conftest import Project, SiteServer
from generator.archive.mathml import _MATHML_ATTRS, _MATHML_TAGS, mathml
from generator.archive.tex import tex_html

RUN = "window.__xss=1"
HOSTILE_TEX = [
    # comments: ElementTree drops them, an HTML parser ends <!--> at once
    rf"\text{{<!--><img/src/onerror={RUN}>-->}}",
    rf"\text{{<!----><img src=x onerror={RUN}>}}",
    rf"\text{{<!--x--!><img src=x onerror={RUN}>-->}}",
    rf"\mathrm{{<!--><img src=x onerror={RUN}>-->}}",
    rf"\operatorname{{<!--><svg onload={RUN}>-->}}",
    rf"\mbox{{<!--><img src=x onerror={RUN}>-->}}",
    rf"\textrm{{<!--><img src=x onerror={RUN}>-->}}",
    rf"x^{{\text{{<!--><img src=x onerror={RUN}>-->}}}}",
    rf"\frac{{\text{{<!--><img src=x onerror={RUN}>-->}}}}{{2}}",
    # CDATA, processing instructions, declarations
    rf"\text{{<![CDATA[<img src=x onerror={RUN}>]]>}}",
    rf"\text{{<![CDATA[]]><img src=x onerror={RUN}>}}",
    rf"\text{{<?php <img src=x onerror={RUN}> ?>}}",
    rf"\text{{<?x?><img src=x onerror={RUN}>}}",
    rf"\text{{<!DOCTYPE x [<!ENTITY a '<img src=x onerror={RUN}>'>]>&a;}}",
    rf"\text{{<!x><img src=x onerror={RUN}>}}",
    # raw elements and breaking out of the math
    rf"\text{{<script>{RUN}</script>}}",
    rf"\text{{</mtext></math><img src=x onerror={RUN}>}}",
    rf"\text{{<mglyph><style><img src=x onerror={RUN}>}}",
    rf"\text{{<malignmark><img src=x onerror={RUN}>}}",
    rf"\text{{<annotation-xml encoding=text/html><img src=x onerror={RUN}></annotation-xml>}}",
    rf"\text{{<maction actiontype=statusline xlink:href=javascript:{RUN}>x</maction>}}",
    rf"\text{{<mi onmouseover={RUN} style=display:block;width:9999px;height:9999px>x</mi>}}",
    rf'\text{{"><img src=x onerror={RUN}>}}',
    # entities that expand to markup
    rf"\text{{&lt;img src=x onerror={RUN}&gt;}}",
    rf"\text{{&#60;img src=x onerror={RUN}&#62;}}",
    rf"\text{{&#x3C;img src=x onerror={RUN}&#x3E;}}",
    r"\unicode{60}script\unicode{62}" + RUN + r"\unicode{60}/script\unicode{62}",
    # links and styles
    rf"\href{{javascript:{RUN}}}{{click}}",
    rf"\url{{javascript:{RUN}}}",
    rf"\color{{red}}{{x}} \style{{background:url(javascript:{RUN})}}{{x}}",
    rf"\class{{x}}{{y}} \cssId{{a}}{{b}} \href{{data:text/html,<script>{RUN}</script>}}{{d}}",
    # unbalanced braces and odd TeX
    rf"\text{{<img src=x onerror={RUN}>",
    rf"\text{{{{<img src=x onerror={RUN}>}}",
    rf"}}\text{{<img src=x onerror={RUN}>}}{{",
    rf"\text{{<img src=x onerror={RUN}>}}}}}}",
    rf"\verb|<img src=x onerror={RUN}>|",
    rf"\begin{{array}}{{c}}\text{{<!--><img src=x onerror={RUN}>-->}}\end{{array}}",
]
# An element outside the allow-list, or markup the HTML parser reads as a comment or declaration.
_TAG = re.compile(r"<(/?)([a-z]+)((?: [a-z]+=\"[^\"<>]*\")*)>")


def only_allowed_markup(html: str) -> bool:
    """Every ``<`` in ``html`` opens an allow-listed MathML element with allow-listed, quoted attributes."""
    for match in _TAG.finditer(html):
        if match.group(2) not in _MATHML_TAGS:
            return False
        if any(name not in _MATHML_ATTRS for name in re.findall(r" ([a-z]+)=", match.group(3))):
            return False
    return "<" not in _TAG.sub("", html)


@pytest.mark.parametrize("tex", HOSTILE_TEX)
def test_hostile_tex_becomes_allow_listed_mathml_or_nothing(tex):
    out = mathml(tex)
    assert out is None or only_allowed_markup(str(out)), out


@pytest.mark.parametrize("tex", HOSTILE_TEX)
def test_hostile_tex_in_a_line_of_text_is_text_or_allow_listed_mathml(tex):
    html = str(tex_html(f"A title with ${tex}$ in it"))
    outside_math = re.sub(r"<math>.*?</math>", "", html, flags=re.S)
    assert not re.search(r"<(?!/?(code|em|strong)\b)", outside_math), html
    for block in re.findall(r"<math>.*?</math>", html, flags=re.S):
        assert only_allowed_markup(block), block


@pytest.mark.parametrize("tex", [r"x^2", r"\frac{a}{b}", r"O(n \log n)", r"\mathbf{x}", r"10^{-3}\times",
                                 r"\begin{pmatrix}a&b\\c&d\end{pmatrix}", r"\text{ms}", r"\hspace{1em}x"])
def test_ordinary_math_still_renders(tex):
    out = mathml(tex)
    assert out is not None and str(out).startswith("<math>") and only_allowed_markup(str(out))


def test_text_from_mtext_is_kept_escaped():
    assert str(mathml(r"\text{&lt;img&gt;}")) == "<math><mrow><mtext>&lt;img&gt;</mtext></mrow></math>"


def test_math_too_long_or_too_deep_is_shown_as_written():
    assert mathml("x+" * 2000) is None
    assert mathml("{" * 500 + "x" + "}" * 500) is None
    assert '<code class="tex">' in str(tex_html("deep ${" + "{" * 500 + "x" + "}" * 500 + "}$"))


# --- every place math renders, in a real browser -----------------------------

TOPIC = "---\ntitle: Hostile math\ndescription: Papers whose TeX attacks.\nmatch:\n  keywords: [quorum]\n---\n\nIntro.\n"
# A curator's introduction: MathML namespace confusion, the known ways past HTML sanitizers.
MXSS = [
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror={RUN}&gt;">',
    f'<svg></p><style><a id="</style><img src=1 onerror={RUN}>">',
    f'<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror={RUN} src>"></textarea></mtext></svg></mglyph></mi></math>',
    f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={RUN}>",
    f'<math><annotation-xml encoding="text/html"><img src=x onerror={RUN}></annotation-xml></math>',
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f'<math><maction actiontype="statusline" xlink:href="javascript:{RUN}">click</maction></math>',
    f"$\\text{{<!--><img/src/onerror={RUN}>-->}}$",
]
MXSS_TOPIC = ("---\ntitle: Hostile introduction\ndescription: d\nmatch:\n  keywords: [quorum]\n---\n\n"
              + "\n\n".join(MXSS) + "\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("hostile-math"))
    # Each payload in two papers that share a word of their own: they list each other as related.
    entries = [Entry(id=f"2606.{i + 1:05d}v1", title=f"Quorum paper pair{i % len(HOSTILE_TEX)} with ${tex}$",
                     summary=f"A quorum protocol. We show ${tex}$ and $x^2$.\n\nKey result: 3$\\times$ faster ${tex}$.",
                     comment=f"${tex}$", journal_ref=f"J. ${tex}$",
                     published=f"2026-06-{1 + i % 28:02d}T10:00:00Z", authors=[("Ada Quorum", [])])
               for i, tex in enumerate(HOSTILE_TEX * 2)]
    synthetic.save(project.content, entries)
    (project.content / "topics").mkdir()
    (project.content / "topics" / "quorum.md").write_text(TOPIC, encoding="utf-8")
    (project.content / "topics" / "mxss.md").write_text(MXSS_TOPIC, encoding="utf-8")
    project.build()
    server = SiteServer(project.site)
    yield project, server.url
    server.close()


NOTHING_RAN = """(strictMath = true) => {
  const allowed = new Set(%s);
  const bad = [];
  for (const el of strictMath ? document.querySelectorAll('math, math *') : []) {
    if (!allowed.has(el.localName)) bad.push(el.localName);
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) bad.push(el.localName + '[' + a.name + ']');
  }
  const foreign = 'img, svg:not(.archive-icon), iframe, script:not([src*="assets/"]):not([type="application/json"]), style, object, embed, a[href^="javascript"], a[href^="data"]';
  for (const el of document.querySelectorAll('main :is(' + foreign + ')')) bad.push(el.localName);
  return {xss: typeof window.__xss, bad};
}""" % sorted(_MATHML_TAGS)


def test_no_script_runs_from_hostile_tex_on_any_page(hostile_site, page):
    project, url = hostile_site
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    papers = [f"papers/2606/2606.{i + 1:05d}/" for i in range(2 * len(HOSTILE_TEX))]
    for path in ["", "months/2606/", "topics/", "topics/quorum/", "topics/mxss/", *papers]:
        page.goto(url + path)
        page.wait_for_load_state("load")
        # An introduction may hold HTML inside MathML's text (nh3 allows tables): only what runs counts there.
        found = page.evaluate(NOTHING_RAN, path != "topics/mxss/")
        assert found == {"xss": "undefined", "bad": []}, path
        if path != "topics/":  # the topics index lists no paper
            assert page.locator("main math").count() >= 1, path  # the ordinary math still renders
    assert dialogs == []
    assert 'class="paper__related' in project.page(papers[0])  # the related lists were among them


def test_no_script_runs_from_hostile_tex_in_search_results(hostile_site, page):
    _, url = hostile_site
    page.goto(url + "search/?q=quorum")
    page.locator("#archive-search-results .paper-item__title").first.wait_for()
    page.wait_for_function("document.getElementById('archive-search').getAttribute('aria-busy') === 'false'")
    assert page.evaluate(NOTHING_RAN) == {"xss": "undefined", "bad": []}
    page.goto(url)
    page.keyboard.press("/")
    page.keyboard.type("quorum")
    page.locator(".md-search-result__item").first.wait_for()
    assert page.evaluate(NOTHING_RAN) == {"xss": "undefined", "bad": []}
