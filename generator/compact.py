"""Smaller pages: the indentation and blank lines of Material's templates go.

About an eighth of a paper page is whitespace from template indentation. A
run of whitespace that holds a line break becomes one line break, which
renders the same, except where whitespace is kept as written (``<pre>``,
``<textarea>``) or may matter to code (``<script>``, ``<style>``): those
are left exactly as they are.
"""
from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")


def compact_html(html: str) -> str:
    parts = _KEEP.split(html)
    # split() yields text, kept block, its tag name, text, ...: squeeze the text only.
    return "".join(_BREAK.sub("\n", part) if i % 3 == 0 else part
                   for i, part in enumerate(parts) if i % 3 != 2)
