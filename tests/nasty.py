"""Feed text that is data, never markup: each must round-trip and show as text.

Every string that could run a script sets ``window.__xss``: a browser test
checks that it stays undefined.
"""

XSS = [
    "<script>window.__xss=1</script>",
    '"><svg onload="window.__xss=1">',
    "<img src=x onerror=\"window.__xss=1\">",
    "</textarea></title></style><script>window.__xss=1</script>",
    "[click](javascript:window.__xss=1) <a href=\"javascript:window.__xss=1\">a</a>",
    "{{ '<script>window.__xss=1</script>' | safe }}",
    "$\\href{javascript:window.__xss=1}{x}$ and $<script>window.__xss=1</script>$",
    "<math><mtext><script>window.__xss=1</script></mtext></math>",
]

NASTY = [
    "<script>alert('x')</script>",
    "{{ config.site_name }} and {% raw %}",
    "{# a Jinja comment #} {%- if true %}x{% endif %}",
    "--- a YAML document marker",
    "---\ntitle: injected\n---",
    "key: value with a colon",
    "key: [unclosed, {flow: map",
    "# not a comment",
    "* leading star",
    "& leading ampersand",
    "&anchor *alias !!python/object/apply:os.system ['true']",
    "! leading bang",
    "| block scalar\n  indented",
    "%YAML 1.1 and @at and `backtick and ~",
    "'single' and \"double\" quotes",
    "$unbalanced dollar and $x^{$ broken math",
    "$$ display $$ and \\( inline \\) and $a$b$c$",
    "\\begin{document}\\end{document} \\input{/etc/passwd} \\def\\x{y}",
    "Ünïcödé — 数据 — ρ≤√n",
    "emoji 😀, 𝔸 and right-to-left \u202eevil\u202c",
    "zero\u200bwidth, BOM\ufeff and a line\u2028separator",
    "a\ttab and a control \x07 bell",
    "&amp; &lt;b&gt; entities stay as typed",
    "<!-- comment --> <![CDATA[ x ]]>",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1)) **bold** `code`",
    "null",
    "2026-06-01",
    "123",
    "yes",
    "",
    "trailing spaces are kept inside  ",
    "x" * 990,  # under the harvest's field limits (tests/harvest/test_hostile_harvest.py tries past them)
    "word " * 198,
    *XSS,
]


def is_tex(text: str) -> bool:
    """Text that TeX reads differently (math, commands, groups, quotes, dashes): shown rendered."""
    return any(char in text for char in "$\\{}`") or "--" in text
