"""What a reader meets around search (issue 18): the header box's focus, the skip link,
the author chip, Back to a result, the topic list, results first on a phone. In Chromium."""
import re

from conftest import offline_context, settle

BOX = ".paper-search .md-search__input"
RESULTS = "#archive-search-results .paper-item__title"


def opened(page) -> bool:
    return page.evaluate("document.getElementById('__search').checked")


def wait_results(page):
    page.locator("#archive-search[aria-busy=false]").wait_for(state="attached")
    page.wait_for_function("!/Searching/.test(document.getElementById('archive-search-status').textContent)")
    return [a.get_attribute("href") for a in page.locator(RESULTS).all()]


def test_tabbing_past_the_header_box_closes_it(page, sample_server):
    page.goto(sample_server.url + "months/")
    page.locator(BOX).focus()
    assert opened(page)
    page.keyboard.press("Tab")
    page.wait_for_function("!document.getElementById('__search').checked")
    assert not page.evaluate("document.querySelector('.paper-search').contains(document.activeElement)")


def test_tabbing_through_its_results_keeps_it_open_and_a_click_inside_too(page, sample_server):
    page.goto(sample_server.url + "months/")
    page.locator(BOX).click()
    page.locator(BOX).fill("consensus")
    page.locator(".paper-search .md-search-result__link").first.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.locator(".paper-search .md-search-result__meta").click()
    page.wait_for_timeout(50)  # a close would be queued by now; nothing to wait for when nothing happens
    assert opened(page)


def test_escape_closes_the_box_wherever_focus_is(page, sample_server):
    page.goto(sample_server.url + "months/")
    page.evaluate("document.getElementById('__search').checked = true")  # opened, focus elsewhere (the body)
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__search').checked")


def test_on_the_search_page_a_click_on_a_result_is_not_swallowed_by_the_overlay(page, sample_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(sample_server.url + "search/?q=consensus")
    found = wait_results(page)
    page.locator(BOX).focus()
    assert opened(page)
    settle(page)
    x, y = page.locator(RESULTS).first.evaluate("a => { const r = a.getClientRects()[0]; return [r.x + r.width / 2, r.y + r.height / 2]; }")
    page.mouse.click(x, y)  # as a reader does: where the link is drawn
    page.wait_for_url(re.compile(re.escape(found[0]) + "$"))


def test_the_first_tab_reaches_a_visible_skip_link_to_the_content(page, sample_server):
    for path in ("", "months/", "search/?q=consensus"):
        page.goto(sample_server.url + path)
        page.keyboard.press("Tab")
        skip = page.locator("a.md-skip")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
        settle(page)
        assert skip.is_visible() and page.evaluate("getComputedStyle(document.activeElement).opacity") == "1"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('.md-content').contains(document.activeElement)"), path
