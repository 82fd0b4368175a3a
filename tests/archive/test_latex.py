"""TeX in metadata: MathML for math, Unicode for accents, never markup."""
import pytest

from generator.archive.mathml import mathml
from generator.archive.tex import accents_to_unicode, tex_html
from generator.site.abstracts import paragraphs


@pytest.mark.parametrize("tex, text", [
    ('G\\"otte', "Götte"), ("{\\'E}cole", "École"), ("\\c{c}a", "ça"), ("Erd\\H{o}s", "Erdős"),
    ("Ko\\v{s}ice", "Košice"), ('M{\\"u}ller', "Müller"), ("Stra\\ss e", "Straße"), ("\\AA ngstr\\\"om", "Ångström"),
    ("plain name", "plain name"),
])
def test_accents(tex, text):
    assert accents_to_unicode(tex) == text


def test_2606_04101_inline_math_becomes_mathml():
    html = str(tex_html("delivering 1.49$\\times$ improvement, from 1.30$-$4.01"))
    assert html.count("<math") == 2 and "$" not in html and "<mo>×</mo>" in html


def test_text_commands_and_escapes():
    html = str(tex_html("the \\texttt{did:oan} identity, 32\\% faster, \\emph{new}"))
    assert "<code>did:oan</code>" in html and "32% faster" in html and "<em>new</em>" in html


def test_unbalanced_dollars_stay_as_text():
    assert str(tex_html("costs $5 per hour")) == "costs $5 per hour"


def test_broken_math_is_shown_as_escaped_tex():
    html = str(tex_html("a $x^{$ b"))
    assert '<code class="tex">$x^{$</code>' in html


def test_mathml_that_would_carry_markup_is_refused():
    # latex2mathml passes \text{...} through raw: an <img onerror> would run.
    assert mathml("\\text{<img src=x onerror=alert(1)>}") is None
    assert mathml("\\href{javascript:alert(1)}{x}") is None
    html = str(tex_html("$\\text{<img src=x onerror=alert(1)>}$"))
    assert "<img" not in html and "&lt;img" in html


def test_html_outside_math_is_escaped():
    # Markup is text; a bare & is an ampersand (not TeX's alignment); TeX groups show their content.
    assert " ".join(str(tex_html("<b>x</b> & {{ y }}")).split()) == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_paragraphs_new_format_and_hard_wrapped_legacy():
    assert paragraphs("One.\nTwo.") == ["One.", "Two."]
    wrapped = "A line that was wrapped\nat eighty columns by the old\nAPI and goes on\nto the end."
    assert paragraphs(wrapped) == ["A line that was wrapped at eighty columns by the old API and goes on to the end."]
