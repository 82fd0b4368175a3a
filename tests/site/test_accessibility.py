"""Accessibility in the browser: axe-core finds no violation on any page kind,
light and dark, phone and desktop; the keyboard reaches search and shows focus.

The sample archive (content/) has what the rules trip on: affiliations in
<small>, a withdrawn paper in a topic, links in a topic's introduction and in
the home page's text, math, versions. Lighthouse's figures (the same axe rules
and a few of its own) come from benchmarks/lighthouse.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import offline_context, settle

PAGE_KINDS = {  # kind -> a page of that kind in the sample archive
    "home": "",
    "month listing": "months/2606/",
    "months index": "months/",
    "topic": "topics/llm-serving/",
    "topics index": "topics/",
    "paper": "papers/2510/2510.00991/",  # affiliations, several versions
    "withdrawn paper": "papers/2606/2606.04101/",
    "library": "library/",
}
VIEWPORTS = {"phone": {"width": 412, "height": 823}, "desktop": {"width": 1350, "height": 940}}
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def _context(browser, scheme: str, viewport: dict):
    return offline_context(browser, color_scheme=scheme, viewport=viewport)


def _violations(result) -> list[str]:
    return [f"{v['id']}: {v['help']} — " + "; ".join(node["html"][:120] for node in v["nodes"][:3])
            for v in result.response["violations"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_axe_violation_on_any_page_kind(browser, sample_server, sample_site, axe, scheme, viewport):
    for url in PAGE_KINDS.values():
        assert (Path(sample_site) / url / "index.html").exists(), f"the sample archive lost {url}"
    context = _context(browser, scheme, VIEWPORTS[viewport])
    try:
        page = context.new_page()
        found = {}
        for kind, url in PAGE_KINDS.items():
            page.goto(sample_server.url + url, wait_until="networkidle")
            # The palette really is the scheme asked for: dark is tested, not assumed.
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            settle(page)
            problems = _violations(axe.run(page))
            if problems:
                found[kind] = problems
        assert not found, found
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violation_in_the_open_search_panel(browser, sample_server, axe, scheme):
    context = _context(browser, scheme, VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        page.goto(sample_server.url + PAGE_KINDS["paper"], wait_until="networkidle")
        page.keyboard.press("/")
        page.keyboard.type("consensus")
        page.locator(".paper-search .md-search-result__link").first.wait_for()
        settle(page)
        assert not _violations(axe.run(page))
    finally:
        context.close()


def test_slash_focuses_search_from_anywhere_but_an_input(page, sample_server):
    page.goto(sample_server.url + PAGE_KINDS["topic"], wait_until="networkidle")
    box = page.locator(".paper-search .md-search__input")
    page.locator(".md-content a").first.focus()  # focus on a link, not on a field
    page.keyboard.press("/")
    assert box.evaluate("node => node === document.activeElement")
    assert box.input_value() == ""  # the slash opened search, it was not typed
    page.keyboard.type("a/b")  # typing in the box: a slash is just a character
    assert box.input_value() == "a/b"


def test_keyboard_focus_is_visible(page, sample_server):
    page.goto(sample_server.url + PAGE_KINDS["paper"], wait_until="networkidle")
    for _ in range(6):  # the skip link, the logo, the search, the tabs...
        page.keyboard.press("Tab")
        outline = page.evaluate("""() => {
            const style = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, style.outlineStyle, parseFloat(style.outlineWidth)];
        }""")
        tag, style, width = outline
        assert style != "none" and width > 0, f"focus on a {tag} is not visible"
