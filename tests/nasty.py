"""Feed text that is data, never markup: each must round-trip and show as text."""

NASTY = [
    "<script>alert('x')</script>",
    "{{ config.site_name }} and {% raw %}",
    "--- a YAML document marker",
    "key: value with a colon",
    "# not a comment",
    "* leading star",
    "& leading ampersand",
    "! leading bang",
    "'single' and \"double\" quotes",
    "$unbalanced dollar and $x^{$ broken math",
    "Ünïcödé — 数据 — ρ≤√n",
    "a\ttab and a control \x07 bell",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1)) **bold** `code`",
    "null",
    "2026-06-01",
    "123",
    "yes",
    "trailing spaces are kept inside  ",
    "x" * 5000,
]
