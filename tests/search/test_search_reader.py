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
    # a close is queued (setTimeout 0) as focus leaves: a later task and a frame have seen it through
    page.evaluate("new Promise((done) => setTimeout(() => requestAnimationFrame(() => done()), 0))")
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


def an_author(sample_site):
    html = next((sample_site / "papers").rglob("index.html")).read_text()
    return re.search(r'class="paper__authors".*?<a href="[^"]*\?author=[^"]*">([^<]+)</a>', html, re.S).group(1)


def test_an_author_filter_shows_as_a_chip_that_a_new_search_keeps_and_a_tap_removes(page, sample_server, sample_site):
    from urllib.parse import quote_plus
    name = an_author(sample_site)
    page.goto(sample_server.url + "search/?author=" + quote_plus(name))
    assert wait_results(page)
    chip = page.locator("#archive-search-chips")
    assert name in chip.inner_text() and "A new search keeps this filter" in chip.inner_text()
    page.locator("#archive-search-q").fill("the")
    page.locator("#archive-search-q").press("Enter")
    page.wait_for_url(re.compile(r"q=the&author="))
    wait_results(page)
    assert name in chip.inner_text()  # kept, and shown
    page.get_by_role("link", name=f"Remove the author filter: {name}").click()
    page.wait_for_url(sample_server.url + "search/?q=the")
    wait_results(page)
    assert chip.inner_text() == "" and page.locator(".md-content h1").inner_text() == "Search"
    assert page.evaluate("document.activeElement.id") == "archive-search-q"
    assert page.errors == []


def test_back_from_a_paper_returns_to_the_result_opened_where_it_was(page, sample_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(sample_server.url + "search/?sort=newest")
    found = wait_results(page)
    assert len(found) >= 15
    target = page.locator(RESULTS).nth(14)
    target.evaluate("a => a.scrollIntoView({block: 'center'})")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 300
    target.click()
    page.wait_for_url(re.compile(re.escape(found[14]) + "$"))
    page.go_back()
    page.wait_for_function("document.activeElement && document.activeElement.getAttribute('href') === %r" % found[14])
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 2


def test_topics_are_ordered_by_count_with_no_scroll_box_and_no_match_last(page, sample_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(sample_server.url + "search/?q=the")
    wait_results(page)
    values = page.locator("fieldset[data-key=topic] .archive-search__values")
    assert values.evaluate("v => getComputedStyle(v).overflowY") == "visible"
    assert values.evaluate("v => v.scrollHeight <= v.clientHeight")
    visible = [(label.inner_text(), label.is_visible()) for label in values.locator("label").all()]
    counts = [int(re.search(r"\((\d+)\)$", text).group(1)) for text, _ in visible]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert all(not shown for (_, shown), n in zip(visible, counts) if n == 0)  # behind "Show all"
    names = [re.sub(r"\s*\(\d+\)$", "", t).strip().lower() for t, _ in visible]
    for i in range(len(counts) - 1):
        if counts[i] == counts[i + 1]:
            assert names[i] <= names[i + 1]
    more = values.locator("button.archive-search__all")
    if more.count():
        more.click()
        assert all(label.is_visible() for label in values.locator("label").all())


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_filters_a_tap_away(browser, sample_server):
    context = offline_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(sample_server.url + "search/?q=consensus")
        wait_results(page)
        box = page.locator(RESULTS).first.bounding_box()
        assert box["y"] + box["height"] <= 844, box
        assert page.locator("#archive-search-facets").evaluate("f => f.getBoundingClientRect().top") > 844  # below the results
        page.locator(".archive-search__to-filters").tap()
        page.wait_for_function("(f => f.top >= 0 && f.top < innerHeight / 2)(document.getElementById('archive-search-facets').getBoundingClientRect())")
    finally:
        context.close()


import pytest  # noqa: E402


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_no_axe_violation_with_a_chip_a_word_no_paper_holds_or_the_skip_link(browser, sample_server, sample_site, scheme, width, height):
    from urllib.parse import quote_plus
    from axe_playwright_python.sync_playwright import Axe

    context = offline_context(browser, color_scheme=scheme, viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for path in ("search/?q=the&author=" + quote_plus(an_author(sample_site)), "search/?q=marmalade", "search/?q=the"):
            page.goto(sample_server.url + path)
            wait_results(page)
            page.keyboard.press("Tab")  # the skip link, shown
            settle(page)
            violations = Axe().run(page).response["violations"]
            assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == [], path
    finally:
        context.close()


def test_on_a_phone_putting_the_keyboard_away_keeps_the_results_open(browser, sample_server):
    """The full-screen box loses focus to nothing when the reader dismisses the keyboard: that is not leaving it."""
    context = offline_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(sample_server.url + "months/")
        page.locator("label.md-header__button[for=__search]").tap()
        page.locator(BOX).fill("consensus")
        page.locator(".paper-search .md-search-result__link").first.wait_for()
        page.evaluate("document.activeElement.blur()")
        page.evaluate("new Promise((done) => setTimeout(() => requestAnimationFrame(() => done()), 0))")
        assert opened(page)
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('__search').checked")
    finally:
        context.close()
