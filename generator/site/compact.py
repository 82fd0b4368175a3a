"""Smaller pages: the indentation and blank lines of Material's templates go.

About an eighth of a paper page is whitespace from template indentation. In
text, a run of whitespace that holds a line break becomes one line break,
which renders the same. Tags (and so attribute values, where feed text may
hold line breaks of its own) are never touched, nor is anything inside
``<pre>``, ``<textarea>``, ``<script>`` or ``<style>``, where whitespace is
kept as written or may matter to code.
"""
from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"(<[^>]*>)")
_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")


def _squeeze(markup: str) -> str:
    # split() alternates text and tag: squeeze the text only.
    return "".join(_BREAK.sub("\n", part) if i % 2 == 0 else part
                   for i, part in enumerate(_TAG.split(markup)))


def compact_html(html: str) -> str:
    parts = _KEEP.split(html)
    # split() yields text, kept block, its tag name, text, ...: squeeze the text only.
    return "".join(_squeeze(part) if i % 3 == 0 else part
                   for i, part in enumerate(parts) if i % 3 != 2)
