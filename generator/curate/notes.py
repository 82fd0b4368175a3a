"""A curator's note (``curation.note``): Markdown, shown safely.

Python-Markdown renders the note with its raw-HTML handling switched off,
so ``<script>`` in a note shows as text; nh3 (the ammonia sanitizer) then
keeps only a small set of tags and http(s)/mailto links, so a
``javascript:`` link or an image from elsewhere never reaches a reader.
"""
from __future__ import annotations

import markdown
import nh3
from markdown.extensions import Extension
from markupsafe import Markup

TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
        "a", "h3", "h4", "h5", "h6", "hr", "del", "sub", "sup"}
URL_SCHEMES = {"http", "https", "mailto"}


class _EscapeRawHtml(Extension):
    """Raw HTML in the Markdown becomes text instead of markup."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_note(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=[_EscapeRawHtml(), "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=TAGS, attributes={"a": {"href", "title"}},
                            url_schemes=URL_SCHEMES, link_rel="nofollow noopener noreferrer"))
