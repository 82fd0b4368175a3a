"""What the built site leaves out: files and attributes no reader's browser uses.

- Material's own search (``assets/javascripts/lunr/``, its worker) is not
  this site's search (Pagefind is), and no page loads it; nor does a reader
  load Material's source maps (a developer's tool): together about 2.3 MB.
- Pagefind writes its ready-made search interfaces beside its index; the
  site's box and search page use only ``pagefind.js`` and the index.
- A served paper page needs none of the ``data-pagefind-*`` attributes that
  mark what search skips: Pagefind reads the page's index copy, written from
  the page before they go (``generator/search/records.py``).
- Material's base template writes two placeholders on every page, outside
  any block: the skip link's (empty where the page has no table of contents:
  overrides/main.html writes the archive's own skip link) and the
  announcement bar's (the archive has none). Its bundle looks for them only
  to mount what they hold and for instant navigation, which the archive does
  not use: empty, they go. So does the overlay that closes the navigation
  drawer, which the archive does not have (overrides/main.html; the
  drawer's checkbox stays: the bundle needs it).
"""
from __future__ import annotations

import re
from pathlib import Path

# Material's own files only: content/assets/ holds the archive's, none under these folders.
_UNUSED_THEME = re.compile(r"^assets/javascripts/(lunr|workers)/|^assets/(javascripts|stylesheets)/.*\.map$")
# Pagefind's ready-made interfaces (Pagefind UI, its component and modular UIs,
# their highlighter) and its worker, which the site runs without (search.js).
_PAGEFIND_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
                    "pagefind-worker.js")
# As an attribute of a start tag, after its name and whole attributes (a value
# holds no `"`: the build escapes it): the same words in text, or inside an
# attribute's value (feed text is data), stay as they are.
_SEARCH_MARK = re.compile(r'(<[a-zA-Z][\w-]*(?:\s+[\w:-]+(?:="[^"]*")?)*?)\s+data-pagefind-(?:ignore|weight="\d+")(?=[\s>])')


# As compact_html leaves them: one line break inside each.
_EMPTY_PLACEHOLDERS = ('<label class="md-overlay" for="__drawer"></label>\n', '<div data-md-component="skip">\n</div>\n',
                       '<div data-md-component="announce">\n</div>\n')


def without_empty_placeholders(page_html: str) -> str:
    """A page without Material's drawer overlay and empty skip-link and announcement placeholders."""
    for placeholder in _EMPTY_PLACEHOLDERS:
        page_html = page_html.replace(placeholder, "", 1)
    return page_html


def unused_theme_file(src_uri: str) -> bool:
    """Whether a theme file is one no page of this site loads."""
    return bool(_UNUSED_THEME.search(src_uri))


def without_search_marks(page_html: str) -> str:
    """A served page without the marks only its index copy needed."""
    return _SEARCH_MARK.sub(r"\1", page_html)


def remove_pagefind_extras(bundle: Path) -> None:
    """Pagefind's files the site does not load, out of its bundle."""
    for name in _PAGEFIND_UNUSED:
        (Path(bundle) / name).unlink(missing_ok=True)
