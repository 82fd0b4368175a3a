"""A moved page's links and the 404 pages' redirect: each address to the site that holds it.

A paper page links relatively (``../../../months/``, ``../../../pagefind/``);
moved into a volume, those would name the volume's own (absent) home, month
listings and search index. Each relative link of a moved page is resolved
against the page's place in the archive and, when another site holds its
target, rewritten to that site's path on the shared origin
(``/REPO/months/``). Assets stay relative (every volume has a copy), as do
links to the volume's own months. Only attribute values in tags are touched:
text, escaped by the build, never holds a ``<`` that could start one.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit


TAG = re.compile(r"<[A-Za-z][^<>]*>")
ATTRIBUTE = re.compile(r'(\s(?:href|src|data-[\w-]+)=")([^"]*)(")')
SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")
MARKER = "archive-volumes"  # the id of the 404 page's map: a site that has it is split already
SCRIPT = "assets/volumes.js"


class Sites:
    """Which site holds an address of the archive: a moved month's papers are a volume's, the rest the main's."""

    def __init__(self, main_path: str, moved: dict[str, str]):
        self.main, self.moved = main_path, moved  # moved: month → the volume's base path

    def holder(self, path: str) -> str:
        """The base path of the site holding ``path`` (relative to a site's base, no leading slash)."""
        parts = path.split("/")
        if parts[0] == "papers" and len(parts) > 1 and parts[1] in self.moved:
            return self.moved[parts[1]]
        return self.main


def rewrite_page(html: str, page: str, here: str, sites: Sites) -> str:
    """``html`` of the page at ``page`` (e.g. ``papers/2301/2301.00001/index.html``), now in the site at ``here``."""
    cache: dict[str, str] = {}

    def attribute(match: re.Match) -> str:
        value = match.group(2)
        if value not in cache:
            cache[value] = _target(value, page, here, sites, match.group(1).lstrip().startswith("data-"))
        return match.group(1) + cache[value] + match.group(3)

    def tag(match: re.Match) -> str:
        text = match.group(0)
        return ATTRIBUTE.sub(attribute, text) if '="' in text else text

    return TAG.sub(tag, html)


def _target(value: str, page: str, here: str, sites: Sites, data: bool) -> str:
    if not value or value.startswith(("/", "#", "?")) or SCHEME.match(value):
        return value
    if data and not value.startswith("."):  # a data-* value is a path only when it says so (data-root="../../")
        return value
    resolved = urlsplit(urljoin("http://site/" + page, value))
    path = resolved.path.lstrip("/")
    if path.split("/")[0] == "assets":
        return value  # every volume has the assets its pages use
    holder = sites.holder(path)
    if holder == here:
        return value
    return holder + path + (f"?{resolved.query}" if resolved.query else "") + \
        (f"#{resolved.fragment}" if resolved.fragment else "")


def redirect_block(here: str, sites: Sites) -> str:
    """What a site's 404.html gets in its head: the map (JSON, as data), then the script that reads it."""
    data = json.dumps({"self": here, "main": sites.main, "months": sites.moved}, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (f'<script type="application/json" id="{MARKER}">{data}</script>'
            f'<script src="{here}{SCRIPT}"></script>')


def add_redirect(not_found: str, here: str, sites: Sites) -> str:
    """The 404 page with the redirect at the top of its head (it runs before the page is drawn), after
    the charset's meta (which must come in the first 1024 bytes)."""
    place = re.search(r"<meta charset=[^>]*>", not_found) or re.search(r"<head[^>]*>", not_found)
    if not place:
        raise ValueError("404.html has no <head>")
    return not_found[:place.end()] + redirect_block(here, sites) + not_found[place.end():]
